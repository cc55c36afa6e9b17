"""A coach's caseload, by consent: joining it through an invitation, and leaving it."""

from django.db import IntegrityError, transaction

from assessments.models import CoachNote, CoachRating, ReportPdf

from .models import Sharing


class CannotShare(Exception):
    """The invitation cannot add this person (it is their own)."""


def accept_invitation(*, invitation, person):
    """Add the person to the invitation's coach's caseload; (sharing, created). Confirming twice at once
    (two tabs) shares once: the unique constraint decides, and the second finds the first's row."""
    if invitation.coach_id == person.pk:
        raise CannotShare("This is your own invitation.")
    try:
        with transaction.atomic():
            return Sharing.objects.create(person=person, coach=invitation.coach, invitation=invitation), True
    except IntegrityError:
        return Sharing.objects.get(person=person, coach=invitation.coach), False


@transaction.atomic
def stop_sharing(*, sharing, keep_coach_work):
    """End the sharing at once. Unless the person keeps them, the coach's notes and ratings on the
    person's assessments go too (and the stored PDFs that showed the ratings); kept ratings stay on
    the person's own report, while the coach, no longer sharing, can open none of it."""
    person, coach = sharing.person_id, sharing.coach_id
    sharing.delete()
    if keep_coach_work:
        return
    CoachNote.objects.filter(author_id=coach, assessment__owner_id=person).delete()
    rated = list(CoachRating.objects.filter(coach_id=coach, assessment__owner_id=person)
                 .values_list("assessment_id", flat=True).distinct())
    CoachRating.objects.filter(coach_id=coach, assessment__owner_id=person).delete()
    ReportPdf.objects.filter(assessment_id__in=rated).delete()
