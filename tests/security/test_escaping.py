"""Text people type is shown as text: markup in a name, an answer, a note, a search, a career
written by a superuser or an O*NET file never runs, on any page, in the admin, in the PDF.

Each hostile text carries a script tag, an image with an onerror handler and both kinds of
quote, so it would break out of an element or an attribute if it were not escaped. Every page
must show it (escaped) and must not contain it raw. JSON and CSV are not HTML: there the text
comes back exactly as typed, under a content type no browser runs.
"""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Sharing
from assessments import pdf
from assessments.models import Assessment, CoachNote
from careers import search
from careers.models import Career, Skill
from tests.assessments.helpers import add_step, pdf_text, submitted
from tests.factories import make_career, make_skill, make_user

from .conftest import client_for

ONET_FIXTURES = Path(__file__).resolve().parent.parent / "data" / "onet"


def hostile(where):
    return f"""<script>alert("{where}")</script><img src=x onerror='{where}'>"""


# What must never reach a page unescaped, and what the escaped text looks like.
RAW = ["<script>alert(", "<img src=x", "onerror='"]
ESCAPED = "&lt;script&gt;alert(&quot;"


def strings(data):
    """Every text value in a JSON document, however deep."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def assert_shown_escaped(response, *places):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"{raw!r} reached {response.request['PATH_INFO']} unescaped"
    for where in places:
        assert f"{ESCAPED}{where}&quot;)&lt;/script&gt;" in html, f"{where} is not shown on {response.request['PATH_INFO']}"


@pytest.fixture
def hostile_world(world):
    """A career whose every text a superuser could set is hostile, and an owner with a hostile name."""
    owner = make_user("mallory@example.com", first_name=hostile("first"), last_name="O'Hara \" onmouseover=\"x")
    skill = make_skill(hostile("skill"), description=hostile("skilldescription"))
    soft = make_skill(hostile("softskill"), kind=Skill.Kind.SOFT)
    career = make_career(
        hostile("title"), slug="hostile", summary=hostile("summary"), typical_education=hostile("education"),
        requirements=[(skill, "technical", 5, 4), (soft, "soft", 3, 3), (world.welding, "technical", 4, 2)],
    )
    add_step(career, hostile("step"), [skill], cost=(10, 20))
    report = submitted(owner, career, {skill.name: 1, soft.name: 2, "Welding": 1},
                       certifications=hostile("certifications"), highest_education=1, years_experience=1)
    draft = Assessment.objects.create(owner=owner, career=world.fitter, certifications=hostile("draftcerts"),
                                      highest_education=1, years_experience=1, current_step="review")
    CoachNote.objects.create(assessment=report, author=world.coach, text=hostile("note"))
    Sharing.objects.create(person=owner, coach=world.coach)  # in the coach's caseload
    world.mallory, world.hostile, world.hostile_report, world.hostile_draft = owner, career, report, draft
    return world


def test_job_seeker_pages(hostile_world):
    w = hostile_world
    client = client_for(w, "mallory")
    pk = w.hostile_report.pk
    assert_shown_escaped(client.get(reverse("assessments:report", args=[pk])),
                         "title", "skill", "softskill", "step", "certifications", "first")
    assert_shown_escaped(client.get(reverse("accounts:dashboard")), "title", "first")
    assert_shown_escaped(client.get(reverse("assessments:matches", args=[pk])), "title")
    assert_shown_escaped(client.get(reverse("assessments:step", args=[w.hostile_draft.pk, "review"])), "draftcerts")
    assert_shown_escaped(client.get(reverse("assessments:delete", args=[pk])), "title")
    assert_shown_escaped(client.get(reverse("careers:detail", args=["hostile"])),
                         "title", "summary", "skill", "step", "education")
    assert_shown_escaped(client.get(reverse("careers:list")), "title", "summary")
    draft = client.get(reverse("assessments:start", args=["hostile"]))
    technical = client.get(draft["Location"].replace("background", "technical"))
    assert_shown_escaped(technical, "skill", "skilldescription")


def test_search_text_is_echoed_escaped(hostile_world):
    client = client_for(hostile_world, "anonymous")
    response = client.get(reverse("careers:list"), {"q": hostile("search")})
    assert_shown_escaped(response, "search")
    # In the page title, the search box's value attribute and the "no match" heading alike.
    assert response.content.decode().count(f"{ESCAPED}search") >= 3


def test_the_report_json_is_json_with_the_text_as_typed(hostile_world):
    w = hostile_world
    response = client_for(w, "mallory").get(reverse("assessments:report_json", args=[w.hostile_report.pk]))
    assert response["Content-Type"] == "application/json"
    values = set(strings(json.loads(response.content)))
    for where in ("skill", "softskill", "step"):  # the career is named by its slug
        assert hostile(where) in values
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_pdf_is_drawn_from_escaped_html_and_shows_the_text(hostile_world, monkeypatch):
    w = hostile_world
    drawn = []
    real_html = pdf.weasyprint.HTML

    def capture(*args, string=None, **kwargs):
        drawn.append(string)
        return real_html(*args, string=string, **kwargs)

    monkeypatch.setattr(pdf.weasyprint, "HTML", capture)
    response = client_for(w, "mallory").get(reverse("assessments:report_pdf", args=[w.hostile_report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (html,) = drawn
    for raw in RAW:
        assert raw not in html
    for where in ("title", "skill", "step", "certifications"):
        assert f"{ESCAPED}{where}&quot;)" in html
    text, _ = pdf_text(response.content)
    # Shown as the characters typed, not swallowed as markup.
    assert '<script>alert("title")' in text.replace("\n", "")


def test_the_admin_shows_names_answers_notes_and_careers_escaped(hostile_world):
    w = hostile_world
    coach = client_for(w, "coach")
    assert_shown_escaped(coach.get(reverse("admin:assessments_assessment_changelist")), "first", "title")
    change = coach.get(reverse("admin:assessments_assessment_change", args=[w.hostile_report.pk]))
    assert_shown_escaped(change, "first", "title", "certifications", "note", "skill")
    cohort = coach.get(reverse("admin:assessments_assessment_cohort"), {"career": w.hostile.pk})
    assert_shown_escaped(cohort, "skill")
    superuser = client_for(w, "superuser")
    assert_shown_escaped(superuser.get(reverse("admin:careers_career_changelist")), "title")
    assert_shown_escaped(superuser.get(reverse("admin:careers_career_change", args=[w.hostile.pk])), "title")
    assert_shown_escaped(superuser.get(reverse("admin:careers_skill_changelist")), "skill")
    assert_shown_escaped(superuser.get(reverse("admin:accounts_user_changelist")), "first")
    # The admin's own messages name the object, escaped too.
    saved = superuser.post(reverse("admin:assessments_assessment_changelist"), {
        "action": "mark_reviewed", "_selected_action": [w.hostile_report.pk],
    }, follow=True)
    assert_shown_escaped(saved, "first")


def test_the_csv_export_is_a_download_with_the_text_as_typed(hostile_world):
    w = hostile_world
    response = client_for(w, "coach").post(reverse("admin:assessments_assessment_changelist"), {
        "action": "export_csv", "_selected_action": [w.hostile_report.pk],
    })
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1].startswith(hostile("first"))
    assert rows[1][3] == hostile("title")
    assert f"Gap: {hostile('skill')}" in rows[0]


def test_the_data_export_is_json_with_the_text_as_typed(hostile_world):
    response = client_for(hostile_world, "mallory").get(reverse("accounts:data_export"))
    assert response["Content-Type"] == "application/json"
    values = set(strings(json.loads(response.content)))
    assert hostile("certifications") in values
    assert hostile("title") in values


@pytest.mark.django_db
def test_onet_text_is_shown_escaped(tmp_path, client):
    release = tmp_path / "onet"
    shutil.copytree(ONET_FIXTURES, release)
    occupations = release / "Occupation Data.txt"
    text = occupations.read_text(encoding="utf-8")
    text = text.replace("Widget Assemblers\t", "Widget Assemblers <script>alert(\"onettitle\")</script>\t", 1)
    text = text.replace("Fit widget parts", hostile("onet") + " Fit widget parts", 1)
    occupations.write_text(text, encoding="utf-8")
    call_command("import_onet", str(release), stdout=io.StringIO())
    career = Career.objects.get(onet_code="99-0001.00")
    assert "<script>" in career.title
    assert_shown_escaped(client.get(career.get_absolute_url()), "onet", "onettitle")
    assert_shown_escaped(client.get(reverse("careers:list"), {"q": "widget"}), "onettitle")


# -- SQL-ish input in searches and filters ------------------------------------------------------

CRAFTED = [
    "' OR 1=1 --",
    "%' OR '1'='1",
    "'; DROP TABLE careers_career; --",
    "%", "_", "\\", "\\%", "%%_%%",
    "ünïcødé ✓ 🚀 \u202eevil",
    "\x00", "weld\x00er", "' OR 1=1 --\x00",
    "x" * 5000,
]
OK = (200, 400)


def literal_matches(text):
    """Careers one of whose names (title or an alternate title) holds every word of the text as plain
    characters: the search looks for words (letters and digits; careers.search.fragments, singular
    roots), so quotes, %, _ and backslashes are never wildcards or SQL and a text without a word finds
    nothing; an empty text (NUL is dropped) is no search, and the list is the whole catalog."""
    text = text.replace("\x00", "")
    if not text.strip():
        return set(Career.objects.values_list("pk", flat=True))
    wanted = [fragment for fragment, _whole in search.fragments(text)]
    if not wanted:
        return set()

    def holds(name):
        name = name.casefold()
        return all(fragment in name for fragment in wanted)

    return {
        career.pk for career in Career.objects.prefetch_related("alternate_titles")
        if holds(career.title) or any(holds(alt.title) for alt in career.alternate_titles.all())
    }


@pytest.mark.parametrize("text", CRAFTED)
def test_crafted_career_search_matches_only_the_literal_text(world, text):
    response = client_for(world, "anonymous").get(reverse("careers:list"), {"q": text})
    assert response.status_code in OK
    if response.status_code == 200:
        # A ranked search lists careers.search.Match rows; a text without a word, the plain list of careers.
        found = {getattr(item, "career_id", None) or item.pk for item in response.context["page"].paginator.object_list}
        assert found == literal_matches(text)


@pytest.mark.parametrize("text", CRAFTED)
@pytest.mark.parametrize("changelist", [
    "admin:assessments_assessment_changelist", "admin:careers_career_changelist", "admin:careers_skill_changelist",
])
def test_crafted_admin_search_finds_nothing_and_never_fails(world, changelist, text):
    response = client_for(world, "coach").get(reverse(changelist), {"q": text})
    # PostgreSQL cannot hold NUL in text: the middleware drops it, so "weld\x00er" searches "welder".
    assert response.status_code == 200
    if "\x00" in text:
        plain = client_for(world, "coach").get(reverse(changelist), {"q": text.replace("\x00", "")})
        assert response.context["cl"].result_count == plain.context["cl"].result_count
    elif text != "_":
        assert response.context["cl"].result_count == 0


def filtered_as_written(listed, name, text):
    """The assessments a changelist filter means for this text, among those the unfiltered list
    shows, read straight from the ORM; None where the text is no value of the field (the
    admin must then refuse it)."""
    text = text.replace("\x00", "")  # the middleware drops NUL from every query string
    if name in ("band", "o"):
        # An unknown band is no band, and an unknown ordering changes only the order: every row.
        return listed
    try:
        return set(Assessment.objects.filter(pk__in=listed, **{name: text}).values_list("pk", flat=True))
    except (ValueError, TypeError, ValidationError):
        return None


@pytest.mark.parametrize("text", CRAFTED)
def test_crafted_admin_filters_are_refused_or_ignored(world, text):
    coach = client_for(world, "coach")
    url = reverse("admin:assessments_assessment_changelist")
    listed = set(coach.get(url).context["cl"].queryset.values_list("pk", flat=True))
    assert listed
    for name in ("career__id__exact", "band", "status__exact", "review_status__exact", "submitted_at__gte",
                 "submitted_at__year", "o"):
        response = coach.get(url, {name: text})
        expected = filtered_as_written(listed, name, text)
        # The admin answers a filter it cannot read by sending the page back with ?e=1.
        assert response.status_code in (200, 302, 400), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].endswith("?e=1")
        if response.status_code == 200:
            # Exactly the rows the literal text selects: a crafted value neither widens the
            # list nor reaches the database as anything but a value.
            assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == expected, name
        else:
            assert expected is None or expected == set(), (name, response.status_code)
    cohort = coach.get(reverse("admin:assessments_assessment_cohort"),
                       {"career": text, "date_from": text, "date_to": text})
    assert cohort.status_code in OK
    if cohort.status_code != 400:  # a NUL in the address is refused before any view
        assert cohort.context["cohort"] is None


@pytest.mark.parametrize("text", CRAFTED)
def test_crafted_match_filters_show_only_the_owners_matches(world, text):
    response = client_for(world, "owner").get(
        reverse("assessments:matches", args=[world.report.pk]), {"job_zone": text, "min_readiness": text, "page": text}
    )
    assert response.status_code in OK
    if response.status_code == 200:
        assert response.context["assessment"].pk == world.report.pk
