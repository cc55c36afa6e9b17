"""A coach works the admin: filter, open an assessment, add a note, export CSV."""

import csv
import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from assessments.models import CoachNote
from tests.factories import make_user

from .questionnaire import PASSWORD, submitted_assessment
from .support import new_page, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def downloaded(driver, suffix, timeout=15):
    """The file Chromium saved to its download folder, once it is complete."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = [path for path in driver.download_dir.iterdir() if path.name.endswith(suffix)]
        if files:
            return files[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded into {driver.download_dir}")


def test_coach_filters_opens_notes_and_exports(browser, catalog, monkeypatch):
    struggling = submitted_assessment(make_user("pat@example.com", first_name="Pat", last_name="Low"), lambda r: 1)
    submitted_assessment(make_user("robin@example.com", first_name="Robin", last_name="High"), lambda r: 4)
    submitted_assessment(make_user("casey@example.com", first_name="Casey", last_name="Mid"), lambda r: 2)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    call_command("create_coach", "coach@example.com", "--first-name", "Morgan", "--password-stdin", stdout=io.StringIO())

    visit(browser, "/admin/")
    browser.find_element(By.NAME, "username").send_keys("coach@example.com")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    with new_page(browser):
        browser.find_element(By.CSS_SELECTOR, f"a[href='{reverse('admin:assessments_assessment_changelist')}']").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")) == 3
    screenshot(browser, "admin-assessments")

    # Production Associate, under 50% readiness: only Pat.
    filters = browser.find_element(By.ID, "changelist-filter")
    with new_page(browser):
        filters.find_element(By.LINK_TEXT, "Production Associate").click()
    with new_page(browser):
        browser.find_element(By.ID, "changelist-filter").find_element(By.LINK_TEXT, "Under 50%").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == 1
    assert "pat@example.com" in rows[0].text
    assert f"{struggling.readiness}%" in rows[0].text

    with new_page(browser):
        rows[0].find_element(By.CSS_SELECTOR, "th a, td a").click()
    page = browser.find_element(By.ID, "content").text
    assert "pat@example.com" in page
    assert "Critical" in page  # the gaps are read from the ratings, critical ones marked
    screenshot(browser, "admin-assessment")
    browser.find_element(By.NAME, "coach_notes-0-text").send_keys("Suggested the OSHA 10-hour course first.")
    Select(browser.find_element(By.NAME, "review_status")).select_by_visible_text("Reviewed")
    with new_page(browser):
        browser.find_element(By.NAME, "_continue").click()
    assert "was changed successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert "Suggested the OSHA 10-hour course first." in browser.find_element(By.ID, "content").text
    note = CoachNote.objects.get()
    assert (note.assessment_id, note.author.email) == (struggling.pk, "coach@example.com")

    # Export all three as CSV: one row each, with the readiness the admin shows.
    visit(browser, reverse("admin:assessments_assessment_changelist"))
    browser.find_element(By.ID, "action-toggle").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("export_csv")
    browser.find_element(By.NAME, "index").click()
    with downloaded(browser, ".csv").open(newline="", encoding="utf-8-sig") as exported:
        rows = list(csv.DictReader(exported))
    assert sorted(row["E-mail"] for row in rows) == ["casey@example.com", "pat@example.com", "robin@example.com"]
    pat = next(row for row in rows if row["E-mail"] == "pat@example.com")
    assert float(pat["Overall readiness"]) == float(struggling.readiness)
    assert any(column.startswith("Gap: ") for column in pat)
