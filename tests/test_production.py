"""Production hardening: deploy checks, security headers, CSP and log-in throttling."""

import json
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.throttling import client_ip
from tests.appservers import production_env
from tests.factories import make_user

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct-horse-battery"


def run(args, env, timeout=60):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def production_settings(names, **env):
    """Values of some settings as a production process would load them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n, None)) for n in {names!r}}}))"
    )
    result = run(["-c", script], {**production_env(**env), "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def page_text(response):
    return " ".join(response.content.decode().split())


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


class TestDeploySettings:
    def test_check_deploy_is_clean_with_production_settings(self):
        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    @pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
    def test_production_refuses_to_start_without_required_setting(self, missing):
        result = run(["manage.py", "check"], production_env(**{missing: None}))
        assert result.returncode != 0
        assert f"{missing} must be set in the environment" in result.stderr

    def test_debug_off_alone_counts_as_production(self):
        result = run(["manage.py", "check"], production_env(DJANGO_ENV=None, DEBUG="off", SECRET_KEY=None))
        assert "SECRET_KEY must be set in the environment" in result.stderr

    def test_production_cookies_are_secure_and_http_only_behind_https_proxy(self):
        values = production_settings(
            [
                "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
                "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "X_FRAME_OPTIONS",
            ]
        )
        assert values == {
            "SESSION_COOKIE_SECURE": "True",
            "SESSION_COOKIE_HTTPONLY": "True",
            "CSRF_COOKIE_SECURE": "True",
            "CSRF_COOKIE_HTTPONLY": "True",
            "SECURE_SSL_REDIRECT": "True",
            "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
            "SECURE_HSTS_SECONDS": "31536000",
            "X_FRAME_OPTIONS": "DENY",
        }

    def test_production_redirects_http_and_sends_hsts_over_https(self):
        # A production process answering through the test client: plain HTTP is sent to HTTPS;
        # a request the proxy marks as HTTPS gets HSTS and a Secure, HttpOnly CSRF cookie.
        script = """
import django; django.setup()
from django.test import Client, override_settings
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"default": plain, "staticfiles": plain}):
    client = Client(HTTP_HOST="skillgap.example.org")
    http = client.get("/accounts/login/")
    print(http.status_code, http.headers.get("Location"))
    https = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    print(https.status_code, https.headers.get("Strict-Transport-Security"))
    cookie = https.cookies["csrftoken"]
    print(bool(cookie["secure"]), bool(cookie["httponly"]))
