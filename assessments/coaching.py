"""A coach's ratings beside a person's self-ratings: what the report shows, and the one write.

The coach rates a skill on the scale the person rated it on (SkillRating.scale_max). The
self-rated figures and the stored report never change; the report adds, beside them:

- each coach rating, with the coach's name, the date and their reason;
- readiness "with your coach's ratings": scoring.score over the submit-time snapshots
  (SkillRating.as_input()) with the coach's level in place of the self-rating wherever a coach
  rated the skill (the latest coach rating when more than one coach did), the self-rating elsewhere.
"""

import dataclasses
from dataclasses import dataclass

from django.db import transaction

from careers.levels import as_asked

from . import scoring
from .models import CoachRating, ReportPdf, SkillRating


@dataclass(frozen=True)
class CoachLine:
    """One skill's self-rating and the coach ratings beside it, newest first."""

    name: str
    scale_max: int
    required: float  # as asked (careers.levels.as_asked)
    level: int  # the self-rating
    coach_ratings: tuple  # CoachRating


@dataclass(frozen=True)
class CoachReview:
    lines: tuple  # CoachLine for every skill a coach rated
    score: scoring.Score  # with the coach's levels where they rated
    self_readiness: float  # as submitted, for comparison

    @property
    def rated(self):
        return len(self.lines)


def with_coach_levels(ratings, coach_ratings):
    """The scoring inputs of the ratings, with the newest coach level substituted where there is one."""
    newest = {}
    for coach_rating in sorted(coach_ratings, key=lambda c: c.updated_at):
        newest[coach_rating.rating_id] = coach_rating.level
    inputs = []
    for rating in ratings:
        skill = rating.as_input()
        if rating.pk in newest:
            skill = dataclasses.replace(skill, level=newest[rating.pk], origin="coach")
        inputs.append(skill)
    return inputs


def review(assessment):
    """The assessment's CoachReview, or None when no coach rated any skill; two queries at most, none for
    an anonymous result (no account, so no coach to share it with)."""
    if not assessment.owner_id:
        return None
    coach_ratings = list(assessment.coach_ratings.order_by("-updated_at"))
    if not coach_ratings:
        return None
    ratings = [r for r in assessment.ratings.only("id", "assessment", *SkillRating.SNAPSHOT_FIELDS) if r.has_snapshot]
    by_rating = {}
    for coach_rating in coach_ratings:
        by_rating.setdefault(coach_rating.rating_id, []).append(coach_rating)
    lines = tuple(
        CoachLine(name=r.skill_name, scale_max=r.scale_max, required=as_asked(r.required, r.scale_max), level=r.level,
                  coach_ratings=tuple(by_rating[r.pk]))
        for r in sorted(ratings, key=lambda r: r.skill_name) if r.pk in by_rating
    )
    return CoachReview(
        lines=lines,
        score=scoring.score(with_coach_levels(ratings, coach_ratings)),
        self_readiness=scoring.score([r.as_input() for r in ratings]).readiness,
    )


def review_json(assessment):
    """The report JSON's coach_ratings and readiness_with_coach_ratings."""
    found = review(assessment)
    if found is None:  # the same keys, so a reader need not test for them
        return {"coach_ratings": [], "readiness_with_coach_ratings": None}
    return {
        "coach_ratings": [
            {
                "skill": line.name,
                "scale_max": line.scale_max,
                "self": line.level,
                "required": line.required,
                "coach": c.level,
                "reason": c.reason,
                "coach_name": c.coach_name,
                "rated_at": c.updated_at.date().isoformat(),
            }
            for line in found.lines for c in line.coach_ratings
        ],
        "readiness_with_coach_ratings": found.score.readiness,
    }


@transaction.atomic
def save_coach_ratings(*, assessment, coach, levels):
    """Record the coach's own ratings on the assessment: levels maps a SkillRating id to (level, reason),
    or to None to withdraw the coach's rating of that skill. Only this coach's rows are written, and
    only on this assessment's ratings; the stored PDF is dropped so the next request draws it with them.
    Returns how many ratings changed."""
    ratings = {r.pk: r for r in assessment.ratings.filter(pk__in=list(levels))}
    mine = {c.rating_id: c for c in CoachRating.objects.select_for_update().filter(assessment=assessment, coach=coach)}
    changed = 0
    for rating_id, value in levels.items():
        rating = ratings.get(rating_id)
        if rating is None:
            continue
        existing = mine.get(rating_id)
        if value is None:
            if existing is not None:
                existing.delete()
                changed += 1
            continue
        level, reason = value
        if existing is not None and (existing.level, existing.reason) == (level, reason):
            continue
        CoachRating.objects.update_or_create(
            rating=rating, coach=coach,
            defaults={"assessment": assessment, "level": level, "reason": reason, "scale_max": rating.scale_max,
                      "coach_name": coach.get_full_name() or coach.email},
        )
        changed += 1
    if changed:
        ReportPdf.objects.filter(assessment=assessment).delete()
    return changed
