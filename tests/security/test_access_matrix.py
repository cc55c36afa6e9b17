"""Who may open what: every named route of the URL configuration x eight kinds of visitor.

The routes come from django.urls.get_resolver(), so a route added later without a rule here
fails test_every_route_has_an_access_rule. Each rule names the request (method, URL arguments
made from real rows) and the status each visitor must get. The admin's own per-model pages
follow one rule: staff only, and a coach sees what the Coaches group's permissions allow.

Being staff opens nothing by itself: plain_staff (staff with no permission) is a job seeker
like any other outside the admin, and inside it sees its index and its own password pages
only. Three anonymous visitors: one with no session, and visitor and stranger, each holding
an anonymous session with a draft of its own, which the other can never open. The visitor has
also submitted a report without an account: it is their session's alone (a 404 to every other
visitor, coaches included, and no log-in opens it) until they sign up or log in.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse

from accounts.models import Sharing
from assessments.models import Assessment, CoachRating

from .conftest import client_for

# The owners (of the report, of the anonymous draft) go last, so that a POST another visitor
# should be refused cannot hide behind the owner having already deleted or changed the row.
ORDER = ("anonymous", "stranger", "other", "plain_staff", "coach", "elsewhere", "manager", "superuser", "visitor", "owner")
# Staff who may view assessments: the owner's coach, a coach of another caseload, a centre's manager, a superuser.
STAFF = ("coach", "elsewhere", "manager", "superuser")
ANONYMOUS = ("anonymous", "stranger", "visitor")
NON_STAFF = (*ANONYMOUS, "other", "owner")


def route_names(resolver=None, namespace=""):
    """Every named route, namespaced as reverse() wants it ("admin:index")."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += route_names(pattern, inner)
        elif pattern.name:
            names.append(namespace + pattern.name)
    return sorted(set(names))


# -- expectations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 to a URL name (arguments taken from the world) or to a path matching a pattern."""

    name: str = ""
    args: tuple = ()
    pattern: str = ""

    def target(self, world):
        return reverse(self.name, args=[arg(world) for arg in self.args])

    def problem(self, world, response):
        location = urlsplit(response.get("Location", "")).path
        if response.status_code != 302:
            return f"{response.status_code}, expected a redirect"
        if self.pattern:
            return None if re.fullmatch(self.pattern, location) else f"302 to {location}, expected {self.pattern}"
        wanted = self.target(world)
        return None if location == wanted else f"302 to {location}, expected 302 to {wanted}"

    def __str__(self):
        return f"302 to {self.name or self.pattern}"


LOGIN = Redirect("accounts:login")
ADMIN_LOGIN = Redirect("admin:login")


def problem(expected, world, response):
    if isinstance(expected, Redirect):
        return expected.problem(world, response)
    return None if response.status_code == expected else f"{response.status_code}, expected {expected}"


@dataclass(frozen=True)
class Check:
    expect: dict  # role -> status or Redirect
    args: tuple = ()  # functions of the world
    method: str = "get"
    data: object = None  # a function of the world, for POSTs
    query: str = ""


def each(status, **overrides):
    return {role: overrides.get(role, status) for role in ORDER}


def private(owner=200, staff=200, other=404):
    """A job seeker's own page: log in first; someone else's is a 404, as if it did not exist.
    staff is what the owner's coach, a centre's manager and superusers get; staff without the
    permission, and a coach whose caseload the owner is not in, are anyone else."""
    return ({role: LOGIN for role in ANONYMOUS}
            | {"other": other, "plain_staff": other, "elsewhere": other, "owner": owner,
               "coach": staff, "manager": staff, "superuser": staff})


def logged_in(status=200):
    """A page about whoever is logged in: each visitor sees their own."""
    return each(status, **{role: LOGIN for role in ANONYMOUS})


def staff_only(status=200, plain=403):
    """An admin page: staff only; plain is what staff without any permission get."""
    return {role: ADMIN_LOGIN for role in NON_STAFF} | {"plain_staff": plain} | {role: status for role in STAFF}


def caseload_only(status=200, plain=404, outside=404, **overrides):
    """An admin page about the owner's assessment: their coach, a manager and superusers; a coach
    of another caseload, and staff with no permission, find no such assessment (404)."""
    return staff_only(status, plain) | {"elsewhere": outside} | overrides


