from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .questionnaire import claim_drafts


@receiver(user_logged_in, dispatch_uid="assessments.claim_anonymous_drafts")
def claim_anonymous_drafts(sender, request, user, **kwargs):
    """Drafts started before logging in or signing up become the account's own."""
    session = getattr(request, "session", None)
    if session is not None:
        claim_drafts(user=user, session=session)
