"""From the home page to a finished Production Associate report, on the built-in catalog."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from careers.models import Career

pytestmark = pytest.mark.django_db


def first_radio_values(html, level):
    """Answer every radio group on a rating page with one level, as a person clicking would."""
    return {name: str(level) for name in sorted(set(re.findall(r'type="radio" name="(skill_\d+)"', html)))}


def test_a_new_visitor_reaches_a_report_whose_numbers_agree_everywhere(client):
    call_command("load_catalog", verbosity=0)
    career = Career.objects.get(slug="production-associate")
    start = reverse("assessments:start", args=[career.slug])
    assert start in client.get(reverse("careers:detail", args=[career.slug])).content.decode()

    background = client.get(start, follow=True)
    assert "Step 1 of 4" in background.content.decode()
    draft = Assessment.objects.get()
    client.post(reverse("assessments:step", args=[draft.pk, "background"]),
                {"highest_education": "1", "years_experience": "1"})
    for step, level in (("technical", 2), ("soft", 3)):
        url = reverse("assessments:step", args=[draft.pk, step])
        page = client.get(url).content.decode()
        answers = first_radio_values(page, level)
        assert len(answers) == career.requirements.filter(
            skill__kind__in=("soft",) if step == "soft" else ("technical", "knowledge")
        ).count()
        client.post(url, answers)
    assert career.requirements.count() == 20 and draft.ratings.count() == 20

    review = reverse("assessments:step", args=[draft.pk, "review"])
    client.post(reverse("accounts:signup"), {
        "email": "first@example.com", "password1": "a-long-Passphrase-42", "password2": "a-long-Passphrase-42",
        "next": review,
    })
    report = client.post(review, follow=True)
    html = report.content.decode()
    assert report.redirect_chain[-1][0] == reverse("assessments:report", args=[draft.pk])

    data = client.get(reverse("assessments:report_json", args=[draft.pk])).json()
    shown = float(re.search(r'data-figure="readiness">([\d.]+)%', html).group(1))
    draft.refresh_from_db()
    assert shown == data["readiness"] == float(draft.readiness)
    assert len(data["skills"]) == 20 and data["next_steps"]
    assert "Next on the career path" in html
    assert client.get(reverse("assessments:report_pdf", args=[draft.pk])).content.startswith(b"%PDF")
