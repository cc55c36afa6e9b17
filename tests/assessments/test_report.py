"""The gap report: who may see it, the numbers on it, and the same numbers in JSON and PDF."""

import importlib
import io
import re

import pytest
import weasyprint
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from accounts.models import Sharing
from assessments import matching, pdf, questionnaire, report
from assessments.models import Assessment, ReportPdf
from careers.models import Career, CareerLevel, Skill, SkillRequirement
from tests.factories import make_career, make_coach, make_skill, make_user

from .helpers import add_step, pdf_text, skilled_career, submitted

pytestmark = pytest.mark.django_db
KINDS = ("report", "report_json", "report_pdf")


@pytest.fixture
def path():
    """Associate -> Senior on one career path, plus two other careers sharing some skills."""
    s1, s2 = make_skill("Machine operation"), make_skill("Quality checks")
    s3 = make_skill("Teamwork", kind=Skill.Kind.SOFT)
    leadership = make_skill("Leadership", kind=Skill.Kind.SOFT)
    associate = make_career("Associate", slug="associate", education_required=1, requirements=[
        (s1, "technical", 5, 3), (s2, "technical", 4, 2), (s3, "soft", 3, 3),
    ])
    senior = make_career("Senior", slug="senior", requirements=[
        (s1, "technical", 5, 4), (s2, "technical", 4, 3), (leadership, "soft", 4, 3),
    ])
    inspector = make_career("Inspector", slug="inspector", requirements=[(s1, "technical", 3, 1), (s2, "technical", 2, 2)])
    make_career("Mechanic", slug="mechanic", requirements=[
        (s1, "technical", 4, 4), ("Hydraulics", "technical", 4, 3), ("Welding", "technical", 3, 3), ("Wiring", "technical", 3, 3),
    ])
    for position, title, profile in [(1, "Associate", associate), (2, "Senior Associate", senior)]:
        CareerLevel.objects.create(career=associate, position=position, title=title, profile=profile)
    add_step(associate, "Operator course", [s1], cost=(300, 900), months=(1, 3), position=1)
    add_step(associate, "Quality workshop", [s2], cost=(0, 0), months=(0.25, 0.5), position=2)
    add_step(associate, "Apprenticeship", [s1, s2], cost=(None, None), months=(12, 24), position=3)
    return associate


@pytest.fixture
def owner():
    return make_user()


@pytest.fixture
def assessment(owner, path):
    return submitted(owner, path, {"Machine operation": 1, "Quality checks": 2, "Teamwork": 4}, highest_education=0)


def url(kind, assessment):
    return reverse(f"assessments:{kind}", args=[assessment.pk])


def figure(html, name):
    return float(re.search(rf'data-figure="{name}">([−+\-\d.]+)', html).group(1).replace("−", "-"))


# Access


@pytest.mark.parametrize("kind", KINDS)
def test_the_owner_sees_the_report(client, owner, assessment, kind):
    client.force_login(owner)
    response = client.get(url(kind, assessment))
    assert response.status_code == 200
    if kind == "report_pdf":
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", KINDS)
def test_coaches_see_their_caseload_reports_only(client, assessment, kind):
    coach = make_coach()
    client.force_login(coach)
    assert client.get(url(kind, assessment)).status_code == 404  # not in the coach's caseload yet
    Sharing.objects.create(person=assessment.owner, coach=coach)  # the owner accepts the coach's invitation
    assert client.get(url(kind, assessment)).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_another_user_gets_404_not_403(client, assessment, kind):
    client.force_login(make_user())
    assert client.get(url(kind, assessment)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_users_are_sent_to_log_in(client, assessment, kind):
    response = client.get(url(kind, assessment))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(kind, assessment)}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_has_no_report(client, owner, path, kind):
    draft = Assessment.objects.create(owner=owner, career=path, current_step="soft")
    client.force_login(make_coach())
    assert client.get(url(kind, draft)).status_code == 404
    client.force_login(owner)
    response = client.get(url(kind, draft))
    if kind == "report":  # the owner is taken back to where they left off
        assert response["Location"] == reverse("assessments:step", args=[draft.pk, "soft"])
    else:
        assert response.status_code == 404


