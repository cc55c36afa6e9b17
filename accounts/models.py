import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class User(AbstractUser):
    """A Skillgap user. Sign-up uses the e-mail address as the username."""

    email = models.EmailField("e-mail address", unique=True)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


def new_token():
    return secrets.token_urlsafe(24)


def in_thirty_days():
    return timezone.now() + INVITATION_LIFETIME


INVITATION_LIFETIME = timedelta(days=30)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A coach's link: a job seeker who opens it and confirms adds themselves to the coach's caseload.

    One link serves many people; it stops working when it expires. The token is the whole secret
    (unguessable, from secrets), so the link names neither the coach nor anyone who used it.
    """

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=in_thirty_days, help_text="The link stops working after this.")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation by \u2068{self.coach}\u2069, until {self.expires_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("accounts:invitation", args=[self.token])

    @property
    def expired(self):
        return self.expires_at <= timezone.now()


class SharingQuerySet(models.QuerySet):
    def for_person(self, user):
        return self.filter(person=user).select_related("coach")

    def caseload_of(self, coach):
        """The people who share with this coach (a subquery of user ids)."""
        return self.filter(coach=coach).values("person")


class Sharing(models.Model):
    """A job seeker's consent: from created_at, this coach reads their submitted assessments.

    Deleting the row (the person's "stop sharing") ends it at once: every coach page reads it.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sharings")
    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="caseload")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two tabs confirming the same invitation share once.
            models.UniqueConstraint(fields=["person", "coach"], name="sharing_once_per_person_and_coach"),
            models.CheckConstraint(condition=~Q(person=F("coach")), name="sharing_not_with_oneself"),
        ]

    def __str__(self):
        return f"\u2068{self.person}\u2069 shares with \u2068{self.coach}\u2069"
