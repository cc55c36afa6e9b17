"""A 375 px wide phone: the questionnaire and the report fit the width, and every control is reachable."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import make_user

from .questionnaire import PASSWORD, continue_, current_step, fill_background, levels_for, log_in, rate, submit
from .support import PHONE, assert_controls_reachable, assert_no_horizontal_scroll, new_page, set_width, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def check_fits(driver):
    assert_no_horizontal_scroll(driver)
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
