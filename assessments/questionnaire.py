"""The questionnaire's writes: start or resume a draft, save a step, submit, retake, claim.

Each write that touches more than one row runs in one transaction, and every write to a
draft first checks that it is still a draft, so a submitted assessment never changes.
"""

import math

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from careers.levels import as_asked
from careers.models import Scale, SkillRequirement

from . import report
from .models import Assessment, ReportPdf, SkillRating

STEPS = ("background", "technical", "soft", "review")
STEP_TITLES = {
    "background": "Your background",
    "technical": "Technical skills and knowledge",
    "soft": "Soft skills",
    "review": "Review and submit",
}
# Which skill kinds each rating step asks about: O*NET's social skills are its soft skills.
# Work styles are not requirements (careers.WorkStyle: importance only), so no step asks them.
STEP_KINDS = {"technical": ("technical", "knowledge"), "soft": ("soft",)}
ASKED_KINDS = tuple(kind for kinds in STEP_KINDS.values() for kind in kinds)

# What ties an anonymous visitor's drafts to their session; login carries it over.
SESSION_VISITOR = "assessment_visitor"


class NotADraft(Exception):
    """The assessment was submitted (in another tab, say) before this write."""


class IncompleteAssessment(Exception):
    """Some of the career's skills have no rating yet."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(", ".join(self.missing))


def asked_requirements(career, kinds=ASKED_KINDS):
    """The requirements of a career that the questionnaire asks, on their own scales."""
    return SkillRequirement.objects.filter(career=career, skill__kind__in=kinds).select_related("skill")


def saved_answers(assessment):
    """{skill id: SkillRating} of a draft, each with its level, scale and origin."""
    return {rating.skill_id: rating for rating in assessment.ratings.only("skill_id", "level", "scale_max", "origin")}


def split_answers(saved, requirements):
    """(answers, stale): which saved ratings answer the requirements as they stand now.

    The rule for a draft whose career changed scale: an answer counts only on the scale it was
    given on. A saved rating whose scale_max differs from its requirement's (rated on the
    guide's old 0-4 scale before the career moved to O*NET's own 0-7 levels, say) is never
    read on the new scale and never converted: its question shows unanswered, the step says
    how many answers have to be given again, submitting counts it as missing, and saving the
    step replaces it with the new answer. answers maps skill id to the rating that counts;
    stale lists (requirement, rating) for the ratings given on another scale.
    """
    answers, stale = {}, []
    for requirement in requirements:
        rating = saved.get(requirement.skill_id)
        if rating is None:
            continue
        if rating.scale_max == requirement.scale_max:
            answers[requirement.skill_id] = rating
        else:
            stale.append((requirement, rating))
    return answers, stale


# How a step names a scale when it says an answer has to be given again.
OLD_SCALE_NAMES = {Scale.GUIDE: "Skillgap's old 0-4 scale", Scale.ONET: "O*NET's 0-7 levels"}
NEW_SCALE_NAMES = {Scale.GUIDE: "Skillgap's 0-4 scale", Scale.ONET: "O*NET's own 0-7 levels"}


def stale_message(stale):
    """What a step says about answers given on a scale its career no longer uses; "" if none."""
    if not stale:
        return ""
    count = len(stale)
    old = {rating.scale_max for _, rating in stale}
    new = {requirement.scale_max for requirement, _ in stale}
    old_name = OLD_SCALE_NAMES.get(old.pop(), "an older scale") if len(old) == 1 else "an older scale"
    new_name = NEW_SCALE_NAMES.get(new.pop(), "a new scale") if len(new) == 1 else "each skill's own scale"
    answers = "answers was" if count == 1 else "answers were"
    them = "it" if count == 1 else "them"
    return f"{count} of your {answers} on {old_name}; this career now uses {new_name}: please rate {them} again."


def step_after(step):
    position = STEPS.index(step)
    return STEPS[min(position + 1, len(STEPS) - 1)]


def step_before(step):
    position = STEPS.index(step)
    return STEPS[position - 1] if position else None


def visitor(session, *, create=False):
    """The value an anonymous visitor's drafts carry (Assessment.visitor), from their session.

    A keyed hash of the session key, taken once and then kept in the session: requests made
    at the same moment share the key, so they agree on it without a shared list to overwrite,
    and logging in (a new session key) keeps it. Read from the database it opens nothing: only
    the server writes session data.
    """
    value = session.get(SESSION_VISITOR)
    if value is None and create and session.session_key is None:
        session.save()
    if value is None and session.session_key is not None:
        value = visitor_for_key(session.session_key)
        if create:
            session[SESSION_VISITOR] = value
    return value


def visitor_for_key(session_key):
    return salted_hmac("assessments.visitor", session_key).hexdigest()


def reachable(user, session):
    """The assessments this visitor may open in the questionnaire: their own, or their session's
    (drafts, and results submitted before signing up)."""
    if user.is_authenticated:
        return Assessment.objects.for_user(user)
    value = visitor(session)
    if not value:
        return Assessment.objects.none()
    return Assessment.objects.filter(owner__isnull=True, visitor=value)


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
    fields = {"career": career, "career_title": career.title, "career_slug": career.slug}
    if user.is_authenticated:
        return Assessment.objects.create(owner=user, **fields)
    value = visitor(session, create=True)
    try:
        with transaction.atomic():
            return Assessment.objects.create(visitor=value, **fields)
    except IntegrityError:
        # Another request of the same visitor started this career a moment ago (one anonymous
        # draft per visitor and career, a database constraint): resume that one.
        return reachable(user, session).drafts().get(career=career)


def claim_drafts(*, user, session):
    """Give a visitor's anonymous drafts and results to the account they just logged in or signed up with.

    The update is conditional on there being no owner yet, so of two claims at once (two tabs
    logging in) one takes them and the other changes nothing. A result's stored PDF was drawn
    without a name, so it goes, to be drawn again with the owner's.

    A draft with no answer at all (a Start link opened before logging in) is not claimed for a
    career the account already has an assessment for: it goes instead, so it can neither hide
    that result and its Retake nor stand beside the draft already there.
    """
    value = visitor(session)
    if not value:
        return 0
    with transaction.atomic():
        anonymous = Assessment.objects.filter(owner__isnull=True, visitor=value)
        anonymous.drafts().filter(
            ratings__isnull=True, highest_education__isnull=True, years_experience__isnull=True,
            certifications="", job__isnull=True,
            career_id__in=Assessment.objects.filter(owner=user).values("career_id"),
        ).delete()
        results = list(anonymous.submitted().values_list("pk", flat=True))
        claimed = anonymous.update(owner=user, visitor="", updated_at=timezone.now())
        if results:
            ReportPdf.objects.filter(assessment_id__in=results).delete()
    session.pop(SESSION_VISITOR, None)
    return claimed


UNCHANGED = object()


@transaction.atomic
def save_background(*, assessment, highest_education, years_experience, certifications, next_step, job=UNCHANGED):
    """Save the background step; job (a Career or None) is the person's current or last job.

    Choosing a job starts the answers it can (prefill_from_job); changing or clearing it takes
    away the answers the old job filled in and the person left as they were, never one they gave.
    """
    fields = {"highest_education": highest_education, "years_experience": years_experience,
              "certifications": certifications}
    if job is not UNCHANGED:
        fields |= {"job": job, "job_title": job.title if job else ""}
    # A conditional update: it writes nothing if the draft was submitted meanwhile.
    updated = Assessment.objects.drafts().filter(pk=assessment.pk).update(
        **fields, current_step=next_step, updated_at=timezone.now(),
    )
    if not updated:
        raise NotADraft
    if job is not UNCHANGED and (job.pk if job else None) != assessment.job_id:
        SkillRating.objects.filter(assessment_id=assessment.pk, origin=SkillRating.Origin.JOB).delete()
        if job is not None:
            prefill_from_job(assessment=assessment, job=job)


def prefill_from_job(*, assessment, job):
    """Start each unanswered question that the job measures too (same element, same scale) at
    the level the job asks for, read as a person rates it (a whole level, halves up), marked as
    the job's (SkillRating.Origin.JOB). An answer the draft already has is never overwritten.
    """
    asked = asked_requirements(assessment.career_id)
    job_levels = {
        (skill_id, scale): level
        for skill_id, scale, level in SkillRequirement.objects.filter(career=job).values_list(
            "skill_id", "scale_max", "level")
    }
    rows = [
        SkillRating(assessment_id=assessment.pk, skill_id=r.skill_id, scale_max=r.scale_max,
                    level=math.floor(as_asked(job_levels[(r.skill_id, r.scale_max)], r.scale_max) + 0.5),
                    origin=SkillRating.Origin.JOB)
        for r in asked if (r.skill_id, r.scale_max) in job_levels
    ]
    SkillRating.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def save_ratings(*, assessment, levels, next_step):
    """Store {skill id: level} for a draft, replacing earlier answers for those skills.

    Each rating is stored on its requirement's scale (SkillRequirement.scale_max), so it
    replaces an answer given on another scale. An answer filled in from the person's job
    (origin "job") stays the job's while it is saved at the job's level; any other level is
    the person's own answer.
    """
    if not Assessment.objects.select_for_update().drafts().filter(pk=assessment.pk).exists():
        raise NotADraft
    skill_ids = list(levels)
    scales = dict(
        SkillRequirement.objects.filter(career_id=assessment.career_id, skill_id__in=skill_ids)
        .values_list("skill_id", "scale_max")
    )
    from_job = {
        skill_id: (level, scale)
        for skill_id, level, scale in SkillRating.objects.filter(
            assessment_id=assessment.pk, skill_id__in=skill_ids, origin=SkillRating.Origin.JOB
        ).values_list("skill_id", "level", "scale_max")
    }
    ratings = []
    for skill_id, level in levels.items():
        scale = scales.get(skill_id, Scale.GUIDE)
        origin = SkillRating.Origin.JOB if from_job.get(skill_id) == (level, scale) else SkillRating.Origin.SELF
        ratings.append(SkillRating(assessment_id=assessment.pk, skill_id=skill_id, level=level, scale_max=scale,
                                   origin=origin))
    SkillRating.objects.bulk_create(
        ratings,
        update_conflicts=True,
        unique_fields=["assessment", "skill"],
        update_fields=["level", "scale_max", "origin"],
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
        "credential": step.credential,
        "cost_source": step.cost_source,
        "time_source": step.time_source,
        "skills": sorted(skill.name for skill in step.skills.all()),
    }


def submit_assessment(*, assessment):
    """Submit a draft once: snapshot the career, write its report, and mark it submitted.

    Returns (assessment, True) when this call submitted it, (assessment, False) when it was
    already submitted (a double click, a second tab, a replayed POST). Raises
    IncompleteAssessment, naming the skills, when a required skill has no rating.
    """
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_submitted:
            return locked, False
        if locked.owner_id is None and not locked.visitor:
            raise ValueError("An assessment needs an owner or a visitor before it can be submitted.")
        career = locked.career
        if career is None:
            raise IncompleteAssessment([])
        requirements = list(asked_requirements(career))
        ratings = {rating.skill_id: rating for rating in SkillRating.objects.filter(assessment=locked)}
        answers, _ = split_answers(ratings, requirements)  # an answer on another scale is missing
        missing = [r.skill.name for r in requirements if r.skill_id not in answers]
        if missing or not requirements:
            raise IncompleteAssessment(sorted(missing))

        # The requirement as it stood, beside the answer: the report reads these and nothing else.
        snapshots = []
        for requirement in requirements:
            rating = ratings.pop(requirement.skill_id)
            rating.skill_name = requirement.skill.name
            rating.kind = requirement.skill.kind
            rating.category = requirement.skill.category
            rating.importance = requirement.importance
            rating.required = requirement.level
            rating.scale_max = requirement.scale_max
            snapshots.append(rating)
        SkillRating.objects.bulk_update(
            snapshots, ["skill_name", "kind", "category", "importance", "required", "scale_max"]
        )
        if ratings:  # answers for skills the career no longer asks for
            SkillRating.objects.filter(pk__in=[rating.pk for rating in ratings.values()]).delete()

        locked.career_title, locked.career_slug = career.title, career.slug
        locked.education_required = career.education_required
        locked.steps_snapshot = [step_snapshot(step) for step in career.learning_steps.prefetch_related("skills")]
        document = report.document_for(locked, snapshots)
        score = document["score"]
        now = timezone.now()
        updated = Assessment.objects.drafts().filter(pk=locked.pk).update(
            status=Assessment.Status.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            current_step="review",
            career_title=locked.career_title,
            career_slug=locked.career_slug,
            education_required=locked.education_required,
            steps_snapshot=locked.steps_snapshot,
            readiness=score["readiness"],
            technical_readiness=score["technical"],
            soft_readiness=score["soft"],
            critical_gaps=score["critical_count"],
            report=document,
            report_html=report.render_body(document),
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
    # Each answer keeps its scale: one the career no longer uses is asked again (split_answers).
    still_asked = asked_requirements(career).values("skill_id")
    SkillRating.objects.bulk_create(
        SkillRating(assessment=draft, skill_id=rating.skill_id, level=rating.level, scale_max=rating.scale_max,
                    origin=rating.origin)
        for rating in assessment.ratings.filter(skill__isnull=False, skill_id__in=still_asked)
    )
    return draft


@transaction.atomic
def delete_assessment(*, assessment):
    """Delete an assessment; the reports of its retakes stop quoting it (their progress section)."""
    report.forget_previous(Assessment.objects.submitted().filter(previous=assessment).exclude(pk=assessment.pk))
    Assessment.objects.filter(pk=assessment.pk).delete()


def unanswered_steps(draft):
    """The rating steps of a draft's career that still have a skill without a rating, in order."""
    requirements = list(asked_requirements(draft.career))
    answers, _ = split_answers(saved_answers(draft), requirements)
    kinds = {r.skill.kind for r in requirements if r.skill_id not in answers}
    return [step for step, step_kinds in STEP_KINDS.items() if kinds & set(step_kinds)]


