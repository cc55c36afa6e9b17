"""Cross-site request forgery: a POST without the form's token is refused on every route.

The routes come from the URL configuration, as in the access matrix, so a new route is
checked as soon as it exists; no view is exempt. Each refusal is followed by the same POST
with the token, to show it was the missing token, not a permission, that was refused.
"""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, SkillRating

from .conftest import client_for
from .test_access_matrix import checks_for, route_names

CSRF_REFUSAL = "CSRF verification failed"


def token(client, url):
    """The CSRF token a GET of a page puts in its forms."""
    page = client.get(url).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, f"{url} has no form with a CSRF token"
    return match.group(1)


def url_of(world, name):
    """The route with the arguments its first access-matrix rule uses."""
    check = checks_for(world, name)[0]
    return reverse(name, args=[arg(world) for arg in check.args]) + check.query


@pytest.mark.parametrize("name", route_names())
def test_a_post_without_a_token_is_refused(world, name):
    # The most privileged visitor the route has: the CSRF check must come before any other.
    role = "superuser" if name.startswith("admin:") else "owner"
    client = client_for(world, role, enforce_csrf_checks=True)
    response = client.post(url_of(world, name), {"career": world.fitter.slug})
    assert response.status_code == 403
    assert CSRF_REFUSAL in response.content.decode()


def test_nothing_changed_after_the_refused_posts(world):
    owner = client_for(world, "owner", enforce_csrf_checks=True)
    for name, args in [("assessments:delete", [world.report.pk]), ("assessments:retake", [world.report.pk])]:
        assert owner.post(reverse(name, args=args)).status_code == 403
    data = {f"skill_{world.welding.pk}": "4", f"skill_{world.teamwork.pk}": "4"}
    assert owner.post(reverse("assessments:step", args=[world.draft.pk, "technical"]), data).status_code == 403
    assert Assessment.objects.filter(owner=world.owner).count() == 2
    assert not SkillRating.objects.filter(assessment=world.draft).exists()


@pytest.mark.parametrize("step, data", [
    ("background", {"highest_education": "1", "years_experience": "2"}),
    ("technical", None),
])
def test_the_same_post_with_the_token_goes_through(world, step, data):
    client = client_for(world, "owner", enforce_csrf_checks=True)
    url = reverse("assessments:step", args=[world.draft.pk, step])
    if data is None:
        data = {f"skill_{r.skill_id}": "2" for r in world.fitter.requirements.filter(skill__kind="technical")}
    response = client.post(url, {**data, "csrfmiddlewaretoken": token(client, url)})
    assert response.status_code == 302


def test_log_in_and_sign_up_need_the_token_too(world):
    # Log-in CSRF: a forged log-in would put the victim in the attacker's account.
    client = client_for(world, "anonymous", enforce_csrf_checks=True)
    login = reverse("accounts:login")
    form = {"username": world.owner.email, "password": "correct-horse-battery"}
    assert client.post(login, form).status_code == 403
    assert "_auth_user_id" not in client.session
    response = client.post(login, {**form, "csrfmiddlewaretoken": token(client, login)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.owner.pk)


def test_a_coach_note_needs_the_token(world):
    client = client_for(world, "coach", enforce_csrf_checks=True)
    url = reverse("admin:assessments_assessment_change", args=[world.report.pk])
    form = {
        "review_status": "reviewed",
        "coach_notes-TOTAL_FORMS": "1", "coach_notes-INITIAL_FORMS": "0",
        "coach_notes-MIN_NUM_FORMS": "0", "coach_notes-MAX_NUM_FORMS": "1000",
        "coach_notes-0-text": "Suggest the welding certificate",
        "ratings-TOTAL_FORMS": "0", "ratings-INITIAL_FORMS": "0",
        "ratings-MIN_NUM_FORMS": "0", "ratings-MAX_NUM_FORMS": "0",
    }
    assert client.post(url, form).status_code == 403
    assert not world.report.coach_notes.exists()
    response = client.post(url, {**form, "csrfmiddlewaretoken": token(client, url)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(world.report.coach_notes.values_list("text", flat=True)) == ["Suggest the welding certificate"]
