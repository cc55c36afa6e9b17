"""After an account is deleted, no row anywhere names the person.

The person uses Skillgap the way people do: signs up, fails a log-in and a password check,
submits two assessments, views the report, its JSON and its PDF, deletes one assessment; a
coach reviews the other and writes a note, an administrator edits the account, and the admin
log keeps an entry written before assessments stopped naming their owner. Then every text
column of every table (found through the database's own introspection, so a table added
later is searched too) and every stored session is searched for the e-mail address and the
names. Before the deletion the search must find them (else it searches nothing); after it,
nowhere.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Sharing
from assessments.models import Assessment, CoachNote
from tests.assessments.helpers import submitted
from tests.factories import make_career, make_user

pytestmark = pytest.mark.django_db

EMAIL = "dagny.deleteme@example.com"
FIRST, LAST = "Dagny", "Deleteme"
PASSWORD = "a-long-passphrase-9"
TEXT_FIELDS = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the failure log too, so its rows are searched


def text_columns():
    """(table, column) for every text column of every table in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                if connection.introspection.get_field_type(column.type_code, column) in TEXT_FIELDS:
                    yield table, column.name


def rows_naming(*needles):
    """Where the needles are: "table.column" for each text column holding one, and each
    session whose data holds one (session data is signed and encoded, so it is decoded)."""
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.add(f"{table}.{column}")
    for session in Session.objects.all():
        decoded = repr(session.get_decoded()).lower()
        found |= {f"session {session.pk[:6]}…" for needle in needles if needle.lower() in decoded}
    return found


def test_the_search_reads_every_table():
    tables = {table for table, _ in text_columns()}
    for model in (get_user_model(), Assessment, CoachNote, LogEntry, AccessAttempt, AccessFailureLog, AccessLog,
                  Session):
        assert model._meta.db_table in tables


