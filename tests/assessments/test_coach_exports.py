"""What a coach takes away and works in: the CSV exports, the admin's look and search, scoped to the caseload."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Sharing
from assessments.models import CoachNote, CoachRating, SkillRating
from careers.models import Skill
from tests.factories import make_career, make_submitted_assessment, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_assessment_changelist")


def make_coach(email="coach@example.com"):
    coach = make_user(email, password=None, is_staff=True, first_name="Casey", last_name="Coach")
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


@pytest.fixture
def coach():
    return make_coach()


@pytest.fixture
def world(coach):
    """Two people in the coach's caseload, assessed for two careers (one on O*NET's 0-7 scale), and one outside."""
    maria = make_user("maria@example.com", password=None, first_name="María José", last_name="Núñez")
    lee = make_user("lee@example.com", password=None, first_name="Lee", last_name="=Chen")
    outsider = make_user("out@example.com", password=None, first_name="Jose", last_name="Outside")
    for person in (maria, lee):
        Sharing.objects.create(person=person, coach=coach)
    associate = make_career("Production Associate")
    guide = make_submitted_assessment(maria, associate, [("Forklift operation", "technical", 4.5, 3, 1),
                                                         ("Teamwork", "soft", 4, 3, 3)])
    analyst = make_career("Quality analyst", source="onet", onet_code="19-4099.01")
    onet = make_submitted_assessment(lee, analyst, [])
    critical = Skill.objects.create(name="Critical Thinking", kind="technical", source="onet", external_id="2.A.2.a",
                                    category="Basic Skills")
    SkillRating.objects.create(assessment=onet, skill=critical, skill_name="Critical Thinking", kind="technical",
                               category="Basic Skills", importance=Decimal("3.75"), required=Decimal("3.62"), level=2,
                               scale_max=7)
    hidden = make_submitted_assessment(outsider, associate, [("Forklift operation", "technical", 4.5, 3, 0)])
    rating = guide.ratings.get(skill_name="Forklift operation")
    CoachRating.objects.create(assessment=guide, rating=rating, coach=coach, coach_name="Casey Coach", level=3,
                               scale_max=4, reason="=cmd| seen on the line")
    CoachNote.objects.create(assessment=guide, author=coach, text="Start with the forklift course.")
    return type("World", (), {"guide": guide, "onet": onet, "hidden": hidden, "coach": coach})


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


def export(client, action, assessments):
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [a.pk for a in assessments]})
    assert response.status_code == 200, response
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestTidyCsv:
    def test_one_row_per_rating_with_the_same_columns_across_careers(self, coach_client, world):
        rows = export(coach_client, "export_tidy_csv", [world.guide, world.onet])
        assert len(rows) == 3  # two guide ratings and one O*NET rating
        assert list(rows[0]) == [
            "Assessment", "Job seeker", "E-mail", "Career", "Submitted", "Skill", "Kind", "O*NET element", "Scale",
            "Importance", "Required", "Self", "Coach", "Coach name", "Coach reason", "Gap", "Gap by coach rating",
        ]
        by_skill = {row["Skill"]: row for row in rows}
        forklift = by_skill["Forklift operation"]
        assert (forklift["Scale"], forklift["Required"], forklift["Self"], forklift["Coach"], forklift["Gap"],
                forklift["Gap by coach rating"]) == ("0-4", "3.0", "1", "3", "2.0", "0.0")
        assert forklift["Coach reason"] == "'=cmd| seen on the line"  # a spreadsheet would run it: escaped
        thinking = by_skill["Critical Thinking"]
        # O*NET's 3.62 of 7 is asked as level 4; rated 2, the gap is 2 levels of 7. Never converted to 0-4.
        assert (thinking["O*NET element"], thinking["Scale"], thinking["Required"], thinking["Self"], thinking["Gap"],
                thinking["Coach"]) == ("2.A.2.a", "0-7", "4.0", "2", "2.0", "")

    def test_rows_outside_the_caseload_are_never_exported(self, coach_client, world):
        rows = export(coach_client, "export_tidy_csv", [world.hidden, world.guide])
        assert {row["E-mail"] for row in rows} == {"maria@example.com"}

    def test_a_manager_exports_everyone(self, client, world):
        manager = make_user("manager@example.com", password=None, is_staff=True)
        manager.groups.add(Group.objects.get(name="Centre managers"))
        client.force_login(manager)
        rows = export(client, "export_tidy_csv", [world.hidden, world.guide])
        assert {row["E-mail"] for row in rows} == {"maria@example.com", "out@example.com"}


class TestWideCsv:
    def test_carries_review_status_notes_scales_and_coach_ratings(self, coach_client, world):
        rows = export(coach_client, "export_csv", [world.guide, world.onet])
        maria = next(row for row in rows if row["E-mail"] == "maria@example.com")
        assert maria["Review status"] == "New"
        assert maria["Coach notes"].endswith("Casey Coach: Start with the forklift course.")
        assert (maria["Gap: Forklift operation"], maria["Scale: Forklift operation"], maria["Coach: Forklift operation"]) == (
            "2.0", "0-4", "3")
        lee = next(row for row in rows if row["E-mail"] == "lee@example.com")
        assert (lee["Scale: Critical Thinking"], lee["Gap: Critical Thinking"]) == ("0-7", "2.0")


class TestAdmin:
    def test_is_titled_skillgap_coaching(self, coach_client, world):
        text = coach_client.get(reverse("admin:index")).text
        assert "Skillgap coaching" in text and "Django administration" not in text

    def test_log_in_asks_for_the_e_mail_address(self, client):
        text = client.get(reverse("admin:login")).text
        assert "E-mail address:" in text and "Username:" not in text

    def test_log_in_with_the_e_mail_address_in_capitals(self, client):
        make_user("boss@example.com", password="correct-horse-battery", is_staff=True)
        response = client.post(reverse("admin:login"), {"username": "BOSS@example.com ", "password": "correct-horse-battery",
                                                        "next": "/admin/"})
        assert response.status_code == 302

    @pytest.mark.parametrize("query", ["jose", "JOSÉ", "maria", "nunez", "NÚÑEZ"])
    def test_search_ignores_accents_and_case(self, coach_client, world, query):
        found = [a.owner.email for a in coach_client.get(CHANGELIST, {"q": query}).context["cl"].result_list]
        # The outsider "Jose Outside" is not in the caseload, so never found.
        assert found == ["maria@example.com"]

    def test_the_list_holds_only_the_caseload(self, coach_client, world):
        shown = {a.owner.email for a in coach_client.get(CHANGELIST).context["cl"].result_list}
        assert shown == {"maria@example.com", "lee@example.com"}

    def test_outside_the_caseload_an_assessment_is_a_404(self, coach_client, world):
        for name in ("change", "history"):
            url = reverse(f"admin:assessments_assessment_{name}", args=[world.hidden.pk])
            assert coach_client.get(url).status_code == 404, name
        for name in ("report", "report_json", "report_pdf"):
            assert coach_client.get(reverse(f"assessments:{name}", args=[world.hidden.pk])).status_code == 404, name

    def test_the_caseload_page_lists_who_shares(self, coach_client, world):
        text = coach_client.get(reverse("admin:accounts_sharing_changelist")).text
        assert "maria@example.com" in text and "lee@example.com" in text and "out@example.com" not in text

    def test_a_coach_makes_an_invitation_and_finds_its_link(self, coach_client, coach):
        response = coach_client.post(reverse("admin:accounts_invitation_add"), {
            "expires_at_0": "2030-01-01", "expires_at_1": "12:00:00", "_save": "Save",
        })
        assert response.status_code == 302
        invitation = coach.invitations.get()
        text = coach_client.get(reverse("admin:accounts_invitation_changelist")).text
        assert f"http://testserver{invitation.get_absolute_url()}" in text

    def test_a_coach_sees_only_their_own_invitations(self, coach_client, coach):
        other = make_coach("other@example.com")
        theirs = other.invitations.create()
        mine = coach.invitations.create()
        text = coach_client.get(reverse("admin:accounts_invitation_changelist")).text
        assert mine.token in text and theirs.token not in text
        assert coach_client.get(reverse("admin:accounts_invitation_change", args=[theirs.pk])).status_code == 302
