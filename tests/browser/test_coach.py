"""A coach works the admin: filter, open an assessment, add a note, export CSV; and the whole
coaching journey, from the coach's invitation to the job seeker's "stop sharing"."""

import csv
import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from accounts.models import Sharing, User
from assessments.models import CoachNote, CoachRating
from tests.factories import make_user

from .questionnaire import PASSWORD, submitted_assessment
from .support import (DESKTOP, PHONE, assert_no_horizontal_scroll, assert_nothing_overflows, new_page, screenshot,
                      set_width, visit)

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
    coach = User.objects.get(email="coach@example.com")
    for person in User.objects.filter(assessments__isnull=False).distinct():  # each accepted the invitation
        Sharing.objects.create(person=person, coach=coach)

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


def admin_log_in(driver, email):
    visit(driver, "/admin/")
    assert "E-mail address" in driver.find_element(By.ID, "content").text
    driver.find_element(By.NAME, "username").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    with new_page(driver):
        driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()


def test_invitation_to_coach_ratings_to_stop_sharing(new_browser, catalog, monkeypatch):
    pat = make_user("pat@example.com", password=PASSWORD, first_name="Pat", last_name="Quinn")
    report = submitted_assessment(pat, lambda r: 1)
    submitted_assessment(make_user("robin@example.com", first_name="Robin"), lambda r: 2)  # never shares
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    call_command("create_coach", "coach@example.com", "--first-name", "Morgan", "--last-name", "Lee",
                 "--password-stdin", stdout=io.StringIO())

    # The coach makes an invitation in the admin and copies its link.
    coach = new_browser()
    admin_log_in(coach, "coach@example.com")
    assert "Skillgap coaching" in coach.title
    visit(coach, reverse("admin:accounts_invitation_add"))
    with new_page(coach):
        coach.find_element(By.NAME, "_save").click()
    links = [a.get_attribute("href") for a in coach.find_elements(By.CSS_SELECTOR, "#result_list a[href*='/accounts/invitation/']")
             if "/admin/" not in a.get_attribute("href")]
    assert len(links) == 2  # the one create_coach made, and this one
    link = links[0]

    # Pat opens it before logging in, logs in from it, reads what the coach will see and confirms.
    seeker = new_browser()
    seeker.get(link)
    assert "Morgan Lee" in seeker.find_element(By.TAG_NAME, "h1").text
    with new_page(seeker):
        seeker.find_element(By.TAG_NAME, "main").find_element(By.LINK_TEXT, "Log in").click()
    seeker.find_element(By.NAME, "username").send_keys("pat@example.com")
    with new_page(seeker):
        seeker.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    assert seeker.current_url == link
    assert "never your drafts" in seeker.find_element(By.TAG_NAME, "main").text
    with new_page(seeker):
        seeker.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Share my submitted assessments')]").click()
    assert "Morgan Lee" in seeker.find_element(By.ID, "sharing-heading").find_element(By.XPATH, "..").text

    # The coach sees exactly Pat, and rates two skills.
    visit(coach, reverse("admin:assessments_assessment_changelist"))
    rows = coach.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th.field-job_seeker").text for row in rows] == ["Pat Quinn <pat@example.com>"]
    with new_page(coach):
        rows[0].find_element(By.CSS_SELECTOR, "th a, td a").click()
    with new_page(coach):
        coach.find_element(By.LINK_TEXT, "Rate the skills you observed").click()
    selects = coach.find_elements(By.CSS_SELECTOR, "#coach-ratings select")
    reasons = coach.find_elements(By.CSS_SELECTOR, "#coach-ratings input[type=text]")
    rated = [coach.find_elements(By.CSS_SELECTOR, "#coach-ratings tbody th")[n].text for n in (0, 1)]
    Select(selects[0]).select_by_value("3")
    reasons[0].send_keys("Ran the line alone all week")
    Select(selects[1]).select_by_value("2")
    reasons[1].send_keys("Needed one reminder")
    with new_page(coach):
        coach.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    assert "Saved your ratings (2 changed)" in coach.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert CoachRating.objects.count() == 2

    # Pat's report shows both, beside Pat's own, and the readiness with them.
    visit(seeker, reverse("assessments:report", args=[report.pk]))
    section = seeker.find_element(By.ID, "coach-ratings")
    rows = {row.get_attribute("data-skill"): row.text for row in section.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert set(rows) == set(rated)
    assert "Ran the line alone all week" in rows[rated[0]] and "Morgan Lee" in rows[rated[0]]
    assert "3 of 4" in rows[rated[0]] and "2 of 4" in rows[rated[1]]
    with_coach = seeker.find_element(By.CSS_SELECTOR, "[data-figure='readiness-with-coach']").text
    assert "Readiness with your coach's ratings:" in with_coach
    assert f"(yours: {float(report.readiness):g}%)" in with_coach
    screenshot(seeker, "report-with-coach-ratings")

    # The dashboard fits a phone, sharing list included.
    visit(seeker, reverse("accounts:dashboard"))
    set_width(seeker, PHONE)
    assert_nothing_overflows(seeker)
    set_width(seeker, DESKTOP)

    # Pat stops sharing, keeping the ratings; the coach's next request is a 404.
    with new_page(seeker):
        seeker.find_element(By.PARTIAL_LINK_TEXT, "Stop sharing").click()
    seeker.find_element(By.CSS_SELECTOR, "input[value=keep]").click()
    with new_page(seeker):
        seeker.find_element(By.XPATH, "//button[normalize-space()='Stop sharing']").click()
    assert "You no longer share your assessments with Morgan Lee" in seeker.find_element(By.TAG_NAME, "main").text
    coach.refresh()
    assert "Page not found" in coach.title or "Not Found" in coach.find_element(By.TAG_NAME, "body").text
    visit(coach, reverse("assessments:report", args=[report.pk]))
    assert coach.find_element(By.TAG_NAME, "h1").text == "Page not found"
    visit(coach, reverse("admin:assessments_assessment_changelist"))
    assert coach.find_elements(By.CSS_SELECTOR, "#result_list tbody tr") == []
    # Pat kept the coach's ratings: still on Pat's own report.
    visit(seeker, reverse("assessments:report", args=[report.pk]))
    assert seeker.find_elements(By.ID, "coach-ratings")


def test_the_assessment_list_fits_1280_px(browser, catalog):
    coach = make_user("coach@example.com", password=PASSWORD, is_staff=True, first_name="Morgan")
    from django.contrib.auth.models import Group

    coach.groups.add(Group.objects.get(name="Coaches"))
    for n in range(5):
        person = make_user(f"a-rather-long-address-{n}@example-workforce-board.org", first_name="Maximiliana",
                           last_name="Fernández-Castellanos")
        submitted_assessment(person, lambda r: n % 5)
        Sharing.objects.create(person=person, coach=coach)
    admin_log_in(browser, "coach@example.com")
    set_width(browser, DESKTOP)
    visit(browser, reverse("admin:assessments_assessment_changelist"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")) == 5
    assert_no_horizontal_scroll(browser)
    assert_nothing_overflows(browser)
