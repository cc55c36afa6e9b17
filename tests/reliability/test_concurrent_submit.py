"""Simultaneous submits of one assessment, from separate server processes, on PostgreSQL.

tests/assessments/test_submit.py already races two threads on submit_assessment() itself.
This goes through the whole stack instead: two gunicorn servers (two workers each) receive
the same person's "Submit" at the same moment, as a double click behind a load balancer
would send it; each request has its own process and database connection. Exactly one
submission is recorded, with one rating per skill, and every request is answered with the
report. The same holds for a retake clicked twice.
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Assessment, SkillRating
from tests.assessments.helpers import submitted
from tests.factories import make_career, make_user
from tests.appservers import Visitor, csrf_token, log_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and separate server processes need PostgreSQL (set DATABASE_URL to run this)",
)
REQUESTS = 4


@pytest.fixture
def career(transactional_db):
    return make_career(requirements=[
        ("Race welding", "technical", 5, 3), ("Race blueprints", "knowledge", 3, 2), ("Race teamwork", "soft", 4, 2),
    ])


def together(count, request):
    """request(index) run count times at the same moment, in threads; the results, in order."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def send(index):
        try:
            barrier.wait(timeout=10)
            results[index] = request(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def at_once(servers, visitor, path, form):
    """POST the same form REQUESTS times at the same moment, spread over the servers."""
    return together(REQUESTS, lambda index: visitor.post(servers[index % len(servers)], path, form)[:2])


def complete_draft(visitor, server, user, career):
    assert log_in(visitor, server, user)[0] == 302
    status, _, _ = visitor.get(server, reverse("assessments:start", args=[career.slug]))
    assert status == 302
    draft = Assessment.objects.get(owner=user)
    SkillRating.objects.bulk_create(SkillRating(assessment=draft, skill_id=r.skill_id, level=2)
                                    for r in career.requirements.all())
    return draft


def test_simultaneous_submits_record_one_submission(servers, career):
    user = make_user()
    visitor = Visitor()
    draft = complete_draft(visitor, servers[0], user, career)
    review = reverse("assessments:step", args=[draft.pk, "review"])
    status, _, page = visitor.get(servers[0], review)
    assert status == 200

    results = at_once(servers, visitor, review, {"csrfmiddlewaretoken": csrf_token(page)})

    report = reverse("assessments:report", args=[draft.pk])
    assert results == [(302, report)] * REQUESTS
    assert Assessment.objects.filter(owner=user).count() == 1
    draft.refresh_from_db()
    assert draft.is_submitted and draft.readiness is not None
    ratings = SkillRating.objects.filter(assessment=draft)
    assert sorted(ratings.values_list("skill_name", flat=True)) == ["Race blueprints", "Race teamwork", "Race welding"]
    assert all(rating.importance is not None for rating in ratings)
    # Every request lands on the same report, which opens on either server.
    for server in servers:
        assert visitor.get(server, report)[0] == 200


def test_simultaneous_retakes_leave_one_new_draft(servers, career):
    user = make_user()
    earlier = submitted(user, career)
    visitor = Visitor()
    assert log_in(visitor, servers[0], user)[0] == 302
    status, _, page = visitor.get(servers[0], reverse("assessments:report", args=[earlier.pk]))
    assert status == 200

    results = at_once(servers, visitor, reverse("assessments:retake", args=[earlier.pk]),
                      {"csrfmiddlewaretoken": csrf_token(page)})

    drafts = Assessment.objects.filter(owner=user, previous=earlier)
    assert drafts.count() == 1, f"{drafts.count()} drafts for one retake clicked {REQUESTS} times"
    assert results == [(302, reverse("assessments:step", args=[drafts.get().pk, "background"]))] * REQUESTS


def test_simultaneous_starts_leave_one_draft(servers, career):
    """"Start" opened twice at once (a double click, a prefetching browser) resumes one draft."""
    user = make_user()
    visitor = Visitor()
    assert log_in(visitor, servers[0], user)[0] == 302
    path = reverse("assessments:start", args=[career.slug])
    results = together(REQUESTS, lambda index: visitor.get(servers[index % len(servers)], path)[:2])
    drafts = Assessment.objects.filter(owner=user, career=career)
    assert drafts.count() == 1, f"{drafts.count()} drafts for one career started {REQUESTS} times at once"
    assert results == [(302, reverse("assessments:step", args=[drafts.get().pk, "background"]))] * REQUESTS


def test_simultaneous_anonymous_starts_keep_every_draft_reachable(servers):
    """16 Starts at once over 4 careers from one anonymous session: one draft per career, each of
    which that visitor reaches again (no list in the session for a later save to overwrite)."""
    careers = [
        make_career(requirements=[(f"Anon race skill {number}", "technical", 4, 2)]) for number in range(4)
    ]
    visitor = Visitor()
    # The visitor's anonymous session exists before the burst: they started one career already.
    assert visitor.get(servers[0], reverse("assessments:start", args=[careers[0].slug]))[0] == 302
    starts = 16
    results = together(starts, lambda index: visitor.get(
        servers[index % len(servers)], reverse("assessments:start", args=[careers[index % 4].slug]))[:2])
    drafts = Assessment.objects.filter(owner__isnull=True, career__in=careers)
    assert drafts.count() == 4, f"{drafts.count()} anonymous drafts for 4 careers started {starts} times at once"
    for career in careers:
        draft = drafts.get(career=career)
        status, location, _ = visitor.get(servers[1], reverse("assessments:step", args=[draft.pk, "background"]))
        assert status == 200, f"the visitor cannot reach their {career.title} draft again"
    assert all(status == 302 for status, _ in results)