def test_deleting_an_account_leaves_no_row_that_names_the_person():
    welder = make_career("Welder", slug="welder", requirements=[("Welding", "technical", 5, 3)])
    fitter = make_career("Pipe fitter", slug="pipe-fitter", requirements=[("Welding", "technical", 4, 2)])
    coach = make_user("coach@example.com", is_staff=True, first_name="Cass", last_name="Coach")
    coach.groups.add(Group.objects.get(name="Coaches"))
    superuser = make_user("root@example.com", is_staff=True, is_superuser=True)
    bystander = submitted(make_user("bystander@example.com"), welder, default=2)

    person = Client(REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="Dagny's browser")
    assert person.post(reverse("accounts:signup"), {  # a failed sign-up first: the throttle keeps it
        "email": EMAIL, "first_name": FIRST, "password1": PASSWORD, "password2": "mistyped"}).status_code == 200
    person.post(reverse("accounts:signup"), {"email": EMAIL, "first_name": FIRST,
                                             "password1": PASSWORD, "password2": PASSWORD})
    user = get_user_model().objects.get(email=EMAIL)
    user.last_name = LAST
    user.save()
    person.post(reverse("accounts:logout"))
    person.post(reverse("accounts:login"), {"username": EMAIL.upper(), "password": "wrong"})
    person.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    person.post(reverse("accounts:delete"), {"password": "wrong again"})
    # Someone else guesses at the account, on the site and in the admin (which keeps the case typed).
    Client(REMOTE_ADDR="10.6.6.6").post(reverse("accounts:login"), {"username": EMAIL, "password": "guess"})
    Client(REMOTE_ADDR="10.6.6.6").post(reverse("admin:login"), {"username": EMAIL.upper(), "password": "guess"})

    kept = submitted(user, welder, default=1, certifications=f"Welding ticket, {FIRST} {LAST}")
    gone = submitted(user, fitter, default=3)
    for name in ("report", "report_json", "report_pdf", "matches"):
        assert person.get(reverse(f"assessments:{name}", args=[kept.pk])).status_code == 200
    Assessment.objects.create(owner=user, career=fitter, certifications=f"Draft by {FIRST}")
    # An entry from before assessments stopped naming their owner, about one deleted since.
    LogEntry.objects.create(
        user=superuser, content_type=ContentType.objects.get_for_model(Assessment), object_id=str(gone.pk),
        object_repr=f"Pipe fitter — {EMAIL} (Submitted)", action_flag=CHANGE, change_message="[]",
    )
    assert person.post(reverse("assessments:delete", args=[gone.pk])).status_code == 302

    Sharing.objects.create(person=user, coach=coach)  # the person accepted the coach's invitation
    coach_client = Client()
    coach_client.force_login(coach)
    response = coach_client.post(reverse("admin:assessments_assessment_change", args=[kept.pk]), {
        "review_status": "reviewed",
        "ratings-TOTAL_FORMS": "0", "ratings-INITIAL_FORMS": "0", "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "0",
        "coach_notes-TOTAL_FORMS": "1", "coach_notes-INITIAL_FORMS": "0", "coach_notes-MIN_NUM_FORMS": "0",
        "coach_notes-MAX_NUM_FORMS": "1000", "coach_notes-0-text": f"{FIRST} wants night shifts.",
        "coach_notes-0-assessment": str(kept.pk),
    })
    assert response.status_code == 302
    admin_client = Client()
    admin_client.force_login(superuser)
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), {
        "username": EMAIL, "email": EMAIL, "first_name": FIRST, "last_name": LAST, "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]

    unrelated = LogEntry.objects.create(
        user=superuser, content_type=ContentType.objects.get_for_model(Assessment), object_id=str(bystander.pk),
        object_repr=str(bystander), action_flag=CHANGE, change_message="[]",
    )
    before = rows_naming(EMAIL, FIRST, LAST)
    for where in ("accounts_user.email", "accounts_user.last_name", "assessments_assessment.certifications",
                  "assessments_coachnote.text", "django_admin_log.object_repr", "axes_accessattempt.username",
                  "axes_accessfailurelog.username"):
        assert where in before, f"the search should find the person in {where} before the deletion"

    response = person.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302

    assert rows_naming(EMAIL, LAST) == set()
    assert rows_naming(FIRST) == set()  # also gone: the first name, in the note and the answers
    # Nobody else's rows went with them.
    assert Assessment.objects.filter(pk=bystander.pk).exists()
    assert get_user_model().objects.filter(email__in=["coach@example.com", "root@example.com"]).count() == 2
    assert LogEntry.objects.filter(pk=unrelated.pk).exists()
    # And no copy waits in the cache.
    assert not any(EMAIL.encode() in value or LAST.encode() in value for value in cache._cache.values())


def test_deleting_a_coachs_account_removes_the_log_lines_that_name_their_notes():
    welder = make_career("Welder", slug="welder", requirements=[("Welding", "technical", 5, 3)])
    report = submitted(make_user("seeker@example.com"), welder)
    coach = make_user(EMAIL, password=PASSWORD, is_staff=True, first_name=FIRST, last_name=LAST)
    coach.groups.add(Group.objects.get(name="Coaches"))
    note = CoachNote.objects.create(assessment=report, author=coach, text="Ready for the test.")
    superuser = make_user("root@example.com", is_staff=True, is_superuser=True)
    # An administrator removes the coach's note: the log names it "Note by Dagny Deleteme on ...".
    LogEntry.objects.create(
        user=superuser, content_type=ContentType.objects.get_for_model(Assessment), object_id=str(report.pk),
        object_repr=str(report), action_flag=CHANGE,
        change_message=f'[{{"deleted": {{"name": "coach note", "object": "{note}"}}}}]',
    )
    kept_entry = LogEntry.objects.create(
        user=superuser, content_type=ContentType.objects.get_for_model(Assessment), object_id=str(report.pk),
        object_repr=str(report), action_flag=CHANGE, change_message='[{"changed": {"fields": ["Review status"]}}]',
    )
    assert rows_naming(LAST)

    client = Client()
    client.force_login(coach)
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD}).status_code == 302

    assert rows_naming(EMAIL, LAST) == set()
    assert LogEntry.objects.filter(pk=kept_entry.pk).exists()  # the job seeker's own review history stays
    assert CoachNote.objects.filter(assessment=report).count() == 1  # the note stays, without an author
