"""The questionnaire's writes: start or resume a draft, save a step, submit, retake, claim.

Each write that touches more than one row runs in one transaction, and every write to a
draft first checks that it is still a draft, so a submitted assessment never changes.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from careers.models import SkillRequirement

from . import scoring
from .models import Assessment, SkillRating

STEPS = ("background", "technical", "soft", "review")
STEP_TITLES = {
    "background": "Your background",
    "technical": "Technical skills and knowledge",
    "soft": "Soft skills",
    "review": "Review and submit",
}
# Which skill kinds each rating step asks about.
STEP_KINDS = {"technical": ("technical", "knowledge"), "soft": ("soft",)}

# Draft ids an anonymous visitor started; kept in the session, which login carries over.
SESSION_DRAFTS = "assessment_drafts"


class NotADraft(Exception):
    """The assessment was submitted (in another tab, say) before this write."""


class IncompleteAssessment(Exception):
    """Some of the career's skills have no rating yet."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(", ".join(self.missing))


def step_after(step):
    position = STEPS.index(step)
    return STEPS[min(position + 1, len(STEPS) - 1)]


def step_before(step):
    position = STEPS.index(step)
    return STEPS[position - 1] if position else None


def session_draft_ids(session):
    return [int(pk) for pk in session.get(SESSION_DRAFTS, [])]


def remember_draft(session, assessment):
    ids = session_draft_ids(session)
    if assessment.pk not in ids:
        session[SESSION_DRAFTS] = ids + [assessment.pk]


def reachable(user, session):
    """The assessments this visitor may open in the questionnaire: their own, or their session's."""
    if user.is_authenticated:
        return Assessment.objects.for_user(user)
    return Assessment.objects.filter(owner__isnull=True, pk__in=session_draft_ids(session))


@transaction.atomic
def start_draft(*, career, user, session):
    """Resume this visitor's latest draft for the career, or start one."""
    if user.is_authenticated:
        # Starts opened at once (a double click) wait here, and each after the first then
        # resumes the draft the first one made instead of making another.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    existing = reachable(user, session).drafts().filter(career=career).order_by("-updated_at").first()
    if existing:
        return existing
    if user.is_authenticated:
        return Assessment.objects.create(
            owner=user, career=career, career_title=career.title, career_slug=career.slug
        )
    if session.session_key is None:
        session.save()
    assessment = Assessment.objects.create(
        session_key=session.session_key, career=career, career_title=career.title, career_slug=career.slug
    )
    remember_draft(session, assessment)
    return assessment


def claim_drafts(*, user, session):
    """Give a visitor's anonymous drafts to the account they just logged in or signed up with."""
    ids = session_draft_ids(session)
    if not ids:
        return 0
    claimed = Assessment.objects.drafts().filter(pk__in=ids, owner__isnull=True).update(
        owner=user, session_key="", updated_at=timezone.now()
    )
    session.pop(SESSION_DRAFTS, None)
    return claimed


def save_background(*, assessment, highest_education, years_experience, certifications, next_step):
    # A conditional update: it writes nothing if the draft was submitted meanwhile.
    updated = Assessment.objects.drafts().filter(pk=assessment.pk).update(
        highest_education=highest_education,
        years_experience=years_experience,
        certifications=certifications,
        current_step=next_step,
        updated_at=timezone.now(),
    )
    if not updated:
        raise NotADraft


@transaction.atomic
def save_ratings(*, assessment, levels, next_step):
    """Store {skill id: level} for a draft, replacing earlier answers for those skills."""
    if not Assessment.objects.select_for_update().drafts().filter(pk=assessment.pk).exists():
        raise NotADraft
    SkillRating.objects.bulk_create(
        [SkillRating(assessment_id=assessment.pk, skill_id=skill_id, level=level) for skill_id, level in levels.items()],
        update_conflicts=True,
        unique_fields=["assessment", "skill"],
        update_fields=["level"],
    )
    Assessment.objects.filter(pk=assessment.pk).update(current_step=next_step, updated_at=timezone.now())


