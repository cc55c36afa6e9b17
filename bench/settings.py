"""The app's own settings and middleware, with the benchmark's URLs (the app's plus a floor)."""

from config.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
