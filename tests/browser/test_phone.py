"""A 375 px wide phone: the questionnaire and the report fit the width, and every control is reachable."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import make_user

from .questionnaire import PASSWORD, continue_, current_step, fill_background, levels_for, log_in, rate, submit
from .support import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_controls_reachable,
    assert_no_horizontal_scroll,
    assert_nothing_overflows,
    new_page,
    overflowing_elements,
    set_width,
    stacked_cell_labels,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def check_fits(driver):
    assert_no_horizontal_scroll(driver)
    assert_nothing_overflows(driver)
    assert_controls_reachable(driver)


def test_questionnaire_and_report_fit_a_phone(browser, catalog):
    make_user("lee@example.com", password=PASSWORD)
    set_width(browser, PHONE)
    log_in(browser, "lee@example.com")
    visit(browser, reverse("assessments:start", args=["production-associate"]))

    assert current_step(browser) == "background"
    check_fits(browser)
    fill_background(browser)
    continue_(browser)
    for step, pattern in (("technical", [1, 2, 3]), ("soft", [3, 0, 2])):
        assert current_step(browser) == step
        check_fits(browser)
        rate(browser, levels_for(browser, pattern))
        continue_(browser)
    assert current_step(browser) == "review"
    check_fits(browser)
    submit(browser)

    assert browser.find_element(By.CSS_SELECTOR, "[data-figure='readiness']").is_displayed()
    check_fits(browser)

    # The navigation folds into a menu button on a phone.
    menu = browser.find_element(By.CSS_SELECTOR, ".navbar-toggler")
    assert menu.is_displayed()
    menu.click()
    dashboard = browser.find_element(By.LINK_TEXT, "My assessments")
    WebDriverWait(browser, 5).until(lambda driver: dashboard.is_displayed())
    with new_page(browser):
        dashboard.click()
    check_fits(browser)


def retaken_assessment(email):
    """A 20-skill Production Associate assessment taken twice, with a draft of a third attempt: the
    report has its progress table, the dashboard two rows and a draft."""
    from django.contrib.auth import get_user_model

    from assessments import questionnaire
    from careers.models import Career
    from tests.assessments.helpers import submitted

    owner = get_user_model().objects.get(email=email)
    career = Career.objects.get(slug="production-associate")
    names = list(career.requirements.order_by("skill__name").values_list("skill__name", flat=True))
    first = submitted(owner, career, {name: index % 3 for index, name in enumerate(names)}, highest_education=1,
                      certifications="OSHA 10-hour")
    draft = questionnaire.retake_assessment(assessment=first)
    questionnaire.save_ratings(assessment=draft, levels={r.skill_id: 1 for r in draft.ratings.all()}, next_step="review")
    retake = questionnaire.submit_assessment(assessment=draft)[0]
    questionnaire.retake_assessment(assessment=retake)
    return retake


def open_every_disclosure(driver):
    driver.execute_script("document.querySelectorAll('main details').forEach(d => { d.open = true; })")


def test_report_career_page_and_dashboard_fit_a_phone_inside_every_box(browser, browser_tools, catalog):
    make_user("kim@example.com", password=PASSWORD)
    retake = retaken_assessment("kim@example.com")
    set_width(browser, PHONE)
    log_in(browser, "kim@example.com")
    pages = {
        "report": reverse("assessments:report", args=[retake.pk]),
        "career page": reverse("careers:detail", args=["production-associate"]),
        "dashboard": reverse("accounts:dashboard"),
    }
    for name, path in pages.items():
        visit(browser, path)
        open_every_disclosure(browser)
        assert_nothing_overflows(browser)
        # Tables stack their rows on a phone, each value after the name of its column.
        assert browser.find_elements(By.CSS_SELECTOR, "main table"), name
        assert stacked_cell_labels(browser) == [], name
        assert browser.execute_script(
            "return [...document.querySelectorAll('main tbody tr')].every(r => getComputedStyle(r).display !== 'table-row')"
        ), f"the {name}'s tables are still laid out as tables"
        # Stacked, a table is still a table to a screen reader: cells with their column headers.
        cell = browser.find_element(By.CSS_SELECTOR, "main tbody td")
        header = browser.find_element(By.CSS_SELECTOR, "main thead th")
        assert (cell.aria_role, header.aria_role) == ("cell", "columnheader"), name
        assert_accessible(browser, browser_tools)

    # The report's chart: the narrow layout, the whole 0 to 4 scale within the screen, named for
    # screen readers; the wide layout is not shown (nor announced).
    visit(browser, pages["report"])
    narrow = browser.find_element(By.CSS_SELECTOR, "svg.sg-chart-narrow")
    wide = browser.find_element(By.CSS_SELECTOR, ".sg-chart-wide")
    assert narrow.is_displayed() and not wide.is_displayed()
    assert narrow.aria_role == "image" and "for 20 skills" in narrow.accessible_name
    right = browser.execute_script("return arguments[0].getBoundingClientRect().right", narrow)
    assert right <= PHONE[0]
    four = narrow.find_element(By.XPATH, ".//*[local-name()='text'][normalize-space()='4']")
    assert four.is_displayed() and four.rect["x"] + four.rect["width"] <= PHONE[0]


def test_the_overflow_check_finds_a_box_that_scrolls_sideways(browser, catalog):
    make_user("lou@example.com", password=PASSWORD)
    retake = retaken_assessment("lou@example.com")
    set_width(browser, PHONE)
    log_in(browser, "lou@example.com")
    visit(browser, reverse("assessments:report", args=[retake.pk]))
    assert overflowing_elements(browser) == []
    # What the old report did on a phone: a chart 600 px wide in a box that scrolls sideways.
    browser.execute_script(
        "const figure = document.querySelector('.sg-chart-figure'); figure.style.overflowX = 'auto';"
        "const chart = document.querySelector('.sg-chart-narrow'); chart.style.minWidth = '600px';"
        "chart.style.maxWidth = 'none';"
    )
    found = overflowing_elements(browser)
    assert len(found) == 1 and found[0].startswith("figure.sg-chart-figure") and "scrolls or cuts it sideways" in found[0]
    # A long unbroken word spilling out of its paragraph; a table wider than the box it scrolls in;
    # a list pushed past the window's edge. Each is named once, not every box around it.
    browser.execute_script(
        "document.querySelector('.sg-meta').textContent = 'x'.repeat(200);"
        "document.querySelector('#skills-table').style.minWidth = '500px';"
        "document.querySelector('.sg-first-steps').style.marginRight = '-80px';"
    )
    found = overflowing_elements(browser)
    assert len(found) == 4, found
    assert found[0].startswith("figure.sg-chart-figure")
    assert found[1].startswith("div.table-responsive") and "Required and self-rated level" in found[1]
    assert found[2].startswith("ol.sg-first-steps") and "px in a 375px window" in found[2]
    assert found[3].startswith("p.sg-meta") and "inside its" in found[3]


def test_the_report_shows_the_wide_chart_on_a_desktop(browser, catalog):
    make_user("max@example.com", password=PASSWORD)
    retake = retaken_assessment("max@example.com")
    log_in(browser, "max@example.com")
    set_width(browser, DESKTOP)
    visit(browser, reverse("assessments:report", args=[retake.pk]))
    wide = browser.find_element(By.CSS_SELECTOR, ".sg-chart-wide")
    assert wide.is_displayed() and not browser.find_element(By.CSS_SELECTOR, "svg.sg-chart-narrow").is_displayed()
    assert wide.aria_role == "image" and "for 20 skills" in wide.accessible_name and "fall short" in wide.accessible_name
    # One small SVG per skill, stacked without gaps, so that print can break between them.
    rows = browser.find_elements(By.CSS_SELECTOR, ".sg-chart-wide .sg-chart-row")
    assert len(rows) == 20
    tops = [row.rect["y"] for row in rows]
    heights = [row.rect["height"] for row in rows]
    assert all(abs(tops[i] + heights[i] - tops[i + 1]) < 1 for i in range(19))
    assert overflowing_elements(browser) == []
