"""The people and rows every security test works with.

owner: a job seeker with a submitted assessment and a draft; other: another job seeker;
plain_staff: staff with no permission at all; coach: staff in the "Coaches" group the data
migration creates, with the owner in their caseload (the owner accepted their invitation);
elsewhere: another coach, whose caseload holds only the other job seeker; manager: staff in the
"Centre managers" group, who may view all assessments; superuser: everything. visitor and stranger are anonymous visitors, each
holding a session of their own and a draft for the welder started through the site; the visitor
has also submitted a pipe fitter questionnaire without an account (visitor_report).
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, Sharing
from assessments.models import Assessment
from careers.models import Skill
from tests.assessments.helpers import add_step, answer_everything, step_url, submitted
from tests.factories import make_career, make_skill, make_user

ROLES = ("anonymous", "visitor", "stranger", "other", "owner", "plain_staff", "coach", "elsewhere", "manager", "superuser")
ANONYMOUS = ("anonymous", "visitor", "stranger")
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords):
    """A hundred log-ins under the real hasher would take minutes."""


@pytest.fixture
def world(db):
    welding = make_skill("Welding")
    blueprints = make_skill("Blueprint reading", kind=Skill.Kind.KNOWLEDGE)
    teamwork = make_skill("Teamwork", kind=Skill.Kind.SOFT)
    career = make_career("Welder", slug="welder", education_required=1, requirements=[
        (welding, "technical", 5, 3), (blueprints, "knowledge", 3, 2), (teamwork, "soft", 4, 2),
    ])
    add_step(career, "Welding certificate", [welding], cost=(500, 1500), months=(3, 6))
    # Shares two skills with the welder, so it shows among the matches and can be started from them.
    fitter = make_career("Pipe fitter", slug="pipe-fitter", requirements=[
        (welding, "technical", 4, 2), (teamwork, "soft", 3, 2), (make_skill("Pipe threading"), "technical", 4, 2),
    ])
    outsider = make_skill("Juggling", kind=Skill.Kind.SOFT)
    make_career("Juggler", slug="juggler", requirements=[(outsider, "soft", 5, 4)])

    owner = make_user("owner@example.com", first_name="Olive", last_name="Owner")
    other = make_user("other@example.com", first_name="Otto")
    coach = make_user("coach@example.com", is_staff=True)
    coach.groups.add(Group.objects.get(name="Coaches"))
    superuser = make_user("root@example.com", is_staff=True, is_superuser=True)
    plain_staff = make_user("staff@example.com", is_staff=True)
    elsewhere = make_user("elsewhere@example.com", is_staff=True)
    elsewhere.groups.add(Group.objects.get(name="Coaches"))
    manager = make_user("manager@example.com", is_staff=True)
    manager.groups.add(Group.objects.get(name="Centre managers"))
    invitation = Invitation.objects.create(coach=coach)
    sharing = Sharing.objects.create(person=owner, coach=coach, invitation=invitation)
    Sharing.objects.create(person=other, coach=elsewhere)

    report = submitted(owner, career, {"Welding": 1, "Blueprint reading": 2, "Teamwork": 3},
                       highest_education=1, years_experience=2)
    draft = Assessment.objects.create(owner=owner, career=fitter, career_title=fitter.title, career_slug=fitter.slug)
    others_report = submitted(other, career, default=2)
    visitor, visitor_draft = anonymous_draft(career)
    stranger, stranger_draft = anonymous_draft(career)
    visitor_report = anonymous_report(visitor, fitter)
    return SimpleNamespace(
        career=career, fitter=fitter, welding=welding, blueprints=blueprints, teamwork=teamwork, outsider=outsider,
        owner=owner, other=other, coach=coach, superuser=superuser, plain_staff=plain_staff,
        elsewhere=elsewhere, manager=manager, invitation=invitation, sharing=sharing,
        report=report, draft=draft, others_report=others_report,
        visitor=visitor, visitor_draft=visitor_draft, stranger=stranger, stranger_draft=stranger_draft,
        visitor_report=visitor_report,
    )


def anonymous_draft(career):
    """A new anonymous visitor who starts the questionnaire: their client (holding the session)
    and the draft it made, found through the page the start sends them to."""
    client = Client()
    response = client.get(reverse("assessments:start", args=[career.slug]))
    pk = int(response["Location"].strip("/").split("/")[-2])
    draft = Assessment.objects.get(pk=pk, owner__isnull=True)
    return client, draft


def anonymous_report(client, career):
    """The anonymous visitor holding client answers every question for the career and submits."""
    pk = int(client.get(reverse("assessments:start", args=[career.slug]))["Location"].strip("/").split("/")[-2])
    draft = Assessment.objects.get(pk=pk, owner__isnull=True)
    answer_everything(client, draft)
    assert client.post(step_url(draft, "review"))["Location"] == draft.get_absolute_url()
    return Assessment.objects.submitted().get(pk=pk, owner__isnull=True)


def client_for(world, role, **kwargs):
    """A client for the role; visitor and stranger keep their session (one client each per world)."""
    if role in ("visitor", "stranger") and not kwargs:
        return getattr(world, role)
    client = Client(**kwargs)
    if role in ("visitor", "stranger"):
        client.cookies = getattr(world, role).cookies
    elif role != "anonymous":
        client.force_login(getattr(world, role))
    return client
