"""Serve Skillgap the way production does, for the benchmark to drive from another process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/serve.py [--port 8100] [--workers N]

Collects static files into bench/out/static, then runs gunicorn (config/gunicorn.py) with
production settings (DEBUG off, manifest static files, secure cookies) and bench.settings,
which adds /bench/floor/. Only the HTTPS redirect is off: it answers plain HTTP on loopback.
Stops on Ctrl-C. Call start_server() to start it from a script instead. The server and the
production environment are the tests' (tests/appservers.py).
"""

import argparse
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.appservers import AppServer, collect_static, production_env  # noqa: E402

STATIC_ROOT = ROOT / "bench" / "out" / "static"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
# What the benchmark adds to production: its URLs (the floor), the shared cache production
# uses (README, Deployment), and no access log, since a line per request would be measured too.
BENCH_ENV = {"DJANGO_SETTINGS_MODULE": "bench.settings", "REDIS_URL": REDIS_URL, "GUNICORN_ACCESS_LOG": ""}


def bench_env(database_url):
    """For the benchmark's own Django processes (seeding, counting queries): the server's settings."""
    return production_env(DATABASE_URL=database_url, STATIC_ROOT=str(STATIC_ROOT), SECURE_SSL_REDIRECT="off",
                          **BENCH_ENV)


def start_server(database_url, port=8100, workers=None, log_path=None):
    """Collect static files, start gunicorn on database_url and return it once it answers."""
    collect_static(STATIC_ROOT)
    log_path = log_path or ROOT / "bench" / "out" / f"gunicorn-{port}.log"
    return AppServer(database_url, STATIC_ROOT, log_path, port=port, workers=workers, **BENCH_ENV).wait_until_ready()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 x cores + 1)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/serve.py needs DATABASE_URL pointing at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/bench")
    # A polite kill (SIGTERM) leaves through the with block too, so gunicorn never outlives us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with start_server(database_url, port=args.port, workers=args.workers) as server:
        print(f"Serving on http://127.0.0.1:{server.port}/ (floor: /bench/floor/); Ctrl-C stops.", flush=True)
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