report_pk = lambda w: w.report.pk  # noqa: E731
token = lambda w: w.invitation.token  # noqa: E731
sharing_pk = lambda w: w.sharing.pk  # noqa: E731
invitation_pk = lambda w: w.invitation.pk  # noqa: E731
draft_pk = lambda w: w.draft.pk  # noqa: E731
visitor_draft_pk = lambda w: w.visitor_draft.pk  # noqa: E731
visitor_report_pk = lambda w: w.visitor_report.pk  # noqa: E731
career_slug = lambda w: w.career.slug  # noqa: E731

RULES = {
    "home": [Check(each(200))],
    "favicon": [Check(each(200))],
    "careers:list": [Check(each(200), query="?q=weld")],
    "careers:detail": [Check(each(200), args=(career_slug,))],
    # Anyone may start a questionnaire; each visitor gets a draft of their own.
    "assessments:start": [Check(each(Redirect(pattern=r"/assessments/\d+/background/")), args=(career_slug,))],
    "assessments:step": [
        # Drafts are for their owner only: staff read reports, they never answer for someone.
        # Someone logged out is asked to log in, as for a report, whether or not the draft exists.
        Check(private(staff=404), args=(draft_pk, lambda w: "background")),
        Check(private(staff=404), args=(draft_pk, lambda w: "review")),
        Check(private(owner=Redirect("assessments:report", (report_pk,)), staff=404),
              args=(report_pk, lambda w: "technical")),
        # An anonymous draft is for the session that started it alone.
        Check(each(404, visitor=200), args=(visitor_draft_pk, lambda w: "background")),
        Check(each(404, visitor=200), args=(visitor_draft_pk, lambda w: "review")),
        Check(each(404, visitor=Redirect(pattern=r"/assessments/\d+/technical/")), args=(visitor_draft_pk, lambda w: "background"),
              method="post", data=lambda w: {"highest_education": "2", "years_experience": "9", "certifications": "Forged"}),
    ],
    "assessments:report": [
        Check(private(), args=(report_pk,)),
        Check(private(owner=Redirect(pattern=r"/assessments/\d+/background/"), staff=404), args=(draft_pk,)),
        # An anonymous draft or result is its session's: a log-in would open neither.
        Check(each(404, visitor=Redirect(pattern=r"/assessments/\d+/background/")), args=(visitor_draft_pk,)),
        Check(each(404, visitor=200), args=(visitor_report_pk,)),
    ],
    "assessments:report_json": [
        Check(private(), args=(report_pk,)), Check(private(owner=404, staff=404), args=(draft_pk,)),
        Check(each(404, visitor=200), args=(visitor_report_pk,)), Check(each(404), args=(visitor_draft_pk,)),
    ],
    "assessments:report_pdf": [Check(private(), args=(report_pk,)), Check(each(404, visitor=200), args=(visitor_report_pk,))],
    "assessments:matches": [
        Check(private(), args=(report_pk,)),
        # Starting a questionnaire from the matches is for the owner alone.
        Check(private(owner=Redirect(pattern=r"/assessments/\d+/(technical|soft|review)/"), staff=404),
              args=(report_pk,), method="post", data=lambda w: {"career": w.fitter.slug}),
        Check(each(404, visitor=200), args=(visitor_report_pk,)),
        # ... and from an anonymous result needs an account first.
        Check(each(404, visitor=LOGIN), args=(visitor_report_pk,), method="post", data=lambda w: {"career": w.career.slug}),
    ],
    "assessments:retake": [
        Check(private(owner=405, staff=405, other=405), args=(report_pk,)),
        Check(private(owner=Redirect(pattern=r"/assessments/\d+/background/"), staff=404),
              args=(report_pk,), method="post"),
        Check(private(owner=404, staff=404), args=(visitor_report_pk,), method="post"),
    ],
    "assessments:delete": [
        Check(private(staff=404), args=(report_pk,)),
        Check(private(owner=Redirect("accounts:dashboard"), staff=404), args=(report_pk,), method="post"),
        Check(private(owner=404, staff=404), args=(visitor_draft_pk,), method="post"),
        Check(private(owner=404, staff=404), args=(visitor_report_pk,), method="post"),
    ],
    "accounts:signup": [Check(each(200))],
    "accounts:login": [Check(each(200))],
    "accounts:logout": [Check(each(405)), Check(each(Redirect("home")), method="post")],
    "accounts:dashboard": [Check(logged_in())],
    # Anyone may read an invitation; confirming needs an account (the page offers sign-up and log-in).
    # The owner already shares with this coach; the coach cannot join their own caseload.
    "accounts:invitation": [
        Check(each(200), args=(token,)),
        Check(each(Redirect("accounts:dashboard"), **{role: 200 for role in (*ANONYMOUS, "owner")}, coach=400),
              args=(token,), method="post"),
        Check(each(404), args=(lambda w: "made-up-token",)),
        Check(each(404), args=(lambda w: "made-up-token",), method="post"),
    ],
    # Only the person who shares can stop it.
    "accounts:sharing_stop": [
        Check(private(staff=404), args=(sharing_pk,)),
        Check(private(owner=Redirect("accounts:dashboard"), staff=404), args=(sharing_pk,), method="post",
              data=lambda w: {"keep": "delete"}),
    ],
    "accounts:data_export": [Check(logged_in())],
    # Deleting an account asks for the password; a POST without it brings the form back.
    "accounts:delete": [Check(logged_in()), Check(logged_in(), method="post", data=lambda w: {"password": "wrong"})],
    "accounts:password_change": [Check(logged_in())],
    "accounts:password_change_done": [Check(logged_in())],
    "accounts:password_reset": [Check(each(200))],
    "accounts:password_reset_done": [Check(each(200))],
    # A made-up link shows "invalid link" to everyone.
    "accounts:password_reset_confirm": [Check(each(200), args=(lambda w: "MQ", lambda w: "made-up-token"))],
    "accounts:password_reset_complete": [Check(each(200))],
    # -- the admin's site-wide pages
    "admin:index": [Check(staff_only(plain=200))],
    # Staff already logged in go straight on to the index.
    "admin:login": [Check(each(200, **{role: Redirect("admin:index") for role in ("plain_staff", *STAFF)}))],
    # Log-out is a POST; staff leave for the home page (LOGOUT_REDIRECT_URL), anyone else is
    # sent to the admin's index (and from there to its log-in).
    "admin:logout": [
        Check(staff_only(405, plain=405) | {role: Redirect("admin:index") for role in NON_STAFF}),
        Check(each(Redirect("admin:index"), **{role: Redirect("home") for role in ("plain_staff", *STAFF)}),
              method="post"),
    ],
    "admin:password_change": [Check(staff_only(plain=200))],
    "admin:password_change_done": [Check(staff_only(plain=200))],
    "admin:jsi18n": [Check(staff_only(plain=200))],
    # Autocomplete answers only for models the user may view.
    "admin:autocomplete": [
        Check(staff_only(), query="?app_label=careers&model_name=career&field_name=related&term=pipe"),
        Check(staff_only() | {"coach": 403, "elsewhere": 403, "manager": 403},
              query="?app_label=accounts&model_name=user&field_name=groups&term=a"),
    ],
    "admin:view_on_site": [
        # The catalog's public page, which anyone may open anyway.
        Check(staff_only(Redirect("careers:detail", (career_slug,)), plain=Redirect("careers:detail", (career_slug,))),
              args=(lambda w: ContentType.objects.get_for_model(w.career).pk, lambda w: w.career.pk)),
    ],
    "admin:app_list": [
        # Without a permission in an app, its page does not exist.
        Check(staff_only(plain=404), args=(lambda w: "assessments",)),
        Check(staff_only(plain=404), args=(lambda w: "careers",)),
        # Coaches see their invitations and caseload there.
        Check(staff_only(plain=404), args=(lambda w: "accounts",)),
        # Coaches have no permission in axes, so for them the page does not exist.
        Check(staff_only(plain=404) | {"coach": 404, "elsewhere": 404, "manager": 404}, args=(lambda w: "axes",)),
    ],
    # -- what coaches work with, spelt out
    "admin:assessments_assessment_changelist": [
        Check(staff_only()),
        Check(staff_only(), query="?q=owner%40example.com&career__id__exact=1&band=low"),
    ],
    "admin:assessments_assessment_change": [
        Check(caseload_only(), args=(report_pk,)),
        # A draft stays private from the person's coach; a manager sees every account's.
        Check(caseload_only(coach=404), args=(draft_pk,)),
        # Not an account's: for the admin it does not exist.
        Check(staff_only(404, plain=404), args=(visitor_report_pk,)),
    ],
    "admin:assessments_assessment_history": [Check(caseload_only(), args=(report_pk,))],
    # The coach's own rating of each skill: the owner's coach (and those who see everyone) only.
    "admin:assessments_assessment_coach_ratings": [
        # Staff without the permission to rate are refused before anything is looked up.
        Check(caseload_only(plain=403), args=(report_pk,)),
        Check(caseload_only(Redirect("admin:assessments_assessment_change", (report_pk,)), plain=403), args=(report_pk,),
              method="post", data=lambda w: {f"level_{w.report.ratings.get(skill_name='Welding').pk}": "3"}),
        Check(staff_only(404, plain=403), args=(draft_pk,)),
        Check(staff_only(404, plain=403), args=(visitor_report_pk,)),
        # Someone else's caseload: the other job seeker is the other coach's.
        Check(staff_only(404, plain=403) | {"elsewhere": 200, "manager": 200, "superuser": 200},
              args=(lambda w: w.others_report.pk,)),
    ],
    # A coach's invitations and caseload: their own; a centre's manager sees every coach's.
    "admin:accounts_invitation_changelist": [Check(staff_only())],
    "admin:accounts_invitation_add": [Check(staff_only())],
    "admin:accounts_invitation_change": [Check(staff_only() | {"elsewhere": Redirect("admin:index")}, args=(invitation_pk,))],
    "admin:accounts_invitation_history": [Check(staff_only(plain=Redirect("admin:index")) | {"elsewhere": Redirect("admin:index")},
                                                args=(invitation_pk,))],
    "admin:accounts_invitation_delete": [Check(staff_only(403) | {"superuser": 200}, args=(invitation_pk,))],
    "admin:accounts_sharing_changelist": [Check(staff_only())],
    "admin:accounts_sharing_add": [Check(staff_only(403))],
    "admin:accounts_sharing_change": [Check(staff_only() | {"elsewhere": Redirect("admin:index")}, args=(sharing_pk,))],
    "admin:accounts_sharing_history": [Check(staff_only(plain=Redirect("admin:index")) | {"elsewhere": Redirect("admin:index")},
                                             args=(sharing_pk,))],
    "admin:accounts_sharing_delete": [Check(staff_only(403), args=(sharing_pk,))],
    "admin:assessments_assessment_cohort": [
        Check(staff_only()),
        Check(staff_only(), query="?career=1&date_from=2020-01-01"),
    ],
    # Assessments come from the questionnaire only; coaches never delete one.
    "admin:assessments_assessment_add": [Check(staff_only(403))],
    "admin:assessments_assessment_delete": [Check(caseload_only(403, superuser=200), args=(report_pk,))],
    "admin:careers_career_changelist": [Check(staff_only()), Check(staff_only(), query="?q=weld&source__exact=guide")],
    "admin:careers_career_change": [Check(staff_only(), args=(lambda w: w.career.pk,))],
    "admin:careers_career_add": [Check(staff_only(403) | {"superuser": 200})],
    "admin:careers_career_delete": [Check(staff_only(403) | {"superuser": 200}, args=(lambda w: w.career.pk,))],
}

