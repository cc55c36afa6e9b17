"""A result before sign-up: an anonymous visitor submits and reads their report at once, kept with
their session and visible to no one else, and signing up or logging in makes it their account's."""

import re
import threading

import pytest
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Sharing
from assessments import pdf, questionnaire
from assessments.models import Assessment, ReportPdf
from careers.models import Skill
from tests.factories import make_career, make_coach, make_skill, make_user

from .helpers import add_step, answer_everything, pdf_text, step_url, submitted

pytestmark = pytest.mark.django_db
KINDS = ("report", "report_json", "report_pdf", "matches")
KEEP = "Create an account to keep this report and track your progress"
PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords):
    """Sign-ups and log-ins under the real hasher would take seconds each."""


@pytest.fixture
def career():
    forklift = make_skill("Forklift operation")
    blueprints = make_skill("Blueprint reading", kind=Skill.Kind.KNOWLEDGE)
    teamwork = make_skill("Teamwork", kind=Skill.Kind.SOFT)
    career = make_career("Line Worker", slug="line-worker", education_required=1, requirements=[
        (forklift, "technical", 5, 3), (blueprints, "knowledge", 3, 2), (teamwork, "soft", 4, 3),
    ])
    add_step(career, "Forklift licence", [forklift], cost=(150, 400), months=(0.25, 0.5))
    # Shares three skills with the line worker, so it is among the matches.
    make_career("Loader", slug="loader", requirements=[
        (forklift, "technical", 4, 2), (blueprints, "knowledge", 3, 2), (teamwork, "soft", 3, 2),
        ("Loading plans", "technical", 2, 1),
    ])
    return career


def url(kind, assessment):
    return reverse(f"assessments:{kind}", args=[assessment.pk])


def figure(html, name):
    return float(re.search(rf'data-figure="{name}">([\d.]+)', html).group(1))


def anonymous_result(client, career, level=2):
    """Start, answer every step and submit through the pages, without an account."""
    client.get(reverse("assessments:start", args=[career.slug]))
    draft = Assessment.objects.filter(owner__isnull=True, career=career).latest("pk")
    answer_everything(client, draft, level=level)
    response = client.post(step_url(draft, "review"))
    assert response["Location"] == url("report", draft)
    return Assessment.objects.get(pk=draft.pk)


def sign_up(client, email, next_url, first_name="Rosalind"):
    return client.post(reverse("accounts:signup"), {
        "email": email, "first_name": first_name,
        "password1": PASSWORD, "password2": PASSWORD, "next": next_url,
    })


def session_holding(value):
    """A session that carries an anonymous visitor's value, as a second tab's request loads it."""
    session = SessionStore()
    session[questionnaire.SESSION_VISITOR] = value
    session.save()
    return session


# The journey


def test_an_anonymous_visitor_reaches_a_report_then_signs_up_and_finds_it_on_the_dashboard(client, career):
    result = anonymous_result(client, career, level=2)
    assert result.is_submitted and result.owner is None and result.visitor

    page = client.get(url("report", result))
    assert page.status_code == 200
    html = page.content.decode()
    data = client.get(url("report_json", result)).json()
    assert figure(html, "readiness") == data["readiness"] == float(result.readiness)
    assert figure(html, "technical") == data["technical"] and figure(html, "soft") == data["soft"]
    assert {skill["skill"]: skill["self"] for skill in data["skills"]} == {
        "Forklift operation": 2, "Blueprint reading": 2, "Teamwork": 2,
    }
    # An account keeps it: sign up and log in come back here. Nothing needing one is offered,
    # and no owner is named.
    assert KEEP in html
    report_path = url("report", result)
    assert f'{reverse("accounts:signup")}?next={report_path}' in html
    assert f'{reverse("accounts:login")}?next={report_path}' in html
    assert "Retake this assessment" not in html and "Delete this assessment" not in html
    assert not re.search(r"Submitted [^<]* by ", html)
    anonymous_pdf = client.get(url("report_pdf", result))
    assert anonymous_pdf.status_code == 200 and anonymous_pdf.content.startswith(b"%PDF")
    assert ReportPdf.objects.filter(assessment=result).exists()

    response = sign_up(client, "robin@example.com", url("report", result))
    assert response.status_code == 302 and response["Location"] == url("report", result)
    result.refresh_from_db()
    assert result.owner.email == "robin@example.com" and result.visitor == ""

    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your assessments from before you logged in are now kept in your account." in dashboard
    assert "Line Worker" in dashboard and url("report", result) in dashboard
    html = client.get(url("report", result)).content.decode()
    assert KEEP not in html and "Retake this assessment" in html
    # The stored report holds no name; the page and a newly drawn PDF name the new owner.
    assert re.search(r'Submitted [^<]* by <bdi class="sg-user-text">Rosalind</bdi>', html)
    assert "Rosalind" not in str(result.report) and "robin@example.com" not in str(result.report)
    text, _ = pdf_text(client.get(url("report_pdf", result)).content)
    assert "Rosalind" in text
    assert client.get(url("report_json", result)).json()["readiness"] == data["readiness"]


