"""Site-wide small things: the favicon browsers ask for, and the development server's log."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parent.parent


class FaviconTests(SimpleTestCase):
    def test_favicon_ico_is_an_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertEqual(response.content[:4], b"\x00\x00\x01\x00")  # the ICO header
        self.assertIn("max-age=86400", response["Cache-Control"])

    def test_pages_link_it(self):
        response = self.client.get("/")
        self.assertContains(response, '<link rel="icon" href="/favicon.ico" sizes="32x32">', html=True)

    def test_only_read(self):
        self.assertEqual(self.client.post("/favicon.ico").status_code, 405)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevelopmentServerLogTests(SimpleTestCase):
    def test_each_line_is_printed_once(self):
        port = free_port()
        with tempfile.TemporaryDirectory() as scratch:
            env = {**os.environ, "DJANGO_ENV": "development", "PYTHONUNBUFFERED": "1",
                   "DATABASE_URL": f"sqlite:///{scratch}/log.sqlite3"}
            env.pop("DEBUG", None)
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            try:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
                    except urllib.error.HTTPError as error:
                        self.assertEqual(error.code, 404)
                        break
                    except OSError:
                        if time.monotonic() > deadline or server.poll() is not None:
                            raise
                        time.sleep(0.2)
                time.sleep(0.5)  # let the server write its lines
            finally:
                server.terminate()
                output, _ = server.communicate(timeout=30)
        lines = output.splitlines()
        self.assertEqual(sum("Not Found: /no-such-page/" in line for line in lines), 1, output)
        self.assertEqual(sum('"GET /no-such-page/ HTTP/1.1" 404' in line for line in lines), 1, output)
