from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ReportPdf
from .questionnaire import claim_drafts


@receiver(user_logged_in, dispatch_uid="assessments.claim_anonymous_drafts")
def claim_anonymous_drafts(sender, request, user, **kwargs):
    """Drafts started and results submitted before logging in or signing up become the account's own."""
    session = getattr(request, "session", None)
    if session is not None and claim_drafts(user=user, session=session):
        # fail_silently: a log-in outside a page (a test client's, say) has nowhere to show it.
        messages.info(request, "Your assessments from before you logged in are now kept in your account.",
                      fail_silently=True)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="assessments.drop_pdfs_with_old_name")
def drop_pdfs_with_old_name(sender, instance, created, update_fields=None, **kwargs):
    """A stored PDF prints its owner's name: after a change to the account, draw it again when asked."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    ReportPdf.objects.filter(assessment__owner=instance).delete()