def step_snapshot(step):
    return {
        "title": step.title,
        "kind": step.kind,
        "description": step.description,
        "cost_min": step.cost_min,
        "cost_max": step.cost_max,
        "months_min": float(step.months_min),
        "months_max": float(step.months_max),
        "skills": sorted(skill.name for skill in step.skills.all()),
    }


def submit_assessment(*, assessment):
    """Submit a draft once: snapshot the career, score it, and mark it submitted.

    Returns (assessment, True) when this call submitted it, (assessment, False) when it was
    already submitted (a double click, a second tab, a replayed POST). Raises
    IncompleteAssessment, naming the skills, when a required skill has no rating.
    """
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_submitted:
            return locked, False
        if locked.owner_id is None:
            raise ValueError("An assessment needs an owner before it can be submitted.")
        career = locked.career
        if career is None:
            raise IncompleteAssessment([])
        requirements = list(SkillRequirement.objects.filter(career=career).select_related("skill"))
        ratings = {rating.skill_id: rating for rating in SkillRating.objects.filter(assessment=locked)}
        missing = [r.skill.name for r in requirements if r.skill_id not in ratings]
        if missing or not requirements:
            raise IncompleteAssessment(sorted(missing))

        snapshots = []
        for requirement in requirements:
            rating = ratings.pop(requirement.skill_id)
            rating.skill_name = requirement.skill.name
            rating.kind = requirement.skill.kind
            rating.importance = requirement.importance
            rating.required = requirement.level
            snapshots.append(rating)
        SkillRating.objects.bulk_update(snapshots, ["skill_name", "kind", "importance", "required"])
        if ratings:  # answers for skills the career no longer asks for
            SkillRating.objects.filter(pk__in=[rating.pk for rating in ratings.values()]).delete()

        result = scoring.score(
            scoring.SkillInput(
                name=r.skill_name, kind=r.kind, importance=r.importance, required=r.required, level=r.level
            )
            for r in snapshots
        )
        now = timezone.now()
        updated = Assessment.objects.drafts().filter(pk=locked.pk).update(
            status=Assessment.Status.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            current_step="review",
            career_title=career.title,
            career_slug=career.slug,
            education_required=career.education_required,
            steps_snapshot=[step_snapshot(step) for step in career.learning_steps.prefetch_related("skills")],
            readiness=result.readiness,
            technical_readiness=result.technical,
            soft_readiness=result.soft,
            critical_gaps=result.critical_count,
        )
        if not updated:  # only possible where the database cannot lock rows
            transaction.set_rollback(True)
            return Assessment.objects.get(pk=locked.pk), False
    locked.refresh_from_db()
    return locked, True


@transaction.atomic
def retake_assessment(*, assessment):
    """A new draft for the same career, starting from the earlier answers; resumed if one exists."""
    # Lock the earlier assessment: retakes clicked at once wait here, and each after the first
    # then finds the draft the first one made instead of making another.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).exists()
    existing = Assessment.objects.drafts().filter(previous=assessment, owner_id=assessment.owner_id).first()
    if existing:
        return existing
    career = assessment.career
    draft = Assessment.objects.create(
        owner_id=assessment.owner_id,
        career=career,
        career_title=career.title,
        career_slug=career.slug,
        previous=assessment,
        highest_education=assessment.highest_education,
        years_experience=assessment.years_experience,
        certifications=assessment.certifications,
    )
    still_asked = SkillRequirement.objects.filter(career=career).values("skill_id")
    SkillRating.objects.bulk_create(
        SkillRating(assessment=draft, skill_id=rating.skill_id, level=rating.level)
        for rating in assessment.ratings.filter(skill__isnull=False, skill_id__in=still_asked)
    )
    return draft


@transaction.atomic
def delete_assessment(*, assessment):
    Assessment.objects.filter(pk=assessment.pk).delete()

