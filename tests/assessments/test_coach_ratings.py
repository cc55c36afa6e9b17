"""A coach's own rating of a skill, beside the self-rating: the form, the report, the JSON and the PDF.

Worked by hand (guide scale, 0-4): Welding importance 5, required 3; Teamwork importance 4, required 2.
  self-ratings  Welding 1, Teamwork 2:  missing 5x2/4 = 2.5 of demanded 5x3/4 + 4x2/4 = 5.75 -> 56.5
  coach levels  Welding 3, Teamwork 1:  missing 4x1/4 = 1 of 5.75 -> 82.6
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Sharing
from assessments.models import Assessment, CoachNote, CoachRating, ReportPdf, SkillRating
from tests.assessments.helpers import pdf_text, submitted
from tests.factories import make_career, make_user

pytestmark = pytest.mark.django_db


def make_coach(email, first_name):
    coach = make_user(email, password=None, is_staff=True, first_name=first_name, last_name="Coach")
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


@pytest.fixture
def world():
    career = make_career("Welder", requirements=[("Welding", "technical", 5, 3), ("Teamwork", "soft", 4, 2)])
    person = make_user("pat@example.com", password=None, first_name="Pat")
    report = submitted(person, career, {"Welding": 1, "Teamwork": 2})
    coach = make_coach("coach@example.com", "Morgan")
    Sharing.objects.create(person=person, coach=coach)
    ratings = {r.skill_name: r for r in report.ratings.all()}
    return type("World", (), {"career": career, "person": person, "report": report, "coach": coach, "ratings": ratings})


def rate_url(report):
    return reverse("admin:assessments_assessment_coach_ratings", args=[report.pk])


def rate(client, world, **levels):
    """POST the coach-rating form: levels maps a skill name to (level, reason)."""
    data = {}
    for name, rating in world.ratings.items():
        level, reason = levels.get(name, ("", ""))
        data[f"level_{rating.pk}"], data[f"reason_{rating.pk}"] = str(level), reason
    return client.post(rate_url(world.report), data)


@pytest.fixture
def coach_client(client, world):
    client.force_login(world.coach)
    return client


def test_the_self_rated_figures_are_as_worked_by_hand(world):
    assert world.report.readiness == Decimal("56.5")


class TestTheForm:
    def test_offers_each_skill_on_its_own_scale(self, coach_client, world):
        response = coach_client.get(rate_url(world.report))
        assert response.status_code == 200
        welding = world.ratings["Welding"]
        assert f'<option value="4">4 of 4</option>' in response.text
        assert '<option value="5">' not in response.text
        assert f'name="level_{welding.pk}"' in response.text

    def test_rating_two_skills_records_the_coach_and_never_changes_the_self_rating(self, coach_client, world):
        before = SkillRating.objects.order_by("pk").values("level", "required", "importance")
        response = rate(coach_client, world, Welding=(3, "Ran the line alone"), Teamwork=(1, "Kept to himself"))
        assert response.status_code == 302
        saved = {c.rating.skill_name: (c.level, c.scale_max, c.reason, c.coach_name) for c in CoachRating.objects.all()}
        assert saved == {"Welding": (3, 4, "Ran the line alone", "Morgan Coach"),
                         "Teamwork": (1, 4, "Kept to himself", "Morgan Coach")}
        assert list(SkillRating.objects.order_by("pk").values("level", "required", "importance")) == list(before)
        report = Assessment.objects.get(pk=world.report.pk)
        assert (report.readiness, report.report) == (world.report.readiness, world.report.report)

    @pytest.mark.parametrize("level", ["5", "-1", "7", "two", "3.5"])
    def test_a_level_outside_the_scale_is_refused_with_the_form_back(self, coach_client, world, level):
        welding = world.ratings["Welding"]
        response = coach_client.post(rate_url(world.report), {f"level_{welding.pk}": level, f"reason_{welding.pk}": "x"})
        assert response.status_code == 200
        assert "Choose a level from 0 to 4, or Not rated." in response.text
        assert not CoachRating.objects.exists()

    def test_a_reason_without_a_level_is_refused(self, coach_client, world):
        welding = world.ratings["Welding"]
        response = coach_client.post(rate_url(world.report), {f"level_{welding.pk}": "", f"reason_{welding.pk}": "Saw it"})
        assert "Choose the level you observed, or clear the reason." in response.text
        assert not CoachRating.objects.exists()

    def test_a_crafted_post_reaches_only_this_coach_and_this_assessment(self, coach_client, world):
        other = submitted(make_user(password=None), world.career, {"Welding": 0})
        others_rating = other.ratings.get(skill_name="Welding")
        second = make_coach("second@example.com", "Sam")
        kept = CoachRating.objects.create(assessment=world.report, rating=world.ratings["Welding"], coach=second,
                                          coach_name="Sam Coach", level=0, scale_max=4, reason="Mine")
        welding = world.ratings["Welding"]
        coach_client.post(rate_url(world.report), {
            f"level_{welding.pk}": "2", f"level_{others_rating.pk}": "4", "level": "4", "readiness": "100",
            "coach": str(second.pk), "coach_name": "Forged", f"scale_max_{welding.pk}": "7",
        })
        kept.refresh_from_db()
        assert (kept.level, kept.reason, kept.coach_name) == (0, "Mine", "Sam Coach")  # the other coach's, untouched
        mine = CoachRating.objects.get(coach=world.coach)
        assert (mine.rating_id, mine.level, mine.scale_max, mine.coach_name) == (welding.pk, 2, 4, "Morgan Coach")
        assert not CoachRating.objects.filter(assessment=other).exists()
        assert SkillRating.objects.get(pk=welding.pk).level == 1
        assert Assessment.objects.get(pk=world.report.pk).readiness == Decimal("56.5")

    def test_not_rated_withdraws_only_the_coach_own_rating(self, coach_client, world):
        rate(coach_client, world, Welding=(3, ""))
        rate(coach_client, world)
        assert not CoachRating.objects.exists()

    def test_a_coach_outside_the_caseload_gets_404(self, client, world):
        client.force_login(make_coach("elsewhere@example.com", "Alex"))
        assert client.get(rate_url(world.report)).status_code == 404
        assert rate(client, world, Welding=(4, "")).status_code == 404
        assert not CoachRating.objects.exists()

    def test_a_draft_has_no_form(self, coach_client, world):
        draft = Assessment.objects.create(owner=world.person, career=world.career)
        assert coach_client.get(rate_url(draft)).status_code == 404

    def test_staff_who_may_not_rate_are_refused(self, client, world):
        client.force_login(make_user(password=None, is_staff=True))
        assert client.get(rate_url(world.report)).status_code == 403


class TestTheReport:
    @pytest.fixture
    def rated(self, coach_client, world):
        rate(coach_client, world, Welding=(3, "Ran the line alone"), Teamwork=(1, "Kept to himself"))
        return world

    def test_the_page_shows_both_ratings_and_the_readiness_with_them(self, client, rated):
        client.force_login(rated.person)
        text = client.get(reverse("assessments:report", args=[rated.report.pk])).text
        assert "Readiness with your coach's ratings:\n    82.6%" in text
        assert "(yours: 56.5%)" in text
        assert "Ran the line alone" in text and "Kept to himself" in text and "Morgan Coach" in text
        assert "with your coach's level in place of your own" in text

    def test_the_json_carries_coach_ratings(self, client, rated):
        client.force_login(rated.person)
        data = client.get(reverse("assessments:report_json", args=[rated.report.pk])).json()
        assert data["readiness"] == 56.5  # the self-rated figure, as submitted
        assert data["readiness_with_coach_ratings"] == 82.6
        assert sorted((c["skill"], c["self"], c["coach"], c["scale_max"], c["coach_name"]) for c in data["coach_ratings"]) == [
            ("Teamwork", 2, 1, 4, "Morgan Coach"), ("Welding", 1, 3, 4, "Morgan Coach"),
        ]

    def test_the_pdf_is_drawn_again_with_them(self, client, world):
        coach_client = type(client)()
        coach_client.force_login(world.coach)
        client.force_login(world.person)
        url = reverse("assessments:report_pdf", args=[world.report.pk])
        assert "Ran the line alone" not in pdf_text(client.get(url).content)[0]
        assert ReportPdf.objects.filter(assessment=world.report).exists()
        rate(coach_client, world, Welding=(3, "Ran the line alone"))
        assert not ReportPdf.objects.filter(assessment=world.report).exists()  # dropped, to be drawn again
        text, _ = pdf_text(client.get(url).content)
        # Only Welding rated, at the required 3: with Teamwork self-rated at its required 2, nothing is missing.
        assert "Readiness with your coach's ratings: 100%" in " ".join(text.split())
        assert "Welding 3 of 4 1 of 4 3 of 4 Ran the line alone Morgan Coach" in text

    def test_no_coach_rating_no_section(self, client, world):
        client.force_login(world.person)
        assert "coach-ratings" not in client.get(reverse("assessments:report", args=[world.report.pk])).text
        data = client.get(reverse("assessments:report_json", args=[world.report.pk])).json()
        assert (data["coach_ratings"], data["readiness_with_coach_ratings"]) == ([], None)

    def test_coach_notes_stay_private(self, client, rated):
        CoachNote.objects.create(assessment=rated.report, author=rated.coach, text="Private: talk about punctuality")
        client.force_login(rated.person)
        for name in ("report", "report_json"):
            assert "punctuality" not in client.get(reverse(f"assessments:{name}", args=[rated.report.pk])).text

    @pytest.mark.parametrize("coaches", [1, 3])
    def test_the_report_query_count_does_not_grow_with_coach_ratings(self, client, world, django_assert_num_queries,
                                                                     coaches):
        for n in range(coaches):
            coach = make_coach(f"c{n}@example.com", f"C{n}")
            for rating in world.ratings.values():
                CoachRating.objects.create(assessment=world.report, rating=rating, coach=coach, coach_name=f"C{n}",
                                           level=2, scale_max=4)
        client.force_login(world.person)
        # session, user, the report, its coach ratings and its ratings
        with django_assert_num_queries(5):
            response = client.get(reverse("assessments:report", args=[world.report.pk]))
        assert response.text.count('<tr data-skill="') >= 2 * coaches
