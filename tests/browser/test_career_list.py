"""The career list on a phone: it fits 375 px, its search and filters work from the keyboard."""

from decimal import Decimal

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from careers.models import AlternateTitle, Career
from tests.factories import make_career

from .support import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_nothing_overflows,
    focused,
    new_page,
    press,
    set_width,
    tab_to,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def families(catalog):
    """A few O*NET careers in three families, long titles included, one without ratings."""
    onet = Career.Source.ONET
    rated = [("Monitoring", "technical", Decimal("3.5"), Decimal("3.0"))]
    trucks = make_career(title="Industrial Truck and Tractor Operators", source=onet, onet_code="53-7051.00",
                         job_zone=2, requirements=rated, slug="industrial-truck-and-tractor-operators")
    AlternateTitle.objects.create(career=trucks, title="Forklift Driver")
    make_career(title="Team Assemblers", source=onet, onet_code="51-2092.00", job_zone=2, requirements=rated)
    make_career(title="Welding, Soldering, and Brazing Machine Setters, Operators, and Tenders", source=onet,
                onet_code="51-4122.00", job_zone=2, requirements=rated)
    make_career(title="Secretaries and Administrative Assistants, Except Legal, Medical, and Executive",
                source=onet, onet_code="43-6014.00", job_zone=2, requirements=rated)
    make_career(title="Nurse Anesthetists", source=onet, onet_code="29-1151.00", job_zone=5)


def check_fits(driver):
    assert_no_horizontal_scroll(driver)
    assert_nothing_overflows(driver)


def test_the_list_search_and_suggestion_fit_a_phone(browser, families, browser_tools):
    set_width(browser, PHONE)
    for params in ["", "?family=51", "?q=forklift", "?q=forklit"]:
        visit(browser, reverse("careers:list") + params)
        check_fits(browser)
        assert_accessible(browser, browser_tools)
    assert "Did you mean" in browser.find_element(By.TAG_NAME, "main").text
    visit(browser, reverse("careers:list") + "?q=forklift")
    assert "also called: Forklift Driver" in browser.find_element(By.TAG_NAME, "main").text


def test_filters_work_from_the_keyboard(browser, families):
    set_width(browser, PHONE)
    visit(browser, reverse("careers:list"))
    tab_to(browser, lambda now: now["name"] == "family", "The job family filter")
    press(browser, "Production")  # a focused list takes the option whose name is typed
    assert focused(browser)["value"] == "51"
    tab_to(browser, lambda now: now["name"] == "source", "The source filter")
    press(browser, "O")
    assert focused(browser)["value"] == "onet"
    tab_to(browser, lambda now: now["tag"] == "button" and now["text"] == "Search", "The Search button")
    with new_page(browser):
        press(browser, Keys.ENTER)
    assert "family=51" in browser.current_url and "source=onet" in browser.current_url
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "2 careers match these filters." in main
    assert "Production Occupations" in main and "Team Assemblers" in main
    assert "Production Associate" not in main  # the guide's, filtered out by source

    # The search box, typed into and sent with Enter, keeps the filters.
    tab_to(browser, lambda now: now["name"] == "q", "The search box")
    press(browser, "assemblers")
    with new_page(browser):
        press(browser, Keys.ENTER)
    titles = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".sg-career h2 a")]
    assert titles == ["Team Assemblers"]
    check_fits(browser)
