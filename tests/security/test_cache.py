"""Nothing personal is ever put in the cache: a journey through every kind of page, then a look
at every key and value the cache holds."""

import pickle

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Sharing
from assessments import pdf
from assessments.models import Assessment
from tests.assessments.helpers import answer_everything, rating_data, skilled_career, step_url
from tests.factories import make_coach

pytestmark = pytest.mark.django_db
NAME, EMAIL, CERTIFICATE = "Zebulon Quirke", "zebulon.quirke@example.com", "Quirkecert welding 9"


def cached_text():
    """Every key and value in the test's in-memory cache, as text."""
    return [f"{key} {pickle.loads(value)!r}" for key, value in cache._cache.items()]


def test_the_inspection_sees_what_is_cached():
    cache.set("probe", {"who": EMAIL})
    assert any(EMAIL in entry for entry in cached_text())


def test_no_page_puts_a_name_an_email_or_an_answer_in_the_cache(client, quick_passwords):
    career = skilled_career(technical=2, soft=1, slug="cache-career")
    client.get(reverse("assessments:start", args=[career.slug]))
    draft = Assessment.objects.get(career=career)
    answer_everything(client, draft, level=1)
    client.post(step_url(draft, "background"), {
        "highest_education": "1", "years_experience": "2", "certifications": CERTIFICATE,
    })
    client.post(reverse("accounts:signup"), {
        "email": EMAIL, "first_name": NAME, "password1": "a long pass phrase 7", "password2": "a long pass phrase 7",
    })
    client.post(step_url(draft, "review"))
    draft.refresh_from_db()
    assert draft.is_submitted and draft.owner.email == EMAIL
    with pdf.render_slot(draft.owner_id):
        held = cached_text()  # what a PDF draw in progress holds
    pages = [
        reverse("home"), reverse("careers:list"), reverse("careers:detail", args=[career.slug]),
        reverse("assessments:report", args=[draft.pk]), reverse("assessments:report_json", args=[draft.pk]),
        reverse("assessments:report_pdf", args=[draft.pk]), reverse("assessments:report_pdf", args=[draft.pk]),
        reverse("assessments:matches", args=[draft.pk]), reverse("accounts:dashboard"), reverse("accounts:data_export"),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    client.post(reverse("assessments:retake", args=[draft.pk]))
    client.post(step_url(Assessment.objects.get(previous=draft), "technical"), rating_data(career, ("technical",), 3))
    coach = make_coach()
    Sharing.objects.create(person=draft.owner, coach=coach)  # they accepted the coach's invitation
    client.force_login(coach)
    for page in [reverse("admin:assessments_assessment_changelist"),
                 reverse("admin:assessments_assessment_change", args=[draft.pk]),
                 reverse("admin:assessments_assessment_cohort") + f"?career={career.pk}",
                 reverse("assessments:report", args=[draft.pk]), reverse("assessments:report_pdf", args=[draft.pk])]:
        assert client.get(page).status_code == 200, page
    for entry in held + cached_text():
        for personal in (NAME, EMAIL, CERTIFICATE, "Zebulon"):
            assert personal not in entry, f"the cache holds {personal!r}: {entry[:200]}"
