"""Real app servers for tests: gunicorn processes with production settings on loopback,
sharing pytest's PostgreSQL test database, and a small HTTP visitor that keeps cookies.

The servers run with production settings (DEBUG off, secure cookies, whitenoise's manifest
storage); only the HTTPS redirect is off, since they answer plain HTTP on loopback.
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

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse


BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct-horse-battery"
# Both servers sign sessions and CSRF tokens with the same key, as every server behind one
# load balancer must.
SECRET_KEY = secrets.token_urlsafe(64)
BOOT_SECONDS = 60
REQUEST_SECONDS = 15


def server_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "DEBUG", "SECURE_"))}
    env.pop("REDIS_URL", None)  # no shared cache: the session must come from the database alone
    env.update(DJANGO_ENV="production", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", **extra)
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict  # pytest-django's test database, not the one DATABASE_URL names
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class AppServer:
    def __init__(self, static_root, log_path):
        self.port = free_port()
        self.log_path = log_path
        env = server_env(
            DATABASE_URL=database_url(), STATIC_ROOT=str(static_root), SECURE_SSL_REDIRECT="off",
            LISTEN_ADDRESS="127.0.0.1", PORT=str(self.port), WEB_CONCURRENCY="2",
        )
        with open(log_path, "wb") as log:
            # A session of its own, so teardown can stop the master and its workers together.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def log(self):
        return Path(self.log_path).read_text(errors="replace")[-4000:]

    def wait_until_ready(self):
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn on port {self.port} exited at start-up:\n{self.log()}")
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection_.request("GET", "/", headers={"Host": "127.0.0.1"})
                if connection_.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        pytest.fail(f"gunicorn on port {self.port} did not answer within {BOOT_SECONDS}s:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


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
