from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import Sharing
from careers.levels import SCALES
from careers.models import Career, Education, Scale, Skill

from . import scoring

# A centre's manager sees every account's assessments; a coach only their caseload's.
VIEW_ALL = "assessments.view_all_assessments"


class AssessmentQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Assessment.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=Assessment.Status.DRAFT)

    def for_user(self, user):
        return self.filter(owner=user)

    def owned(self):
        """Those that belong to an account: not an anonymous visitor's draft or unclaimed result."""
        return self.filter(owner__isnull=False)

    def visible_to(self, user, *, visitor=""):
        """What a visitor may open: their own; for an anonymous visitor, their session's (visitor is
        questionnaire.visitor(session)); for a coach (staff allowed to view assessments), besides
        their own, the submitted assessments of the people who share with them (their caseload,
        accounts.Sharing; drafts stay private); for staff who may view all assessments (a centre's
        manager, superusers), every one that belongs to an account. An unclaimed anonymous result
        is its session's alone.

        Only staff are asked about the permissions: a job seeker's page then costs no permission query.
        """
        if user.is_staff and user.has_perm(VIEW_ALL):
            return self.owned()
        if user.is_staff and user.has_perm("assessments.view_assessment"):
            return self.filter(
                Q(owner=user) | Q(status=Assessment.Status.SUBMITTED, owner__in=Sharing.objects.caseload_of(user))
            )
        if user.is_authenticated:
            return self.filter(owner=user)
        if not visitor:
            return self.none()
        return self.filter(owner__isnull=True, visitor=visitor)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Review(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"
        FOLLOW_UP = "follow_up", "Follow-up"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    # An anonymous visitor's draft or result is theirs through a value kept in their session (a
    # keyed hash of the session key: nothing read from this column lets anyone into the session or
    # the assessment) until they sign up or log in; see questionnaire.visitor().
    visitor = models.CharField(max_length=64, blank=True, db_index=True)
    career = models.ForeignKey(Career, null=True, on_delete=models.SET_NULL, related_name="assessments")
    # Snapshots taken on submit, so a report reads the same after the career changes or goes.
    career_title = models.CharField(max_length=200, blank=True)
    career_slug = models.SlugField(max_length=120, blank=True)
    steps_snapshot = models.JSONField(default=list, blank=True)
    # The career's typical education at submit time, so "education met" survives career edits.
    education_required = models.PositiveSmallIntegerField(choices=Education.choices, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_step = models.CharField(max_length=20, default="background")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retakes",
        help_text="The earlier assessment this one retakes, for progress.",
    )

    highest_education = models.PositiveSmallIntegerField(choices=Education.choices, null=True, blank=True)
    # The person's current or last job, chosen from the catalog on the background step: its
    # requirements can start the questionnaire's answers (SkillRating.Origin.JOB).
    job = models.ForeignKey(Career, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    job_title = models.CharField(max_length=200, blank=True)
    years_experience = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    certifications = models.TextField(blank=True)

    readiness = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    technical_readiness = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    soft_readiness = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    critical_gaps = models.PositiveSmallIntegerField(null=True, blank=True)

    review_status = models.CharField(max_length=10, choices=Review.choices, default=Review.NEW, db_index=True)

    # The gap report, worked out once at submission (assessments.report.compose) and never
    # recomputed: the document every format reads, and the page's body drawn from it
    # (drawn again only by `manage.py render_reports`, after a template change).
    report = models.JSONField(null=True, blank=True, editable=False)
    report_html = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(readiness__isnull=True) | Q(readiness__gte=0, readiness__lte=100),
                name="assessment_readiness_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(years_experience__isnull=True) | Q(years_experience__gte=0),
                name="assessment_years_not_negative",
            ),
            # A submitted assessment is an account's, or (until they sign up or log in, or it is
            # removed as stale) the anonymous visitor's who submitted it.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False) & (Q(owner__isnull=False) | ~Q(visitor="")),
                name="assessment_submitted_has_date_and_owner_or_visitor",
            ),
            # One anonymous draft per visitor and career, however many Starts arrive at once.
            models.UniqueConstraint(
                fields=["visitor", "career"],
                condition=Q(status="draft", owner__isnull=True) & ~Q(visitor=""),
                name="assessment_one_anonymous_draft_per_career",
            ),
        ]

    def __str__(self):
        # No name or e-mail: this text is copied into the admin's log, which outlives the owner.
        # The career's title sits between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the
        # admin's own titles and messages put this string in sentences that take no <bdi>.
        return f"\u2068{self.career_title or self.career}\u2069 — assessment {self.pk} ({self.get_status_display()})"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    def get_absolute_url(self):
        return reverse("assessments:report", args=[self.pk])


