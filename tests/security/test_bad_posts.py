"""Oversized and malformed POSTs to every form: a 400 (413 if too large) or the form back,
never a server error, and nothing saved.

The test client raises any exception a view lets out, so a crash fails here as itself rather
than as a 500. Each form says how to read the state it could change; every bad POST must leave
that state exactly as it was.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.models import Assessment, SkillRating

from .conftest import PASSWORD, client_for

HUGE = "x" * 100_000
# Bytes that are not UTF-8: a stray continuation byte, an invalid lead byte, a cut-off sequence.
NOT_UTF8 = "%FF%FE%C3%28%80"
# 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read (config.middleware).
ALLOWED = {200, 302, 400, 404, 413}


@dataclass(frozen=True)
class Form:
    role: str
    url: object  # world -> URL
    valid: object  # world -> a correct answer, as a dict
    state: object  # world -> what the form could change


def ratings(world, draft):
    return sorted(SkillRating.objects.filter(assessment=draft).values_list("skill_id", "level"))


def draft_state(world):
    world.draft.refresh_from_db()
    d = world.draft
    return d.highest_education, d.years_experience, d.certifications, d.current_step, d.status, ratings(world, d)


def step(name):
    return lambda w: reverse("assessments:step", args=[w.draft.pk, name])


def rated(kinds):
    return lambda w: {f"skill_{r.skill_id}": "2" for r in w.fitter.requirements.filter(skill__kind__in=kinds)}


def note_form(w, text="Try the welding certificate", status="reviewed"):
    return {
        "review_status": status,
        "coach_notes-TOTAL_FORMS": "1", "coach_notes-INITIAL_FORMS": "0",
        "coach_notes-MIN_NUM_FORMS": "0", "coach_notes-MAX_NUM_FORMS": "1000", "coach_notes-0-text": text,
        "ratings-TOTAL_FORMS": "0", "ratings-INITIAL_FORMS": "0",
        "ratings-MIN_NUM_FORMS": "0", "ratings-MAX_NUM_FORMS": "0",
    }


def career_form(w):
    return {
        "title": "Welder renamed", "slug": "welder", "source": "guide", "summary": "",
        "typical_education": "", "education_required": "", "median_salary": "", "salary_range": "",
        "growth_outlook": "", "annual_openings": "", "top_industries": "[]", "technologies": "[]", "job_zone": "",
        "onet_code": "", "onet_reference": "", "attribution": "",
        **{f"{prefix}-{part}": value for prefix in ("requirements", "learning_steps", "path", "alternate_titles")
           for part, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"),
                               ("MAX_NUM_FORMS", "1000"))},
    }


User = get_user_model()

FORMS = {
    "background": Form("owner", step("background"),
                       lambda w: {"highest_education": "1", "years_experience": "2", "certifications": "OSHA 10"},
                       draft_state),
    "technical": Form("owner", step("technical"), rated(("technical", "knowledge")), draft_state),
    "soft": Form("owner", step("soft"), rated(("soft",)), draft_state),
    # The draft has unrated skills, so no POST can submit it.
    "review": Form("owner", step("review"), lambda w: {}, draft_state),
    "matches": Form("owner", lambda w: reverse("assessments:matches", args=[w.report.pk]),
                    lambda w: {"career": w.fitter.slug},
                    lambda w: sorted(Assessment.objects.values_list("pk", "status"))),
    "signup": Form("anonymous", lambda w: reverse("accounts:signup"),
                   lambda w: {"email": "new@example.com", "first_name": "New", "password1": "a-long-passphrase-9",
                              "password2": "a-long-passphrase-9"},
                   lambda w: sorted(User.objects.values_list("email", flat=True))),
    "login": Form("anonymous", lambda w: reverse("accounts:login"),
                  lambda w: {"username": w.owner.email, "password": PASSWORD}, None),
    "account delete": Form("owner", lambda w: reverse("accounts:delete"), lambda w: {"password": PASSWORD},
                           lambda w: sorted(User.objects.values_list("email", flat=True))),
    "password change": Form("owner", lambda w: reverse("accounts:password_change"),
                            lambda w: {"old_password": PASSWORD, "new_password1": "another-long-phrase-7",
                                       "new_password2": "another-long-phrase-7"},
                            lambda w: User.objects.get(pk=w.owner.pk).password),
    "password reset": Form("anonymous", lambda w: reverse("accounts:password_reset"),
                           lambda w: {"email": w.owner.email}, lambda w: len(mail.outbox)),
    "admin login": Form("anonymous", lambda w: reverse("admin:login"),
                        lambda w: {"username": w.coach.email, "password": PASSWORD}, None),
    "coach note": Form("coach", lambda w: reverse("admin:assessments_assessment_change", args=[w.report.pk]),
                       note_form,
                       lambda w: (Assessment.objects.get(pk=w.report.pk).review_status,
                                  list(w.report.coach_notes.values_list("text", flat=True)), ratings(w, w.report))),
    "career change": Form("superuser", lambda w: reverse("admin:careers_career_change", args=[w.career.pk]),
                          career_form,
                          lambda w: list(type(w.career).objects.filter(pk=w.career.pk).values())),
    "admin action": Form("coach", lambda w: reverse("admin:assessments_assessment_changelist"),
                         lambda w: {"action": "mark_reviewed", "_selected_action": [w.report.pk]},
                         lambda w: sorted(Assessment.objects.values_list("pk", "review_status"))),
}


def urlencoded(pairs):
    return "&".join(f"{quote(str(key))}={value}" for key, value in pairs)


def bad_bodies(world, form):
    """(case, body, content type) for each malformed POST."""
    valid = form.valid(world)
    names = list(valid) or ["return"]
    form_type = "application/x-www-form-urlencoded"
    return [
        ("100 KB in every field", urlencoded((name, HUGE) for name in names), form_type),
        ("invalid UTF-8 in every field", urlencoded((name, NOT_UTF8) for name in names), form_type),
        ("invalid UTF-8 in the field names", urlencoded((f"{name}{NOT_UTF8}", "1") for name in names), form_type),
        ("the right answer as JSON", json.dumps(valid), "application/json"),
        ("the right answer as plain text", urlencoded(valid.items()) if valid else "return=review", "text/plain"),
        ("a multipart body with no parts", "--nothing--", "multipart/form-data; boundary=xyz"),
        ("a multipart body without a boundary", "x", "multipart/form-data"),
        ("nothing at all", "", form_type),
    ]


def logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("form_name", FORMS)
def test_malformed_posts_get_the_form_or_400_and_save_nothing(world, form_name):
    form = FORMS[form_name]
    url = form.url(world)
    before = form.state(world) if form.state else None
    problems = []
    for case, body, content_type in bad_bodies(world, form):
        client = client_for(world, form.role)
        response = client.post(url, body, content_type=content_type)
        if response.status_code not in ALLOWED:
            problems.append(f"{case}: {response.status_code}")
        if form.state and form.state(world) != before:
            problems.append(f"{case}: saved something")
        if form.role == "anonymous" and logged_in_as(client):
            problems.append(f"{case}: logged in")
    assert not problems, problems


@pytest.mark.parametrize("form_name", FORMS)
def test_five_thousand_fields_are_refused_with_400(world, form_name):
    form = FORMS[form_name]
    before = form.state(world) if form.state else None
    body = urlencoded([*form.valid(world).items(), *((f"field{i}", "1") for i in range(5000))])
    response = client_for(world, form.role).post(form.url(world), body,
                                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    if form.state:
        assert form.state(world) == before


@pytest.mark.parametrize("form_name", FORMS)
def test_every_field_twice_is_taken_once_or_refused(world, form_name):
    """A field sent twice (the right value, then rubbish): the form comes back, or the page
    takes one of the two, as Django does; it never saves rubbish or fails."""
    form = FORMS[form_name]
    valid = form.valid(world)
    pairs = [(name, quote(str(one))) for name, value in valid.items()
             for one in (value if isinstance(value, list) else [value])]
    body = urlencoded(pairs + [(name, "rubbish%00%FF") for name, _ in pairs])
    response = client_for(world, form.role).post(form.url(world), body,
                                                content_type="application/x-www-form-urlencoded")
    assert response.status_code in ALLOWED
    if form_name in ("technical", "soft"):
        assert ratings(world, world.draft) == []  # a rating sent twice is refused outright
    if form_name == "background":
        assert draft_state(world)[0] is None  # the last value, rubbish, is refused


def test_a_100_kb_certifications_answer_is_refused_with_a_message(world):
    client = client_for(world, "owner")
    response = client.post(FORMS["background"].url(world),
                           {"highest_education": "1", "years_experience": "1", "certifications": HUGE})
    assert response.status_code == 200
    assert "under 2,000 characters" in response.content.decode()
    assert draft_state(world)[0] is None


def test_a_huge_log_in_name_is_refused_without_a_lockout_record_failing(world):
    client = client_for(world, "anonymous")
    for _ in range(3):
        response = client.post(reverse("accounts:login"), {"username": "a" * 300 + "@example.com", "password": "x"})
        assert response.status_code == 200
    assert not logged_in_as(client)
