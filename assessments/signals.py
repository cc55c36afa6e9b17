from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Assessment
from .questionnaire import claim_drafts
from .report import forget


@receiver(user_logged_in, dispatch_uid="assessments.claim_anonymous_drafts")
def claim_anonymous_drafts(sender, request, user, **kwargs):
    """Drafts started before logging in or signing up become the account's own."""
    session = getattr(request, "session", None)
    if session is not None:
        claim_drafts(user=user, session=session)


@receiver(post_delete, sender=Assessment, dispatch_uid="assessments.forget_kept_report")
def forget_kept_report(sender, instance, **kwargs):
    """Deleting an assessment, or the account that owns it, removes its kept report too."""
    if instance.is_submitted:  # drafts have no report (delete_stale_drafts removes thousands)
        forget(instance.pk)
