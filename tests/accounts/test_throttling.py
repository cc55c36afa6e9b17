"""Password re-entry and sign-up are throttled like log-in (config.throttling).

After AXES_FAILURE_LIMIT (5) wrong answers the page is a 429 that says so, and the right
answer is refused too until the cool-off has passed: a borrowed session cannot guess the
password behind it, and the sign-up form cannot test addresses in bulk.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.factories import make_career, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "purple-monkey-dishwasher"
DELETE = reverse("accounts:delete")
CHANGE = reverse("accounts:password_change")
ADMIN_CHANGE = reverse("admin:password_change")
SIGNUP = reverse("accounts:signup")
User = get_user_model()


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords):
    pass


@pytest.fixture
def seeker():
    return make_user("sam@example.com", password=PASSWORD, first_name="Sam")


def client_from(address, user=None):
    client = Client(REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def change_post(old):
    return {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def wait_out_the_cool_off():
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))


REENTRY = {
    "delete": (DELETE, lambda password: {"password": password}),
    "password change": (CHANGE, change_post),
    "admin password change": (ADMIN_CHANGE, change_post),
}


def still_intact(user):
    user.refresh_from_db()
    return user.check_password(PASSWORD)


@pytest.mark.parametrize("page", REENTRY)
def test_the_right_password_is_refused_after_five_wrong_ones(page):
    url, form = REENTRY[page]
    user = make_user("coach@example.com", password=PASSWORD, is_staff=True)  # the admin's page is for staff
    client = client_from("10.0.0.1", user)
    for attempt in range(1, 5):
        response = client.post(url, form(f"guess-{attempt}"))
        assert response.status_code == 200, attempt  # the form again, with its error
    response = client.post(url, form("guess-5"))
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.text
    assert "15 minutes" in response.text

    response = client.post(url, form(PASSWORD))
    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists() and still_intact(user)

    wait_out_the_cool_off()
    response = client.post(url, form(PASSWORD))
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk, password=user.password).exists()  # deleted, or a new password


def test_guesses_count_per_account_whatever_address_they_come_from(seeker):
    for attempt in range(5):
        client_from(f"10.0.1.{attempt}", seeker).post(DELETE, {"password": f"guess-{attempt}"})
    response = client_from("10.0.2.1", seeker).post(DELETE, {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=seeker.pk).exists()


def test_delete_and_password_change_share_one_count(seeker):
    client = client_from("10.0.0.1", seeker)
    for attempt in range(3):
        client.post(DELETE, {"password": f"guess-{attempt}"})
    client.post(CHANGE, change_post("guess-3"))
    assert client.post(CHANGE, change_post("guess-4")).status_code == 429
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 429
    assert still_intact(seeker)


def test_the_right_password_clears_the_count(seeker):
    client = client_from("10.0.0.1", seeker)
    for attempt in range(4):
        client.post(CHANGE, change_post(f"guess-{attempt}"))
    assert client.post(CHANGE, change_post(PASSWORD)).status_code == 302
    for attempt in range(4):  # four more wrong ones are not yet five
        assert client.post(CHANGE, {"old_password": f"again-{attempt}", "new_password1": PASSWORD,
                                    "new_password2": PASSWORD}).status_code == 200


def test_failed_log_ins_by_others_do_not_pause_the_account_holders_own_check(seeker):
    for attempt in range(6):
        client_from(f"10.0.3.{attempt}").post(reverse("accounts:login"),
                                              {"username": seeker.email, "password": f"guess-{attempt}"})
    response = client_from("10.0.0.1", seeker).post(CHANGE, change_post(PASSWORD))
    assert response.status_code == 302


def test_a_log_in_named_like_the_throttles_own_records_counts_as_a_log_in_only(seeker):
    for attempt in range(6):
        client_from("10.0.3.1").post(reverse("accounts:login"),
                                     {"username": f" password re-entry #{seeker.pk}", "password": "x"})
        client_from("10.0.3.1").post(reverse("admin:login"), {"username": " sign-up", "password": "x"})
    assert client_from("10.0.0.1", seeker).post(CHANGE, change_post(PASSWORD)).status_code == 302
    assert sign_up(client_from("10.0.3.1"), "ann@example.com").status_code == 302


def test_no_password_is_kept_in_the_throttles_records(seeker):
    client = client_from("10.0.0.1", seeker)
    client.post(CHANGE, change_post("my-secret-guess"))
    client.post(DELETE, {"password": "other-secret-guess"})
    client_from("10.0.0.2").post(SIGNUP, {"email": "x@example.com", "password1": "sign-up-secret",
                                          "password2": "sign-up-secre"})
    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    for secret in ("my-secret-guess", NEW_PASSWORD, "other-secret-guess", "sign-up-secret"):
        assert secret not in kept


# -- sign-up ----------------------------------------------------------------------------------


def sign_up(client, email, password=PASSWORD, confirm=None):
    return client.post(SIGNUP, {"email": email, "first_name": "Ann", "password1": password,
                                "password2": confirm or password})


def test_one_client_cannot_test_addresses_in_bulk(seeker):
    client = client_from("10.0.0.9")
    make_user("known@example.com")
    for number in range(4):
        response = sign_up(client, f"person{number}@example.com", confirm="mismatch")
        assert response.status_code == 200
    assert sign_up(client, "sam@example.com").status_code == 429  # the fifth failure
    # Past the limit the form answers nothing about any address, and makes no account.
    for email in ("known@example.com", "new.person@example.com", " SAM@EXAMPLE.COM "):
        response = sign_up(client, email)
        assert response.status_code == 429
        assert "already exists" not in response.text
        assert "Too many sign-up attempts" in response.text
    assert not User.objects.filter(email="new.person@example.com").exists()
    # Another client is not held up by this one.
    assert sign_up(client_from("10.0.0.10"), "new.person@example.com").status_code == 302


def test_failed_log_ins_from_a_client_do_not_pause_its_sign_ups(seeker):
    client = client_from("10.0.0.9")
    for attempt in range(6):
        client.post(reverse("accounts:login"), {"username": f"someone{attempt}@example.com", "password": "x"})
    assert sign_up(client, "ann@example.com").status_code == 302


def test_one_address_cannot_be_tested_from_many_clients(seeker):
    for number in range(4):
        assert "already exists" in sign_up(client_from(f"10.0.4.{number}"), "SAM@example.com ").text
    assert sign_up(client_from("10.0.4.4"), "Sam@Example.com").status_code == 429  # the fifth
    response = sign_up(client_from("10.0.5.1"), "sam@example.com")
    assert response.status_code == 429
    assert "already exists" not in response.text
    wait_out_the_cool_off()
    assert "already exists" in sign_up(client_from("10.0.5.1"), "sam@example.com").text


def test_the_sign_up_limit_waits_out_its_cool_off():
    client = client_from("10.0.0.9")
    for number in range(5):
        sign_up(client, f"person{number}@example.com", confirm="mismatch")
    assert sign_up(client, "ann@example.com").status_code == 429
    wait_out_the_cool_off()
    assert sign_up(client, "ann@example.com").status_code == 302
    assert User.objects.filter(email="ann@example.com").exists()


def test_a_sign_up_after_failures_does_not_clear_the_count_for_others():
    client = client_from("10.0.0.9")
    for number in range(4):
        sign_up(client, f"person{number}@example.com", confirm="mismatch")
    assert sign_up(client, "ann@example.com").status_code == 302  # logged in as Ann now
    client.post(reverse("accounts:logout"))
    assert sign_up(client, "bob@example.com", confirm="mismatch").status_code == 429  # the fifth failure


def test_signing_up_still_brings_the_anonymous_draft_along():
    career = make_career("Welder", slug="welder")
    client = client_from("10.0.0.9")
    draft_url = client.get(reverse("assessments:start", args=[career.slug]))["Location"]
    draft = Assessment.objects.get(owner__isnull=True)
    assert sign_up(client, "ann@example.com").status_code == 302
    draft.refresh_from_db()
    assert draft.owner == User.objects.get(email="ann@example.com")
    assert client.get(draft_url).status_code == 200
