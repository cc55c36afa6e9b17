"""axe-core on every main page (no violations of serious or critical impact), and form errors
that a screen reader announces."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.factories import make_user

from .questionnaire import PASSWORD, log_in, submitted_assessment
from .support import (
    PHONE,
    assert_controls_reachable,
    assert_no_horizontal_scroll,
    check_page,
    new_page,
    set_width,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_is_accessible(browser, browser_tools):
    visit(browser, reverse("home"))
    assert browser.find_element(By.TAG_NAME, "h1").text
    check_page(browser, browser_tools, "home")


def test_log_in_and_sign_up_pages_are_accessible(browser, browser_tools):
    visit(browser, reverse("accounts:login"))
    check_page(browser, browser_tools, "login")
    visit(browser, reverse("accounts:signup"))
    check_page(browser, browser_tools, "signup")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(browser):
    visit(browser, reverse("home"))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    link = browser.switch_to.active_element
    assert link.text == "Skip to main content"
    assert link.is_displayed()
    link.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#main")
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def described_errors(driver, field):
    """The text of the elements a field's aria-describedby points at."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    return " ".join(driver.find_element(By.ID, ident).text for ident in ids)


def test_sign_up_errors_are_linked_to_their_fields(browser, browser_tools):
    visit(browser, reverse("accounts:signup"))
    browser.find_element(By.NAME, "email").send_keys("not-an-address")
    browser.find_element(By.NAME, "password1").send_keys("short")
    browser.find_element(By.NAME, "password2").send_keys("different")
    with new_page(browser):
        browser.find_element(By.NAME, "password2").send_keys(Keys.ENTER)

    email = browser.find_element(By.NAME, "email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "valid email address" in described_errors(browser, email)
    confirmation = browser.find_element(By.NAME, "password2")
    assert "didn’t match" in described_errors(browser, confirmation)
    check_page(browser, browser_tools, "signup-errors")


def test_log_in_error_is_announced(browser, browser_tools):
    visit(browser, reverse("accounts:login"))
    browser.find_element(By.NAME, "username").send_keys("nobody@example.com")
    with new_page(browser):
        browser.find_element(By.NAME, "password").send_keys("wrong password" + Keys.ENTER)
    alert = browser.find_element(By.CSS_SELECTOR, ".alert")
    # The message names the field as its label does ("E-mail address"), not Django's "username".
    assert "e-mail address and password" in alert.text
    assert browser.find_element(By.NAME, "username").get_attribute("value") == "nobody@example.com"
    check_page(browser, browser_tools, "login-errors")


def test_questionnaire_errors_are_summarised_focused_and_linked(browser, browser_tools, catalog):
    visit(browser, reverse("assessments:start", args=["production-associate"]))
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]:not([name=search_job])").click()

    # The background step, sent empty: a summary that takes focus, and each error tied to its field.
    summary = browser.find_element(By.ID, "error-summary")
    assert summary.get_attribute("role") == "alert"
    assert browser.switch_to.active_element == summary
    education = browser.find_element(By.NAME, "highest_education")
    assert education.get_attribute("aria-invalid") == "true"
    assert "highest education" in described_errors(browser, education)
    check_page(browser, browser_tools, "step-background-errors")

    Select(education).select_by_visible_text("High school diploma or GED")
    browser.find_element(By.NAME, "years_experience").send_keys("1")
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]:not([name=search_job])").click()
    # The technical step, with one skill rated: every unrated skill's group says what is missing.
    browser.find_element(By.CSS_SELECTOR, "fieldset.sg-rating input[value='2']").click()
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    summary = browser.find_element(By.ID, "error-summary")
    assert browser.switch_to.active_element == summary
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    assert len(links) == 11
    unrated = browser.find_elements(By.CSS_SELECTOR, "fieldset.sg-rating[aria-describedby]")
    assert len(unrated) == 11
    for group in unrated:
        name = group.find_element(By.CSS_SELECTOR, ".sg-rating-name").text
        assert name in described_errors(browser, group)
        # The error is marked by words and a symbol, not only by the red border.
        assert "Choose a level" in described_errors(browser, group)
    # The one answer given is still chosen.
    assert len(browser.find_elements(By.CSS_SELECTOR, "fieldset.sg-rating input:checked")) == 1
    # A link in the summary takes the keyboard to the skill it names.
    links[0].send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("type") == "radio"
    check_page(browser, browser_tools, "step-technical-errors")


def test_account_pages_are_accessible(browser, browser_tools, catalog):
    user = make_user("river@example.com", password=PASSWORD)
    assessment = submitted_assessment(user, lambda requirement: 2)
    visit(browser, reverse("accounts:password_reset"))
    check_page(browser, browser_tools, "password-reset")
    log_in(browser, "river@example.com")
    for name, path in (
        ("password-change", reverse("accounts:password_change")),
        ("assessment-delete", reverse("assessments:delete", args=[assessment.pk])),
        ("account-delete", reverse("accounts:delete")),
    ):
        visit(browser, path)
        assert browser.find_element(By.TAG_NAME, "h1").text
        check_page(browser, browser_tools, name)


def test_career_matches_page_is_accessible_and_fits_a_phone(browser, browser_tools, catalog):
    user = make_user("quinn@example.com", password=PASSWORD)
    assessment = submitted_assessment(user, lambda requirement: 3)
    log_in(browser, "quinn@example.com")
    visit(browser, reverse("assessments:matches", args=[assessment.pk]))
    assert "Production Lead" in browser.find_element(By.TAG_NAME, "main").text
    check_page(browser, browser_tools, "matches")
    set_width(browser, PHONE)
    assert_no_horizontal_scroll(browser)
    assert_controls_reachable(browser)
