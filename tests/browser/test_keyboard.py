"""The whole questionnaire with the keyboard only: Tab, arrow keys, Space and Enter, no clicks."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.keys import Keys

from tests.factories import make_user

from .questionnaire import PASSWORD, current_step, figure, heading, report_json
from .support import focused, new_page, press, tab_to, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def activate(driver, key=Keys.ENTER):
    with new_page(driver):
        press(driver, key)


def rate_with_arrows(driver, level_for):
    """Rate every skill on the page: Tab into each radio group, Space, then arrow down to the level."""
    groups = driver.execute_script("return document.querySelectorAll('fieldset.sg-rating').length")
    chosen = {}
    previous = None
    for index in range(groups):
        radio = tab_to(
            driver,
            lambda element: element["type"] == "radio" and element["name"] != previous,
            f"the radio group of skill {index + 1}",
        )
        press(driver, Keys.SPACE)
        level = level_for(index)
        for _ in range(level):
            press(driver, Keys.ARROW_DOWN)
        now = focused(driver)
        assert now["checked"] and now["value"] == str(level), f"arrow keys did not choose level {level}: {now}"
        # The focused option is visibly marked, not only by colour: its label gets an outline.
        outline = driver.execute_script(
            "const label = document.querySelector(`label[for='${document.activeElement.id}']`);"
            "return getComputedStyle(label).outlineStyle"
        )
        assert outline != "none", "the focused rating option has no visible focus outline"
        previous = radio["name"]
        chosen[previous] = level
    return chosen


def test_questionnaire_can_be_finished_with_the_keyboard_only(browser, catalog):
    make_user("kim@example.com", password=PASSWORD)
    visit(browser, reverse("accounts:login"))
    tab_to(browser, lambda element: element["name"] == "username", "the e-mail field")
    press(browser, "kim@example.com", Keys.TAB, PASSWORD)
    activate(browser)

    visit(browser, reverse("careers:detail", args=["production-associate"]))
    tab_to(browser, lambda element: element["text"] == "Start the questionnaire", "the start link")
    activate(browser)
    assert current_step(browser) == "background"

    tab_to(browser, lambda element: element["name"] == "highest_education", "the education choice")
    press(browser, "High school")  # typing an option's first letters chooses it in a closed select
    assert focused(browser)["value"] == "1"
    press(browser, Keys.TAB, "3", Keys.TAB, "Forklift operator")
    tab_to(browser, lambda element: element["text"] == "Save and continue", "the continue button")
    activate(browser)
    assert current_step(browser) == "technical"

    technical = rate_with_arrows(browser, lambda index: index % 5)
    assert len(technical) == 12
    tab_to(browser, lambda element: element["text"] == "Save and continue", "the continue button")
    activate(browser)
    assert current_step(browser) == "soft"

    soft = rate_with_arrows(browser, lambda index: 4 - index % 5)
    assert len(soft) == 8
    tab_to(browser, lambda element: element["text"] == "Save and continue", "the continue button")
    activate(browser, Keys.SPACE)
    assert current_step(browser) == "review"

    tab_to(browser, lambda element: element["text"] == "Submit and see my report", "the submit button")
    activate(browser)
    assert heading(browser) == "Your readiness for Production Associate"
    data = report_json(browser, browser.current_url)
    assert sorted(skill["self"] for skill in data["skills"]) == sorted([*technical.values(), *soft.values()])
    assert figure(browser, "readiness") == data["readiness"]
