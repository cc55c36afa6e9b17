"""A job seeker's journeys through the questionnaire and the report, in a real browser."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .questionnaire import (
    chosen_levels,
    continue_,
    current_step,
    figure,
    fill_background,
    heading,
    levels_for,
    log_in,
    rate,
    readiness_by_formula,
    report_json,
    report_rows,
    sign_up,
    submit,
)
from .support import check_page, new_page, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

START = reverse("assessments:start", args=["production-associate"])


def test_visitor_starts_anonymously_signs_up_part_way_and_reads_the_report(browser, browser_tools, catalog):
    visit(browser, reverse("careers:detail", args=["production-associate"]))
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Start the questionnaire").click()
    assert current_step(browser) == "background"
    check_page(browser, browser_tools, "step-background")
    fill_background(browser, education="High school diploma or GED", years="1.5", certifications="OSHA 10-hour")
    continue_(browser)

    assert current_step(browser) == "technical"
    assert len(chosen_levels(browser)) == 12
    check_page(browser, browser_tools, "step-technical")
    technical = levels_for(browser, [2, 3, 1, 4, 0, 2])
    rate(browser, technical)
    continue_(browser)
    assert current_step(browser) == "soft"

    # Part-way through, the visitor makes an account; the draft comes with them.
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Sign up").click()
    sign_up(browser, "jordan@example.com")
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Careers").click()
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Production Associate").click()
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Start the questionnaire").click()
    assert current_step(browser) == "soft", "the draft did not follow the visitor into their new account"

    assert len(chosen_levels(browser)) == 8
    check_page(browser, browser_tools, "step-soft")
    soft = levels_for(browser, [3, 2, 4, 1])
    rate(browser, soft)
    continue_(browser)

    assert current_step(browser) == "review"
    check_page(browser, browser_tools, "step-review")
    submit(browser)

    assert heading(browser) == "Your readiness for Production Associate"
    check_page(browser, browser_tools, "report")
    data = report_json(browser, browser.current_url)
    assert data["career"] == "production-associate"
    assert figure(browser, "readiness") == data["readiness"]
    assert figure(browser, "technical") == data["technical"]
    assert figure(browser, "soft") == data["soft"]
    assert data["readiness"] == readiness_by_formula(data["skills"])
    # The answers given in the browser are the ones scored, and the table shows the JSON's numbers.
    assert {skill["skill"]: skill["self"] for skill in data["skills"]} == {**technical, **soft}
    rows = report_rows(browser)
    assert rows == {
        skill["skill"]: {key: skill[key] for key in ("importance", "required", "self", "gap")}
        for skill in data["skills"]
    }
