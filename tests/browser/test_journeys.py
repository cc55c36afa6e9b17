"""A job seeker's journeys through the questionnaire and the report, in a real browser."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.factories import make_user

from .questionnaire import (
    PASSWORD,
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
    submitted_assessment,
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
    assert heading(browser) == "My assessments"
    check_page(browser, browser_tools, "dashboard-draft")
    with new_page(browser):
        browser.find_element(By.PARTIAL_LINK_TEXT, "Resume the draft").click()
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

    # The chart has a text equivalent that a screen reader announces, with the same counts.
    gaps = sum(1 for skill in data["skills"] if skill["gap"] > 0)
    critical = sum(1 for skill in data["skills"] if skill["critical"])
    assert figure(browser, "critical") == critical
    chart = browser.find_element(By.CSS_SELECTOR, ".sg-chart-wide")  # the layout a desktop shows
    assert chart.aria_role == "image"  # Chromium's name for role="img"
    assert "for 20 skills" in chart.accessible_name
    assert f"{gaps} skills fall short, {critical} of them critical" in chart.accessible_name + " " + chart.find_element(
        By.TAG_NAME, "desc"
    ).get_attribute("textContent")
    # Colour is never the only signal: each skill's status is also said in words.
    for skill in data["skills"]:
        status = browser.find_element(By.CSS_SELECTOR, f"#skills-table tr[data-skill='{skill['skill']}'] td:last-child").text
        expected = "Critical gap" if skill["critical"] else "Gap" if skill["gap"] else ("Met", "Exceeded")
        assert status.lstrip("✔⚠ ").startswith(expected), (skill["skill"], status)


def test_closing_the_browser_mid_questionnaire_loses_nothing(new_browser, catalog):
    make_user("sam@example.com", password=PASSWORD)
    first = new_browser()
    log_in(first, "sam@example.com")
    visit(first, START)
    fill_background(first, education="Associate's degree", years="4", certifications="Forklift operator\nOSHA 10-hour")
    continue_(first)
    technical = levels_for(first, [4, 1, 3, 0, 2])
    rate(first, technical)
    continue_(first)
    assert current_step(first) == "soft"
    first.quit()  # the page (and the whole browser) closes half-way

    second = new_browser()
    log_in(second, "sam@example.com")
    visit(second, reverse("careers:detail", args=["production-associate"]))
    with new_page(second):
        second.find_element(By.LINK_TEXT, "Start the questionnaire").click()
    assert current_step(second) == "soft", "did not resume where the user left off"
    assert set(chosen_levels(second).values()) == {None}

    with new_page(second):
        second.find_element(By.LINK_TEXT, "Technical skills and knowledge").click()
    assert chosen_levels(second) == technical
    with new_page(second):
        second.find_element(By.LINK_TEXT, "Your background").click()
    assert Select(second.find_element(By.NAME, "highest_education")).first_selected_option.text == "Associate's degree"
    assert float(second.find_element(By.NAME, "years_experience").get_attribute("value")) == 4
    assert second.find_element(By.NAME, "certifications").get_attribute("value") == "Forklift operator\nOSHA 10-hour"


def test_retake_shows_progress_against_the_first_attempt(browser, browser_tools, catalog):
    user = make_user("alex@example.com", password=PASSWORD)
    first = submitted_assessment(user, lambda requirement: 1)
    log_in(browser, "alex@example.com")
    visit(browser, first.get_absolute_url())
    assert figure(browser, "readiness") == float(first.readiness)

    with new_page(browser):
        browser.find_element(By.XPATH, "//button[normalize-space()='Retake this assessment']").click()
    assert current_step(browser) == "background"
    # The retake starts from the earlier answers.
    assert float(browser.find_element(By.NAME, "years_experience").get_attribute("value")) == 2
    continue_(browser)
    assert set(chosen_levels(browser).values()) == {1}
    improved = {name: 3 for name in list(chosen_levels(browser))[:4]}
    rate(browser, improved)
    continue_(browser)
    assert set(chosen_levels(browser).values()) == {1}
    continue_(browser)
    submit(browser)

    data = report_json(browser, browser.current_url)
    assert data["readiness"] > float(first.readiness)
    change = figure(browser, "readiness-change")
    assert change == pytest.approx(data["readiness"] - float(first.readiness), abs=0.11)
    progress = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='progress-heading']")
    for name in improved:
        row = progress.find_element(By.XPATH, f".//tr[th[normalize-space()='{name}']]")
        before, now, change = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")][:3]
        assert (before, now, change.split()[0]) == ("1", "3", "+2")
        assert "(up)" in change  # said in words too, not only by an arrow
    check_page(browser, browser_tools, "report-retake")

    # The dashboard shows both attempts, with the trend drawn and told in words.
    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "My assessments").click()
    history = browser.find_element(By.CSS_SELECTOR, "main table").text
    assert f"{first.readiness}%" in history and f"{data['readiness']}%" in history
    trend = browser.find_element(By.CSS_SELECTOR, "main svg[role=img]")
    assert trend.find_element(By.TAG_NAME, "title").get_attribute("textContent").strip()
    check_page(browser, browser_tools, "dashboard")


def test_an_anonymous_visitor_reads_the_report_then_signs_up_and_finds_it_on_the_dashboard(browser, browser_tools,
                                                                                           catalog):
    visit(browser, START)
    fill_background(browser)
    continue_(browser)
    rate(browser, levels_for(browser, [2, 1, 3]))
    continue_(browser)
    rate(browser, levels_for(browser, [3, 2]))
    continue_(browser)
    submit(browser)

    # The report at once, without an account, offering one.
    assert heading(browser) == "Your readiness for Production Associate"
    report_url = browser.current_url
    data = report_json(browser, report_url)
    assert figure(browser, "readiness") == data["readiness"]
    keep = browser.find_element(By.CSS_SELECTOR, "aside[aria-label='Keep this report']")
    assert "Create an account to keep this report and track your progress" in keep.text
    assert " by " not in browser.find_element(By.CSS_SELECTOR, ".sg-meta").text
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Retake this assessment']")
    check_page(browser, browser_tools, "report-anonymous")
    # The careers close to these answers too; starting one from them waits for an account.
    report_path = urlsplit(report_url).path
    visit(browser, report_path.replace("/report/", "/matches/"))
    assert browser.find_elements(By.CSS_SELECTOR, "li.sg-match")
    assert not browser.find_elements(By.CSS_SELECTOR, "form.sg-match-action")
    assert "create an account" in browser.find_element(By.CSS_SELECTOR, "main .alert").text
    check_page(browser, browser_tools, "matches-anonymous")
    visit(browser, report_path)

    keep = browser.find_element(By.CSS_SELECTOR, "aside[aria-label='Keep this report']")
    with new_page(browser):
        keep.find_element(By.LINK_TEXT, "Create an account").click()
    sign_up(browser, "casey@example.com")
    assert browser.current_url == report_url
    assert "now kept in your account" in browser.find_element(By.CSS_SELECTOR, "main").text
    assert " by casey@example.com." in browser.find_element(By.CSS_SELECTOR, ".sg-meta").text
    assert figure(browser, "readiness") == data["readiness"]

    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "My assessments").click()
    history = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "Production Associate" in history and f"{data['readiness']}%" in history
