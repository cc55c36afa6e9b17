import csv
import io
import re
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Sharing, User
from assessments.models import Assessment, CoachNote, CoachRating, SkillRating
from careers.models import Education
from tests.factories import make_career, make_submitted_assessment, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_assessment_changelist")

# Hand-worked example: importance x gap over importance x required.
#   Forklift operation: importance 4.5, required 3, level 1 -> gap 2, critical (4.5 >= 4, gap >= 1)
#   Blueprint reading:  importance 3,   required 2, level 2 -> gap 0
#   Teamwork (soft):    importance 4,   required 3, level 2 -> gap 1, critical
# overall = 100 x (1 - (9 + 0 + 4) / (13.5 + 6 + 12)) = 100 x (1 - 13/31.5) = 58.7
# technical = 100 x (1 - 9/19.5) = 53.8; soft = 100 x (1 - 4/12) = 66.7
RATINGS = [
    ("Forklift operation", "technical", 4.5, 3, 1),
    ("Blueprint reading", "technical", 3, 2, 2),
    ("Teamwork", "soft", 4, 3, 2),
]


def make_coach(email="coach@example.com"):
    coach = make_user(email, password=None, is_staff=True, first_name="Casey", last_name="Coach")
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


def the_coach():
    """The coach the tests log in as; every job seeker made with seeker() shares with them."""
    return User.objects.filter(email="coach@example.com").first() or make_coach()


def seeker(*args, **fields):
    """A job seeker in the coach's caseload."""
    person = make_user(*args, **fields)
    Sharing.objects.create(person=person, coach=the_coach())
    return person


@pytest.fixture
def coach_client(client):
    client.force_login(the_coach())
    return client


@pytest.fixture
def assessment():
    career = make_career("Production Associate", education_required=Education.HIGH_SCHOOL)
    person = seeker("sam@example.com", password=None, first_name="Sam", last_name="Seeker")
    return make_submitted_assessment(
        person, career, RATINGS,
        highest_education=Education.HIGH_SCHOOL, years_experience=Decimal("2.5"), certifications="OSHA 10",
    )


def change_url(assessment):
    return reverse("admin:assessments_assessment_change", args=[assessment.pk])


def change_form_post(assessment, **overrides):
    """The POST the change page's form would send, plus whatever a crafted request adds."""
    ratings = list(assessment.ratings.order_by("pk"))
    data = {
        "review_status": assessment.review_status,
        "ratings-TOTAL_FORMS": str(len(ratings)),
        "ratings-INITIAL_FORMS": str(len(ratings)),
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "0",
        "coach_notes-TOTAL_FORMS": "1",
        "coach_notes-INITIAL_FORMS": "0",
        "coach_notes-MIN_NUM_FORMS": "0",
        "coach_notes-MAX_NUM_FORMS": "1000",
        "coach_notes-0-text": "",
        "coach_notes-0-assessment": str(assessment.pk),
    }
    for index, rating in enumerate(ratings):
        data[f"ratings-{index}-id"] = str(rating.pk)
        data[f"ratings-{index}-assessment"] = str(assessment.pk)
    data.update(overrides)
    return data