@transaction.atomic
def start_from_match(*, assessment, career, user, session):
    """A draft for a matched career with every answer the assessment already gave copied in.

    The draft is the questionnaire's own (start_draft resumes one already open for that
    career, and answers already in it are kept); only the background the draft lacks and
    the ratings of skills both careers share are copied. Returns (draft, steps still to answer).
    """
    draft = start_draft(career=career, user=user, session=session)
    if not Assessment.objects.select_for_update().drafts().filter(pk=draft.pk).exists():
        # Submitted in another tab since it was found: answers go to a new draft instead.
        draft = start_draft(career=career, user=user, session=session)
    if draft.highest_education is None:
        draft.highest_education = assessment.highest_education
        draft.years_experience = assessment.years_experience
        draft.certifications = assessment.certifications
    # Only a rating of the same skill on the same scale answers the other career's question.
    asked = set(SkillRequirement.objects.filter(career=career).values_list("skill_id", "scale_max"))
    rows = assessment.ratings.filter(skill__isnull=False).values_list("skill_id", "scale_max", "level")
    SkillRating.objects.bulk_create(
        [
            SkillRating(assessment=draft, skill_id=skill_id, scale_max=scale, level=level)
            for skill_id, scale, level in rows
            if (skill_id, scale) in asked
        ],
        ignore_conflicts=True,
    )
    steps = unanswered_steps(draft)
    draft.current_step = steps[0] if steps else "review"
    draft.save(update_fields=["highest_education", "years_experience", "certifications", "current_step",
                              "updated_at"])
    return draft, steps

