"""What a person does on the questionnaire, the report and the account pages, step by step."""

import json

from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .support import new_page, visit

PASSWORD = "a-long-and-unusual-passphrase"


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def current_step(driver):
    """The questionnaire step the page shows, from its URL: background, technical, soft or review."""
    return driver.current_url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]


def continue_(driver):
    with new_page(driver):
        # The step's own button, not the job search's.
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]:not([name=search_job])").click()


def fill_background(driver, *, education="High school diploma or GED", years="1.5", certifications=""):
    Select(driver.find_element(By.NAME, "highest_education")).select_by_visible_text(education)
    years_field = driver.find_element(By.NAME, "years_experience")
    years_field.clear()
    years_field.send_keys(years)
    certificates = driver.find_element(By.NAME, "certifications")
    certificates.clear()
    certificates.send_keys(certifications)


def rating_groups(driver):
    return driver.find_elements(By.CSS_SELECTOR, "fieldset.sg-rating")


def skill_name(group):
    return group.find_element(By.CSS_SELECTOR, "legend .sg-rating-name").text


def rate(driver, levels):
    """Choose a level for the skills named in levels ({skill name: level}); leave the others as they are."""
    for group in rating_groups(driver):
        level = levels.get(skill_name(group))
        if level is None:
            continue
        group.find_element(By.CSS_SELECTOR, f"input[type=radio][value='{level}']").click()


def chosen_levels(driver):
    """{skill name: checked level or None} for the rating step on the page."""
    chosen = {}
    for group in rating_groups(driver):
        checked = group.find_elements(By.CSS_SELECTOR, "input[type=radio]:checked")
        chosen[skill_name(group)] = int(checked[0].get_attribute("value")) if checked else None
    return chosen


def sign_up(driver, email, password=PASSWORD):
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password1").send_keys(password)
    driver.find_element(By.NAME, "password2").send_keys(password)
    with new_page(driver):
        driver.find_element(By.NAME, "password2").send_keys(Keys.ENTER)


def log_in(driver, email, password=PASSWORD):
    visit(driver, reverse("accounts:login"))
    driver.find_element(By.NAME, "username").send_keys(email)
    with new_page(driver):
        driver.find_element(By.NAME, "password").send_keys(password + Keys.ENTER)


def submit(driver):
    with new_page(driver):
        driver.find_element(By.XPATH, "//button[normalize-space()='Submit and see my report']").click()


def figure(driver, name):
    """A readiness figure on the report, as a number: data-figure="readiness" reads "63.2%"."""
    text = driver.find_element(By.CSS_SELECTOR, f"[data-figure='{name}']").text
    return float(text.rstrip("%").replace(" points", "").replace("+", "").replace("−", "-"))


def report_rows(driver):
    """{skill: {required, self, gap}} from the report's table of skills."""
    rows = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#skills-table tbody tr"):
        # A level reads "3 of 4": the number is its first word.
        cells = {cell.get_attribute("data-col"): float(cell.text.split()[0])
                 for cell in row.find_elements(By.CSS_SELECTOR, "td[data-col]")}
        rows[row.get_attribute("data-skill")] = cells
    return rows


def report_json(driver, report_url):
    """The JSON report, fetched in the same browser session (so with the same log-in)."""
    return json.loads(
        driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);
            """,
            report_url.rstrip("/").removesuffix("/report") + "/report.json",
        )
    )


def readiness_by_formula(skills):
    """readiness = 100 x (1 - sum(importance x gap) / sum(importance x required)), worked out here by hand."""
    demanded = sum(skill["importance"] * skill["required"] for skill in skills)
    missing = sum(skill["importance"] * max(0, skill["required"] - skill["self"]) for skill in skills)
    return 100.0 if not demanded else round(100 * (1 - missing / demanded), 1)


def levels_for(driver, pattern):
    """{skill name: level} for the skills on the page, taking levels from pattern in turn."""
    return {skill_name(group): pattern[index % len(pattern)] for index, group in enumerate(rating_groups(driver))}


def submitted_assessment(owner, level, *, slug="production-associate", education=1, years=2):
    """A submitted assessment made through the questionnaire's own functions, as the pages make it.

    level(requirement) gives the self-rating for each of the career's skill requirements.
    """
    from assessments import questionnaire
    from assessments.models import Assessment
    from careers.models import Career

    career = Career.objects.get(slug=slug)
    draft = Assessment.objects.create(owner=owner, career=career, career_title=career.title, career_slug=slug)
    questionnaire.save_background(
        assessment=draft, highest_education=education, years_experience=years, certifications="", next_step="technical"
    )
    levels = {requirement.skill_id: level(requirement) for requirement in career.requirements.all()}
    questionnaire.save_ratings(assessment=draft, levels=levels, next_step="review")
    assessment, _ = questionnaire.submit_assessment(assessment=draft)
    return assessment


ONET_CATEGORIES = ("Basic Skills", "Social Skills", "Technical Skills", "Knowledge", "Complex Problem Solving Skills")


def onet_career(count=25, *, title="Line Assemblers", slug="line-assemblers"):
    """An O*NET-style career with count requirements on O*NET's 0-7 levels, each skill with a
    description and anchors at 2, 4 and 6 of realistic length; a fifth of them social skills."""
    from careers.models import Career, Skill, SkillRequirement

    career = Career.objects.create(title=title, slug=slug, source="onet", onet_code="51-9198.01")
    for index in range(count):
        category = ONET_CATEGORIES[index % len(ONET_CATEGORIES)]
        kind = {"Social Skills": "soft", "Knowledge": "knowledge"}.get(category, "technical")
        skill = Skill.objects.create(
            name=f"Element {index + 1:02d} of {category}", kind=kind, source="onet", category=category,
            external_id=f"2.Z.{index}",
            description="Giving full attention to what other people are saying, taking time to understand the "
                        "points being made, asking questions as appropriate.",
            level_examples={"2": "Take a customer's order at a counter.",
                            "4": "Answer inquiries regarding credit references from several lenders.",
                            "6": "Serve as a judge in a complex legal disagreement between two firms."},
        )
        SkillRequirement.objects.create(career=career, skill=skill, importance="3.50", level="3.62", scale_max=7)
    return career


def page_height(driver):
    return driver.execute_script("return document.documentElement.scrollHeight")
