from datetime import datetime, timezone as dt_timezone

import pytest
from django.urls import reverse

from accounts.models import Sharing
from assessments.models import Assessment
from tests.factories import make_career, make_submitted_assessment, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("accounts:dashboard")


def on(day):
    return datetime(2026, 3, day, 10, 0, tzinfo=dt_timezone.utc)


def one_skill(level):
    """Importance 1, required 4: readiness is 25 x level."""
    return [("Forklift operation", "technical", 1, 4, level)]


@pytest.fixture
def seeker(client):
    user = make_user("sam@example.com", password=None)
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_empty_state_offers_the_career_list_and_the_account_links(client, seeker):
    response = client.get(DASHBOARD)
    assert "You have no assessments yet." in response.text
    assert reverse("careers:list") in response.text
    for name in ("accounts:password_change", "accounts:data_export", "accounts:delete"):
        assert f'href="{reverse(name)}"' in response.text


def test_assessments_are_grouped_by_career_with_their_figures_and_links(client, seeker):
    associate, welder = make_career("Production Associate"), make_career("Welder")
    first = make_submitted_assessment(seeker, associate, one_skill(1), submitted_at=on(1))
    second = make_submitted_assessment(seeker, associate, one_skill(2), submitted_at=on(5))
    welding = make_submitted_assessment(seeker, welder, one_skill(3), submitted_at=on(3))
    theirs = make_submitted_assessment(make_user(password=None), associate, one_skill(4))

    response = client.get(DASHBOARD)
    text = response.text

    histories = response.context["histories"]
    assert [h.title for h in histories] == ["Production Associate", "Welder"]  # most recent activity first
    assert [a.pk for a in histories[0].submitted] == [first.pk, second.pk]
    assert '<h2 class="h3 card-title" id="career-1">Production Associate</h2>' in text
    for assessment, figure in ((first, "25%"), (second, "50%"), (welding, "75%")):
        assert reverse("assessments:report", args=[assessment.pk]) in text
        assert reverse("assessments:delete", args=[assessment.pk]) in text
        assert f"<td>{figure}</td>" in text
    assert reverse("assessments:report", args=[theirs.pk]) not in text
    assert sum(len(h.submitted) + len(h.drafts) for h in histories) == 3
    # One retake per career, from its latest assessment.
    assert f'action="{reverse("assessments:retake", args=[second.pk])}"' in text
    assert f'action="{reverse("assessments:retake", args=[first.pk])}"' not in text
    assert f'action="{reverse("assessments:retake", args=[welding.pk])}"' in text


def test_readiness_over_time_is_a_line_with_a_text_equivalent(client, seeker):
    career = make_career("Production Associate")
    for day, level in ((1, 1), (2, 2), (3, 4)):
        make_submitted_assessment(seeker, career, one_skill(level), submitted_at=on(day))

    text = client.get(DASHBOARD).text

    # 240 x 64 box, plot from x = 36 to 232: x = 36, 134, 232; y = 8 + (100 - readiness) / 100 x 48.
    assert 'points="36.0,44.0 134.0,32.0 232.0,8.0"' in text
    assert '<svg role="img" aria-labelledby="trend-1"' in text
    assert "Overall readiness over 3 submitted assessments, oldest first: 25% then 50% then 100%." in text


def test_a_single_assessment_is_a_point_not_a_line(client, seeker):
    make_submitted_assessment(seeker, make_career(), one_skill(2))
    text = client.get(DASHBOARD).text
    assert "<polyline" not in text
    assert '<circle class="sparkline-point" cx="134.0" cy="32.0"' in text
    assert "Overall readiness 50%, from one submitted assessment." in text


def test_a_draft_can_be_resumed_instead_of_retaken(client, seeker):
    career = make_career("Production Associate", slug="production-associate")
    submitted = make_submitted_assessment(seeker, career, one_skill(1), submitted_at=on(1))
    draft = Assessment.objects.create(owner=seeker, career=career, previous=submitted, current_step="technical")

    text = client.get(DASHBOARD).text

    assert "Draft in progress" in text
    assert f'href="{reverse("assessments:start", args=["production-associate"])}"' in text
    assert reverse("assessments:delete", args=[draft.pk]) in text
    assert reverse("assessments:retake", args=[submitted.pk]) not in text


def test_an_assessment_whose_career_was_removed_keeps_its_snapshot_title(client, seeker):
    career = make_career("Retired career")
    assessment = make_submitted_assessment(seeker, career, one_skill(2))
    career.delete()

    text = client.get(DASHBOARD).text

    assert "Retired career" in text
    assert reverse("assessments:report", args=[assessment.pk]) in text
    assert "assessments/start" not in text and "/retake/" not in text  # nothing left to start from


# session, user, the user's assessments with their careers, and the coaches they share with.
@pytest.mark.parametrize("careers, attempts", [(1, 1), (6, 5)])
def test_query_count_does_not_grow(client, seeker, django_assert_num_queries, careers, attempts):
    for n in range(careers):
        Sharing.objects.create(person=seeker, coach=make_user(f"coach{n}@example.com", is_staff=True))
        career = make_career()
        for level in range(attempts):
            make_submitted_assessment(seeker, career, one_skill(level % 5))
        Assessment.objects.create(owner=seeker, career=career)
    with django_assert_num_queries(4):
        response = client.get(DASHBOARD)
    assert len(response.context["histories"]) == careers
    assert response.text.count("Stop sharing<span") == careers


def test_retaking_from_the_dashboard_leaves_a_draft_to_resume(client, seeker):
    career = make_career("Production Associate", slug="production-associate")
    submitted = make_submitted_assessment(seeker, career, one_skill(1), submitted_at=on(1))

    response = client.post(reverse("assessments:retake", args=[submitted.pk]))
    assert response.status_code == 302

    text = client.get(DASHBOARD).text
    assert "Draft in progress" in text
    assert f'href="{reverse("assessments:start", args=["production-associate"])}"' in text
    assert "Retake the assessment" not in text
