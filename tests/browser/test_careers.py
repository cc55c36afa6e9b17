"""Finding a career: the home page, search on the career list, and the career's page."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .support import PHONE, assert_no_horizontal_scroll, check_page, new_page, set_width, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_visitor_finds_production_associate_from_the_home_page(browser, browser_tools, catalog):
    visit(browser, reverse("home"))
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, f"main a[href='{reverse('careers:list')}']").click()
    check_page(browser, browser_tools, "career-list")

    search = browser.find_element(By.ID, "id_q")
    assert browser.find_element(By.CSS_SELECTOR, "label[for='id_q']").text
    search.send_keys("associate")
    with new_page(browser):
        search.send_keys(Keys.ENTER)
    titles = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".career-list h2 a")]
    assert "Production Associate" in titles
    assert f"{len(titles)} careers match" in browser.find_element(By.TAG_NAME, "main").text
    check_page(browser, browser_tools, "career-search")

    with new_page(browser):
        browser.find_element(By.LINK_TEXT, "Production Associate").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Production Associate"
    # All 12 technical and 8 soft skills of the seed guide, each with its importance and level.
    rows = browser.find_elements(By.CSS_SELECTOR, "table.requirements tbody tr")
    assert len(rows) == 20
    assert all("of 5" in row.text and "level" in row.text for row in rows)
    assert browser.find_element(By.LINK_TEXT, "Start the questionnaire").get_attribute("href").endswith(
        reverse("assessments:start", args=["production-associate"])
    )
    check_page(browser, browser_tools, "career-detail")


def test_search_with_no_match_says_so(browser, browser_tools, catalog):
    visit(browser, reverse("careers:list") + "?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "No career matches" in browser.find_element(By.TAG_NAME, "main").text
    check_page(browser, browser_tools, "career-search-empty")


def test_career_pages_fit_a_phone(browser, catalog):
    set_width(browser, PHONE)
    for path in (reverse("home"), reverse("careers:list"), reverse("careers:detail", args=["production-associate"])):
        visit(browser, path)
        assert_no_horizontal_scroll(browser)