"""
        env = production_env(ALLOWED_HOSTS="skillgap.example.org", DJANGO_SETTINGS_MODULE="config.settings")
        result = run(["-c", script], env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "301 https://skillgap.example.org/accounts/login/",
            "200 max-age=31536000; includeSubDomains; preload",
            "True True",
        ]

    def test_ssl_redirect_can_be_switched_off_for_loopback_serving(self):
        assert production_settings(["SECURE_SSL_REDIRECT"], SECURE_SSL_REDIRECT="off") == {
            "SECURE_SSL_REDIRECT": "False"
        }

    def test_throttling_limits_come_from_the_environment(self):
        values = production_settings(
            ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME"], AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="30"
        )
        assert values == {"AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_TIME": "0:30:00"}


class TestCaches:
    def test_without_redis_each_process_has_a_memory_cache(self):
        values = production_settings(["CACHES"])
        assert "LocMemCache" in values["CACHES"]

    def test_redis_url_shares_one_cache_between_processes(self):
        redis = pytest.importorskip("redis")
        url = "redis://127.0.0.1:6379/15"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis server on 127.0.0.1:6379")
        token = secrets.token_hex(8)
        env = {**production_env(REDIS_URL=url), "DJANGO_SETTINGS_MODULE": "config.settings"}
        setup = "import django; django.setup(); from django.core.cache import cache; "
        writer = run(["-c", setup + f"cache.set('scaleout', '{token}', 30)"], env)
        assert writer.returncode == 0, writer.stderr
        reader = run(["-c", setup + "print(cache.get('scaleout'))"], env)
        assert reader.stdout.strip() == token


class TestSecurityHeaders:
    def test_pages_carry_a_csp_that_forbids_inline_script(self, client):
        response = client.get(reverse("home"))
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["img-src"] == ["'self'", "data:"]
        assert not any("unsafe" in source for sources in directives.values() for source in sources)

    def test_pages_may_not_be_framed(self, client):
        assert client.get(reverse("home")).headers["X-Frame-Options"] == "DENY"

    @pytest.mark.django_db
    def test_admin_login_works_under_the_csp(self, client):
        response = client.get(reverse("admin:login"))
        assert response.status_code == 200
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())

    def test_templates_have_no_inline_script_or_style(self):
        # The CSP blocks these in the browser; catching them here names the file.
        offenders = []
        for path in sorted((BASE_DIR / "templates").rglob("*.html")):
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style\b|\sstyle=|\son[a-z]+=", text):
                offenders.append(str(path.relative_to(BASE_DIR)))
        assert offenders == []


@pytest.mark.django_db
class TestLoginThrottling:
    def fail(self, client, url, email, times, **extra):
        return [
            client.post(url, {"username": email, "password": "wrong-password"}, **extra) for _ in range(times)
        ][-1]

    def test_lockout_after_the_failure_limit_with_a_clear_message(self, client):
        user = make_user()
        url = reverse("accounts:login")
        before = self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT - 1)
        assert before.status_code == 200  # the form again, with its error
        locked = self.fail(client, url, user.email, 1)
        assert locked.status_code == 429
        text = page_text(locked)
        assert "Too many failed log-in attempts" in text
        assert f"after {settings.AXES_FAILURE_LIMIT} wrong passwords in a row" in text
        assert "Please wait 15 minutes before you try again" in text

    def test_right_password_is_refused_while_locked_out(self, client):
        user = make_user()
        url = reverse("accounts:login")
        self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT)
        response = client.post(url, {"username": user.email, "password": PASSWORD})
        assert response.status_code == 429
        assert client.get(reverse("accounts:dashboard")).status_code == 302

    def test_lockout_is_per_username_and_address(self, client):
        user, other = make_user(), make_user()
        url = reverse("accounts:login")
        self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="198.51.100.7")
        # The same person from another address, and another person from the same address, get in.
        elsewhere = client.post(url, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
        assert elsewhere.status_code == 302
        client.logout()
        neighbour = client.post(url, {"username": other.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
        assert neighbour.status_code == 302

    def test_log_in_works_again_after_the_cool_off(self, client):
        user = make_user()
        url = reverse("accounts:login")
        self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT)
        AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
        response = client.post(url, {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert response.url == reverse("accounts:dashboard")

    def test_success_before_the_limit_resets_the_count(self, client):
        user = make_user()
        url = reverse("accounts:login")
        self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT - 1)
        assert client.post(url, {"username": user.email, "password": PASSWORD}).status_code == 302
        client.logout()
        assert self.fail(client, url, user.email, settings.AXES_FAILURE_LIMIT - 1).status_code == 200

    def test_admin_login_is_throttled_too(self, client):
        coach = make_user(is_staff=True)
        url = reverse("admin:login")
        response = self.fail(client, url, coach.email, settings.AXES_FAILURE_LIMIT)
        assert response.status_code == 429
        assert "Too many failed log-in attempts" in page_text(response)

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_failure_limit_is_configurable(self, client):
        user = make_user()
        response = self.fail(client, reverse("accounts:login"), user.email, 2)
        assert response.status_code == 429

    def test_successful_log_ins_leave_no_address_behind(self, client):
        user = make_user()
        client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
        assert AccessLog.objects.count() == 0
        assert AccessAttempt.objects.count() == 0

    def test_test_client_login_still_works(self, client):
        user = make_user()
        assert client.login(username=user.email, password=PASSWORD)
        assert client.get(reverse("accounts:dashboard")).status_code == 200


class TestClientAddress:
    def request(self, rf, forwarded=None):
        extra = {"REMOTE_ADDR": "10.0.0.2"}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.get("/", **extra)

    def test_without_proxies_the_socket_address_counts(self, rf):
        assert client_ip(self.request(rf, forwarded="203.0.113.5")) == "10.0.0.2"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_its_appended_address_counts(self, rf):
        # The client wrote 6.6.6.6 itself; the proxy appended the address it saw.
        assert client_ip(self.request(rf, forwarded="6.6.6.6, 203.0.113.5")) == "203.0.113.5"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_the_outer_ones_address_counts(self, rf):
        assert client_ip(self.request(rf, forwarded="6.6.6.6, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_missing_header_falls_back_to_the_socket_address(self, rf):
        assert client_ip(self.request(rf)) == "10.0.0.2"
