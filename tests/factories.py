"""Small helpers that build rows for tests."""

import itertools

from django.contrib.auth import get_user_model

from careers.models import Career, Skill, SkillRequirement

_counter = itertools.count(1)


def make_user(email=None, password="correct-horse-battery", **fields):
    email = email or f"user{next(_counter)}@example.com"
    return get_user_model().objects.create_user(username=email, email=email, password=password, **fields)


def make_coach(email=None, **fields):
    """A staff user in the Coaches group (the data migration gives it the permission to view assessments)."""
    from django.contrib.auth.models import Group

    coach = make_user(email, is_staff=True, **fields)
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


def make_skill(name=None, kind=Skill.Kind.TECHNICAL, **fields):
    return Skill.objects.create(name=name or f"Skill {next(_counter)}", kind=kind, **fields)


def make_career(title=None, requirements=(), **fields):
    """A career; requirements are (skill or name, kind, importance, level) tuples."""
    number = next(_counter)
    career = Career.objects.create(
        title=title or f"Career {number}", slug=fields.pop("slug", f"career-{number}"), **fields
    )
    for skill, kind, importance, level in requirements:
        if isinstance(skill, str):
            skill, _ = Skill.objects.get_or_create(name=skill, defaults={"kind": kind})
        SkillRequirement.objects.create(career=career, skill=skill, importance=importance, level=level)
    return career


def make_submitted_assessment(owner, career=None, ratings=(), submitted_at=None, **fields):
    """A submitted assessment made the way submitting snapshots it, straight through the ORM.

    ratings are (skill name, kind, importance, required, level) tuples; the readiness
    figures are worked out with assessments.scoring.score over them.
    """
    from decimal import Decimal

    from django.utils import timezone

    from assessments.models import Assessment, SkillRating
    from assessments.scoring import SkillInput, score

    career = career or make_career()
    fields.setdefault("education_required", career.education_required)
    result = score([SkillInput(name, kind, importance, required, level) for name, kind, importance, required, level in ratings])
    assessment = Assessment.objects.create(
        owner=owner,
        career=career,
        career_title=career.title,
        career_slug=career.slug,
        status=Assessment.Status.SUBMITTED,
        current_step="review",
        submitted_at=submitted_at or timezone.now(),
        readiness=Decimal(str(result.readiness)),
        technical_readiness=Decimal(str(result.technical)),
        soft_readiness=Decimal(str(result.soft)),
        critical_gaps=result.critical_count,
        **fields,
    )
    for name, kind, importance, required, level in ratings:
        skill, _ = Skill.objects.get_or_create(name=name, defaults={"kind": kind})
        SkillRating.objects.create(
            assessment=assessment, skill=skill, skill_name=name, kind=kind,
            importance=Decimal(str(importance)), required=Decimal(str(required)), level=level,
        )
    return assessment
