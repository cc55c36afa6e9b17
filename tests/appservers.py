"""Real app servers for tests and the benchmark: gunicorn (config/gunicorn.py) with production
settings on loopback, and a small HTTP visitor that keeps cookies.

The servers run with production settings (DEBUG off, secure cookies, whitenoise's manifest
storage); only the HTTPS redirect is off, since they answer plain HTTP on loopback. The tests
serve pytest's PostgreSQL test database; bench/serve.py serves the benchmark's. This module
needs neither pytest nor configured settings to import, so the benchmark can use it too.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"
# Every server started from one process signs sessions and CSRF tokens with the same key, as
# every server behind one load balancer must.
SECRET_KEY = secrets.token_urlsafe(64)
BOOT_SECONDS = 60
REQUEST_SECONDS = 15


def production_env(**overrides):
    """The environment of a production process: only what production needs, nothing from ours.
    No database or cache comes along: a server gets the one it is given, so without REDIS_URL its
    sessions come from the database alone. An override of None leaves that variable out."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "DEBUG", "SECURE_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(DJANGO_ENV="production", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1,localhost")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def collect_static(static_root):
    """collectstatic into static_root, as a deploy does (about 20 s with compression)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR, env=production_env(STATIC_ROOT=str(static_root)), capture_output=True, text=True,
        timeout=600,
    )
    if result.returncode:
        raise RuntimeError(f"collectstatic failed:\n{result.stderr}")
    return static_root


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """pytest's test database (not the one DATABASE_URL names), for another process to reach."""
    from django.db import connection

    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class AppServer:
    """gunicorn serving database_url on a loopback port (a free one unless given), started at
    once, like Popen. workers None leaves the number to config/gunicorn.py; env adds to the
    production environment."""

    def __init__(self, database_url, static_root, log_path, *, port=None, workers=None, **env):
        self.port = port or free_port()
        self.log_path = Path(log_path)
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        self.env = production_env(
            DATABASE_URL=database_url, STATIC_ROOT=str(static_root), SECURE_SSL_REDIRECT="off",
            LISTEN_ADDRESS="127.0.0.1", PORT=str(self.port), **env,
        )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            # A session of its own, so stop() ends the master and its workers together.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_until_ready(self):
        """Return once the home page answers 200; fail with the log's tail if it does not."""
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited at start-up ({self.log_path}):\n{self.log()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"gunicorn on port {self.port} did not answer within {BOOT_SECONDS}s ({self.log_path}):\n{self.log()}"
        )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class FormReader(HTMLParser):
    """The fields of the page's own POST forms (not the log-out button in the header)."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.form = {"action": attrs.get("action") or "", "fields": {}, "radios": {}}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind, name, value = attrs.get("type", "text"), attrs["name"], attrs.get("value") or ""
            if kind == "radio":
                options = self.form["radios"].setdefault(name, [])
                options.insert(0, value) if "checked" in attrs else options.append(value)
            elif kind == "checkbox":
                if "checked" in attrs:
                    self.form["fields"][name] = value or "on"
            elif kind not in ("submit", "button", "file"):
                self.form["fields"][name] = value or (attrs.get("min") or "0" if kind == "number" else "")
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if value and (self.select not in self.form["fields"] or "selected" in attrs):
                self.form["fields"][self.select] = value
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.form["fields"][self.textarea] = ""

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form["fields"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def filled_form(html):
    """The page's main form, filled in as a person would: keep what is there, pick an answer
    for every radio group and list."""
    reader = FormReader()
    reader.feed(html)
    logout = reverse("accounts:logout")
    form = next(form for form in reader.forms if form["action"] != logout)
    return {**form["fields"], **{name: options[0] for name, options in form["radios"].items()}}


class Visitor:
    """One browser: a cookie jar shared by every server, like one site behind a load balancer."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, form=None):
        headers = {"Host": f"127.0.0.1:{server.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{server.port}",
            })
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_SECONDS)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        location = urlsplit(response.headers.get("Location") or "").path
        return response.status, location, text

    def get(self, server, path):
        return self.request(server, "GET", path)

    def post(self, server, path, form):
        return self.request(server, "POST", path, form)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in(visitor, server, user):
    status, _, page = visitor.get(server, reverse("accounts:login"))
    assert status == 200
    form = {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)}
    return visitor.post(server, reverse("accounts:login"), form)
