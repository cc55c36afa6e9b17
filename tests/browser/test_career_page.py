"""The career page at a desktop's and a phone's width, for a guide career and an O*NET career.

On a 375 px phone the requirements table stacks its rows, and "What it involves" must be there
to read in full: inside the window, as wide as the row, with nothing in any box that scrolls or
spills sideways. Each page is also saved as a screenshot (screenshots/career-*-desktop|phone.png).
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .support import (
    DESKTOP, PHONE, assert_accessible, assert_nothing_overflows, screenshot, set_width, stacked_cell_labels, visit,
)

# As the other browser files: rows the migrations made (groups, content types) are restored after each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_TABLET = (600, 900)  # just above the stacked layout: the table must still fit its box
LONG_ANCHOR = ("Coordinate the work of a large, multi-shift assembly operation, including the scheduling of "
               "people and machines across several production lines")


@pytest.fixture
def onet_career(catalog):
    """An O*NET career as the import writes it: O*NET's elements on 0-7 with its anchors, work styles, steps."""
    from careers.models import Career, LearningStep, Skill, SkillRequirement, WorkStyle

    career = Career.objects.create(
        slug="team-assemblers-51-2092-00", title="Team Assemblers", onet_code="51-2092.00", source="onet",
        summary="Work as part of a team having responsibility for assembling an entire product or component.",
        typical_education="High School Diploma", typical_education_uncertain=True, job_zone=2,
    )
    elements = [
        ("Operation and Control", "2.B.3.h", "Technical Skills", "technical", "3.75", "3.62"),
        ("Quality Control Analysis", "2.B.3.m", "Technical Skills", "technical", "3.50", "3.12"),
        ("Active Listening", "2.A.1.b", "Basic Skills", "soft", "3.25", "3.00"),
        ("Coordination", "2.B.1.b", "Social Skills", "soft", "3.12", "2.88"),
        ("Production and Processing", "2.C.2.a", "Knowledge", "knowledge", "3.80", "4.10"),
        ("Mechanical", "2.C.3.e", "Knowledge", "knowledge", "3.40", "3.55"),
    ]
    for name, element, category, kind, importance, level in elements:
        skill = Skill.objects.create(
            name=name, kind=kind, source="onet", category=category, external_id=element,
            description=f"O*NET's description of {name.lower()}, which can run to a long sentence about the "
                        "equipment, materials, processes and people involved in the work.",
            level_examples={"2": "Adjust the settings on a home appliance.", "4": LONG_ANCHOR,
                            "6": "Direct the operations of a nuclear power plant during an emergency."},
        )
        SkillRequirement.objects.create(career=career, skill=skill, importance=Decimal(importance),
                                        level=Decimal(level), scale_max=7)
    for number, name in enumerate(["Dependability", "Attention to Detail", "Cooperation", "Integrity",
                                   "Self-Control", "Stress Tolerance", "Initiative", "Persistence", "Innovation"]):
        style = Skill.objects.create(name=name, kind="style", source="onet", category="Work Styles",
                                     external_id=f"1.C.9.{number}", description=f"Job requires {name.lower()}.")
        WorkStyle.objects.create(career=career, skill=style, importance=Decimal("4.60") - Decimal(number) / 10)
    LearningStep.objects.create(
        career=career, kind="training", title="On-the-site or in-plant training", months_min=1, months_max=3,
        description="Most often reported (54%): anything beyond one month, up to and including three months.",
        time_source=LearningStep.Figure.ONET,
    )
    return career


def involves_cells(driver):
    """Each "What it involves" cell: its box and how much of its text the window shows."""
    return driver.execute_script(
        """
        return [...document.querySelectorAll('table.requirements tbody tr')].map(row => {
          const cell = row.cells[3], box = cell.getBoundingClientRect(), rowBox = row.getBoundingClientRect();
          return {left: box.left, right: box.right, width: box.width, row: rowBox.width,
                  visible: cell.offsetParent !== null, text: cell.innerText.trim().length,
                  clipped: cell.scrollWidth > cell.clientWidth + 1};
        });
        """
    )


@pytest.mark.parametrize("slug", ["production-associate", "team-assemblers-51-2092-00"])
def test_career_page_reads_at_desktop_and_phone_width(browser, browser_tools, onet_career, slug):
    path = reverse("careers:detail", args=[slug])
    for size in (DESKTOP, SMALL_TABLET, PHONE):
        set_width(browser, size)
        visit(browser, path)
        assert_nothing_overflows(browser)
        cells = involves_cells(browser)
        assert cells, "the page shows no requirements"
        for cell in cells:
            assert cell["visible"] and cell["text"] > 40 and not cell["clipped"], cell
            assert cell["left"] >= 0 and cell["right"] <= size[0], cell
        if size == PHONE:
            # Stacked: the description takes the row's whole width, after its column's name.
            assert all(cell["width"] >= cell["row"] - 1 for cell in cells), cells
            assert stacked_cell_labels(browser) == []
        else:
            assert browser.execute_script(
                "return getComputedStyle(document.querySelector('table.requirements tbody tr')).display"
            ) == "table-row"
        assert_accessible(browser, browser_tools)
    screenshot(browser, f"career-{slug.split('-')[0]}")


def test_onet_career_page_shows_its_scale_work_styles_and_attribution(browser, onet_career):
    set_width(browser, PHONE)
    visit(browser, onet_career.get_absolute_url())
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "level 4 of 7" in main and f"O*NET's example at level 4: {LONG_ANCHOR}" in main
    assert "3.62" not in main and " of 4" not in main
    styles = browser.find_element(By.ID, "styles-heading").find_element(By.XPATH, "..")
    assert "not part of readiness" in styles.text
    assert len(styles.find_elements(By.CSS_SELECTOR, "li")) == 8
    assert "O*NET marks this figure as uncertain" in main
    assert "1–3 months (O*NET's figure)" in main
    footer = browser.find_element(By.TAG_NAME, "footer").text
    assert "O*NET 29.3 Database" in footer and "has not approved, endorsed, or tested these modifications" in footer