def test_logging_in_keeps_the_anonymous_result(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    result = anonymous_result(client, career)
    response = client.post(reverse("accounts:login"), {
        "username": "sam@example.com", "password": PASSWORD, "next": url("report", result),
    })
    assert response["Location"] == url("report", result)
    result.refresh_from_db()
    assert result.owner == user and result.visitor == ""
    assert client.get(url("report", result)).status_code == 200
    # The account's actions work on it now: a retake starts from its answers.
    response = client.post(url("retake", result))
    retake = Assessment.objects.drafts().get(previous=result)
    assert response["Location"] == step_url(retake, "background") and retake.owner == user


def test_the_review_submits_without_an_account_and_the_step_pages_then_lead_to_the_report(client, career):
    result = anonymous_result(client, career)
    response = client.get(step_url(result, "technical"))
    assert response["Location"] == url("report", result)


# Nobody else sees it


@pytest.mark.parametrize("kind", KINDS)
def test_another_session_gets_404(client, career, kind):
    result = anonymous_result(client, career)
    assert client.get(url(kind, result)).status_code == 200
    fresh = Client()
    assert fresh.get(url(kind, result)).status_code == 404
    # Nor another anonymous visitor with drafts and a result of their own.
    stranger = Client()
    anonymous_result(stranger, career)
    assert stranger.get(url(kind, result)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_no_account_opens_it(client, career, kind):
    result = anonymous_result(client, career)
    for user in (make_user(), make_coach(), make_user(is_staff=True, is_superuser=True)):
        other = Client()
        other.force_login(user)
        assert other.get(url(kind, result)).status_code == 404, user


def test_an_anonymous_visitor_is_still_sent_to_log_in_for_an_accounts_report(client, career):
    result = anonymous_result(client, career)
    owned = submitted(make_user(), career)
    for kind in KINDS:
        response = client.get(url(kind, owned))
        assert response.status_code == 302, kind
        assert response["Location"] == f"{reverse('accounts:login')}?next={url(kind, owned)}"
    assert client.get(url("report", result)).status_code == 200


def test_actions_that_need_an_account_ask_for_one(client, career):
    result = anonymous_result(client, career)
    matches = client.get(url("matches", result))
    html = matches.content.decode()
    assert matches.status_code == 200 and 'data-career="loader"' in html
    assert "missing question" not in html and "Get the full report with these answers" not in html
    assert f'{reverse("accounts:signup")}?next={url("matches", result)}' in html
    for response in (client.post(url("matches", result), {"career": "loader"}), client.post(url("retake", result)),
                     client.post(url("delete", result))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert Assessment.objects.filter(pk=result.pk).exists()
    assert not Assessment.objects.filter(career__slug="loader").exists()
    # Once signed up, the same button starts the loader from these answers.
    sign_up(client, "new@example.com", url("matches", result))
    response = client.post(url("matches", result), {"career": "loader"})
    draft = Assessment.objects.get(career__slug="loader")
    assert response["Location"].startswith(f"/assessments/{draft.pk}/") and draft.owner.email == "new@example.com"


def test_coaches_do_not_see_an_unclaimed_result_in_the_admin(client, career):
    result = anonymous_result(Client(), career)
    owned = submitted(make_user(), career)
    coach = make_coach()
    Sharing.objects.create(person=owned.owner, coach=coach)  # in the coach's caseload
    client.force_login(coach)
    changelist = client.get(reverse("admin:assessments_assessment_changelist"))
    shown = {row.pk for row in changelist.context["cl"].result_list}
    assert owned.pk in shown and result.pk not in shown
    assert client.get(reverse("admin:assessments_assessment_change", args=[result.pk])).status_code == 404
    cohort = client.get(reverse("admin:assessments_assessment_cohort"), {"career": career.pk})
    assert cohort.context["cohort"].size == 1  # the account's assessment only
    assert client.get(url("report", result)).status_code == 404


def test_a_claimed_result_is_the_coaches_to_see_like_any_other(client, career):
    visitor = Client()
    result = anonymous_result(visitor, career)
    sign_up(visitor, "claimed@example.com", "")
    coach = make_coach()
    Sharing.objects.create(person=Assessment.objects.get(pk=result.pk).owner, coach=coach)  # they accept an invitation
    client.force_login(coach)
    assert client.get(url("report", result)).status_code == 200
    assert client.get(reverse("admin:assessments_assessment_change", args=[result.pk])).status_code == 200


# Claiming


def test_claiming_is_conditional_on_having_no_owner(career):
    """The update takes only rows without an owner, so a claim arriving second changes nothing."""
    first, second = make_user(), make_user()
    value = "a" * 64
    result = submitted(None, career, visitor=value)
    assert questionnaire.claim_drafts(user=first, session=session_holding(value)) == 1
    # A second tab's request had loaded the session before the first log-in cleared the value.
    assert questionnaire.claim_drafts(user=second, session=session_holding(value)) == 0
    result.refresh_from_db()
    assert result.owner == first
    # Even a row that somehow still carried the visitor value keeps its owner.
    Assessment.objects.filter(pk=result.pk).update(visitor=value)
    assert questionnaire.claim_drafts(user=second, session=session_holding(value)) == 0
    result.refresh_from_db()
    assert result.owner == first


# serialized_rollback: put back the migrated rows (groups, content types) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none to test")
def test_two_claims_at_once_give_one_owner(career):
    """Two log-ins at the same moment, each with its own database connection, both holding the
    visitor value (as two tabs of one browser would): one claims the result, the other nothing."""
    value = "c" * 64
    result = submitted(None, career, visitor=value)
    users = [make_user(), make_user()]
    sessions = [session_holding(value), session_holding(value)]
    barrier = threading.Barrier(len(users))
    claimed, errors = {}, []

    def claim(index):
        try:
            barrier.wait(timeout=10)
            claimed[users[index]] = questionnaire.claim_drafts(user=users[index], session=sessions[index])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(index,)) for index in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(claimed.values()) == [0, 1]
    result.refresh_from_db()
    assert claimed[result.owner] == 1 and result.visitor == ""


def test_two_log_ins_in_sequence_give_one_owner(client, career):
    """Two tabs of one browser, both holding the anonymous session, log in to two accounts."""
    first, second = make_user("first@example.com", password=PASSWORD), make_user("second@example.com", password=PASSWORD)
    result = anonymous_result(client, career)
    value = client.session[questionnaire.SESSION_VISITOR]
    other_tab = session_holding(value)  # what the second tab loaded before the first logged in
    client.post(reverse("accounts:login"), {"username": "first@example.com", "password": PASSWORD})
    request = RequestFactory().post(reverse("accounts:login"))
    request.session = other_tab
    user_logged_in.send(sender=type(second), request=request, user=second)
    result.refresh_from_db()
    assert result.owner == first
    assert not Assessment.objects.filter(owner=second).exists()
    # The second tab, reloaded, is logged in as the second account and finds nothing of the first's.
    tab = Client()
    tab.post(reverse("accounts:login"), {"username": "second@example.com", "password": PASSWORD})
    assert tab.get(url("report", result)).status_code == 404
    assert client.get(url("report", result)).status_code == 200


def test_claiming_drops_the_nameless_pdf(client, career):
    result = anonymous_result(client, career)
    client.get(url("report_pdf", result))
    assert ReportPdf.objects.filter(assessment=result).exists()
    sign_up(client, "pdf@example.com", "")
    assert not ReportPdf.objects.filter(assessment=result).exists()


# The PDF limiter


def test_an_anonymous_visitors_pdf_slot_is_named_by_their_visitor_value(client, career, settings):
    settings.PDF_RENDERS_AT_ONCE = 3
    result = anonymous_result(client, career)
    value = client.session[questionnaire.SESSION_VISITOR]
    with pdf.render_slot(f"visitor:{client.session.session_key}"):  # never the session key
        with pdf.render_slot(f"visitor:{'b' * 64}"):  # another visitor's draw
            assert client.get(url("report_pdf", result)).status_code == 200
    ReportPdf.objects.all().delete()
    with pdf.render_slot(f"visitor:{value}"):  # this visitor's own draw is still running
        response = client.get(url("report_pdf", result))
    assert response.status_code == 429 and "Your PDF is being prepared" in response.content.decode()


@pytest.mark.parametrize("kind", ("report", "report_json"))
def test_an_anonymous_report_costs_two_queries(client, career, kind, django_assert_num_queries):
    result = anonymous_result(client, career)
    with django_assert_num_queries(2):  # the session, and the assessment (no user to load)
        assert client.get(url(kind, result)).status_code == 200
