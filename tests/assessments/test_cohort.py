from datetime import date, datetime, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessments.charts import histogram
from assessments.scoring import tidy
from assessments.cohort import GapSummary, build_cohort
from accounts.models import Sharing, User
from assessments.models import Assessment, CoachRating, SkillRating
from careers.models import Career
from tests.factories import make_career, make_submitted_assessment, make_user

pytestmark = pytest.mark.django_db

COHORT = reverse("admin:assessments_assessment_cohort")

# (name, kind, importance, required) for the career; each person gives their levels in this order.
SKILLS = [("Forklift operation", "technical", 4.5, 3), ("Teamwork", "soft", 4, 3), ("Blueprint reading", "technical", 3, 2)]

# Worked by hand. Demanded = 4.5x3 + 4x3 + 3x2 = 31.5.
#   levels    gaps (F, T, B)     missing                 readiness
#   1, 2, 2   2*, 1*, 0          9 + 4 = 13              58.7
#   3, 3, 0   0,  0,  2          6                       81.0
#   2, 3, 1   1*, 0,  1          4.5 + 3 = 7.5           76.2
#   0, 0, 0   3*, 3*, 2          31.5                    0.0      (submitted in January)
# (* critical: importance >= 4 and gap >= 1; blueprint reading has importance 3, never critical)
PEOPLE = [
    ((1, 2, 2), datetime(2026, 3, 10, 12, 0, tzinfo=dt_timezone.utc)),
    ((3, 3, 0), datetime(2026, 3, 11, 12, 0, tzinfo=dt_timezone.utc)),
    ((2, 3, 1), datetime(2026, 3, 12, 23, 30, tzinfo=dt_timezone.utc)),
    ((0, 0, 0), datetime(2026, 1, 15, 8, 0, tzinfo=dt_timezone.utc)),
]


def ratings(levels):
    return [(name, kind, importance, required, level) for (name, kind, importance, required), level in zip(SKILLS, levels)]


@pytest.fixture
def career():
    career = make_career("Production Associate")
    for levels, submitted_at in PEOPLE:
        make_submitted_assessment(make_user(password=None), career, ratings(levels), submitted_at=submitted_at)
    # Neither a draft nor another career's assessment counts.
    draft = Assessment.objects.create(owner=make_user(password=None), career=career, status=Assessment.Status.DRAFT)
    SkillRating.objects.create(
        assessment=draft, skill_name="Forklift operation", kind="technical", importance=4.5, required=3, level=0
    )
    make_submitted_assessment(make_user(password=None), make_career("Welder"), ratings((0, 0, 0)))
    return career


def test_whole_cohort_against_hand_worked_figures(career):
    cohort = build_cohort(career=career)
    assert cohort.size == 4
    assert cohort.average_readiness == 54.0  # (58.7 + 81.0 + 76.2 + 0.0) / 4 = 53.975
    assert cohort.gaps == (
        GapSummary("Forklift operation", "technical", with_gap=3, share=75.0, average_gap=2.0, critical=3),
        GapSummary("Blueprint reading", "technical", with_gap=3, share=75.0, average_gap=1.7, critical=0),
        GapSummary("Teamwork", "soft", with_gap=2, share=50.0, average_gap=2.0, critical=2),
    )
    assert [(b.label, b.count) for b in cohort.bins if b.count] == [("0–9.9", 1), ("50–59.9", 1), ("70–79.9", 1), ("80–89.9", 1)]


def test_date_range_is_inclusive_at_both_ends(career):
    cohort = build_cohort(career=career, date_from=date(2026, 3, 10), date_to=date(2026, 3, 12))
    assert cohort.size == 3
    assert cohort.average_readiness == 72.0  # (58.7 + 81.0 + 76.2) / 3 = 71.97
    assert cohort.gaps == (
        GapSummary("Blueprint reading", "technical", with_gap=2, share=66.7, average_gap=1.5, critical=0),
        GapSummary("Forklift operation", "technical", with_gap=2, share=66.7, average_gap=1.5, critical=2),
        GapSummary("Teamwork", "soft", with_gap=1, share=33.3, average_gap=1.0, critical=1),
    )


