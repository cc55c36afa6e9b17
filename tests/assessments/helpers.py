"""Builders for questionnaire and report tests (beside tests/factories.py, which others share)."""

import io

from django.urls import reverse
from pypdf import PdfReader

from assessments import questionnaire
from assessments.models import Assessment
from careers.models import LearningStep, Skill
from tests.factories import make_career, make_skill


def skilled_career(technical=2, soft=1, importance=4, level=3, **fields):
    """A career with numbered technical and soft skills, all at one importance and level."""
    requirements = [(make_skill(kind=Skill.Kind.TECHNICAL), "technical", importance, level) for _ in range(technical)]
    requirements += [(make_skill(kind=Skill.Kind.SOFT), "soft", importance, level) for _ in range(soft)]
    return make_career(requirements=requirements, **fields)


def add_step(career, title, skills, cost=(0, 0), months=(1, 2), position=0, kind=LearningStep.Kind.COURSE):
    step = LearningStep.objects.create(
        career=career, title=title, kind=kind, cost_min=cost[0], cost_max=cost[1],
        months_min=months[0], months_max=months[1], position=position,
    )
    step.skills.set(skills)
    return step


def submitted(owner, career, levels=None, default=2, **answers):
    """A submitted assessment through the real write path; levels maps skill name -> level."""
    levels = levels or {}
    draft = Assessment.objects.create(owner=owner, career=career, **answers)
    questionnaire.save_ratings(
        assessment=draft,
        levels={r.skill_id: levels.get(r.skill.name, default) for r in career.requirements.select_related("skill")},
        next_step="review",
    )
    assessment, _ = questionnaire.submit_assessment(assessment=draft)
    return assessment


def step_url(assessment, step):
    return reverse("assessments:step", args=[assessment.pk, step])


def rating_data(career, kinds, level=2):
    return {
        f"skill_{r.skill_id}": str(level)
        for r in career.requirements.select_related("skill")
        if r.skill.kind in kinds
    }


def answer_everything(client, assessment, level=2):
    """Fill in every step of a draft through the pages, as a person would."""
    career = assessment.career
    client.post(step_url(assessment, "background"), {"highest_education": "1", "years_experience": "2"})
    client.post(step_url(assessment, "technical"), rating_data(career, ("technical", "knowledge"), level))
    client.post(step_url(assessment, "soft"), rating_data(career, ("soft",), level))



def pdf_text(content):
    """(the text of every page, the number of pages) of a PDF."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)