# -- the rest of the admin: staff only, coaches see what their permissions allow ------------------

ADMIN_ACTIONS = {
    # action -> the permissions (any one of them) that open the page
    "changelist": ("view", "change"),
    "change": ("view", "change"),
    "history": ("view", "change"),
    "add": ("add",),
    "delete": ("delete",),
}
# Pages no one may open, superusers included: the admin class refuses every user.
REFUSED_TO_ALL = {
    "admin:axes_accessattempt_add", "admin:axes_accesslog_add", "admin:axes_accessfailurelog_add",
}


def admin_rows(world):
    """One row of each model the admin has that the world does not already hold."""
    axes = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "x@example.com", "http_accept": "*/*",
            "path_info": "/accounts/login/"}
    return {
        Group: Group.objects.get(name="Coaches"),
        AccessAttempt: AccessAttempt.objects.create(**axes, get_data="", post_data="", failures_since_start=1),
        AccessLog: AccessLog.objects.create(**axes),
        AccessFailureLog: AccessFailureLog.objects.create(**axes),
        type(world.owner): world.owner,
        type(world.career): world.career,
        type(world.welding): world.welding,
        Assessment: world.report,
    }


def admin_model_rule(name):
    """The general admin rule for admin:<app>_<model>_<action>, or None if the name is not one."""
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}_"
        action = name.removeprefix(prefix)
        if name.startswith(prefix) and action in ADMIN_ACTIONS:
            return model, action, ADMIN_ACTIONS[action]
    if name == "admin:auth_user_password_change":  # the user admin's set-password page
        return get_user_model(), "password", ("change",)
    return None


