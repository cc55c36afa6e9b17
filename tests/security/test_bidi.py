"""Text people type is isolated for bidirectional display, so a right-to-left override (U+202E)
in a name cannot reverse the words after it ("a name can spoof a sentence").

Each page is rendered with U+202E in everything people type: the job seeker's names and
address, their certifications, a career's titles, a coach's note, a search. In the HTML, every
text holding U+202E must sit inside a <bdi> (the styles say ``bdi { unicode-bidi: isolate }``),
or be the whole text of its block (a heading, a table cell, a list item: the override then
ends with the block). Form fields isolate what they hold, and a page's <title> and SVG
tooltips take no markup, so those are not searched.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Assessment, CoachNote
from careers.models import AlternateTitle

from .conftest import client_for

RLO = "\u202e"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCKS = {"address", "blockquote", "button", "caption", "dd", "div", "dl", "dt", "fieldset", "figcaption", "footer",
          "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "label", "legend", "li", "main", "nav", "ol", "p",
          "section", "summary", "table", "td", "th", "tr", "ul", "body"}
NOT_SEARCHED = {"title", "textarea", "option", "select", "script", "style", "svg"}


class Node:
    def __init__(self, tag, attrs=None, parent=None, text=None):
        self.tag, self.attrs, self.parent, self.text, self.children = tag, attrs or {}, parent, text, []

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def all_text(self):
        if self.text is not None:
            return self.text
        if self.tag in NOT_SEARCHED:
            return ""
        return "".join(child.all_text() for child in self.children)


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.texts = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs), self.stack[-1]))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        node = Node("#text", parent=self.stack[-1], text=data)
        self.stack[-1].children.append(node)
        self.texts.append(node)


def bare_override(text):
    """Whether text has a U+202E outside a Unicode isolate (FSI, LRI or RLI ... PDI)."""
    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(depth - 1, 0)
        elif char == RLO and depth == 0:
            return True
    return False


def unisolated(html, typed=(), exempt_classes=()):
    """The blocks where a U+202E can reorder text after it: texts holding one outside a <bdi> or
    an isolate, unless the text is the whole of its block and exactly something people typed."""
    problems = []
    for node in Tree(html).texts:
        if not bare_override(node.text):
            continue
        ancestors = list(node.ancestors())
        if any(a.tag in NOT_SEARCHED or a.tag == "bdi" for a in ancestors):
            continue
        if any(set(a.attrs.get("class", "").split()) & set(exempt_classes) for a in ancestors):
            continue
        block = next(a for a in ancestors if a.tag in BLOCKS or a.tag == "root")
        if block.all_text().strip() not in typed:
            problems.append(" ".join(block.all_text().split())[:160])
    return problems


TYPED = {f"Olive{RLO} Owner{RLO}", f"owner@exam{RLO}ple.com", f"Weld{RLO}er", f"Fusion{RLO} welder",
         f"Pipe{RLO} fitter", f"OSHA{RLO} 10", f"CDL{RLO} A", f"Call{RLO} on Monday", f"weld{RLO}er",
         f"nothing{RLO}like this"}


@pytest.fixture
def spoofing_world(world):
    """The owner, their answers, a career's titles and a coach's note all carry U+202E."""
    get_user_model().objects.filter(pk=world.owner.pk).update(
        first_name=f"Olive{RLO}", last_name=f"Owner{RLO}", email=f"owner@exam{RLO}ple.com")
    world.owner.refresh_from_db()
    world.career.title = f"Weld{RLO}er"
    world.career.save()
    AlternateTitle.objects.create(career=world.career, title=f"Fusion{RLO} welder")
    world.fitter.title = f"Pipe{RLO} fitter"
    world.fitter.save()
    Assessment.objects.filter(pk=world.report.pk).update(career_title=f"Weld{RLO}er", certifications=f"OSHA{RLO} 10")
    Assessment.objects.filter(pk=world.draft.pk).update(career_title=f"Pipe{RLO} fitter", certifications=f"CDL{RLO} A",
                                                        current_step="review")
    CoachNote.objects.create(assessment=world.report, author=world.coach, text=f"Call{RLO} on Monday")
    return world


SITE_PAGES = [
    ("owner", lambda w: reverse("home")),
    ("owner", lambda w: reverse("accounts:dashboard")),
    ("owner", lambda w: reverse("accounts:delete")),
    ("anonymous", lambda w: reverse("careers:list")),
    ("anonymous", lambda w: reverse("careers:list") + f"?q=weld{RLO}er"),
    ("anonymous", lambda w: reverse("careers:list") + f"?q=nothing{RLO}like this"),
    ("anonymous", lambda w: reverse("careers:detail", args=[w.career.slug])),
    ("owner", lambda w: reverse("assessments:step", args=[w.draft.pk, "background"])),
    ("owner", lambda w: reverse("assessments:step", args=[w.draft.pk, "technical"])),
    ("owner", lambda w: reverse("assessments:step", args=[w.draft.pk, "review"])),
    ("owner", lambda w: reverse("assessments:matches", args=[w.report.pk])),
    ("coach", lambda w: reverse("assessments:matches", args=[w.report.pk])),
    ("owner", lambda w: reverse("assessments:delete", args=[w.report.pk])),
    ("owner", lambda w: reverse("assessments:delete", args=[w.draft.pk])),
]
ADMIN_PAGES = [
    ("coach", lambda w: reverse("admin:assessments_assessment_changelist")),
    ("coach", lambda w: reverse("admin:assessments_assessment_change", args=[w.report.pk])),
    ("coach", lambda w: reverse("admin:assessments_assessment_cohort") + f"?career={w.career.pk}"),
]
# The report's page, JSON and PDF templates are isolated with the report work.
REPORT_PAGES = [
    ("owner", lambda w: reverse("assessments:report", args=[w.report.pk])),
    ("coach", lambda w: reverse("assessments:report", args=[w.report.pk])),
]


def page(world, role, url):
    response = client_for(world, role).get(url(world))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("role, url", SITE_PAGES)
def test_site_pages_isolate_what_people_typed(spoofing_world, role, url):
    html = page(spoofing_world, role, url)
    assert RLO in html  # the page does show some of it
    assert unisolated(html, TYPED) == []


@pytest.mark.parametrize("role, url", ADMIN_PAGES)
def test_the_coaches_admin_pages_isolate_what_people_typed(spoofing_world, role, url):
    html = page(spoofing_world, role, url)
    assert RLO in html
    assert unisolated(html, TYPED) == []


@pytest.mark.parametrize("role, url", REPORT_PAGES)
def test_report_pages_isolate_what_people_typed(spoofing_world, role, url):
    html = page(spoofing_world, role, url)
    assert RLO in html
    assert unisolated(html, TYPED) == []


def test_the_check_finds_an_unisolated_name():
    assert unisolated(f"<p>You are viewing Olive{RLO}'s matches as a coach.</p>", TYPED) != []
    assert unisolated(f"<p>You are viewing <bdi>Olive{RLO}</bdi>'s matches as a coach.</p>", TYPED) == []
    assert unisolated(f"<p>You are viewing \u2068Olive{RLO}\u2069's matches as a coach.</p>", TYPED) == []
    assert unisolated(f"<ul><li>Weld{RLO}er</li><li>Fitter</li></ul>", TYPED) == []
    assert unisolated(f"<h2>Weld{RLO}er: 3 submitted</h2>", TYPED) != []
    assert unisolated(f"<p><span>Weld{RLO}er</span> is linked</p>", TYPED) != []


def test_the_styles_isolate_bdi(settings):
    for name in ("skillgap.css", "print.css"):
        assert "bdi { unicode-bidi: isolate; }" in (settings.BASE_DIR / "static" / "css" / name).read_text()
