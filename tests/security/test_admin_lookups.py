"""Every changelist refuses the lookups its own filters do not offer.

Django's admin would otherwise take any lookup on a model's fields from the query string:
``?session_key__gte=<prefix>`` recovered a column one character at a time, and
``?title__regex=(?`` reached the database as a broken pattern (a server error). Here every
registered changelist is asked, as a superuser, for every lookup of every field of its model
and of the models its relations reach (``owner__password__startswith``); the values are taken
from real rows, so that an applied filter would change the rows shown, or fail. Each answer
must be a 400 or the unfiltered list: never other rows, never a server error (the test
client raises it).

What the filters do offer comes from Django's own filter classes on the page
(``expected_parameters()``), not from the code under test.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse

from .conftest import client_for

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def local_fields(model):
    """The fields a lookup may name directly: columns and forward relations."""
    return [field for field in model._meta.get_fields()
            if field.concrete or (field.many_to_many and not field.auto_created)]


def sample(model, name):
    """A value of the field from a real row, as a query string carries it ("" if none)."""
    values = [value for value in model._default_manager.values_list(name, flat=True) if value not in (None, "")]
    return str(values[len(values) // 2]) if values else ""


def lookups(model):
    """(lookup, value) pairs for every field: as it is, compared, as a pattern, and one relation
    further for every field of the related model."""
    pairs = []
    for field in local_fields(model):
        value = sample(model, field.attname if field.concrete else field.name) if not field.many_to_many else "1"
        pairs += [
            (field.name, value), (f"{field.name}__exact", value), (f"{field.name}__gte", value),
            (f"{field.name}__lt", value), (f"{field.name}__startswith", value[:3]),
            (f"{field.name}__regex", "["), (f"{field.name}__iregex", "(?"), (f"{field.name}__isnull", "True"),
            (f"{field.name}__in", value),
        ]
        if field.is_relation and field.related_model is not None:
            related = field.related_model
            for other in local_fields(related):
                if other.concrete and not other.is_relation:
                    pairs += [(f"{field.name}__{other.name}__startswith", sample(related, other.name)[:3]),
                              (f"{field.name}__{other.name}__regex", "[")]
    return pairs


@pytest.fixture
def rows(world):
    """At least two rows in every table the admin lists, so a filter applied shows in the rows."""
    for number in (1, 2):
        axes = {"user_agent": f"agent {number}", "ip_address": f"10.0.0.{number}", "username": world.owner.email,
                "http_accept": "*/*", "path_info": f"/accounts/login/{number}"}
        AccessAttempt.objects.create(**axes, get_data="", post_data="", failures_since_start=number)
        AccessLog.objects.create(**axes)
        AccessFailureLog.objects.create(**axes)
    from django.contrib.auth.models import Group
    Group.objects.create(name="Auditors")
    world.elsewhere.invitations.create()  # a second invitation beside the coach's
    return world


def shown(response):
    return sorted(response.context["cl"].queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [model for model, _ in MODEL_ADMINS], ids=lambda model: model._meta.label)
def test_every_lookup_the_filters_do_not_offer_is_refused(rows, model):
    client = client_for(rows, "superuser")
    url = changelist(model)
    plain = client.get(url)
    assert plain.status_code == 200
    everything = shown(plain)
    assert len(everything) >= 2, "the test needs rows a filter could tell apart"
    offered = {name for spec in plain.context["cl"].filter_specs for name in spec.expected_parameters()}
    date_hierarchy = plain.context["cl"].date_hierarchy
    if date_hierarchy:
        offered |= {f"{date_hierarchy}__{part}" for part in ("year", "month", "day")}

    tried, leaks = 0, []
    for lookup, value in lookups(model):
        if lookup in offered:
            continue
        tried += 1
        response = client.get(url, {lookup: value})
        if response.status_code == 400:
            continue
        if response.status_code != 200 or shown(response) != everything:
            leaks.append(f"?{lookup}={value}: {response.status_code}")
    assert tried > 20
    assert not leaks, "\n" + "\n".join(leaks)


def test_the_lookups_the_attack_used_are_bad_requests(world):
    coach = client_for(world, "coach")
    superuser = client_for(world, "superuser")
    assessments = reverse("admin:assessments_assessment_changelist")
    careers = reverse("admin:careers_career_changelist")
    users = reverse("admin:accounts_user_changelist")
    for client, url, query in [
        (coach, assessments, {"id": world.draft.pk, "session_key__gte": "a"}),
        (coach, assessments, {"certifications__regex": "["}),
        (coach, assessments, {"owner__password__startswith": "pbkdf2"}),
        (coach, assessments, {"owner__email__startswith": "own"}),
        (coach, careers, {"title__regex": "(?"}),
        (superuser, users, {"password__startswith": "md5"}),
        (superuser, users, {"email__regex": "["}),
    ]:
        assert client.get(url, query).status_code == 400, query


def test_the_filters_on_the_page_still_work(world):
    coach = client_for(world, "manager")  # sees every account's assessments, a coach only their caseload's
    url = reverse("admin:assessments_assessment_changelist")
    response = coach.get(url, {"status__exact": "submitted", "career__id__exact": world.career.pk})
    assert shown(response) == sorted([world.report.pk, world.others_report.pk])
    year = world.report.submitted_at.year
    assert shown(coach.get(url, {"submitted_at__year": year})) == sorted([world.report.pk, world.others_report.pk])
    assert shown(coach.get(url, {"submitted_at__year": year - 1})) == []
    band = "low" if world.report.readiness < 50 else "mid" if world.report.readiness < 80 else "high"
    assert world.report.pk in shown(coach.get(url, {"band": band}))