# What the report says


def test_report_figures(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    # Missing 5x2 = 10 of 5x3 + 4x2 + 3x3 = 32: 100 x (1 - 10/32) = 68.75 -> 68.8
    assert figure(html, "readiness") == 68.8
    assert figure(html, "technical") == 56.5  # 1 - 10/23
    assert figure(html, "soft") == 100.0
    assert figure(html, "critical") == 1
    # Each term divided by its scale's top (all on 0-4 here): 10/4 and 32/4.
    assert "Σ(importance × gap ÷ scale top) = 2.5 and Σ(importance × required level ÷ scale top) = 8" in html
    assert "How is this calculated?" in html
    assert float(assessment.readiness) == 68.8


def test_report_chart_is_accessible_svg_with_a_table_of_the_same_numbers(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Required level and your level for 3 skills" in svg
    assert "Machine operation: required 3, you 1, gap 2 (critical)" in svg
    assert "pattern" in svg  # the required bars are hatched, not just a different colour
    row = re.search(r'<tr data-skill="Machine operation"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'data-col="\w+">([\d.]+)[ <]', row) == ["5", "3", "1", "2"]
    assert "Critical gap" in row


def test_report_lists_gaps_by_priority_strengths_and_education(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    gaps = html[html.index('id="gaps-heading"'):html.index('id="strengths-heading"')]
    assert "Machine operation</strong>:\n        2 levels short" in gaps
    assert "essential to this career" in gaps and "priority" not in gaps  # plain words; sums go to the method
    assert "Quality checks" not in gaps
    strengths = html[html.index('id="strengths-heading"'):html.index('id="education-heading"')]
    assert "Teamwork: you 4, needs 3 of 4 (+1)" in strengths
    assert "Quality checks (level 2 of 4)" in strengths
    education = html[html.index('id="education-heading"'):html.index('id="plan-heading"')]
    assert "High school diploma or GED" in education and "Not met yet" in education


def test_report_plans_the_cheapest_steps_that_cover_the_gaps(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    plan = html[html.index('id="plan-heading"'):html.index('id="careers-heading"')]
    # Only Machine operation has a gap: the operator course and the apprenticeship both address
    # it; the course is the one with a known, lower cost. The quality workshop closes nothing.
    titles = re.findall(r'<h3 class="h5">([^<]+) <span', plan)
    assert titles == ["Operator course"]
    assert "This plan:</strong>\n      $300–$900" in plan and "1–3 months" in plan
    assert "1 other option for the same gaps (not in the totals)" in plan and "Apprenticeship: Cost not known" in plan
    # Closing Machine operation's gap of 2 at importance 5 takes readiness to 100 x (1 - 0/32).
    assert "up to 100% ready" in plan
    assert "Quality workshop" not in plan


def test_the_verdict_and_first_steps_come_first(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    body = html[html.index("<article"):]
    assert body.index('id="verdict-heading"') < body.index('id="summary-heading"') < body.index('id="gaps-heading"')
    verdict = body[body.index('id="verdict-heading"'):body.index('id="summary-heading"')]
    # 68.8% with one critical gap: "Close" (60% or more), naming the critical gap to close first.
    assert "Close</h2>" in verdict and "Close the 1 critical gap below first, then apply." in verdict
    assert "Do this first" in verdict and "<strong>Operator course</strong>" in verdict
    assert 'up to <span data-figure="reaches">100</span>% ready' in verdict


def test_report_shows_the_next_level_and_the_closest_careers(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url("report", assessment)).content.decode()
    section = html[html.index('id="careers-heading"'):html.index('id="method-heading"')]
    assert "Next on the career path: Senior Associate" in section
    # Senior over the shared skills: 1 - (5x3 + 4x1) / (5x4 + 4x3) = 40.6
    assert figure(section, "next-level") == 40.6
    assert "over 2 of its 3 skills" in section and "Not rated in this questionnaire: Leadership" in section
    assert reverse("assessments:start", args=["senior"]) in section
    assert "Inspector" in section and "100%" in section
    assert "2 of 2" in section and "Machine operation, Quality checks</details>" in section
    assert "Mechanic" not in section  # only one of its four skills was compared
    assert section.count("<tr>") == 2  # header + Inspector: Senior is shown once, as the next level


def test_a_retake_shows_progress_skill_by_skill(client, owner, path, assessment):
    client.force_login(owner)
    client.post(reverse("assessments:retake", args=[assessment.pk]))
    retake = Assessment.objects.get(previous=assessment)
    questionnaire.save_ratings(
        assessment=retake, levels={r.skill_id: 3 for r in path.requirements.all()}, next_step="review"
    )
    questionnaire.submit_assessment(assessment=retake)
    html = client.get(url("report", retake)).content.decode()
    assert "Since your previous attempt" in html
    assert figure(html, "readiness-change") == 31.2  # 100 - 68.8
    assert re.search(r"<th scope=\"row\">Machine operation</th>\s*<td>1</td>\s*<td>3</td>\s*<td>\+2", html)
    assert re.search(r"<th scope=\"row\">Teamwork</th>\s*<td>4</td>\s*<td>3</td>\s*<td>−1", html)


def test_json_is_exactly_the_documented_shape_with_the_html_numbers(client, owner, assessment):
    client.force_login(owner)
    data = client.get(url("report_json", assessment)).json()
    html = client.get(url("report", assessment)).content.decode()
    assert set(data) == {"career", "verdict", "readiness", "technical", "soft", "skills", "plan", "next_steps",
                         "work_styles", "related", "attribution", "coach_ratings", "readiness_with_coach_ratings"}
    assert data["attribution"] is None and data["work_styles"] == [] and data["related"] == []  # a guide career
    assert data["verdict"] == {"label": "close", "text": "Close: Close the 1 critical gap below first, then apply."}
    assert data["career"] == "associate"
    assert (data["readiness"], data["technical"], data["soft"]) == (
        figure(html, "readiness"), figure(html, "technical"), figure(html, "soft")
    )
    for skill in data["skills"]:
        assert set(skill) == {"skill", "kind", "category", "importance", "scale_max", "required", "self", "gap",
                              "critical", "origin"}
        assert (skill["scale_max"], skill["origin"], skill["category"]) == (4, "self", "")
        row = re.search(rf'<tr data-skill="{skill["skill"]}"[^>]*>(.*?)</tr>', html, re.S).group(1)
        shown = [float(value) for value in re.findall(r'data-col="\w+">([\d.]+)[ <]', row)]
        assert shown == [skill["importance"], skill["required"], skill["self"], skill["gap"]]
        assert ("Critical gap" in row) is skill["critical"]
    assert data["next_steps"] == [  # the chosen path, in the shape integrations already read
        {"title": "Operator course", "cost_min": 300, "cost_max": 900, "months_min": 1.0, "months_max": 3.0,
         "skills": ["Machine operation"]},
    ]
    assert data["plan"]["steps"] == [
        {"title": "Operator course", "cost_min": 300, "cost_max": 900, "months_min": 1.0, "months_max": 3.0,
         "gaps": ["Machine operation"], "meets_education": False, "reaches": 100.0,
         "cost_source": "estimate", "time_source": "estimate"},
    ]
    assert [step["title"] for step in data["plan"]["alternatives"]] == ["Apprenticeship"]
    assert data["plan"]["fastest"] is None  # the course is also the quickest
    assert (data["plan"]["cost_min"], data["plan"]["cost_max"], data["plan"]["months_max"]) == (300, 900, 3.0)


def test_pdf_carries_the_same_figures_as_the_json(client, owner, assessment):
    client.force_login(owner)
    data = client.get(url("report_json", assessment)).json()
    text, pages = pdf_text(client.get(url("report_pdf", assessment)).content)
    assert 1 <= pages <= 4
    assert "Your readiness for Associate" in text
    assert f"{report_tags_num(data['readiness'])}%" in text
    assert "Overall readiness" in text and "Critical gap" in text
    for skill in data["skills"]:
        assert skill["skill"] in text
    # The one gap, with its figures, as the JSON gives them.
    gap = next(s for s in data["skills"] if s["gap"])
    assert f"{gap['skill']}:" in text and "2 levels short (needs 3 of 4, you 1)" in text
    assert "Operator course" in text and "$300–$900" in text
    assert "take the" not in text  # no links to follow on paper


def report_tags_num(value):
    from assessments.templatetags.report_tags import num

    return num(value)


# The PDF of a full report: the built-in Production Associate career has 20 skills.

def words(text):
    return " ".join(text.split())


def pdf_pages(content):
    """The text of each page, its page-number footer taken out, and the first page's size in points."""
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    texts = [re.sub(r"Page \d+ of \d+", "", page.extract_text()) for page in reader.pages]
    return texts, (round(float(box.width)), round(float(box.height)))


@pytest.fixture
def full_report(owner):
    """A retaken 20-skill assessment, rated 0 or 1, so the report has every section and both tables."""
    call_command("load_catalog", verbosity=0)
    career = Career.objects.get(slug="production-associate")
    names = list(career.requirements.order_by("skill__name").values_list("skill__name", flat=True))
    assert len(names) == 20
    first = submitted(owner, career, {name: index % 2 for index, name in enumerate(names)},
                      highest_education=0, certifications="OSHA 10-hour")
    draft = questionnaire.retake_assessment(assessment=first)
    questionnaire.save_ratings(
        assessment=draft,
        levels={r.skill_id: (index // 2) % 2 for index, r in enumerate(draft.ratings.order_by("skill__name"))},
        next_step="review",
    )
    return questionnaire.submit_assessment(assessment=draft)[0]


def test_a_20_skill_pdf_is_at_most_4_letter_pages_and_says_what_the_json_says(client, owner, full_report):
    client.force_login(owner)
    data = client.get(url("report_json", full_report)).json()
    content = client.get(url("report_pdf", full_report)).content
    texts, size = pdf_pages(content)
    text = words(" ".join(texts))
    assert pdf_text(content)[1] == len(texts) <= 4
    assert size == (612, 792)  # US Letter
    # Page 1: the verdict, the summary's figures and the start of the chart.
    first = words(texts[0])
    assert data["verdict"]["text"].replace(": ", " ", 1) in first
    for key, label in (("readiness", "Overall readiness"), ("technical", "Technical skills and knowledge"),
                       ("soft", "Soft skills")):
        assert f"{report_tags_num(data[key])}% {label}" in first
    assert "Since your previous attempt" in first and "Skill by skill" in first
    # Every gap, with the JSON's numbers, marked critical exactly when the JSON says so.
    gaps = [skill for skill in data["skills"] if skill["gap"]]
    assert len(gaps) >= 15 and any(gap["critical"] for gap in gaps) and not all(gap["critical"] for gap in gaps)
    for gap in gaps:
        levels = "level" if gap["gap"] == 1 else "levels"
        sentence = (f"{gap['skill']}: {report_tags_num(gap['gap'])} {levels} short "
                    f"(needs {report_tags_num(gap['required'])} of {gap['scale_max']}, you {report_tags_num(gap['self'])})")
        assert sentence in text
        assert (f"Critical {sentence}" in text) == gap["critical"], gap["skill"]
    for step in data["plan"]["steps"]:
        assert step["title"] in text


def headings_left_at_a_page_foot(document):
    """Headings that are the last thing on their page, from WeasyPrint's laid-out boxes."""
    stranded = []
    for page in document.pages[:-1]:
        flow = [box for child in page._page_box.children if not isinstance(child, boxes.MarginBox)
                for box in child.descendants()]
        headings = [box for box in flow if isinstance(box, boxes.BlockBox) and box.element_tag in ("h2", "h3")]
        if headings:
            last = max(headings, key=lambda box: box.position_y)
            foot = last.position_y + last.margin_height()
            if not any(isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) and box.position_y >= foot - 0.01
                       for box in flow):
                stranded.append("".join(box.text for box in last.descendants() if isinstance(box, boxes.TextBox)))
    return stranded


def table_pieces_of_one_row(document):
    """Tables of several rows that a page break splits leaving one row on a page: their captions."""
    pieces = {}  # table element -> rows on each page it spans
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox):
                rows = sum(len(group.children) for group in box.children
                           if isinstance(group, boxes.TableRowGroupBox) and not (group.is_header or group.is_footer))
                pieces.setdefault(box.element, []).append(rows)
    return [table.findtext("caption") for table, rows in pieces.items() if len(rows) > 1 and 1 in rows]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_heading_is_left_at_the_foot_of_a_pdf_page_nor_one_row_of_a_table(full_report, settings, monkeypatch,
                                                                               paper):
    settings.REPORT_PAPER = paper
    documents, render = [], weasyprint.HTML.render

    def keep_the_layout(*args, **kwargs):
        documents.append(render(*args, **kwargs))
        return documents[-1]

    monkeypatch.setattr(weasyprint.HTML, "render", keep_the_layout)
    pdf.draw(full_report)
    assert len(documents[0].pages) > 1
    assert headings_left_at_a_page_foot(documents[0]) == []
    assert table_pieces_of_one_row(documents[0]) == []


def test_the_pdf_is_drawn_on_a4_when_the_setting_says_so(owner, full_report, settings):
    settings.REPORT_PAPER = "a4"
    texts, size = pdf_pages(pdf.draw(full_report))
    assert size == (595, 842) and len(texts) <= 4


def test_decimal_requirements_round_the_same_way_everywhere(client, owner):
    career = make_career(requirements=[("Precision", "technical", 4.25, 2.75), ("Calm", "soft", 3.5, 1.25)])
    assessment = submitted(owner, career, {"Precision": 2, "Calm": 1})
    client.force_login(owner)
    data = client.get(url("report_json", assessment)).json()
    html = client.get(url("report", assessment)).content.decode()
    assert figure(html, "readiness") == data["readiness"] == float(Assessment.objects.get(pk=assessment.pk).readiness)
    precision = next(s for s in data["skills"] if s["skill"] == "Precision")
    assert (precision["importance"], precision["required"], precision["gap"]) == (4.2, 2.8, 0.8)


# Constant queries: a stored report is read, never worked out again


def report_queries(client, technical, soft):
    owner = make_user()
    career = skilled_career(technical=technical, soft=soft, importance=4, level=3)
    skills = [r.skill for r in career.requirements.all()]
    for number in range(3):
        add_step(career, f"Step {number}", skills[number::3], cost=(100, 200))
    other = make_career(requirements=[(skill, skill.kind, 3, 2) for skill in skills])
    CareerLevel.objects.create(career=career, position=1, title="Here", profile=career)
    CareerLevel.objects.create(career=career, position=2, title="Next", profile=other)
    first = submitted(owner, career, default=1)
    client.force_login(owner)
    client.post(reverse("assessments:retake", args=[first.pk]))
    retake = questionnaire.submit_assessment(assessment=Assessment.objects.get(previous=first))[0]
    counts = {}
    for kind in KINDS:
        matching.forget()  # a report view must not need the requirement table at all
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(kind, retake)).status_code == 200
        counts[kind] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("report_pdf", retake)).status_code == 200
    counts["report_pdf again"] = len(queries)
    return counts


def test_report_queries_do_not_grow_with_the_number_of_skills(client):
    small = report_queries(client, technical=2, soft=1)
    large = report_queries(client, technical=14, soft=6)
    assert small == large
    # session, user, the assessment with its owner; the PDF also looks for its stored copy, and
    # the first time stores what it drew (in a savepoint on databases that have them).
    # session, user, the assessment with its owner; the PDF also reads its stored copy; the page and
    # the JSON also read the coaches' ratings beside the stored document.
    assert large["report"] == large["report_json"] == 4
    assert large["report_pdf again"] == 4


def test_a_pdf_is_drawn_once_then_served_from_storage(client, owner, assessment, monkeypatch):
    drawn = []
    real_draw = pdf.draw
    monkeypatch.setattr(pdf, "draw", lambda a: drawn.append(a.pk) or real_draw(a))
    client.force_login(owner)
    first = client.get(url("report_pdf", assessment)).content
    second = client.get(url("report_pdf", assessment)).content
    coach = make_coach()
    Sharing.objects.create(person=owner, coach=coach)
    client.force_login(coach)
    third = client.get(url("report_pdf", assessment)).content
    assert drawn == [assessment.pk]
    assert first == second == third and ReportPdf.objects.filter(assessment=assessment).count() == 1


def test_pdf_renders_are_bounded_per_person_and_in_all(client, owner, assessment, settings):
    settings.PDF_RENDERS_AT_ONCE = 2
    client.force_login(owner)
    with pdf.render_slot(owner.pk):  # this person's own draw is still running
        response = client.get(url("report_pdf", assessment))
    assert response.status_code == 429 and response["Retry-After"] == "5"
    assert "Your PDF is being prepared" in response.content.decode()
    others = [make_user() for _ in range(2)]
    with pdf.render_slot(others[0].pk), pdf.render_slot(others[1].pk):  # every shared slot taken
        response = client.get(url("report_pdf", assessment))
    assert response.status_code == 503 and not ReportPdf.objects.exists()
    assert client.get(url("report_pdf", assessment)).status_code == 200  # free again afterwards


# The report is a document as of submission


def next_level_section(client, assessment):
    html = client.get(url("report", assessment)).content.decode()
    return html[html.index('id="careers-heading"'):html.index('id="method-heading"')]


def article(html):
    return html[html.index("<article"):html.index("</article>")]


def test_a_report_reads_as_it_did_on_the_day_it_was_submitted(client, owner, assessment):
    client.force_login(owner)
    before = article(client.get(url("report", assessment)).content.decode())
    assert figure(next_level_section(client, assessment), "next-level") == 40.6
    senior = SkillRequirement.objects.get(career__slug="senior", skill__name="Quality checks")
    senior.level = 2  # an admin edit after the submission
    senior.save()
    Career.objects.get(slug="inspector").delete()
    associate = Career.objects.get(slug="associate")
    associate.title = "Renamed"
    associate.save()
    after = article(client.get(url("report", assessment)).content.decode())
    assert figure(next_level_section(client, assessment), "next-level") == 40.6
    assert "Inspector" in next_level_section(client, assessment)
    assert after == before
    # A new submission sees the catalog as it is now: 1 - (5x3) / (5x4 + 4x2) = 46.4
    later = submitted(owner, associate, {"Machine operation": 1, "Quality checks": 2, "Teamwork": 4})
    assert figure(next_level_section(client, later), "next-level") == 46.4
    assert "Inspector" not in next_level_section(client, later)


def test_the_stored_document_is_what_every_format_reads(client, owner, assessment):
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.report["version"] == report.VERSION
    assert stored.report_html == report.render_body(stored.report)
    assert float(stored.readiness) == stored.report["score"]["readiness"]
    assert stored.critical_gaps == stored.report["score"]["critical_count"]
    client.force_login(owner)
    assert client.get(url("report_json", assessment)).json() == report.report_json(stored.report) | {
        "coach_ratings": [], "readiness_with_coach_ratings": None,  # read live beside the document
    }


def retaken(client, owner, assessment):
    client.force_login(owner)
    client.post(reverse("assessments:retake", args=[assessment.pk]))
    retake = questionnaire.submit_assessment(assessment=Assessment.objects.get(previous=assessment))[0]
    assert "Since your previous attempt" in client.get(url("report", retake)).content.decode()
    return retake


def test_deleting_the_earlier_attempt_takes_it_out_of_the_retakes_report(client, owner, path, assessment):
    retake = retaken(client, owner, assessment)
    client.get(url("report_pdf", retake))
    questionnaire.delete_assessment(assessment=assessment)
    stored = Assessment.objects.get(pk=retake.pk)
    assert stored.report["progress"] is None and stored.report["previous"] is None
    assert "Since your previous attempt" not in client.get(url("report", retake)).content.decode()
    assert not ReportPdf.objects.filter(assessment=retake).exists()  # drawn again, without it


def test_the_report_shows_the_owners_current_name(client, owner, path, assessment):
    retake = retaken(client, owner, assessment)
    client.get(url("report_pdf", retake))
    owner.first_name, owner.last_name = "Ada", "Lovelace"
    owner.save()
    html = client.get(url("report", retake)).content.decode()
    assert "by <bdi class=\"sg-user-text\">Ada Lovelace</bdi>" in html and "Since your previous attempt" in html
    assert "Ada Lovelace" in pdf_text(client.get(url("report_pdf", retake)).content)[0]
    assert "Ada Lovelace" not in str(Assessment.objects.get(pk=retake.pk).report)


def test_a_report_is_only_for_its_owner_and_coaches(client, owner, assessment):
    client.force_login(owner)
    mine = client.get(url("report", assessment)).content.decode()
    assert "Retake this assessment" in mine and "as a coach" not in mine
    client.force_login(make_user())
    assert client.get(url("report", assessment)).status_code == 404
    assert client.get(url("report_json", assessment)).status_code == 404
    coach = make_coach(first_name="Coach")
    Sharing.objects.create(person=owner, coach=coach)  # in the coach's caseload
    client.force_login(coach)
    theirs = client.get(url("report", assessment)).content.decode()
    assert "report as a coach" in theirs and "Retake this assessment" not in theirs
    assert figure(theirs, "readiness") == figure(mine, "readiness")


def test_render_reports_draws_every_stored_body_again_and_drops_stored_pdfs(client, owner, assessment, capsys):
    client.force_login(owner)
    client.get(url("report_pdf", assessment))
    Assessment.objects.filter(pk=assessment.pk).update(report_html="<p>drawn by an older release</p>")
    call_command("render_reports", "--dry-run")
    assert Assessment.objects.get(pk=assessment.pk).report_html == "<p>drawn by an older release</p>"
    call_command("render_reports")
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.report_html == report.render_body(stored.report)
    assert not ReportPdf.objects.exists()
    assert "Drew 1 stored report again." in capsys.readouterr().out


def test_the_data_migration_gives_old_submissions_the_same_document(client, owner, path, assessment):
    """Submissions from before stored reports get, from their snapshots, what submitting writes now."""
    retake = retaken(client, owner, assessment)
    other = submitted(make_user(), path, {"Machine operation": 4, "Quality checks": 0}, highest_education=5,
                      certifications="OSHA 10-hour\nForklift")
    written = {a.pk: (a.report, a.report_html) for a in Assessment.objects.submitted()}
    assert len(written) == 3
    Assessment.objects.update(report=None, report_html="")
    migration = importlib.import_module("assessments.migrations.0005_report_documents")
    migration.write_documents(apps, connection.schema_editor())
    migrated = {a.pk: (a.report, a.report_html) for a in Assessment.objects.submitted()}
    assert migrated == written
    assert migrated[retake.pk][0]["previous"]["id"] == assessment.pk
    assert migrated[retake.pk][0]["progress"]["readiness"] == 0  # the same answers again
    assert migrated[other.pk][0]["certifications"] == "OSHA 10-hour\nForklift"
