"""Gunicorn settings for `make serve` (gunicorn -c config/gunicorn.py), read from the environment."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# LISTEN_ADDRESS 0.0.0.0 listens on every interface; the default keeps the app behind a local proxy.
bind = f"{os.environ.get('LISTEN_ADDRESS', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Sync workers: each serves one request at a time, so run a few per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20

# The proxies whose X-Forwarded-* headers gunicorn believes (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One access-log line per request on standard output (GUNICORN_ACCESS_LOG= turns it off), errors too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"

# No runtime control socket: its default path is per user, so a second server on the same
# machine (scale-out, the benchmark) would fight over it. Restart through the process manager.
control_socket_disable = True