def admin_model_checks(world, name):
    model, action, perms = admin_model_rule(name)
    row = admin_rows(world)[model]
    opts = model._meta
    expect = staff_only() | {
        role: 200 if any(getattr(world, role).has_perm(f"{opts.app_label}.{perm}_{opts.model_name}") for perm in perms) else 403
        for role in ("coach", "elsewhere", "manager")
    }
    if name in REFUSED_TO_ALL:
        expect |= {role: 403 for role in STAFF}
    args = () if action in ("changelist", "add") else (lambda w: row.pk,)
    return [Check(expect, args=args)]


def checks_for(world, name):
    if name in RULES:
        return RULES[name]
    if admin_model_rule(name):
        return admin_model_checks(world, name)
    return None


def describe(check, name, world):
    url = reverse(name, args=[arg(world) for arg in check.args]) + check.query
    return f"{check.method.upper()} {url}"


# -- the tests ---------------------------------------------------------------------------------


def test_every_route_has_an_access_rule():
    unruled = [name for name in route_names() if name not in RULES and admin_model_rule(name) is None]
    assert not unruled, "\n".join(f"new route {name} has no access rule in {__name__}.RULES" for name in unruled)


def test_rules_name_only_routes_that_exist():
    assert sorted(set(RULES) - set(route_names())) == []


