"""The plan on the built-in guide career, as a job seeker gets it."""

import pytest
from django.core.management import call_command

from assessments import scoring
from careers.models import Career, Education
from tests.factories import make_user

from .helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def associate():
    call_command("load_catalog", verbosity=0)
    return Career.objects.get(slug="production-associate")


def titles(steps):
    return [planned["step"]["title"] for planned in steps]


def test_nothing_the_person_holds_is_planned(associate):
    report = submitted(make_user(), associate, default=0, highest_education=Education.HIGH_SCHOOL,
                       certifications="OSHA 10-hour\nFirst aid").report
    planned = titles(report["plan"]["steps"]) + titles(report["plan"]["alternatives"])
    assert "OSHA 10-Hour General Industry card" not in planned
    assert "High school diploma or GED" not in planned
    assert set(report["plan"]["held"]) == {"OSHA 10-Hour General Industry card", "High school diploma or GED"}
    assert "OSHA 30-Hour General Industry card" not in report["plan"]["held"]


def test_all_zero_ratings_give_one_covering_set_not_the_sum_of_every_step(associate):
    report = submitted(make_user(), associate, default=0, highest_education=Education.HIGH_SCHOOL).report
    plan, gaps = report["plan"], {gap["name"] for gap in report["score"]["gaps"]}
    steps = [planned["step"] for planned in plan["steps"]]
    addressed = {gap["name"] for planned in plan["steps"] for gap in planned["closes"]}
    assert addressed == gaps - set(plan["unaddressed"])  # together they address every gap they can
    assert plan["cost_max"] == sum(step["cost_max"] for step in steps if step["cost_max"] is not None)
    every_step = associate.learning_steps.exclude(cost_max=None)
    assert plan["cost_max"] < sum(step.cost_max for step in every_step)
    # Leaving any one step out of the path would leave a gap unaddressed, or it is the education.
    for index, planned in enumerate(plan["steps"]):
        rest = {gap["name"] for other in plan["steps"][:index] + plan["steps"][index + 1:] for gap in other["closes"]}
        assert planned["meets_education"] or not {gap["name"] for gap in planned["closes"]} <= rest


def test_someone_without_a_diploma_is_told_to_get_it_first(associate):
    report = submitted(make_user(), associate, default=2, highest_education=Education.NONE).report
    first = report["plan"]["steps"][0]
    assert first["step"]["title"] == "High school diploma or GED" and first["meets_education"]
    assert report["first_steps"][0]["step"]["title"] == "High school diploma or GED"
    assert report["verdict"]["label"] in {"close", "basics"}  # the education is not met: never "ready"


def test_a_ready_person_is_told_to_apply(associate):
    report = submitted(make_user(), associate, default=4, highest_education=Education.BACHELOR).report
    assert report["verdict"] == {"label": "ready", "title": "Ready to apply",
                                 "text": "You meet most of what this career asks for. Apply now, and keep working on any gap below."}
    assert report["plan"]["steps"] == [] and report["score"]["readiness"] == 100.0
    assert scoring.READY_AT <= report["score"]["readiness"]
