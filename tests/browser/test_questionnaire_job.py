"""Starting from the job you have: search it on the background step, find the answers it shares
filled in and marked, change some, and read in report.json which ones came from the job."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .questionnaire import chosen_levels, continue_, current_step, fill_background, rate, rating_groups, report_json, submit
from .support import new_page, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHARED = ("Active Listening", "Reading Comprehension", "Monitoring", "Operations Monitoring", "Speaking")


def onet_careers():
    """Team Assemblers (the job) and Production Supervisors (assessed), sharing five O*NET elements on 0-7."""
    from careers.models import Career, Skill, SkillRequirement

    skills = {}
    for index, name in enumerate((*SHARED, "Quality Control Analysis", "Coordination")):
        soft = name in ("Speaking", "Coordination")
        skills[name] = Skill.objects.create(
            name=name, kind="soft" if soft else "technical", source="onet",
            category="Social Skills" if soft else "Basic Skills", external_id=f"2.B.{index}",
            level_examples={"2": f"An easy {name} task.", "4": f"A usual {name} task.", "6": f"A hard {name} task."},
        )
    job = Career.objects.create(title="Team Assemblers", slug="team-assemblers", source="onet", onet_code="51-2092.00")
    target = Career.objects.create(title="Production Supervisors", slug="production-supervisors", source="onet",
                                   onet_code="51-1011.00")
    for index, name in enumerate(SHARED):
        SkillRequirement.objects.create(career=job, skill=skills[name], importance=3, level=f"{2 + index * 0.4:.2f}",
                                        scale_max=7)
    SkillRequirement.objects.create(career=job, skill=skills["Quality Control Analysis"], importance=3, level="3.00",
                                    scale_max=7)
    for name in (*SHARED, "Coordination"):
        SkillRequirement.objects.create(career=target, skill=skills[name], importance=4, level="4.20", scale_max=7)
    return job, target


def test_a_job_fills_in_the_answers_it_shares_and_the_report_says_which(browser, transactional_db):
    job, target = onet_careers()
    visit(browser, reverse("assessments:start", args=[target.slug]))
    fill_background(browser, years="3")
    browser.find_element(By.NAME, "job_search").send_keys("assemblers")
    with new_page(browser):
        browser.find_element(By.NAME, "search_job").click()
    assert current_step(browser) == "background"
    assert browser.find_element(By.NAME, "years_experience").get_attribute("value") == "3"
    browser.find_element(By.CSS_SELECTOR, f"input[name=job][value='{job.pk}']").click()
    continue_(browser)
    assert current_step(browser) == "technical"

    marked = {group.find_element(By.CSS_SELECTOR, ".sg-rating-name").text
              for group in rating_groups(browser) if group.find_elements(By.CSS_SELECTOR, "[data-prefilled]")}
    assert marked == {"Active Listening", "Reading Comprehension", "Monitoring", "Operations Monitoring"}
    assert browser.find_element(By.CSS_SELECTOR, "[data-prefilled]").text == (
        "From your work as Team Assemblers: adjust if you are above or below.")
    levels = chosen_levels(browser)
    assert levels == {"Active Listening": 2, "Reading Comprehension": 2, "Monitoring": 3, "Operations Monitoring": 3}
    assert browser.find_element(By.CSS_SELECTOR, "[data-answered-count]").text == "4 of 4 answered"
    rate(browser, {"Active Listening": 5, "Monitoring": 1})  # two changed
    continue_(browser)
    assert current_step(browser) == "soft"
    assert chosen_levels(browser) == {"Speaking": 4, "Coordination": None}
    rate(browser, {"Coordination": 3})
    continue_(browser)
    assert current_step(browser) == "review"
    assert ("3 answers were filled in from your work as Team Assemblers and left as they were"
            in browser.find_element(By.CSS_SELECTOR, "[data-from-job]").text)
    submit(browser)
    data = report_json(browser, browser.current_url)
    origins = {skill["skill"]: skill["origin"] for skill in data["skills"]}
    assert origins == {"Active Listening": "self", "Monitoring": "self", "Reading Comprehension": "job",
                       "Operations Monitoring": "job", "Speaking": "job", "Coordination": "self"}
