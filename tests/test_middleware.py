"""config.middleware.RequestGuardMiddleware: NUL never reaches a view or the database (PostgreSQL
refuses it in any text: run these with DATABASE_URL too), and bodies are capped before they are
read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Assessment
from careers.models import Career
from config.middleware import RequestGuardMiddleware
from tests.factories import make_career, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/accounts/user/?q=%00", "/admin/axes/accessattempt/?q=x%00", "/admin/auth/group/?q=a%00b"])
def test_nul_in_an_admin_search_is_ignored(client, path):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 200


def test_career_search_reads_the_words_around_a_nul(client):
    make_career(title="Welder")
    response = client.get("/careers/?q=We%00lder")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == list(Career.objects.filter(title="Welder"))


# A quoted cookie value may spell NUL as an octal escape, which the cookie parser turns into
# one; long enough to be looked up as a session key.
NUL_SESSION = 'sessionid="abcdefghijklmnop\\000qrstuvwxyz0123456"'


@pytest.mark.parametrize("path", ["/", "/careers/", "/accounts/login/", "/accounts/dashboard/", "/admin/"])
def test_a_nul_in_the_session_cookie_is_no_session(client, path):
    make_career(title="Welder", slug="welder")
    response = client.get(path, HTTP_COOKIE=NUL_SESSION)
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # the pages that need a log-in ask for one
        assert "login" in response["Location"]


def test_a_logged_in_visitor_whose_cookie_gains_a_nul_is_logged_out_not_failed(client):
    user = make_user()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    response = client.get("/accounts/dashboard/", HTTP_COOKIE=f'sessionid="{key}\\000"')
    assert response.status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 200  # the real cookie still works


def test_the_other_cookies_are_kept(client):
    user = make_user()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    response = client.get("/accounts/dashboard/", HTTP_COOKIE=f'sessionid={key}; junk="x\\000"')
    assert response.status_code == 200


def test_starting_a_questionnaire_with_a_nul_session_cookie_works(client):
    make_career(title="Welder", slug="welder")
    response = client.get(reverse("assessments:start", args=["welder"]), HTTP_COOKIE=NUL_SESSION)
    assert response.status_code == 302
    assert Assessment.objects.filter(owner__isnull=True).count() == 1


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER"])
def test_a_nul_in_a_header_is_a_bad_request(client, header):
    # A failed log-in stores the browser's name (django-axes): a NUL there was a server error.
    response = client.post(reverse("accounts:login"), {"username": "a@example.com", "password": "x"},
                           **{header: "evil\x00agent"})
    assert response.status_code == 400


def test_a_nul_in_the_path_is_a_bad_request(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get("/admin/auth/group/1%00/change/").status_code == 400


@pytest.mark.parametrize("form", [
    {"username": "a\x00@example.com", "password": "x"},
    {"username": "a@example.com", "password": "x", "next\x00": "/"},
])
def test_a_nul_in_a_posted_field_is_a_bad_request(client, form):
    response = client.post(reverse("accounts:login"), form)
    assert response.status_code == 400


def test_a_nul_in_a_sign_up_is_a_bad_request_and_makes_no_account(client):
    response = client.post(reverse("accounts:signup"), {
        "email": "new@example.com", "first_name": "Ann\x00", "password1": "a-long-passphrase-9",
        "password2": "a-long-passphrase-9"})
    assert response.status_code == 400
    assert not Assessment.objects.exists() and not type(make_user()).objects.filter(email="new@example.com").exists()


# -- sizes ------------------------------------------------------------------------------------


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_cap_is_refused_before_it_is_read(settings):
    request = RequestFactory().post("/assessments/1/background/", data=b"",
                                    content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(30 * 1024 * 1024)  # a 30 MB file
    request._stream = Unreadable()
    response = RequestGuardMiddleware(lambda request: HttpResponse("the view ran"))(request)
    assert response.status_code == 413


def test_a_form_over_the_cap_is_413(client, settings):
    response = client.post(reverse("accounts:login"), "x=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_questionnaire_step_refuses_a_posted_file(client, tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    career = make_career(title="Welder", slug="welder")
    step = client.get(reverse("assessments:start", args=[career.slug]))["Location"]
    draft = Assessment.objects.get()
    response = client.post(step, {"highest_education": "1", "years_experience": "2", "certifications": "OSHA 10",
                                  "cv": SimpleUploadedFile("cv.pdf", b"%PDF" + b"x" * 100_000)})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.certifications == "" and draft.current_step == "background"
    assert list(tmp_path.iterdir()) == []  # nothing written to a temporary file
