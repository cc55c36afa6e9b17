"""Drafts survive an app-server restart: answers are in the database the moment a step is saved.

A gunicorn server (production settings, as `make serve` runs it) is started against the
PostgreSQL test database; a job seeker answers two steps through it; the server is killed
outright (SIGKILL: no shutdown, nothing flushed); a new server starts, the person logs in
again from a new browser and finds every answer where they left it. An anonymous visitor's
draft, kept with their session, survives the same way.

The servers share gunicorn and HTTP helpers with the scale-out test (tests/test_scaleout.py).
"""

import os
import re
import signal
import socket
import time

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import make_career, make_user
from tests.appservers import AppServer, Visitor, database_url, filled_form, log_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the servers need a database outside this process; the SQLite test database lives in memory "
           "(set DATABASE_URL to PostgreSQL to run this)",
)


@pytest.fixture
def start_server(static_root, tmp_path, transactional_db, django_db_serialized_rollback):  # noqa: F811
    # transactional_db: what the test writes is committed, so the servers see it; serialized
    # rollback puts the migrated rows back for the tests that follow.
    started = []

    def start():
        server = AppServer(database_url(), static_root, tmp_path / f"gunicorn-{len(started)}.log", workers=2)
        started.append(server)
        return server.wait_until_ready()

    yield start
    for server in started:
        server.stop()


def kill(server):
    """Kill the master and its workers at once, as a crash or an out-of-memory kill would."""
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the workers die a moment after the master
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.1)
    pytest.fail(f"port {server.port} still answers after the server was killed")


def checked(html, name):
    """The value of the checked radio button of a group."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if re.search(r"\schecked", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


@pytest.fixture
def career(transactional_db):
    return make_career(requirements=[
        ("Restart welding", "technical", 5, 3),
        ("Restart blueprints", "knowledge", 3, 2),
        ("Restart teamwork", "soft", 4, 2),
    ])


def answer_two_steps(visitor, server, career):
    status, background, _ = visitor.get(server, reverse("assessments:start", args=[career.slug]))
    assert status == 302
    status, _, page = visitor.get(server, background)
    form = {**filled_form(page), "highest_education": "3", "years_experience": "4.5",
            "certifications": "Forklift operator"}
    status, technical, _ = visitor.post(server, background, form)
    assert status == 302 and technical.endswith("/technical/")
    status, _, page = visitor.get(server, technical)
    form = filled_form(page)
    # Levels the page would not pre-select, different for each skill.
    names = sorted(name for name in form if name.startswith("skill_"))
    levels = {name: ("3", "1")[index % 2] for index, name in enumerate(names)}
    form.update(levels)
    status, soft, _ = visitor.post(server, technical, form)
    assert status == 302 and soft.endswith("/soft/")
    return background, technical, soft, levels


def test_a_logged_in_job_seekers_draft_survives_a_crash_of_the_server(start_server, career):
    user = make_user()
    first = start_server()
    visitor = Visitor()
    assert log_in(visitor, first, user)[0] == 302
    background, technical, soft, levels = answer_two_steps(visitor, first, career)
    assert len(levels) == 2

    kill(first)
    second = start_server()
    browser = Visitor()  # a new browser: nothing carried over but the account
    assert log_in(browser, second, user)[0] == 302

    # Starting again resumes the same draft, at the step after the last one saved.
    status, location, _ = browser.get(second, reverse("assessments:start", args=[career.slug]))
    assert (status, location) == (302, soft)
    status, _, page = browser.get(second, technical)
    assert status == 200
    assert {name: checked(page, name) for name in levels} == levels
    status, _, page = browser.get(second, background)
    assert re.search(r'<option value="3" selected', page)
    assert 'value="4.5"' in page
    assert "Forklift operator" in page
    assert Assessment.objects.filter(owner=user).count() == 1


def test_an_anonymous_draft_survives_with_its_session(start_server, career):
    first = start_server()
    visitor = Visitor()
    background, technical, soft, levels = answer_two_steps(visitor, first, career)

    kill(first)
    second = start_server()
    # The same browser (its session cookie) comes back to a new server.
    status, location, _ = visitor.get(second, reverse("assessments:start", args=[career.slug]))
    assert (status, location) == (302, soft)
    status, _, page = visitor.get(second, technical)
    assert status == 200
    assert {name: checked(page, name) for name in levels} == levels
    draft = Assessment.objects.get()
    assert (draft.owner_id, draft.highest_education, str(draft.years_experience)) == (None, 3, "4.5")
