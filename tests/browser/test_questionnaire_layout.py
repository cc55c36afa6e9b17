"""A shorter, calmer rating step: its height on a desktop and a phone, the answered count, the
warning before leaving unsaved answers, and how the page looks (screenshots, axe)."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .questionnaire import continue_, current_step, fill_background, onet_career, page_height, rating_groups
from .support import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll, screenshot, set_width, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUIDE_STEP_MAX_PX = 3000  # the guide's 12-skill technical step at 1280 px (6,500 px before)
PHONE_SCREENS = 8  # a 25-item O*NET step at 375 px, in screens of 812 px


def open_step(driver, slug, step):
    visit(driver, reverse("assessments:start", args=[slug]))
    assert current_step(driver) == "background"
    fill_background(driver)
    continue_(driver)
    assert current_step(driver) == "technical"
    if step != "technical":
        driver.get(driver.current_url.replace("/technical/", f"/{step}/"))


def answered_text(driver):
    return driver.find_element(By.CSS_SELECTOR, "[data-answered-count]").text


def test_the_guides_technical_step_fits_3000_px_on_a_desktop(browser, browser_tools, catalog):
    open_step(browser, "production-associate", "technical")
    assert len(rating_groups(browser)) == 12
    set_width(browser, DESKTOP)
    height = page_height(browser)
    print(f"guide technical step at 1280 px: {height} px")
    assert height <= GUIDE_STEP_MAX_PX, f"{height} px tall"
    # Each level of a guide skill keeps its title and the skill's own example, once per level.
    first = rating_groups(browser)[0]
    assert "Could teach it" in first.text and "This career asks for level" in first.text
    assert browser.page_source.count("I could train someone else") == 1
    screenshot(browser, "questionnaire-guide-technical")
    set_width(browser, PHONE)
    assert_no_horizontal_scroll(browser)
    set_width(browser, DESKTOP)
    assert_accessible(browser, browser_tools)


def test_a_25_item_onet_step_fits_8_phone_screens(browser, browser_tools, transactional_db):
    career = onet_career(25)
    technical = career.requirements.exclude(skill__kind="soft").count()
    open_step(browser, career.slug, "technical")
    assert len(rating_groups(browser)) == technical == 20
    # All 25 on one page: the same questions with the soft ones as another step would be shorter.
    from careers.models import Skill

    Skill.objects.filter(requirements__career=career, kind="soft").update(kind="technical")
    browser.refresh()
    assert len(rating_groups(browser)) == 25
    screenshot(browser, "questionnaire-onet-technical")
    set_width(browser, PHONE)
    height = page_height(browser)
    print(f"25-item O*NET step at 375 px: {height} px = {height / PHONE[1]:.1f} screens")
    assert height <= PHONE_SCREENS * PHONE[1], f"{height} px tall, {height / PHONE[1]:.1f} screens"
    assert_no_horizontal_scroll(browser)
    # Each anchor sits under the row of levels, tied to its own level's radio.
    group = rating_groups(browser)[0]
    radio = group.find_element(By.CSS_SELECTOR, "input[value='4']")
    anchor = browser.find_element(By.ID, radio.get_attribute("aria-describedby"))
    assert anchor.text.startswith("4 ") and "credit references" in anchor.text
    assert group.find_element(By.CSS_SELECTOR, "input[value='3']").get_attribute("aria-describedby") is None
    set_width(browser, DESKTOP)
    print(f"25-item O*NET step at 1280 px: {page_height(browser)} px")
    # Wide enough, the anchor starts under its own level.
    left = lambda element: element.rect["x"]  # noqa: E731
    assert abs(left(anchor) - left(group.find_element(By.CSS_SELECTOR, "input[value='4']").find_element(By.XPATH, ".."))) < 5
    assert_accessible(browser, browser_tools)


def test_the_answered_count_follows_the_answers(browser, catalog):
    open_step(browser, "production-associate", "soft")
    groups = rating_groups(browser)
    total = len(groups)
    assert answered_text(browser) == f"0 of {total} answered"
    assert browser.find_element(By.CSS_SELECTOR, "[data-answered-count]").get_attribute("aria-live") == "polite"
    groups[0].find_element(By.CSS_SELECTOR, "input[value='2']").click()
    groups[1].find_element(By.CSS_SELECTOR, "input[value='3']").click()
    groups[0].find_element(By.CSS_SELECTOR, "input[value='1']").click()
    assert answered_text(browser) == f"2 of {total} answered"


def leaving_is_warned(driver):
    """Whether the page asks before it is left: a beforeunload event it cancels."""
    return driver.execute_script(
        "const event = new Event('beforeunload', {cancelable: true});"
        "window.dispatchEvent(event); return event.defaultPrevented;"
    )


def test_leaving_a_step_with_unsaved_answers_is_warned_and_saving_is_not(browser, catalog):
    open_step(browser, "production-associate", "soft")
    assert leaving_is_warned(browser) is False
    rating_groups(browser)[0].find_element(By.CSS_SELECTOR, "input[value='2']").click()
    assert leaving_is_warned(browser) is True
    # Submitting the step (even with answers missing) is not leaving them behind, and the form
    # comes back with the answer kept.
    browser.execute_script(
        "const form = document.querySelector('[data-rating-form]');"
        "form.addEventListener('submit', () => { window.warnedOnSubmit = (() => {"
        "  const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;"
        "})(); });"
    )
    continue_(browser)
    assert current_step(browser) == "soft"
    assert browser.find_element(By.ID, "error-summary").is_displayed()
    kept = browser.find_elements(By.CSS_SELECTOR, "fieldset.sg-rating input:checked")
    assert [element.get_attribute("value") for element in kept] == ["2"]
    assert leaving_is_warned(browser) is False


def test_the_background_step_warns_too(browser, catalog):
    visit(browser, reverse("assessments:start", args=["production-associate"]))
    assert leaving_is_warned(browser) is False
    browser.find_element(By.NAME, "years_experience").send_keys("2")
    assert leaving_is_warned(browser) is True
