"""A job seeker's rights over their data: a copy of all of it, and deleting all of it.

Coach notes (and the review status coaches keep) are the coaches' working notes about an
assessment, not something the job seeker wrote or sees, so the export leaves them out.
"""

import json

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments import scoring
from assessments.export import rating_gap
from assessments.models import Assessment, CoachRating
from config.throttling import throttle_names

from .models import Sharing


def _when(moment):
    return moment.isoformat() if moment else None


def _assessment_data(assessment):
    return {
        "id": assessment.pk,
        "career": assessment.career_title or (assessment.career.title if assessment.career else None),
        "career_slug": assessment.career_slug or (assessment.career.slug if assessment.career else None),
        "status": assessment.status,
        "current_step": assessment.current_step,
        "retake_of": assessment.previous_id,
        "started_at": _when(assessment.created_at),
        "updated_at": _when(assessment.updated_at),
        "submitted_at": _when(assessment.submitted_at),
        "background": {
            "highest_education": assessment.get_highest_education_display() if assessment.highest_education is not None else None,
            "years_experience": scoring.tidy(assessment.years_experience),
            "certifications": assessment.certifications,
        },
        "readiness": {
            "overall": scoring.tidy(assessment.readiness),
            "technical": scoring.tidy(assessment.technical_readiness),
            "soft": scoring.tidy(assessment.soft_readiness),
            "critical_gaps": assessment.critical_gaps,
        },
        "ratings": [
            {
                "skill": rating.skill_name or (rating.skill.name if rating.skill else None),
                "kind": rating.kind or (rating.skill.kind if rating.skill else None),
                "your_level": rating.level,
                "required_level": scoring.tidy(rating.required),
                "importance": scoring.tidy(rating.importance),
                "gap": rating_gap(rating),
            }
            for rating in assessment.ratings.all()
        ],
        # The coaches' ratings beside the person's own, as their report shows them (notes stay out).
        "coach_ratings": [
            {"skill": c.rating.skill_name, "scale_max": c.scale_max, "coach_level": c.level, "reason": c.reason,
             "coach": c.coach_name, "rated_at": _when(c.updated_at)}
            for c in assessment.coach_ratings.all()
        ],
    }


def personal_data(user):
    """Everything Skillgap holds about the user, as plain JSON-ready values, in a fixed number of queries."""
    assessments = (
        user.assessments.select_related("career")
        .prefetch_related("ratings__skill", "coach_ratings__rating")
        .order_by("created_at", "pk")
    )
    return {
        "exported_at": _when(timezone.now()),
        "profile": {
            "email": user.email,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "assessments": [_assessment_data(assessment) for assessment in assessments],
        "shared_with": [
            {"coach": str(sharing.coach), "email": sharing.coach.email, "since": _when(sharing.created_at)}
            for sharing in Sharing.objects.for_person(user)
        ],
    }


def delete_account(*, user):
    """Delete the user with their assessments and ratings (by cascade), and every other row that
    names them: the admin's log entries about them or their assessments, and the log-in
    throttle's records of their address, browser and the name typed. All of it or none of it."""
    with transaction.atomic():
        forget_traces(user)
        user.delete()


def notes_named(text):
    """Log change messages naming this text, as written (JSON escapes non-ASCII) or as it reads."""
    return Q(change_message__contains=json.dumps(text)[1:-1]) | Q(change_message__contains=text)


def forget_traces(user):
    """The rows about the user that no foreign key ties to them, so no cascade reaches."""
    addresses = {user.email, user.username} - {""}
    named = Q()
    for address in addresses:
        # Log entries written before __str__ left e-mail addresses out, even of rows deleted since.
        named |= Q(object_repr__icontains=address) | Q(change_message__icontains=address)
    LogEntry.objects.filter(
        named
        | Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
        | Q(content_type=ContentType.objects.get_for_model(Assessment),
            object_id__in=[str(pk) for pk in user.assessments.values_list("pk", flat=True)])
        # Their coach notes, named "Note by ..." in the log of the assessment someone else changed
        # (the log's change message is JSON, so non-ASCII, the bidi isolates included, is escaped).
        | notes_named(f"Note by \u2068{user}\u2069 on") | notes_named(f"Note by {user} on")
    ).delete()  # the entries they made themselves go by cascade
    # A coach's ratings stay on the reports of the people they rated, no longer under their name.
    CoachRating.objects.filter(coach=user).update(coach_name="A former coach")
    throttled = Q(username__in=throttle_names(user))
    for address in addresses:
        throttled |= Q(username__iexact=address)
    # And what their browser left from the same address under no name of theirs (a failed
    # sign-up is also counted for the client alone).
    models = (AccessAttempt, AccessFailureLog, AccessLog)
    seen = {pair for model in models
            for pair in model.objects.filter(throttled).values_list("ip_address", "user_agent")}
    browsers = Q()
    for ip_address, user_agent in seen:
        browsers |= Q(ip_address=ip_address, user_agent=user_agent)
    for model in models:
        model.objects.filter(throttled | browsers).delete()
