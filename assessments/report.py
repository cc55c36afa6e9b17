"""Everything a gap report shows, read from a submitted Assessment in a fixed number of queries.

The HTML page, the JSON, the PDF (and the admin) all build their figures here, with the
functions in scoring.py, so a number is the same wherever it appears.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from careers.models import CareerLevel, CatalogVersion, Education, SkillRequirement

from . import matching, scoring
from .models import SkillRating

# Technical skills first, then knowledge, then soft; inside each, the most important first.
KIND_ORDER = {"technical": 0, "knowledge": 1, "soft": 2}
CLOSEST_LIMIT = 5
KEEP_SECONDS = 24 * 60 * 60  # people look again the same day; later views rebuild it


@dataclass(frozen=True)
class CareerMatch:
    career_id: int
    title: str
    slug: str
    overlap: scoring.Overlap
    level_title: str = ""  # for the next level: the rung's own name on the career path
    missing_names: tuple = ()  # for the next level: the skills it asks for that were not rated


@dataclass(frozen=True)
class Report:
    assessment: object
    score: scoring.Score
    plan: scoring.Plan
    ratings: tuple  # SkillRating rows, in the order of score.skills
    education_met: bool | None
    education_required: str
    education_held: str
    previous: object | None  # the earlier attempt this one retakes
    progress: scoring.Progress | None
    next_level: CareerMatch | None
    closest: tuple  # matching.Match, the first few

    @property
    def strengths_count(self):
        return len(self.score.met) + len(self.score.exceeded)


def ordered_ratings(assessment_id):
    ratings = list(SkillRating.objects.filter(assessment_id=assessment_id))
    ratings.sort(key=lambda r: (KIND_ORDER.get(r.kind, 9), -(r.importance or 0), r.skill_name))
    return ratings


def score_ratings(ratings):
    return scoring.score(
        scoring.SkillInput(
            name=r.skill_name, kind=r.kind, importance=r.importance or 0, required=r.required or 0, level=r.level
        )
        for r in ratings
    )


def plan_steps(snapshot):
    return [
        scoring.StepInput(
            title=step["title"],
            kind=step.get("kind", ""),
            description=step.get("description", ""),
            cost_min=step.get("cost_min"),
            cost_max=step.get("cost_max"),
            months_min=step.get("months_min", 0),
            months_max=step.get("months_max", 0),
            skills=tuple(step.get("skills", ())),
        )
        for step in snapshot
    ]


def education_label(value):
    return Education(value).label if value is not None else ""


def build_report(assessment):
    """The whole report for a submitted assessment."""
    ratings = ordered_ratings(assessment.pk)
    result = score_ratings(ratings)

    previous, progress = None, None
    earlier = assessment.previous
    if earlier is not None and earlier.is_submitted and earlier.owner_id == assessment.owner_id:
        previous = earlier
        progress = scoring.progress(score_ratings(ordered_ratings(earlier.pk)), result)

    levels = {r.skill_name: r.level for r in ratings if r.skill_id}
    next_level = find_next_level(assessment.career_id, levels)
    return Report(
        assessment=assessment,
        score=result,
        plan=scoring.plan(plan_steps(assessment.steps_snapshot), result),
        ratings=tuple(ratings),
        education_met=scoring.education_met(assessment.education_required, assessment.highest_education),
        education_required=education_label(assessment.education_required),
        education_held=education_label(assessment.highest_education),
        previous=previous,
        progress=progress,
        next_level=next_level,
        closest=matching.find_matches(
            {r.skill_id: r.level for r in ratings if r.skill_id},
            exclude={assessment.career_id, next_level and next_level.career_id},
        ).matches[:CLOSEST_LIMIT],
    )


def kept(assessment, part, build):
    """build() for this report, kept in the cache until the report could read differently.

    A submitted report is a snapshot. What can still change it: the catalog (the next level
    and the closest careers: its version token), the earlier attempt it is compared with
    (deleting it empties `previous`), the owner's name, and a new release of the code.
    All of these are in the key, so a change is a new key, never a stale answer. The key also
    holds the submission time, so a reused id in another database cannot hit an old entry.
    Viewing rights are checked before, by whoever fetched the assessment.
    """
    parts = (part, assessment.submitted_at, assessment.previous_id, str(assessment.owner),
             CatalogVersion.current(), release())
    key = f"report:{assessment.pk}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, KEEP_SECONDS)
    return value


def forget(assessment_id):
    """Drop every kept copy of a deleted assessment's report, so no personal data outlives it.

    Redis (django-redis) finds them by the key's prefix. The in-process cache of a server
    without Redis has no such search; its copies go with the process or after KEEP_SECONDS,
    and none can be served, since the assessment is gone.
    """
    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:
        delete_pattern(f"report:{assessment_id}:*")


@functools.cache
def release():
    """A digest of the code and templates reports are drawn with, so that after a deploy no
    report kept by the previous release is served. Taken at start-up (AssessmentsConfig.ready),
    from the files this process loaded, not from whatever is on disk later."""
    digest = hashlib.sha256()
    for folder in ("accounts", "assessments", "careers", "config", "templates"):
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".json"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def find_next_level(career_id, levels):
    """Readiness for the rung above this career on its career path, over the skills it shares."""
    if career_id is None:
        return None
    # Every level of every path that has this career as one of its rungs: one query.
    rungs = list(
        CareerLevel.objects.filter(career__path__profile_id=career_id)
        .select_related("profile")
        .order_by("career_id", "position")
        .distinct()
    )
    above = None
    for rung, following in zip(rungs, rungs[1:]):
        if rung.profile_id == career_id and following.career_id == rung.career_id and following.profile_id:
            above = following
            break
    if above is None:
        return None
    requirements = [
        scoring.Requirement(name=r.skill.name, kind=r.skill.kind, importance=r.importance, required=r.level)
        for r in SkillRequirement.objects.filter(career_id=above.profile_id).select_related("skill")
    ]
    return CareerMatch(
        career_id=above.profile_id,
        title=above.profile.title,
        slug=above.profile.slug,
        level_title=above.title,
        overlap=scoring.score_overlap(requirements, levels),
        missing_names=tuple(sorted(r.name for r in requirements if r.name not in levels)),
    )


def report_json(report):
    """The report as the JSON the issue specifies; every number comes from the same Score and Plan."""
    return {
        "career": report.assessment.career_slug,
        "readiness": report.score.readiness,
        "technical": report.score.technical,
        "soft": report.score.soft,
        "skills": [
            {
                "skill": skill.name,
                "kind": skill.kind,
                "importance": scoring.tidy(skill.importance),
                "required": scoring.tidy(skill.required),
                "self": scoring.tidy(skill.level),
                "gap": scoring.tidy(skill.gap),
                "critical": skill.critical,
            }
            for skill in report.score.skills
        ],
        "next_steps": [
            {
                "title": planned.step.title,
                "cost_min": planned.step.cost_min,
                "cost_max": planned.step.cost_max,
                "months_min": scoring.tidy(planned.step.months_min),
                "months_max": scoring.tidy(planned.step.months_max),
                "skills": [gap.name for gap in planned.closes],
            }
            for planned in report.plan.steps
        ],
    }
