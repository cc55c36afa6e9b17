"""Scale-out: two gunicorn app servers on different ports, sharing one PostgreSQL database,
serve the same user interchangeably (log in through one, carry on through the other)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.appservers import Visitor, csrf_token, filled_form, log_in
from tests.factories import make_career, make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app servers need a shared database server; set DATABASE_URL to PostgreSQL to run this",
)


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
