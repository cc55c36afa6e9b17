"""Serve Skillgap the way production does, for the benchmark to drive from another process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/serve.py [--port 8100] [--workers N]

Collects static files into bench/out/static, then runs gunicorn (config/gunicorn.py) with
production settings (DEBUG off, manifest static files, secure cookies) and bench.settings,
which adds /bench/floor/. Only the HTTPS redirect is off: it answers plain HTTP on loopback.
Stops on Ctrl-C. Import BenchServer to start and stop it from a script instead.
"""

import argparse
import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "bench" / "out" / "static"
BOOT_SECONDS = 60


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")


def server_env(database_url, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "DEBUG", "SECURE_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,  # the shared cache production uses (README, Deployment)
        STATIC_ROOT=str(STATIC_ROOT),
        SECURE_SSL_REDIRECT="off",
        GUNICORN_ACCESS_LOG="",  # a log line per request would be part of what is measured
        **extra,
    )
    return env


def collect_static(env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True, timeout=600,
    )


class BenchServer:
    """gunicorn in a process group of its own, started and stopped as one."""

    def __init__(self, database_url, port=8100, workers=None, log_path=None):
        self.port = port
        extra = {"LISTEN_ADDRESS": "127.0.0.1", "PORT": str(port)}
        if workers:
            extra["WEB_CONCURRENCY"] = str(workers)
        self.env = server_env(database_url, **extra)
        self.log_path = Path(log_path or ROOT / "bench" / "out" / f"gunicorn-{port}.log")
        self.process = None

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        collect_static(self.env)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start-up; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/bench/floor/", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {BOOT_SECONDS}s; see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


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
    with BenchServer(database_url, port=args.port, workers=args.workers) as server:
        print(f"Serving on http://127.0.0.1:{server.port}/ (floor: /bench/floor/); Ctrl-C stops.", flush=True)
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
