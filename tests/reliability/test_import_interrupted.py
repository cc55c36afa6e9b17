"""An O*NET import stopped half-way leaves the catalog as it was before the import began.

The import writes everything in one transaction. These tests run outside pytest-django's
per-test transaction (transactional_db), so the import's transaction is a real one that
commits or rolls back, as in production. Each write the import makes is interrupted after
half of its rows, by an error and, on PostgreSQL, by killing the process outright; afterwards
the guide catalog, any earlier import and existing reports are exactly as they were.
"""

import os
import signal
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from careers.models import AlternateTitle, Career, LearningStep, Skill, SkillRequirement, WorkStyle
from tests.appservers import database_url
from tests.assessments.helpers import submitted
from tests.careers.test_onet import FIXTURES, dump
from tests.factories import make_user

# Transactional, with the migrated rows (groups, content types) put back for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITES = [
    (Skill, "bulk_create"), (Career, "bulk_create"), (SkillRequirement, "bulk_create"), (WorkStyle, "bulk_create"),
    (LearningStep, "bulk_create"), (LearningStep.skills.through, "bulk_create"), (AlternateTitle, "bulk_create"),
    (Career.related.through, "bulk_create"),
]
UPDATES = [
    (Skill, "bulk_update"), (Career, "bulk_update"), (SkillRequirement, "bulk_update"), (WorkStyle, "bulk_update"),
    (LearningStep, "bulk_update"),
]


class Interrupted(Exception):
    pass


def run_import(directory):
    call_command("import_onet", str(directory), stdout=StringIO())


def interrupt_half_way(monkeypatch, model, method):
    """Let the write store half of its rows, then fail."""
    real = getattr(model.objects, method)
    calls = []

    def half_then_fail(objs, *args, **kwargs):
        objs = list(objs)
        calls.append(len(objs))
        real(objs[: len(objs) // 2], *args, **kwargs)
        raise Interrupted(f"{model.__name__}.{method} stopped after {len(objs) // 2} of {len(objs)} rows")

    monkeypatch.setattr(model.objects, method, half_then_fail)
    return calls


@pytest.fixture
def catalog(quick_passwords):
    """The built-in guide catalog and a job seeker's report on one of its careers."""
    call_command("load_catalog", verbosity=0)
    career = Career.objects.filter(source=Career.Source.GUIDE).first()
    return submitted(make_user(), career)


def report_json(client, assessment):
    client.force_login(assessment.owner)
    response = client.get(reverse("assessments:report_json", args=[assessment.pk]))
    assert response.status_code == 200
    return response.json()


def edit_the_import():
    """Change an imported catalog the way a later release would differ: every kind of write has work."""
    onet = Career.objects.filter(source=Career.Source.ONET)
    onet.update(title="Edited title")
    LearningStep.objects.filter(career__in=onet).update(description="Edited description")
    SkillRequirement.objects.filter(career__in=onet).update(importance=1)
    WorkStyle.objects.filter(career__in=onet).update(importance=1)
    Skill.objects.filter(source=Career.Source.ONET).update(description="Edited description")
    onet.filter(onet_code="99-0004.00").delete()
    Skill.objects.filter(source=Career.Source.ONET, external_id="2.B.3.m").delete()


@pytest.mark.parametrize("model, method", WRITES, ids=lambda v: getattr(v, "__name__", v))
def test_a_first_import_stopped_half_way_adds_nothing(catalog, client, monkeypatch, model, method):
    before, report = dump(), report_json(client, catalog)
    calls = interrupt_half_way(monkeypatch, model, method)
    with pytest.raises(Interrupted):
        run_import(FIXTURES)
    assert calls and calls[0] > 0, "the interrupted write was never reached"
    assert dump() == before
    assert not Career.objects.filter(source=Career.Source.ONET).exists()
    assert report_json(client, catalog) == report


@pytest.mark.parametrize("model, method", UPDATES + WRITES[:2], ids=lambda v: getattr(v, "__name__", v))
def test_a_second_import_stopped_half_way_keeps_the_first(catalog, client, monkeypatch, model, method):
    run_import(FIXTURES)
    edit_the_import()
    before, report = dump(), report_json(client, catalog)
    calls = interrupt_half_way(monkeypatch, model, method)
    with pytest.raises(Interrupted):
        run_import(FIXTURES)
    assert calls and calls[0] > 0, "the interrupted write was never reached"
    assert dump() == before
    assert report_json(client, catalog) == report
    # And the same release goes through once nothing stops it.
    monkeypatch.undo()
    run_import(FIXTURES)
    assert not Career.objects.filter(title="Edited title").exists()
    assert Career.objects.filter(onet_code="99-0004.00").exists()


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import django
    django.setup()
    from django.core.management import call_command
    from careers.models import SkillRequirement

    real = SkillRequirement.objects.bulk_create

    def half_then_die(objs, *args, **kwargs):
        objs = list(objs)
        real(objs[: len(objs) // 2], *args, **kwargs)
        print("killing myself after", len(objs) // 2, "rows", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    SkillRequirement.objects.bulk_create = half_then_die
    call_command("import_onet", sys.argv[1])
""")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="another process must reach the test database: set DATABASE_URL to PostgreSQL")
def test_an_import_killed_half_way_leaves_the_catalog_as_it_was(catalog, client):
    run_import(FIXTURES)
    edit_the_import()  # so the killed import has rows to add and rows to change
    before, report = dump(), report_json(client, catalog)
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(FIXTURES)], cwd=Path(settings.BASE_DIR), env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "killing myself after" in result.stdout
    assert dump() == before
    assert report_json(client, catalog) == report
