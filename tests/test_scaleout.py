"""Scale-out: two gunicorn app servers on different ports, sharing one PostgreSQL database,
serve the same user interchangeably (log in through one, carry on through the other).

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
from django.urls import NoReverseMatch, reverse

from tests.factories import make_career, make_user

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct-horse-battery"
# Both servers sign sessions and CSRF tokens with the same key, as every server behind one
# load balancer must.
SECRET_KEY = secrets.token_urlsafe(64)
BOOT_SECONDS = 60
REQUEST_SECONDS = 15

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app servers need a shared database server; set DATABASE_URL to PostgreSQL to run this",
)


def server_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "DEBUG", "SECURE_"))}
    env.pop("REDIS_URL", None)  # no shared cache: the session must come from the database alone
    env.update(DJANGO_ENV="production", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", **extra)
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR, env=server_env(STATIC_ROOT=str(root)), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return root


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


@pytest.fixture(scope="module")
def running_servers(django_db_setup, static_root, tmp_path_factory):
    logs = tmp_path_factory.mktemp("gunicorn")
    started = []
    try:
        for name in ("a", "b"):
            started.append(AppServer(static_root, logs / f"{name}.log"))
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def servers(running_servers, transactional_db, django_db_serialized_rollback):
    # transactional_db: rows the test writes are committed, so the servers' connections see them.
    return running_servers


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


def questionnaire_exists():
    try:
        reverse("assessments:start", args=["any"])
        reverse("assessments:step", args=[1, "background"])
    except NoReverseMatch:
        return False
    return True


def test_session_started_on_one_server_is_honoured_by_the_other(servers):
    a, b = servers
    user = make_user(first_name="Ada Scaleout")
    visitor = Visitor()
    dashboard = reverse("accounts:dashboard")

    status, location, _ = visitor.get(b, dashboard)
    assert (status, location) == (302, reverse("accounts:login"))

    status, location, _ = log_in(visitor, a, user)
    assert (status, location) == (302, dashboard)

    status, _, page = visitor.get(b, dashboard)
    assert status == 200
    assert "Ada Scaleout" in page

    # Logging out through B ends the session on A as well.
    visitor.post(b, reverse("accounts:logout"), {"csrfmiddlewaretoken": csrf_token(page)})
    status, location, _ = visitor.get(a, dashboard)
    assert (status, location) == (302, reverse("accounts:login"))


@pytest.mark.skipif(not questionnaire_exists(), reason="the questionnaire's URLs are not there yet")
def test_questionnaire_continues_across_servers(servers):
    from assessments.models import Assessment

    a, b = servers
    user = make_user()
    career = make_career(
        requirements=[
            ("Scale-out welding", "technical", 4.5, 3),
            ("Scale-out blueprints", "knowledge", 3, 2),
            ("Scale-out teamwork", "soft", 3.5, 3),
        ]
    )
    visitor = Visitor()
    assert log_in(visitor, a, user)[0] == 302

    # Start on A, answer the background step on B, the technical step on A.
    status, first_step, _ = visitor.get(a, reverse("assessments:start", args=[career.slug]))
    assert status == 302
    assessment = Assessment.objects.get(owner=user, career=career)
    assert first_step == reverse("assessments:step", args=[assessment.pk, "background"])

    status, _, page = visitor.get(b, first_step)
    assert status == 200
    status, second_step, _ = visitor.post(b, first_step, filled_form(page))
    assert (status, second_step) == (302, reverse("assessments:step", args=[assessment.pk, "technical"]))

    status, _, page = visitor.get(a, second_step)
    assert status == 200
    status, third_step, _ = visitor.post(a, second_step, filled_form(page))
    assert (status, third_step) == (302, reverse("assessments:step", args=[assessment.pk, "soft"]))

    assessment.refresh_from_db()
    assert assessment.highest_education is not None
    assert sorted(assessment.ratings.values_list("skill__name", flat=True)) == [
        "Scale-out blueprints", "Scale-out welding",
    ]