def test_the_route_walk_reaches_the_admin_and_the_coaches_pages():
    names = route_names()
    for name in ("home", "assessments:report", "admin:index", "admin:assessments_assessment_cohort",
                 "admin:careers_career_change", "admin:axes_accessattempt_changelist"):
        assert name in names


@pytest.mark.parametrize("name", route_names())
def test_access(world, name):
    checks = checks_for(world, name)
    assert checks, f"new route {name} has no access rule"
    failures = []
    for check in checks:
        for role in ORDER:
            client = client_for(world, role)
            url = reverse(name, args=[arg(world) for arg in check.args]) + check.query
            data = check.data(world) if check.data else {}
            response = getattr(client, check.method)(url, data) if check.method == "post" else client.get(url)
            wrong = problem(check.expect[role], world, response)
            if wrong:
                failures.append(f"{role:>10}  {describe(check, name, world)}: {wrong}")
    assert not failures, "\n" + "\n".join(failures)


def test_a_refused_post_changes_nothing(world):
    """The POST rows above refuse other people with 404; here the rows are checked untouched."""
    before = Assessment.objects.filter(pk=world.visitor_draft.pk).values().get()
    result = Assessment.objects.filter(pk=world.visitor_report.pk).values().get()
    strangers = Assessment.objects.filter(pk=world.stranger_draft.pk).values().get()
    strangers_ratings = world.stranger_draft.ratings.count()
    for role in ("stranger", "other", "plain_staff", "coach", "elsewhere", "manager", "superuser"):
        client = client_for(world, role)
        client.post(reverse("assessments:delete", args=[world.report.pk]))
        client.post(reverse("assessments:retake", args=[world.report.pk]))
        client.post(reverse("assessments:matches", args=[world.report.pk]), {"career": world.fitter.slug})
        client.post(reverse("assessments:step", args=[world.visitor_draft.pk, "background"]),
                    {"highest_education": "2", "years_experience": "9", "certifications": "Forged"})
        client.post(reverse("assessments:delete", args=[world.visitor_draft.pk]))
        client.post(reverse("assessments:delete", args=[world.visitor_report.pk]))
        client.post(reverse("assessments:retake", args=[world.visitor_report.pk]))
        client.post(reverse("assessments:matches", args=[world.visitor_report.pk]), {"career": world.career.slug})
    assert Assessment.objects.filter(pk=world.report.pk).exists()
    assert Assessment.objects.filter(owner=world.owner).count() == 2  # the report and the draft, nothing new
    assert Assessment.objects.filter(pk=world.visitor_draft.pk).values().get() == before
    assert Assessment.objects.filter(pk=world.visitor_report.pk).values().get() == result
    # The stranger's own draft took no answers from the visitor's result.
    assert Assessment.objects.filter(pk=world.stranger_draft.pk).values().get() == strangers
    assert world.stranger_draft.ratings.count() == strangers_ratings


