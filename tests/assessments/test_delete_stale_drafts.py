import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import Assessment, ReportPdf
from tests.factories import make_career, make_user

from .helpers import skilled_career, submitted


def draft(career, *, owner=None, age_days=0):
    assessment = Assessment.objects.create(career=career, owner=owner, visitor="" if owner else uuid.uuid4().hex)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    return assessment


def result(career, *, owner=None, age_days=0):
    """A submitted assessment: an account's, or an anonymous visitor's nobody has claimed."""
    assessment = submitted(owner, career, visitor="" if owner else uuid.uuid4().hex)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    return assessment


@pytest.mark.django_db
def test_only_old_anonymous_drafts_go():
    career = make_career()
    old_anonymous = draft(career, age_days=40)
    fresh_anonymous = draft(career, age_days=2)
    old_owned = draft(career, owner=make_user(), age_days=400)

    call_command("delete_stale_drafts", "--days", "30")

    assert set(Assessment.objects.values_list("pk", flat=True)) == {fresh_anonymous.pk, old_owned.pk}
    assert not Assessment.objects.filter(pk=old_anonymous.pk).exists()


@pytest.mark.django_db
def test_unclaimed_anonymous_results_go_like_drafts_and_fresh_ones_stay(capsys):
    career = skilled_career()
    old_result = result(career, age_days=31)
    ReportPdf.objects.create(assessment=old_result, content=b"%PDF")
    fresh_result = result(career, age_days=29)
    old_owned = result(career, owner=make_user(), age_days=400)
    old_draft = draft(career, age_days=31)

    call_command("delete_stale_drafts", "--days", "30")

    assert set(Assessment.objects.values_list("pk", flat=True)) == {fresh_result.pk, old_owned.pk}
    assert not ReportPdf.objects.exists() and not old_result.ratings.exists() and not old_draft.ratings.exists()
    assert "Deleted 1 anonymous drafts and 1 unclaimed anonymous results untouched for 30 days" in capsys.readouterr().out


@pytest.mark.django_db
def test_dry_run_deletes_nothing(capsys):
    draft(make_career(), age_days=90)
    result(skilled_career(), age_days=90)
    call_command("delete_stale_drafts", "--dry-run")
    assert Assessment.objects.count() == 2
    assert "1 anonymous drafts and 1 unclaimed anonymous results untouched for 30 days (dry run" in capsys.readouterr().out


def test_days_must_be_positive():
    with pytest.raises(CommandError):
        call_command("delete_stale_drafts", "--days", "0")
