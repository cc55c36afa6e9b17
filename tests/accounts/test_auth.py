import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tests.factories import make_user

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "purple-monkey-dishwasher"


def logged_in_user(client):
    return client.session.get("_auth_user_id")


class SignUpTests(TestCase):
    url = reverse("accounts:signup")

    def sign_up(self, email="Ann@Example.com", password=PASSWORD, confirm=None, **extra):
        return self.client.post(self.url, {
            "email": email, "first_name": "Ann", "password1": password, "password2": confirm or password, **extra,
        })

    def test_page_has_labelled_fields(self):
        response = self.client.get(self.url)
        for field in ["email", "password1", "password2"]:
            self.assertContains(response, f'for="id_{field}"')

    def test_sign_up_logs_in_and_opens_the_dashboard(self):
        response = self.sign_up()
        self.assertRedirects(response, reverse("accounts:dashboard"), fetch_redirect_response=False)
        user = get_user_model().objects.get()
        self.assertEqual((user.email, user.username, user.first_name), ("ann@example.com", "ann@example.com", "Ann"))
        self.assertEqual(logged_in_user(self.client), str(user.pk))
        self.assertTrue(user.check_password(PASSWORD))

    def test_sign_up_returns_to_a_safe_next_page(self):
        response = self.sign_up(next="/careers/production-associate/")
        self.assertRedirects(response, "/careers/production-associate/", fetch_redirect_response=False)

    def test_sign_up_ignores_an_outside_next_page(self):
        response = self.sign_up(next="https://evil.example/")
        self.assertRedirects(response, reverse("accounts:dashboard"), fetch_redirect_response=False)

    def test_an_email_can_only_sign_up_once_whatever_its_case(self):
        make_user(email="ann@example.com")
        response = self.sign_up(email="ANN@example.com")
        self.assertContains(response, "already exists")
        self.assertEqual(get_user_model().objects.count(), 1)

    def test_weak_or_mismatched_passwords_are_refused(self):
        self.assertContains(self.sign_up(password="12345678"), "This password is too common")
        self.assertContains(self.sign_up(password=PASSWORD, confirm=NEW_PASSWORD), "didn’t match")
        self.assertFalse(get_user_model().objects.exists())

    def test_errors_are_tied_to_their_field(self):
        response = self.sign_up(email="not-an-email")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertContains(response, 'aria-describedby="id_email_error"')
        self.assertContains(response, '<div id="id_email_error"')

    def test_an_address_too_long_for_a_username_is_refused_not_a_crash(self):
        # The e-mail address becomes the username, which holds 150 characters.
        email = "a" * 140 + "@example.com"
        response = self.sign_up(email=email)
        self.assertContains(response, "at most 150 characters")
        self.assertFalse(get_user_model().objects.exists())


class LogInOutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user(email="bob@example.com")

    def log_in(self, email="bob@example.com", password=PASSWORD, **extra):
        return self.client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})

    def test_log_in_with_email_in_any_case(self):
        response = self.log_in(email="  Bob@Example.COM ")
        self.assertRedirects(response, reverse("accounts:dashboard"), fetch_redirect_response=False)
        self.assertEqual(logged_in_user(self.client), str(self.user.pk))

    def test_log_in_returns_to_the_page_asked_for(self):
        response = self.log_in(next="/careers/")
        self.assertRedirects(response, "/careers/", fetch_redirect_response=False)

    def test_wrong_password_is_refused_without_saying_which_part_was_wrong(self):
        response = self.log_in(password="wrong-password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter a correct e-mail address and password")
        self.assertIsNone(logged_in_user(self.client))

    def test_dashboard_asks_to_log_in_first(self):
        response = self.client.get(reverse("accounts:dashboard"))
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={reverse('accounts:dashboard')}",
                             fetch_redirect_response=False)

    def test_log_out_is_a_post_and_ends_the_session(self):
        self.client.force_login(self.user)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.assertIsNotNone(logged_in_user(self.client))
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertIsNone(logged_in_user(self.client))

    def test_pages_show_log_out_as_a_form_button(self):
        self.client.force_login(self.user)
        response = self.client.get(reverse("home"))
        self.assertContains(response, f'action="{reverse("accounts:logout")}"')
        self.assertContains(response, "Log out</button>")


class PasswordChangeTests(TestCase):
    def setUp(self):
        self.user = make_user()
        self.client.force_login(self.user)

    def test_change_keeps_you_logged_in_with_the_new_password(self):
        response = self.client.post(reverse("accounts:password_change"), {
            "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
        })
        self.assertRedirects(response, reverse("accounts:password_change_done"))
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertEqual(logged_in_user(self.client), str(self.user.pk))

    def test_wrong_old_password_changes_nothing(self):
        response = self.client.post(reverse("accounts:password_change"), {
            "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
        })
        self.assertContains(response, "Your old password was entered incorrectly")
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(PASSWORD))

    def test_needs_a_log_in(self):
        self.client.logout()
        self.assertEqual(self.client.get(reverse("accounts:password_change")).status_code, 302)


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user(email="cara@example.com")

    def request_reset(self, email):
        return self.client.post(reverse("accounts:password_reset"), {"email": email})

    def test_reset_by_e_mail_link(self):
        response = self.request_reset("cara@example.com")
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["cara@example.com"])
        self.assertIn("Skillgap", message.body)
        link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, "Choose a new password")
        self.assertNotContains(form_page, "expired")
        done = self.client.post(form_page.redirect_chain[-1][0],
                                {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))

        # The link works once.
        self.assertContains(self.client.get(link, follow=True), "expired")

    def test_unknown_address_looks_the_same_and_sends_nothing(self):
        response = self.request_reset("nobody@example.com")
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(mail.outbox, [])

    def test_a_made_up_link_is_refused(self):
        response = self.client.get(
            reverse("accounts:password_reset_confirm", args=["MQ", "set-password-abc"]), follow=True
        )
        self.assertContains(response, "expired")


@pytest.mark.django_db
def test_a_wrong_password_is_announced_as_an_alert(client):
    make_user(email="alert@example.com")
    response = client.post(reverse("accounts:login"), {"username": "alert@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