class SkillRating(models.Model):
    class Origin(models.TextChoices):
        SELF = "self", "Your answer"
        JOB = "job", "Your job's requirement"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, null=True, on_delete=models.SET_NULL, related_name="ratings")
    level = models.PositiveSmallIntegerField(help_text="Self-rated level, 0 to the scale's top")
    # The scale the person rated on: the requirement's when they rated. A draft's rating on a
    # scale the requirement no longer uses is asked again, never read on the new one.
    scale_max = models.PositiveSmallIntegerField(choices=Scale.choices, default=Scale.GUIDE)
    # Where the level came from: the person's own answer, or the requirement of the job they
    # said they do, left as it was (issue: start from a job).
    origin = models.CharField(max_length=4, choices=Origin.choices, default=Origin.SELF)
    # Snapshot of the requirement at submit time.
    skill_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=Skill.Kind.choices, blank=True)
    category = models.CharField(max_length=80, blank=True)
    importance = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    required = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["assessment", "skill_name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="rating_unique_per_assessment_skill"),
            models.CheckConstraint(condition=Q(scale_max__in=SCALES), name="rating_known_scale"),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=models.F("scale_max")), name="rating_level_within_scale"
            ),
        ]

    def __str__(self):
        return f"{self.skill_name or self.skill}: {self.level}"

    # What as_input() reads: a query that only scores ratings can load just these (.only()).
    SNAPSHOT_FIELDS = ("skill_name", "kind", "category", "importance", "required", "level", "scale_max", "origin")

    def as_input(self):
        """This rating with its submit-time snapshot, as the scoring code takes it."""
        return scoring.SkillInput(
            name=self.skill_name, kind=self.kind, importance=self.importance or 0, required=self.required or 0,
            level=self.level, scale_max=self.scale_max, origin=self.origin, category=self.category,
        )

    @property
    def has_snapshot(self):
        """Whether the requirement was snapshotted (on submit); a draft's ratings have none."""
        return self.importance is not None and self.required is not None


class ReportPdf(models.Model):
    """A submitted report's PDF, drawn once from its document and then served as it is."""

    assessment = models.OneToOneField(Assessment, primary_key=True, on_delete=models.CASCADE, related_name="pdf")
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"PDF of report {self.assessment_id}"


class CoachNote(models.Model):
    """A coach's note on an assessment; never shown to the job seeker."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="coach_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="coach_notes"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # The author's name isolated (U+2068 ... U+2069), so right-to-left text in it cannot reorder the sentence.
        return f"Note by \u2068{self.author}\u2069 on {self.created_at:%Y-%m-%d}"


class CoachRatingManager(models.Manager):
    def review(self):
        """On an assessment's coach_ratings: its coach ratings beside the self-ratings and the readiness
        they give (coaching.review), or None when no coach rated a skill. A template reaches it as
        a.coach_ratings.review, so the page and the PDF need nothing passed in."""
        from .coaching import review

        instance = getattr(self, "instance", None)  # set on a related manager only
        return review(instance) if isinstance(instance, Assessment) else None


class CoachRating(models.Model):
    """The level a coach observed on one skill of a shared, submitted assessment, and why.

    It sits beside the self-rating and never changes it: the stored report and its figures stay
    as submitted; the report adds the coach's ratings and the readiness they give.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="coach_ratings")
    rating = models.ForeignKey(SkillRating, on_delete=models.CASCADE, related_name="coach_ratings")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="coach_ratings"
    )
    # The name the report shows, kept if the coach's account goes.
    coach_name = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField(help_text="The level the coach observed, 0 to the scale's top")
    # The self-rating's scale: a coach rates on the scale the person rated on.
    scale_max = models.PositiveSmallIntegerField(choices=Scale.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoachRatingManager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "coach"], name="coach_rating_once_per_coach_and_skill"),
            models.CheckConstraint(condition=Q(scale_max__in=SCALES), name="coach_rating_known_scale"),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=models.F("scale_max")), name="coach_rating_level_within_scale"
            ),
        ]

    def __str__(self):
        return f"Coach rating by \u2068{self.coach_name}\u2069: {self.level} of {self.scale_max}"
