"""Small helpers that build rows for tests."""

import itertools

from django.contrib.auth import get_user_model

from careers.models import Career, Skill, SkillRequirement

_counter = itertools.count(1)


def make_user(email=None, password="correct-horse-battery", **fields):
    email = email or f"user{next(_counter)}@example.com"
    return get_user_model().objects.create_user(username=email, email=email, password=password, **fields)


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
