import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lathe-rivet-forklift-42"


def create_coach(*args, stdin=""):
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin)):
        call_command("create_coach", *args, stdout=out)
    return out.getvalue()


def test_password_stdin_makes_a_staff_coach_who_is_not_a_superuser():
    out = create_coach("Coach@Example.com", "--password-stdin", "--first-name", "Dana", stdin=GOOD_PASSWORD + "\n")

    coach = get_user_model().objects.get(email="coach@example.com")
    assert "Created coach coach@example.com" in out
    assert coach.is_staff and not coach.is_superuser
    assert list(coach.groups.values_list("name", flat=True)) == ["Coaches"]
    assert coach.first_name == "Dana"
    assert coach.check_password(GOOD_PASSWORD)
    assert coach.has_perm("assessments.view_assessment")


def test_prompts_for_the_password_twice():
    with mock.patch("getpass.getpass", side_effect=[GOOD_PASSWORD, GOOD_PASSWORD]) as prompt:
        create_coach("coach@example.com")

    assert prompt.call_count == 2
    assert get_user_model().objects.get(email="coach@example.com").check_password(GOOD_PASSWORD)


def test_passwords_that_differ_create_nobody():
    with mock.patch("getpass.getpass", side_effect=[GOOD_PASSWORD, GOOD_PASSWORD + "x"]):
        with pytest.raises(CommandError, match="did not match"):
            create_coach("coach@example.com")
    assert not get_user_model().objects.filter(email="coach@example.com").exists()


@pytest.mark.parametrize(
    "password, message",
    [("short1", "too short"), ("password123", "too common"), ("84712093651", "entirely numeric"), ("", "empty")],
)
def test_django_password_validators_apply(password, message):
    with pytest.raises(CommandError, match=message):
        create_coach("coach@example.com", "--password-stdin", stdin=password + "\n")
    assert not get_user_model().objects.filter(email="coach@example.com").exists()


def test_password_too_like_the_email_is_refused():
    with pytest.raises(CommandError, match="too similar"):
        create_coach("dana.coachington@example.com", "--password-stdin", stdin="dana.coachington\n")


def test_an_existing_email_is_refused_and_left_alone():
    seeker = make_user("taken@example.com")
    with pytest.raises(CommandError, match="already exists"):
        create_coach("Taken@example.com", "--password-stdin", stdin=GOOD_PASSWORD + "\n")
    seeker.refresh_from_db()
    assert not seeker.is_staff and not seeker.groups.exists()


def test_an_invalid_email_is_refused():
    with pytest.raises(CommandError, match="not a valid e-mail"):
        create_coach("not-an-email", "--password-stdin", stdin=GOOD_PASSWORD + "\n")
