"""A job seeker's rights over their data: a copy of all of it, and deleting all of it.

Coach notes (and the review status coaches keep) are the coaches' working notes about an
assessment, not something the job seeker wrote or sees, so the export leaves them out.
"""

from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.export import rating_gap


def _when(moment):
    return moment.isoformat() if moment else None


def _number(value):
    return None if value is None else scoring.tidy(value)


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
            "years_experience": _number(assessment.years_experience),
            "certifications": assessment.certifications,
        },
        "readiness": {
            "overall": _number(assessment.readiness),
            "technical": _number(assessment.technical_readiness),
            "soft": _number(assessment.soft_readiness),
            "critical_gaps": assessment.critical_gaps,
        },
        "ratings": [
            {
                "skill": rating.skill_name or (rating.skill.name if rating.skill else None),
                "kind": rating.kind or (rating.skill.kind if rating.skill else None),
                "your_level": rating.level,
                "required_level": _number(rating.required),
                "importance": _number(rating.importance),
                "gap": rating_gap(rating),
            }
            for rating in assessment.ratings.all()
        ],
    }


def personal_data(user):
    """Everything Skillgap holds about the user, as plain JSON-ready values, in a fixed number of queries."""
    assessments = (
        user.assessments.select_related("career")
        .prefetch_related("ratings__skill")
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
    }


def delete_account(*, user):
    """Delete the user with their assessments and ratings (by cascade): all of it or none of it."""
    with transaction.atomic():
        user.delete()