def test_an_empty_period_has_no_figures(career):
    cohort = build_cohort(career=career, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    assert (cohort.size, cohort.average_readiness, cohort.gaps) == (0, None, ())
    assert sum(b.count for b in cohort.bins) == 0


@pytest.mark.parametrize(
    "value, label",
    [(0, "0–9.9"), (9.9, "0–9.9"), (10, "10–19.9"), (49.9, "40–49.9"), (79.9, "70–79.9"), (80, "80–89.9"), (100, "90–100")],
)
def test_histogram_bins_edges(value, label):
    bins = histogram([Decimal(str(value))])
    assert [b.label for b in bins if b.count] == [label]


def test_histogram_bars_scale_to_the_tallest():
    bins = histogram([5, 6, 55])
    assert bins[0].height == 140 and bins[5].height == 70 and bins[1].height == 0
    assert bins[0].y < bins[5].y


def test_retakes_count_once_by_the_latest_attempt(career):
    """Two attempts by one person and one by another are two people, not three (nor a 100% share)."""
    retaker = make_user(password=None)
    first = make_submitted_assessment(retaker, career, ratings((0, 0, 0)), submitted_at=datetime(2026, 4, 1, tzinfo=dt_timezone.utc))
    make_submitted_assessment(retaker, career, ratings((3, 3, 2)), submitted_at=datetime(2026, 4, 20, tzinfo=dt_timezone.utc),
                              previous=first)
    make_submitted_assessment(make_user(password=None), career, ratings((1, 2, 2)),
                              submitted_at=datetime(2026, 4, 5, tzinfo=dt_timezone.utc))
    cohort = build_cohort(career=career, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    assert (cohort.size, cohort.attempts) == (2, 3)
    # The retaker's latest attempt meets every level (readiness 100); the other person's is 58.7.
    assert cohort.average_readiness == tidy((100 + 58.7) / 2)
    assert [(g.name, g.with_gap, g.share) for g in cohort.gaps] == [("Forklift operation", 1, 50.0), ("Teamwork", 1, 50.0)]
    # A period holding only the first attempt counts that one.
    early = build_cohort(career=career, date_from=date(2026, 4, 1), date_to=date(2026, 4, 2))
    assert (early.size, early.average_readiness) == (1, 0.0)


def test_the_share_by_coach_rating_reads_the_coach_level_where_a_coach_rated(career):
    coach = make_user("coach@example.com", password=None, is_staff=True)
    # The person with levels (3, 3, 0) meets Forklift operation by their own rating; their coach saw a 1.
    assessment = Assessment.objects.get(readiness=Decimal("81.0"))
    rating = assessment.ratings.get(skill_name="Forklift operation")
    CoachRating.objects.create(assessment=assessment, rating=rating, coach=coach, coach_name="Casey",
                               level=1, scale_max=4, reason="Needed help twice")
    # Another person's coach saw the level they gave themselves (0 of 3 required in Teamwork: a gap either way).
    other = Assessment.objects.get(career=career, readiness=Decimal("0.0"))
    CoachRating.objects.create(assessment=other, rating=other.ratings.get(skill_name="Teamwork"), coach=coach,
                               coach_name="Casey", level=0, scale_max=4)
    gaps = {g.name: g for g in build_cohort(career=career).gaps}
    assert (gaps["Forklift operation"].with_gap, gaps["Forklift operation"].share) == (3, 75.0)  # self-rating unchanged
    assert (gaps["Forklift operation"].coach_rated, gaps["Forklift operation"].coach_with_gap,
            gaps["Forklift operation"].coach_share) == (1, 1, 100.0)
    assert (gaps["Teamwork"].coach_rated, gaps["Teamwork"].coach_share) == (1, 100.0)
    assert (gaps["Blueprint reading"].coach_rated, gaps["Blueprint reading"].coach_share) == (0, None)


def share_all(coach):
    """Everyone with an assessment shares with the coach."""
    for person in User.objects.filter(assessments__isnull=False).distinct():
        Sharing.objects.get_or_create(person=person, coach=coach)


class TestCohortPage:
    @pytest.fixture
    def coach(self):
        coach = make_user("coach@example.com", password=None, is_staff=True)
        coach.groups.add(Group.objects.get(name="Coaches"))
        return coach

    @pytest.fixture
    def coach_client(self, client, coach, career):
        share_all(coach)
        client.force_login(coach)
        return client

    def test_a_job_seeker_is_sent_to_the_admin_log_in(self, client, career):
        client.force_login(make_user(password=None))
        response = client.get(COHORT, {"career": career.pk})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_staff_without_view_permission_is_refused(self, client, career):
        client.force_login(make_user(password=None, is_staff=True))
        assert client.get(COHORT, {"career": career.pk}).status_code == 403

    def test_shows_the_figures_a_histogram_and_its_table(self, coach_client, career):
        response = coach_client.get(COHORT, {"career": career.pk, "date_from": "2026-03-10", "date_to": "2026-03-12"})
        text = response.text
        assert response.status_code == 200
        assert "<bdi>Production Associate</bdi>: 3 people" in text
        assert "<strong>72.0%</strong>" in text
        assert '<svg class="cohort-histogram" role="img"' in text
        assert "50–59.9%: 1; 60–69.9%: 0; 70–79.9%: 1; 80–89.9%: 1" in text  # the SVG's description
        assert '<th scope="row">70–79.9%</th><td>1</td>' in text
        assert '<th scope="row">Forklift operation</th><td>Technical</td><td>2</td>\n                <td>66.7%</td><td>1.5</td><td>2</td>' in text
        assert "3 people, from 3 submitted\n      attempts in the period" in text

    def test_a_reversed_date_range_is_an_error_on_the_field(self, coach_client, career):
        response = coach_client.get(COHORT, {"career": career.pk, "date_from": "2026-03-12", "date_to": "2026-03-01"})
        assert response.status_code == 200
        assert 'aria-describedby="id_date_to_error"' in response.text
        assert "The end date is before the start date." in response.text
        assert response.context["cohort"] is None

    def test_without_a_career_only_the_form_shows(self, coach_client, career):
        response = coach_client.get(COHORT)
        assert response.status_code == 200 and response.context["cohort"] is None
        assert "Production Associate" in response.text  # offered in the career list

    def test_the_career_list_offers_only_careers_the_caseload_was_assessed_for(self, coach_client, career):
        make_career("Never assessed")
        choices = [label for _, label in coach_client.get(COHORT).context["form"].fields["career"].choices]
        # The Welder's assessment is someone's in the caseload too (share_all); the unassessed career is not offered.
        assert choices == ["Choose a career", "Production Associate", "Welder"]

    def test_a_coach_counts_only_their_caseload(self, client, career):
        other_coach = make_user("other-coach@example.com", password=None, is_staff=True)
        other_coach.groups.add(Group.objects.get(name="Coaches"))
        person = Assessment.objects.get(readiness=Decimal("58.7")).owner
        Sharing.objects.create(person=person, coach=other_coach)
        client.force_login(other_coach)
        response = client.get(COHORT, {"career": career.pk})
        assert (response.context["cohort"].size, response.context["cohort"].average_readiness) == (1, 58.7)
        # A career no one in this caseload was assessed for is not a valid choice.
        welder = Career.objects.get(title="Welder")
        assert client.get(COHORT, {"career": welder.pk}).context["cohort"] is None

    # session, user, two permission reads, the chosen career, the readiness figures, the attempts,
    # the ratings, the coach ratings, and the careers for the form's list.
    @pytest.mark.parametrize("extra", [0, 30])
    def test_query_count_does_not_grow(self, coach_client, coach, career, django_assert_num_queries, extra):
        for _ in range(extra):
            make_submitted_assessment(make_user(password=None), career, ratings((1, 1, 1)))
        share_all(coach)
        with django_assert_num_queries(10):
            response = coach_client.get(COHORT, {"career": career.pk})
        assert response.context["cohort"].size == 4 + extra