def ratings_table(html):
    """The cells of each row of the change page's ratings table, as text."""
    table = re.search(r'<table class="sg-ratings">.*?<tbody>(.*?)</tbody>', html, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_assessment_fixture_matches_the_hand_worked_figures(assessment):
    assert (assessment.readiness, assessment.technical_readiness, assessment.soft_readiness) == (
        Decimal("58.7"), Decimal("53.8"), Decimal("66.7"),
    )
    assert assessment.critical_gaps == 2


class TestCoachesGroup:
    def test_has_exactly_the_permissions_the_issue_lists(self):
        codenames = set(Group.objects.get(name="Coaches").permissions.values_list("content_type__app_label", "codename"))
        assert codenames == {
            ("careers", "view_skill"), ("careers", "view_career"), ("careers", "view_alternatetitle"),
            ("careers", "view_skillrequirement"), ("careers", "view_learningstep"), ("careers", "view_careerlevel"),
            ("assessments", "view_assessment"), ("assessments", "view_skillrating"),
            ("assessments", "add_coachnote"), ("assessments", "change_coachnote"), ("assessments", "view_coachnote"),
            ("assessments", "add_coachrating"), ("assessments", "change_coachrating"), ("assessments", "view_coachrating"),
            ("accounts", "add_invitation"), ("accounts", "view_invitation"), ("accounts", "view_sharing"),
        }

    def test_centre_managers_may_view_all_assessments_and_coaches_may_not(self):
        managers = set(Group.objects.get(name="Centre managers").permissions.values_list("codename", flat=True))
        assert "view_all_assessments" in managers and "add_coachrating" in managers
        assert not make_coach().has_perm("assessments.view_all_assessments")

    def test_a_coach_cannot_edit_careers_or_delete_assessments(self):
        coach = make_coach()
        assert coach.has_perm("careers.view_career")
        assert not coach.has_perm("careers.change_career")
        assert not coach.has_perm("careers.add_skillrequirement")
        assert not coach.has_perm("assessments.change_skillrating")
        assert not coach.has_perm("assessments.delete_assessment")

    def test_a_crafted_post_to_a_career_change_page_is_refused(self, coach_client):
        career = make_career("Welder")
        url = reverse("admin:careers_career_change", args=[career.pk])
        assert coach_client.get(url).status_code == 200  # coaches may read a career
        response = coach_client.post(url, {"title": "Hacked", "slug": "hacked"})
        career.refresh_from_db()
        assert response.status_code == 403
        assert career.title == "Welder"


class TestAccess:
    def test_a_job_seeker_gets_no_admin_page(self, client, assessment):
        client.force_login(assessment.owner)
        response = client.get(CHANGELIST)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_a_coach_cannot_add_or_delete_assessments(self, coach_client, assessment):
        assert coach_client.get(reverse("admin:assessments_assessment_add")).status_code == 403
        assert coach_client.post(reverse("admin:assessments_assessment_delete", args=[assessment.pk]), {"post": "yes"}).status_code == 403
        assert Assessment.objects.filter(pk=assessment.pk).exists()


class TestChangelist:
    def test_shows_the_job_seeker_and_the_figures(self, coach_client, assessment):
        response = coach_client.get(CHANGELIST)
        assert response.status_code == 200
        # Name and address each isolated for bidirectional text; the words read as one line.
        assert "<bdi>Sam Seeker</bdi> &lt;<bdi>sam@example.com</bdi>&gt;" in response.text
        for figure in ("58.7%", "53.8%", "66.7%"):
            assert figure in response.text
        assert reverse("admin:assessments_assessment_cohort") in response.text

    @pytest.mark.parametrize("band, expected", [("low", {"low"}), ("mid", {"mid", "edge"}), ("high", {"high"})])
    def test_readiness_band_filter(self, coach_client, band, expected):
        career = make_career()
        people = {
            # name: ratings giving that readiness (importance 1, required 4: readiness = 25 x level)
            "low": [("A", "technical", 1, 4, 1)],  # 25
            "mid": [("A", "technical", 1, 4, 2)],  # 50, the band's bottom edge
            "edge": [("A", "technical", 1, 2, 1), ("B", "technical", 1, 4, 4), ("C", "technical", 1, 4, 3.2)],
            "high": [("A", "technical", 1, 4, 4)],  # 100
        }
        for name, ratings in people.items():
            make_submitted_assessment(seeker(f"{name}@example.com", password=None), career, ratings)
        edge = Assessment.objects.get(owner__email="edge@example.com")
        edge.readiness = Decimal("79.9")
        edge.save()

        response = coach_client.get(CHANGELIST, {"band": band})
        shown = {a.owner.email.split("@")[0] for a in response.context["cl"].result_list}
        assert shown == expected

    def test_filter_by_career_and_band_together(self, coach_client):
        associate, welder = make_career("Production Associate"), make_career("Welder")
        make_submitted_assessment(seeker("a@example.com", password=None), associate, [("A", "technical", 1, 4, 1)])
        make_submitted_assessment(seeker("b@example.com", password=None), associate, [("A", "technical", 1, 4, 4)])
        make_submitted_assessment(seeker("c@example.com", password=None), welder, [("A", "technical", 1, 4, 1)])
        response = coach_client.get(CHANGELIST, {"career__id__exact": associate.pk, "band": "low"})
        assert [a.owner.email for a in response.context["cl"].result_list] == ["a@example.com"]

    @pytest.mark.parametrize("query", ["Seeker", "sam@exa", "Sam"])
    def test_search_by_name_and_email(self, coach_client, assessment, query):
        make_submitted_assessment(seeker("other@example.com", password=None, first_name="Olga"), assessment.career, RATINGS)
        response = coach_client.get(CHANGELIST, {"q": query})
        assert [a.pk for a in response.context["cl"].result_list] == [assessment.pk]

    def test_sorts_by_readiness(self, coach_client):
        career = make_career()
        for level in (2, 4, 1):
            make_submitted_assessment(seeker(password=None), career, [("A", "technical", 1, 4, level)])
        # Column 3 of list_display is overall readiness; "o=3" sorts ascending.
        response = coach_client.get(CHANGELIST, {"o": "3"})
        assert [a.readiness for a in response.context["cl"].result_list] == [Decimal("25.0"), Decimal("50.0"), Decimal("100.0")]

    # session, user, the coach's two permission reads, careers for the filter, the date
    # hierarchy's first/last dates and its year links, one count and the page of rows.
    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_rows(self, coach_client, django_assert_num_queries, rows):
        career = make_career()
        for _ in range(rows):
            make_submitted_assessment(seeker(password=None), career, RATINGS[:1])
        with django_assert_num_queries(9):
            response = coach_client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == rows
        assert response.context["cl"].date_hierarchy == "submitted_at"


class TestChangePage:
    def test_shows_answers_ratings_gaps_and_report_links(self, coach_client, assessment):
        response = coach_client.get(change_url(assessment))
        assert response.status_code == 200
        text = response.text
        assert "High school diploma or GED" in text
        assert "Meets the career&#x27;s typical education" in text
        assert "OSHA 10" in text
        assert reverse("assessments:report", args=[assessment.pk]) in text
        assert reverse("assessments:report_pdf", args=[assessment.pk]) in text
        # The ratings as one compact table: each skill's scale, gap and critical flag, and no input to change a level.
        assert 'name="ratings-0-level"' not in text
        rows = {row[0]: row for row in ratings_table(text)}
        assert set(rows) == {"Forklift operation", "Blueprint reading", "Teamwork"}
        assert rows["Forklift operation"] == ["Forklift operation", "0–4", "4.5", "3", "1", "—", "2", "Critical"]
        assert (rows["Blueprint reading"][6], rows["Blueprint reading"][7]) == ("0", "")
        assert (rows["Teamwork"][6], rows["Teamwork"][7]) == ("1", "Critical")
        assert text.count("<th scope=\"col\">Skill</th>") == 1  # one header row, not one per rating
        # Only the review status is an input on the assessment itself.
        assert 'name="review_status"' in text
        for field in ("readiness", "highest_education", "years_experience", "certifications", "owner"):
            assert f'name="{field}"' not in text

    def test_education_is_judged_against_the_snapshot_taken_on_submit(self, coach_client, assessment):
        career = assessment.career
        career.education_required = Education.BACHELOR
        career.save()
        response = coach_client.get(change_url(assessment))
        assert "Meets the career&#x27;s typical education" in response.text

    def test_crafted_post_changes_no_answer_rating_or_score(self, coach_client, assessment):
        other = make_user("mallory@example.com", password=None)
        rating = assessment.ratings.get(skill_name="Forklift operation")
        data = change_form_post(
            assessment,
            review_status="in_review",
            readiness="100", technical_readiness="100", soft_readiness="100", critical_gaps="0",
            highest_education=str(Education.DOCTORATE), education_required=str(Education.NONE),
            years_experience="30", certifications="Forged",
            owner=str(other.pk), status="draft", career_title="Changed",
            **{"ratings-0-level": "4", "ratings-0-required": "0", "ratings-0-importance": "1",
               "ratings-0-skill_name": "Changed", "ratings-0-DELETE": "on"},
        )
        response = coach_client.post(change_url(assessment), data)
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors

        before = assessment
        assessment = Assessment.objects.get(pk=before.pk)
        assert assessment.review_status == "in_review"  # the one field a coach may change
        assert (assessment.readiness, assessment.technical_readiness, assessment.soft_readiness) == (
            Decimal("58.7"), Decimal("53.8"), Decimal("66.7"),
        )
        assert assessment.critical_gaps == 2
        assert (assessment.highest_education, assessment.education_required) == (Education.HIGH_SCHOOL, Education.HIGH_SCHOOL)
        assert (assessment.years_experience, assessment.certifications) == (Decimal("2.5"), "OSHA 10")
        assert (assessment.owner_id, assessment.status, assessment.career_title) == (
            before.owner_id, "submitted", "Production Associate",
        )
        rating_after = SkillRating.objects.get(pk=rating.pk)
        assert (rating_after.level, rating_after.required, rating_after.importance, rating_after.skill_name) == (
            1, Decimal("3.00"), Decimal("4.50"), "Forklift operation",
        )
        assert assessment.ratings.count() == 3

    def test_adding_a_note_records_its_author_and_time(self, coach_client, assessment):
        data = change_form_post(assessment, **{"coach_notes-0-text": "Suggested the forklift certificate."})
        response = coach_client.post(change_url(assessment), data)
        assert response.status_code == 302
        note = CoachNote.objects.get(assessment=assessment)
        assert note.author.email == "coach@example.com"
        assert note.text == "Suggested the forklift certificate."
        assert note.created_at is not None

    def test_a_forged_author_is_ignored(self, coach_client, assessment):
        other = make_user("someone@example.com", password=None)
        data = change_form_post(assessment, **{"coach_notes-0-text": "Hi", "coach_notes-0-author": str(other.pk)})
        coach_client.post(change_url(assessment), data)
        assert CoachNote.objects.get(assessment=assessment).author.email == "coach@example.com"

    # session, assessment (owner and career joined), user, two permission reads, ratings, their
    # coach ratings, notes (authors joined), and the content type the admin's history link needs.
    @pytest.mark.parametrize("skills", [3, 20])
    def test_query_count_does_not_grow_with_ratings_or_notes(self, coach_client, django_assert_num_queries, skills):
        coach = make_coach("second@example.com")
        ratings = [(f"Skill {n}", "technical" if n % 2 else "soft", 3, 3, n % 5) for n in range(skills)]
        assessment = make_submitted_assessment(seeker(password=None), make_career(), ratings)
        for n in range(skills):
            CoachNote.objects.create(assessment=assessment, author=coach, text=f"Note {n}")
        ContentType.objects.clear_cache()  # so the count does not depend on which test ran before
        with django_assert_num_queries(9):
            response = coach_client.get(change_url(assessment))
        assert len(ratings_table(response.text)) == skills
        assert response.text.count("Note ") >= skills


class TestActions:
    def run_action(self, client, action, assessments):
        return client.post(CHANGELIST, {"action": action, "_selected_action": [a.pk for a in assessments]})

    def test_mark_as_reviewed(self, coach_client, assessment):
        response = self.run_action(coach_client, "mark_reviewed", [assessment])
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.review_status == Assessment.Review.REVIEWED

    def test_csv_has_one_row_per_assessment_and_one_column_per_gap(self, coach_client, assessment):
        second = make_submitted_assessment(
            seeker("ana@example.com", password=None, first_name="Ana", last_name="Núñez"), assessment.career,
            [("Forklift operation", "technical", 4.5, 3, 3), ("Lockout/tagout", "technical", 5, 2, 0)],
            submitted_at=datetime(2026, 3, 2, 9, 30, tzinfo=dt_timezone.utc),
        )
        response = self.run_action(coach_client, "export_csv", [assessment, second])

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="assessments-')
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "Assessment", "Job seeker", "E-mail", "Career", "Status", "Submitted", "Overall readiness",
            "Technical readiness", "Soft readiness", "Critical gaps", "Review status", "Coach notes",
            "Gap: Blueprint reading", "Gap: Forklift operation", "Gap: Lockout/tagout", "Gap: Teamwork",
            "Scale: Blueprint reading", "Scale: Forklift operation", "Scale: Lockout/tagout", "Scale: Teamwork",
        ]
        assert rows[1][:4] == [str(assessment.pk), "Sam Seeker", "sam@example.com", "Production Associate"]
        assert rows[1][6:] == ["58.7", "53.8", "66.7", "2", "New", "", "0.0", "2.0", "", "1.0", "0-4", "0-4", "", "0-4"]
        # Second: forklift met; lockout gap 2, importance 5 -> critical.
        # readiness = 100 x (1 - 10 / (13.5 + 10)) = 57.4; no soft skills -> soft 100.
        assert rows[2][1:] == [
            "Ana Núñez", "ana@example.com", "Production Associate", "Submitted", "2026-03-02 09:30",
            "57.4", "57.4", "100.0", "1", "New", "", "", "0.0", "2.0", "", "", "0-4", "0-4", "",
        ]
        assert len(rows) == 3

    @pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR"])
    def test_csv_escapes_what_a_spreadsheet_would_run(self, coach_client, name):
        career = make_career(name)
        person = seeker(last_name=name, password=None)
        assessment = make_submitted_assessment(person, career, [(name, "technical", 3, 2, 1)])
        response = self.run_action(coach_client, "export_csv", [assessment])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        assert rows[0][-2:] == [f"Gap: {name}", f"Scale: {name}"]  # start with words, so they are safe as they are
        assert rows[1][3] == "'" + name  # the career
        # The name is the full name, which Django trims; what is left is escaped if it needs to be.
        trimmed = name.strip()
        assert rows[1][1] == (trimmed if trimmed[0].isalpha() else "'" + trimmed)
        assert rows[1][-2:] == ["1.0", "0-4"]

    def test_csv_leaves_ordinary_text_alone(self, coach_client, assessment):
        response = self.run_action(coach_client, "export_csv", [assessment])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][1:4] == ["Sam Seeker", "sam@example.com", "Production Associate"]

    @pytest.mark.parametrize("rows", [5, 50])
    def test_csv_export_query_count_does_not_grow(self, coach_client, django_assert_num_queries, rows):
        career = make_career()
        assessments = [make_submitted_assessment(seeker(password=None), career, RATINGS) for _ in range(rows)]
        # as before, plus the ratings' skills, the coach ratings and the coach notes (authors joined)
        with django_assert_num_queries(12):
            response = self.run_action(coach_client, "export_csv", assessments)
        assert response.content.count(b"\r\n") == rows + 1