def test_each_anonymous_session_resumes_only_its_own_draft(world):
    """Two anonymous visitors start the same career: each lands on, and keeps, a draft of its own."""
    assert world.visitor_draft.pk != world.stranger_draft.pk
    for role, draft in (("visitor", world.visitor_draft), ("stranger", world.stranger_draft)):
        response = client_for(world, role).get(reverse("assessments:start", args=[world.career.slug]))
        assert response["Location"] == reverse("assessments:step", args=[draft.pk, "background"])
    # A new visitor with no session gets a third draft, never one of theirs.
    response = client_for(world, "anonymous").get(reverse("assessments:start", args=[world.career.slug]))
    assert response["Location"] not in {reverse("assessments:step", args=[d.pk, "background"])
                                        for d in (world.visitor_draft, world.stranger_draft)}


def test_staff_without_the_permission_read_no_report(world):
    """is_staff alone opens no report, JSON, PDF or matches page; the permission to view assessments
    opens those of the people who share with you; the permission to view all opens every one."""
    url = reverse("assessments:report", args=[world.report.pk])
    client = client_for(world, "plain_staff")
    for name in ("report", "report_json", "report_pdf", "matches"):
        assert client.get(reverse(f"assessments:{name}", args=[world.report.pk])).status_code == 404, name
    world.plain_staff.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    assert client_for(world, "plain_staff").get(url).status_code == 404  # the owner does not share with them
    Sharing.objects.create(person=world.owner, coach=world.plain_staff)
    assert client_for(world, "plain_staff").get(url).status_code == 200
    Sharing.objects.filter(coach=world.plain_staff).delete()
    world.plain_staff.user_permissions.add(Permission.objects.get(codename="view_all_assessments"))
    assert client_for(world, "plain_staff").get(url).status_code == 200


def test_a_refused_coach_rating_post_changes_nothing(world):
    """A coach of another caseload, or staff without the permission, posting a rating changes no row."""
    rating = world.report.ratings.get(skill_name="Welding")
    before = list(world.report.ratings.values())
    for role in ("elsewhere", "plain_staff", "other", "anonymous"):
        client_for(world, role).post(reverse("admin:assessments_assessment_coach_ratings", args=[world.report.pk]),
                                     {f"level_{rating.pk}": "4", "level": "4"})
    assert not CoachRating.objects.exists()
    assert list(world.report.ratings.values()) == before


def test_stopping_sharing_is_effective_at_the_next_request(world):
    coach = client_for(world, "coach")
    urls = [reverse(f"assessments:{name}", args=[world.report.pk]) for name in ("report", "report_json", "report_pdf")]
    urls += [reverse("admin:assessments_assessment_change", args=[world.report.pk]),
             reverse("admin:assessments_assessment_coach_ratings", args=[world.report.pk])]
    assert [coach.get(url).status_code for url in urls] == [200] * 5
    client_for(world, "owner").post(reverse("accounts:sharing_stop", args=[world.sharing.pk]), {"keep": "keep"})
    assert [coach.get(url).status_code for url in urls] == [404] * 5
