"""A submitted report is a record: whatever later happens to its career, it reads the same.

Submitting snapshots the career's title, each requirement (name, kind, importance, level) and
the learning steps. Here the catalog is changed in every way the admin allows after a report
was submitted, one change at a time and then all together, and the report is read again: the
page still opens with the same figures and text, the JSON is identical, and the other pages
that show it (dashboard, coach admin, CSV export, data download, PDF) still work.
"""

import re

import pytest
from django.urls import reverse

from careers.models import Career, LearningStep, Skill, SkillRequirement
from tests.assessments.helpers import add_step, pdf_text, submitted
from tests.factories import make_career, make_skill, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(quick_passwords):
    welding = make_skill("Welding")
    blueprints = make_skill("Blueprint reading", kind=Skill.Kind.KNOWLEDGE)
    teamwork = make_skill("Teamwork", kind=Skill.Kind.SOFT)
    career = make_career("Welder", slug="welder", education_required=2, requirements=[
        (welding, "technical", 5, 3), (blueprints, "knowledge", 3.5, 2.5), (teamwork, "soft", 4, 2),
    ])
    add_step(career, "Welding certificate", [welding, blueprints], cost=(500, 1500), months=(3, 6), position=1)
    add_step(career, "Team skills workshop", [teamwork], cost=(0, 0), months=(0.5, 1), position=2)
    owner = make_user(first_name="Rita")
    assessment = submitted(owner, career, {"Welding": 1, "Blueprint reading": 2, "Teamwork": 3},
                           highest_education=1, years_experience=2, certifications="OSHA 10")
    return assessment


def figures(html):
    """The report's own part of the page (before the live "closest careers" section), links removed."""
    main = html.split('id="careers-heading"')[0]
    main = re.sub(r'href="[^"]*"', "", main)
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)  # masked anew on every page
    return re.sub(r"\s+", " ", main)


def read(client, assessment, monkeypatch=None):
    page = client.get(reverse("assessments:report", args=[assessment.pk]))
    assert page.status_code == 200
    data = client.get(reverse("assessments:report_json", args=[assessment.pk]))
    assert data.status_code == 200
    return figures(page.content.decode()), data.json()


def rename_skills(career):
    for skill in Skill.objects.filter(requirements__career=career):
        skill.name = f"{skill.name} (renamed)"
        skill.save()


def edit_requirements(career):
    SkillRequirement.objects.filter(career=career).update(importance=1, level=4)


def add_requirement(career):
    SkillRequirement.objects.create(career=career, skill=make_skill("Grinding"), importance=5, level=4)


def delete_requirements(career):
    SkillRequirement.objects.filter(career=career).delete()


def delete_skills(career):
    Skill.objects.filter(requirements__career=career).delete()


def delete_steps(career):
    LearningStep.objects.filter(career=career).delete()


def edit_steps(career):
    for step in LearningStep.objects.filter(career=career):
        step.title, step.cost_min, step.cost_max = f"{step.title}, revised", 1, 2
        step.save()
        step.skills.clear()


def rename_career(career):
    Career.objects.filter(pk=career.pk).update(title="Metal joiner", slug="metal-joiner", education_required=9)


def delete_career(career):
    Career.objects.filter(pk=career.pk).delete()


def everything(career):
    for change in (rename_skills, edit_requirements, add_requirement, edit_steps, delete_steps, delete_skills,
                   rename_career, delete_career):
        change(career)


CHANGES = [rename_skills, edit_requirements, add_requirement, delete_requirements, delete_skills, delete_steps,
           edit_steps, rename_career, delete_career, everything]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_the_report_reads_the_same_after_the_catalog_changes(client, report, change):
    client.force_login(report.owner)
    page_before, json_before = read(client, report)
    assert json_before["readiness"] == report.readiness  # the stored figure is the one shown
    change(Career.objects.get(pk=report.career_id))
    page_after, json_after = read(client, report)
    assert json_after == json_before
    assert page_after == page_before


@pytest.mark.parametrize("change", [delete_career, everything], ids=lambda change: change.__name__)
def test_every_page_that_shows_the_report_still_opens(client, report, change, monkeypatch):
    coach = make_user(is_staff=True, is_superuser=True)
    change(Career.objects.get(pk=report.career_id))
    client.force_login(report.owner)
    for url in (reverse("accounts:dashboard"), reverse("accounts:data_export"),
                reverse("assessments:matches", args=[report.pk]), reverse("assessments:delete", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Welder" in client.get(reverse("accounts:dashboard")).content.decode()
    pdf = client.get(reverse("assessments:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200
    text, _ = pdf_text(pdf.content)
    assert "Welding certificate" in text and "Welder" in text
    # Retaking needs the career; without it the owner is told so and nothing is created.
    retake = client.post(reverse("assessments:retake", args=[report.pk]), follow=True)
    assert retake.status_code == 200
    assert "no longer in the catalog" in retake.content.decode()

    client.force_login(coach)
    change_page = client.get(reverse("admin:assessments_assessment_change", args=[report.pk]))
    assert change_page.status_code == 200
    assert "Welding" in change_page.content.decode()
    export = client.post(reverse("admin:assessments_assessment_changelist"),
                         {"action": "export_csv", "_selected_action": [report.pk]})
    assert export.status_code == 200
    assert "Gap: Welding" in export.content.decode("utf-8-sig")
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 200


def test_the_stored_figures_match_a_fresh_scoring_of_the_snapshot(client, report):
    """The readiness stored on submit is what the report computes from the snapshot now."""
    client.force_login(report.owner)
    everything(Career.objects.get(pk=report.career_id))
    _, data = read(client, report)
    report.refresh_from_db()
    assert (data["readiness"], data["technical"], data["soft"]) == (
        float(report.readiness), float(report.technical_readiness), float(report.soft_readiness)
    )
    assert sorted(s["skill"] for s in data["skills"]) == ["Blueprint reading", "Teamwork", "Welding"]
    # Teamwork is met (3 against 2), so only the step for the two gaps is recommended.
    assert [s["title"] for s in data["next_steps"]] == ["Welding certificate"]
    assert [step["title"] for step in report.steps_snapshot] == ["Welding certificate", "Team skills workshop"]
