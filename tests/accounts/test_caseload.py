"""Caseloads by consent: a coach's invitation, the person's confirmation, and stopping."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.caseload import accept_invitation
from accounts.models import Invitation, Sharing
from assessments.models import Assessment, CoachNote, CoachRating, ReportPdf
from tests.assessments.helpers import submitted
from tests.factories import make_career, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(quick_passwords):
    pass


@pytest.fixture
def coach():
    coach = make_user("coach@example.com", first_name="Morgan", last_name="Lee", is_staff=True)
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


@pytest.fixture
def invitation(coach):
    return Invitation.objects.create(coach=coach)


@pytest.fixture
def career():
    return make_career("Welder", requirements=[("Welding", "technical", 5, 3), ("Teamwork", "soft", 4, 2)])


class TestInvitationPage:
    def test_says_who_the_coach_is_and_what_they_will_see(self, client, invitation):
        client.force_login(make_user("pat@example.com"))
        response = client.get(invitation.get_absolute_url())
        assert response.status_code == 200
        assert "Morgan Lee" in response.text and "coach@example.com" in response.text
        assert "never your drafts" in response.text
        assert "<form method=\"post\">" in response.text

    def test_confirming_adds_the_person_to_the_caseload(self, client, invitation, coach):
        person = make_user("pat@example.com")
        client.force_login(person)
        response = client.post(invitation.get_absolute_url())
        assert response.status_code == 302 and response["Location"] == reverse("accounts:dashboard")
        assert list(Sharing.objects.values_list("person", "coach")) == [(person.pk, coach.pk)]

    def test_a_get_shares_nothing(self, client, invitation):
        client.force_login(make_user())
        client.get(invitation.get_absolute_url())
        assert not Sharing.objects.exists()

    def test_confirming_twice_shares_once(self, client, invitation):
        person = make_user()
        client.force_login(person)
        client.post(invitation.get_absolute_url())
        second = client.post(invitation.get_absolute_url())
        assert Sharing.objects.filter(person=person).count() == 1
        assert second.status_code == 200 and "You already share your assessments with" in second.text

    def test_two_tabs_at_once_share_once_by_the_constraint(self, invitation, coach):
        person = make_user()
        accept_invitation(invitation=invitation, person=person)
        sharing, created = accept_invitation(invitation=invitation, person=person)
        assert not created and Sharing.objects.count() == 1
        with pytest.raises(IntegrityError), transaction.atomic():
            Sharing.objects.create(person=person, coach=coach)

    def test_a_coach_cannot_join_their_own_caseload(self, client, invitation, coach):
        client.force_login(coach)
        assert "This is your own invitation" in client.get(invitation.get_absolute_url()).text
        response = client.post(invitation.get_absolute_url())
        assert response.status_code == 400 and not Sharing.objects.exists()

    def test_someone_not_logged_in_is_offered_sign_up_and_log_in_back_to_the_invitation(self, client, invitation):
        response = client.get(invitation.get_absolute_url())
        assert response.status_code == 200
        back = f"?next={invitation.get_absolute_url()}"
        assert reverse("accounts:signup") + back in response.text
        assert reverse("accounts:login") + back in response.text
        assert client.post(invitation.get_absolute_url()).status_code == 200  # nothing to confirm yet
        assert not Sharing.objects.exists()

    def test_the_invitation_survives_sign_up(self, client, invitation):
        url = invitation.get_absolute_url()
        response = client.post(reverse("accounts:signup"), {
            "email": "new@example.com", "first_name": "New", "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9", "next": url,
        })
        assert response["Location"] == url
        client.post(url)
        assert Sharing.objects.filter(person__email="new@example.com").exists()

    def test_the_invitation_survives_log_in(self, client, invitation):
        make_user("pat@example.com", password="correct-horse-battery")
        url = invitation.get_absolute_url()
        response = client.post(reverse("accounts:login") + f"?next={url}",
                               {"username": "pat@example.com", "password": "correct-horse-battery", "next": url})
        assert response["Location"] == url

    @pytest.mark.parametrize("token", ["made-up", "x" * 200, "%C3%A9", ".."])
    def test_a_wrong_link_is_a_clear_page(self, client, token):
        response = client.get(f"/accounts/invitation/{token}/")
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.text

    def test_an_expired_link_is_a_clear_page_and_shares_nothing(self, client, invitation):
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
        invitation.save()
        client.force_login(make_user())
        for response in (client.get(invitation.get_absolute_url()), client.post(invitation.get_absolute_url())):
            assert response.status_code == 410
            assert "This invitation has expired" in response.text
        assert not Sharing.objects.exists()

    def test_the_post_needs_the_csrf_token(self, invitation):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(make_user())
        assert client.post(invitation.get_absolute_url()).status_code == 403
        assert not Sharing.objects.exists()


class TestCreateCoach:
    def test_prints_an_invitation_link_that_works(self, client, monkeypatch):
        monkeypatch.setattr("sys.stdin", io.StringIO("a-long-pass-phrase-9\n"))
        out = io.StringIO()
        call_command("create_coach", "new-coach@example.com", "--password-stdin", "--site-url", "https://skillgap.test/",
                     stdout=out)
        link = re.search(r"https://skillgap\.test(/accounts/invitation/[\w-]+/)", out.getvalue()).group(1)
        assert Invitation.objects.get().coach.email == "new-coach@example.com"
        client.force_login(make_user())
        assert client.post(link).status_code == 302
        assert Sharing.objects.get().coach.email == "new-coach@example.com"


class TestSharingAndStopping:
    def test_the_coach_sees_submitted_assessments_only(self, coach, career):
        person = make_user()
        report = submitted(person, career)
        draft = Assessment.objects.create(owner=person, career=career)
        Sharing.objects.create(person=person, coach=coach)
        visible = set(Assessment.objects.visible_to(coach).values_list("pk", flat=True))
        assert report.pk in visible and draft.pk not in visible

    def test_the_dashboard_lists_who_the_person_shares_with(self, client, coach):
        person = make_user()
        sharing = Sharing.objects.create(person=person, coach=coach)
        client.force_login(person)
        response = client.get(reverse("accounts:dashboard"))
        assert "Morgan Lee" in response.text
        assert reverse("accounts:sharing_stop", args=[sharing.pk]) in response.text

    def test_the_dashboard_says_no_coach_when_none(self, client):
        client.force_login(make_user())
        assert "No coach: a coach sees your submitted assessments only once you accept" in client.get(
            reverse("accounts:dashboard")).text

    def test_stop_sharing_asks_and_takes_effect_at_once(self, client, coach, career):
        person = make_user()
        report = submitted(person, career)
        sharing = Sharing.objects.create(person=person, coach=coach)
        coach_client = type(client)()
        coach_client.force_login(coach)
        assert coach_client.get(reverse("assessments:report", args=[report.pk])).status_code == 200
        client.force_login(person)
        url = reverse("accounts:sharing_stop", args=[sharing.pk])
        assert "Delete the coach&#x27;s notes and ratings" in client.get(url).text
        refused = client.post(url, {})
        assert refused.status_code == 200 and "Choose whether to keep" in refused.text
        assert Sharing.objects.exists()
        assert client.post(url, {"keep": "keep"})["Location"] == reverse("accounts:dashboard")
        assert not Sharing.objects.exists()
        assert coach_client.get(reverse("assessments:report", args=[report.pk])).status_code == 404

    @pytest.mark.parametrize("keep, left", [("keep", 1), ("delete", 0)])
    def test_the_person_chooses_whether_the_coach_work_stays(self, client, coach, career, keep, left):
        person = make_user()
        report = submitted(person, career)
        sharing = Sharing.objects.create(person=person, coach=coach)
        rating = report.ratings.first()
        CoachRating.objects.create(assessment=report, rating=rating, coach=coach, coach_name="Morgan Lee", level=1,
                                   scale_max=rating.scale_max)
        CoachNote.objects.create(assessment=report, author=coach, text="Saw her on the line.")
        ReportPdf.objects.create(assessment=report, content=b"%PDF drawn with the coach rating")
        client.force_login(person)
        client.post(reverse("accounts:sharing_stop", args=[sharing.pk]), {"keep": keep})
        assert (CoachRating.objects.count(), CoachNote.objects.count(), ReportPdf.objects.count()) == (left, left, left)
        report_page = client.get(reverse("assessments:report", args=[report.pk])).text
        assert ("Your coach's ratings" in report_page) == bool(left)

    def test_only_the_person_can_stop_their_sharing(self, client, coach):
        sharing = Sharing.objects.create(person=make_user(), coach=coach)
        for who in (make_user(), coach):
            client.force_login(who)
            assert client.get(reverse("accounts:sharing_stop", args=[sharing.pk])).status_code == 404
            assert client.post(reverse("accounts:sharing_stop", args=[sharing.pk]), {"keep": "delete"}).status_code == 404
        assert Sharing.objects.exists()


def test_sign_up_says_who_can_see_your_answers(client):
    text = client.get(reverse("accounts:signup")).text
    assert "Your answers are seen by you, by a coach only once you accept their invitation" in text