class TestCareerSearch:
    """The careers admin searches titles, slugs, O*NET codes and alternate titles, one row per career."""

    @pytest.fixture
    def careers(self):
        from careers.models import AlternateTitle

        assemblers = make_career("Team Assemblers", onet_code="51-2092.00", source="onet")
        for title in ("Assembler", "Line Assembler", "Assembly Worker"):
            AlternateTitle.objects.create(career=assemblers, title=title)
        baristas = make_career("Baristas", onet_code="35-3023.01", source="onet")
        AlternateTitle.objects.create(career=baristas, title="Cafe Attendant")
        make_career("Welder")
        return assemblers, baristas

    def search(self, client, query):
        return [c.title for c in client.get(reverse("admin:careers_career_changelist"), {"q": query}).context["cl"].result_list]

    @pytest.mark.parametrize("query, found", [
        ("assembler", ["Team Assemblers"]),  # title and two alternate titles: listed once
        ("LINE assembler", ["Team Assemblers"]),  # every word, anywhere
        ("51-2092", ["Team Assemblers"]),
        ("café", ["Baristas"]),  # the accent typed is dropped: the catalog's titles are plain ASCII
        ('"cafe attendant"', ["Baristas"]),
        ("welder assembler", []),
    ])
    def test_finds_each_career_once(self, coach_client, careers, query, found):
        assert self.search(coach_client, query) == found

    def test_counts_skills_and_steps_per_career(self, coach_client, careers):
        from careers.models import LearningStep, Skill, SkillRequirement

        assemblers = careers[0]
        for n in range(3):
            SkillRequirement.objects.create(career=assemblers, skill=Skill.objects.create(name=f"S{n}"), importance=3, level=2)
        LearningStep.objects.create(career=assemblers, title="Course", kind="course", months_min=1, months_max=2)
        row = coach_client.get(reverse("admin:careers_career_changelist"), {"q": "team"}).context["cl"].result_list[0]
        assert (row.skill_total, row.step_total) == (3, 1)
