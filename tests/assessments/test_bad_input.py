"""Bad or tampered answers: the form comes back with a clear message and nothing changes."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, SkillRating
from careers.models import Skill
from tests.factories import make_career, make_skill, make_user

from .helpers import rating_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    welding = make_skill("Welding")
    safety = make_skill("Safety procedures")
    teamwork = make_skill("Teamwork", kind=Skill.Kind.SOFT)
    career = make_career(requirements=[(welding, "technical", 4, 3), (safety, "technical", 5, 3), (teamwork, "soft", 3, 2)])
    user = make_user()
    client.force_login(user)
    draft = Assessment.objects.create(owner=user, career=career, current_step="technical")
    SkillRating.objects.create(assessment=draft, skill=welding, level=1)
    return {"career": career, "draft": draft, "welding": welding, "safety": safety, "teamwork": teamwork}


def saved(draft):
    draft.refresh_from_db()
    return dict(SkillRating.objects.filter(assessment=draft).values_list("skill__name", "level")), draft.current_step


def assert_rejected(response, setup, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in html
    assert saved(setup["draft"]) == ({"Welding": 1}, "technical")


@pytest.mark.parametrize("bad_value", ["5", "-1", "two", "2.5", "", "9999999999999999999999"])
def test_out_of_range_or_non_numeric_rating(client, setup, bad_value):
    data = {f"skill_{setup['welding'].pk}": bad_value, f"skill_{setup['safety'].pk}": "2"}
    response = client.post(step_url(setup["draft"], "technical"), data)
    message = "Choose a level from 0 to 4" if bad_value == "" else "can only be rated with one of the levels 0 to 4"
    assert_rejected(response, setup, message)
    # The error is tied to its radio group for screen readers.
    field_id = f"id_skill_{setup['welding'].pk}"
    assert f'aria-describedby="{field_id}_error"' in response.content.decode()
    assert f'id="{field_id}_error"' in response.content.decode()


def test_missing_rating_names_the_skill(client, setup):
    response = client.post(step_url(setup["draft"], "technical"), {f"skill_{setup['welding'].pk}": "3"})
    assert_rejected(response, setup, "Choose a level from 0 to 4 for “Safety procedures”.")


def test_empty_post(client, setup):
    assert_rejected(client.post(step_url(setup["draft"], "technical"), {}), setup, "Safety procedures")


def test_a_skill_that_is_not_in_the_career(client, setup):
    stranger = make_skill("Juggling")
    data = {**rating_data(setup["career"], ("technical",), 3), f"skill_{stranger.pk}": "4"}
    assert_rejected(client.post(step_url(setup["draft"], "technical"), data), setup, "a skill that is not on this page")


def test_a_skill_of_the_career_from_another_step(client, setup):
    data = {**rating_data(setup["career"], ("technical",), 3), f"skill_{setup['teamwork'].pk}": "4"}
    assert_rejected(client.post(step_url(setup["draft"], "technical"), data), setup, "a skill that is not on this page")


@pytest.mark.parametrize("key", ["skill_abc", "skill_", "skill_0"])
def test_a_malformed_skill_field(client, setup, key):
    data = {**rating_data(setup["career"], ("technical",), 3), key: "1"}
    assert_rejected(client.post(step_url(setup["draft"], "technical"), data), setup, "a skill that is not on this page")


def test_the_same_skill_sent_twice(client, setup):
    url = step_url(setup["draft"], "technical")
    body = f"skill_{setup['welding'].pk}=2&skill_{setup['welding'].pk}=4&skill_{setup['safety'].pk}=3"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert_rejected(response, setup, "More than one level was sent for Welding")


def test_a_rating_for_another_users_assessment(client, setup):
    other = make_user()
    theirs = Assessment.objects.create(owner=other, career=setup["career"])
    response = client.post(step_url(theirs, "technical"), rating_data(setup["career"], ("technical",), 4))
    assert response.status_code == 404
    assert not SkillRating.objects.filter(assessment=theirs).exists()


@pytest.mark.parametrize("data, message", [
    ({"highest_education": "42", "years_experience": "1"}, "Choose one of the education levels"),
    ({"highest_education": "x", "years_experience": "1"}, "Choose one of the education levels"),
    ({"years_experience": "1"}, "Choose your highest education"),
    ({"highest_education": "1", "years_experience": "-3"}, "cannot be negative"),
    ({"highest_education": "1", "years_experience": "lots"}, "Enter a number of years"),
    ({"highest_education": "1", "years_experience": "500"}, "Enter at most 60 years"),
    ({"highest_education": "1", "years_experience": "NaN"}, "Enter a number of years"),
    ({"highest_education": "1", "years_experience": "1", "certifications": "x" * 2001}, "under 2,000 characters"),
])
def test_bad_background_answers(client, setup, data, message):
    draft = setup["draft"]
    response = client.post(step_url(draft, "background"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.highest_education, draft.years_experience, draft.current_step) == (None, None, "technical")


def test_report_ids_that_are_not_numbers_are_404(client, setup):
    assert client.get("/assessments/abc/report/").status_code == 404
    assert client.get(reverse("assessments:report", args=[999999])).status_code == 404


@pytest.mark.parametrize("bad_value", ["8", "-1", "3.5", "seven", "7 ", "1e0"])
def test_a_level_outside_onets_scale_is_refused(client, setup, bad_value):
    from careers.models import SkillRequirement

    listening = Skill.objects.create(name="Active Listening", kind="technical", source="onet", external_id="2.A.1.b")
    SkillRequirement.objects.create(career=setup["career"], skill=listening, importance=4, level="3.62", scale_max=7)
    data = {**rating_data(setup["career"], ("technical",), 3), f"skill_{listening.pk}": bad_value}
    assert_rejected(client.post(step_url(setup["draft"], "technical"), data), setup, "the levels 0 to 7")
