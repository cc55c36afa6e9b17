"""O*NET's terms: every page and format that shows O*NET data carries its attribution, the
modification notice and a link to the licence (careers.onet), and a page with no O*NET data does not.

Walks the career list and page, the questionnaire, the report page, report.json, the PDF and the
matches page, for careers imported from the sample release in tests/data/onet.
"""

import html
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from careers import onet
from careers.models import Career
from tests.assessments.helpers import pdf_text, submitted
from tests.factories import make_user

SAMPLE = Path(__file__).resolve().parent / "data" / "onet"
NOTICE = (onet.ATTRIBUTION, onet.MODIFIED)


def words(text):
    return " ".join(html.unescape(text).split())


def assert_attributed(text, *, link=True):
    text = words(text)
    for sentence in NOTICE:
        assert words(sentence) in text
    assert "O*NET®" in text and "O*NET(R)" not in text
    if link:
        assert onet.LICENSE_URL in text


@pytest.fixture
def imported(db):
    call_command("load_catalog", stdout=StringIO())
    call_command("import_onet", str(SAMPLE), stdout=StringIO())
    return Career.objects.filter(source=Career.Source.ONET).exclude(requirements=None).order_by("onet_code").first()


@pytest.fixture
def owner(db):
    return make_user()


@pytest.fixture
def report(imported, owner):
    return submitted(owner, imported, default=2, highest_education=1)


def test_the_career_list_and_an_onet_career_page_carry_the_notice(client, imported):
    assert_attributed(client.get(reverse("careers:list")).content.decode())
    assert_attributed(client.get(imported.get_absolute_url()).content.decode())


def test_the_guide_career_that_corresponds_to_an_onet_occupation_carries_it(client, imported):
    page = client.get(reverse("careers:detail", args=["production-associate"])).content.decode()
    assert_attributed(page)


def test_the_questionnaire_of_an_onet_career_carries_it(client, imported, owner):
    draft = Assessment.objects.create(owner=owner, career=imported, career_title=imported.title,
                                      career_slug=imported.slug)
    client.force_login(owner)
    for step in ("background", "technical"):
        assert_attributed(client.get(reverse("assessments:step", args=[draft.pk, step])).content.decode())


def test_the_report_page_json_and_pdf_carry_it(client, report, owner):
    client.force_login(owner)
    assert_attributed(client.get(reverse("assessments:report", args=[report.pk])).content.decode())
    data = client.get(reverse("assessments:report_json", args=[report.pk])).json()
    assert_attributed(data["attribution"])
    text, _pages = pdf_text(client.get(reverse("assessments:report_pdf", args=[report.pk])).content)
    # The PDF's links are annotations, not text: the sentences are what a reader of the paper sees.
    assert_attributed(text, link=False)


def test_the_matches_page_carries_it_when_it_lists_onet_careers(client, report, owner):
    client.force_login(owner)
    page = client.get(reverse("assessments:matches", args=[report.pk])).content.decode()
    others = Career.objects.filter(source=Career.Source.ONET).exclude(pk=report.career_id).values_list("title", flat=True)
    assert any(title in page for title in others)  # it lists O*NET careers
    assert_attributed(page)


def test_a_guide_report_without_onet_data_has_no_notice(client, owner, db):
    call_command("load_catalog", stdout=StringIO())  # no O*NET import: nothing related to link
    career = Career.objects.get(slug="production-associate")
    guide = submitted(owner, career, default=2, highest_education=1)
    client.force_login(owner)
    assert client.get(reverse("assessments:report_json", args=[guide.pk])).json()["attribution"] is None
    assert words(onet.MODIFIED) not in words(client.get(reverse("assessments:report", args=[guide.pk])).content.decode())
