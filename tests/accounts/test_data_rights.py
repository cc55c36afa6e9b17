import json
from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.urls import reverse

from accounts.data import delete_account
from assessments.models import Assessment, CoachNote, SkillRating
from careers.models import Education
from tests.factories import make_career, make_submitted_assessment, make_user

pytestmark = pytest.mark.django_db

DATA = reverse("accounts:data_export")
DELETE = reverse("accounts:delete")
PASSWORD = "correct-horse-battery"

# Importance 4.5, required 3, level 1: gap 2, critical. Readiness: technical 100 x (1 - 9/13.5) = 33.3,
# soft (importance 2, required 2, level 2) 100; overall 100 x (1 - 9/17.5) = 48.6.
RATINGS = [("Forklift operation", "technical", 4.5, 3, 1), ("Teamwork", "soft", 2, 2, 2)]


@pytest.fixture
def seeker():
    return make_user("sam@example.com", password=PASSWORD, first_name="Sam", last_name="Seeker")


@pytest.fixture
def assessment(seeker):
    assessment = make_submitted_assessment(
        seeker, make_career("Production Associate"), RATINGS,
        submitted_at=datetime(2026, 3, 2, 9, 30, tzinfo=dt_timezone.utc),
        highest_education=Education.HIGH_SCHOOL, certifications="OSHA 10",
    )
    coach = make_user("coach@example.com", password=None, is_staff=True)
    CoachNote.objects.create(assessment=assessment, author=coach, text="PRIVATE: unsure about their forklift claim")
    return assessment


class TestDataExport:
    def test_needs_a_log_in(self, client):
        response = client.get(DATA)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_is_a_json_download_of_the_profile_assessments_and_ratings(self, client, seeker, assessment):
        make_submitted_assessment(make_user(password=None), assessment.career, RATINGS)  # someone else's
        client.force_login(seeker)

        response = client.get(DATA)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"].startswith('attachment; filename="skillgap-my-data-')
        data = json.loads(response.content)
        assert data["profile"]["email"] == "sam@example.com"
        assert (data["profile"]["first_name"], data["profile"]["last_name"]) == ("Sam", "Seeker")
        assert len(data["assessments"]) == 1
        exported = data["assessments"][0]
        assert exported["id"] == assessment.pk
        assert exported["career"] == "Production Associate"
        assert exported["submitted_at"] == "2026-03-02T09:30:00+00:00"
        assert exported["background"] == {
            "highest_education": "High school diploma or GED", "years_experience": None, "certifications": "OSHA 10",
        }
        assert exported["readiness"] == {"overall": 48.6, "technical": 33.3, "soft": 100.0, "critical_gaps": 1}
        assert sorted(exported["ratings"], key=lambda r: r["skill"]) == [
            {"skill": "Forklift operation", "kind": "technical", "your_level": 1, "required_level": 3.0,
             "importance": 4.5, "gap": 2.0},
            {"skill": "Teamwork", "kind": "soft", "your_level": 2, "required_level": 2.0, "importance": 2.0, "gap": 0.0},
        ]

    def test_leaves_out_coach_notes(self, client, seeker, assessment):
        client.force_login(seeker)
        content = client.get(DATA).content.decode()
        assert "PRIVATE" not in content
        assert "note" not in content.lower()
        assert "review_status" not in content

    def test_holds_the_coaches_shared_with_and_their_ratings(self, client, seeker, assessment):
        from accounts.models import Sharing
        from assessments.models import CoachRating

        coach = make_user("morgan@example.com", first_name="Morgan", is_staff=True)
        Sharing.objects.create(person=seeker, coach=coach)
        rating = assessment.ratings.get(skill_name="Teamwork")
        CoachRating.objects.create(assessment=assessment, rating=rating, coach=coach, coach_name="Morgan", level=1,
                                   scale_max=4, reason="Quiet in the team meeting")
        client.force_login(seeker)
        data = json.loads(client.get(DATA).content)
        assert [(s["coach"], s["email"]) for s in data["shared_with"]] == [("Morgan", "morgan@example.com")]
        [exported] = data["assessments"][0]["coach_ratings"]
        assert (exported["skill"], exported["coach_level"], exported["scale_max"], exported["reason"]) == (
            "Teamwork", 1, 4, "Quiet in the team meeting")

    # session, user, assessments with careers, ratings, the ratings' skills, coach ratings with
    # their ratings, and the coaches shared with.
    @pytest.mark.parametrize("count", [1, 8])
    def test_query_count_does_not_grow(self, client, seeker, django_assert_num_queries, count):
        for _ in range(count):
            make_submitted_assessment(seeker, make_career(), RATINGS)
        client.force_login(seeker)
        with django_assert_num_queries(7):
            response = client.get(DATA)
        assert len(json.loads(response.content)["assessments"]) == count


class TestAccountDeletion:
    def test_needs_a_log_in(self, client):
        assert client.get(DELETE)["Location"].startswith(reverse("accounts:login"))

    def test_confirmation_page_says_what_goes(self, client, seeker, assessment):
        client.force_login(seeker)
        response = client.get(DELETE)
        assert response.status_code == 200
        assert "your 1 assessment with all its ratings" in response.text
        assert 'type="password"' in response.text and 'autocomplete="current-password"' in response.text
        assert get_user_model().objects.filter(pk=seeker.pk).exists()  # a GET deletes nothing

    def test_a_wrong_password_keeps_everything(self, client, seeker, assessment):
        client.force_login(seeker)
        response = client.post(DELETE, {"password": "not-my-password"})
        assert response.status_code == 200
        assert "That is not your password. Nothing has been deleted." in response.text
        assert 'aria-describedby="id_password_error"' in response.text and 'id="id_password_error"' in response.text
        assert get_user_model().objects.filter(pk=seeker.pk).exists()
        assert Assessment.objects.filter(pk=assessment.pk).exists()
        assert SkillRating.objects.filter(assessment=assessment).count() == 2
        assert client.get(reverse("accounts:dashboard")).status_code == 200  # still logged in

    def test_the_right_password_deletes_the_user_assessments_and_ratings(self, client, seeker, assessment):
        others = make_submitted_assessment(make_user(password=None), assessment.career, RATINGS)
        client.force_login(seeker)

        response = client.post(DELETE, {"password": PASSWORD}, follow=True)

        assert response.redirect_chain == [(reverse("home"), 302)]
        assert "Your account, your assessments and your ratings have been deleted." in response.text
        assert not get_user_model().objects.filter(pk=seeker.pk).exists()
        assert not Assessment.objects.filter(pk=assessment.pk).exists()
        assert not SkillRating.objects.filter(assessment_id=assessment.pk).exists()
        assert not CoachNote.objects.filter(assessment_id=assessment.pk).exists()
        # Logged out, and nobody else's data touched.
        assert client.get(reverse("accounts:dashboard")).status_code == 302
        assert SkillRating.objects.filter(assessment=others).count() == 2

    def test_a_failure_part_way_deletes_nothing(self, seeker, assessment):
        def fail(sender, instance, **kwargs):
            raise RuntimeError("disk full")

        pre_delete.connect(fail, sender=Assessment)
        try:
            with pytest.raises(RuntimeError):
                delete_account(user=seeker)
        finally:
            pre_delete.disconnect(fail, sender=Assessment)

        assert get_user_model().objects.filter(pk=seeker.pk).exists()
        assert Assessment.objects.filter(pk=assessment.pk).exists()
        assert SkillRating.objects.filter(assessment=assessment).count() == 2
