import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

from .levels import MAX_LEVEL


class Education(models.IntegerChoices):
    """Highest education, ordered so that a higher value meets every lower one."""

    NONE = 0, "No formal credential"
    HIGH_SCHOOL = 1, "High school diploma or GED"
    CERTIFICATE = 2, "Post-secondary certificate"
    SOME_COLLEGE = 3, "Some college courses"
    ASSOCIATE = 4, "Associate's degree"
    BACHELOR = 5, "Bachelor's degree"
    POST_BACCALAUREATE = 6, "Post-baccalaureate certificate"
    MASTER = 7, "Master's degree"
    POST_MASTER = 8, "Post-master's certificate"
    DOCTORATE = 9, "Doctoral or professional degree"


class Skill(models.Model):
    class Kind(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        SOFT = "soft", "Soft"
        KNOWLEDGE = "knowledge", "Knowledge"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField(blank=True)
    # An id in an outside taxonomy, e.g. an O*NET content-model element id ("2.B.3.a").
    external_id = models.CharField(max_length=40, blank=True, db_index=True)
    # Concrete examples of what a level looks like, keyed by level "0".."4".
    level_examples = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CareerQuerySet(models.QuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        # A subquery rather than a join: no DISTINCT, and on PostgreSQL each side can use its
        # trigram index (careers migration 0003).
        also_known_as = AlternateTitle.objects.filter(title__icontains=text).values("career_id")
        return self.filter(Q(title__icontains=text) | Q(pk__in=also_known_as))


class Career(models.Model):
    class Source(models.TextChoices):
        GUIDE = "guide", "Skillgap career guide"
        ONET = "onet", "O*NET"

    class JobZone(models.IntegerChoices):
        """O*NET's names for its five job zones: how much preparation a job needs."""

        LITTLE = 1, "Little or no preparation needed"
        SOME = 2, "Some preparation needed"
        MEDIUM = 3, "Medium preparation needed"
        CONSIDERABLE = 4, "Considerable preparation needed"
        EXTENSIVE = 5, "Extensive preparation needed"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200, db_index=True)
    summary = models.TextField(blank=True)
    typical_education = models.CharField(max_length=300, blank=True)
    education_required = models.PositiveSmallIntegerField(
        choices=Education.choices, null=True, blank=True,
        help_text="The lowest credential the career typically asks for.",
    )
    median_salary = models.PositiveIntegerField(null=True, blank=True, help_text="US dollars a year")
    salary_range = models.CharField(max_length=100, blank=True)
    growth_outlook = models.CharField(max_length=200, blank=True)
    annual_openings = models.PositiveIntegerField(null=True, blank=True)
    top_industries = models.JSONField(default=list, blank=True)
    technologies = models.JSONField(default=list, blank=True, help_text="Software the career uses")
    job_zone = models.PositiveSmallIntegerField(choices=JobZone.choices, null=True, blank=True)
    # This career's own O*NET-SOC code, for careers imported from O*NET.
    onet_code = models.CharField(max_length=12, blank=True, db_index=True)
    # For a guide career: the O*NET occupation it corresponds to (e.g. 51-2092.00).
    onet_reference = models.CharField(max_length=12, blank=True)
    related = models.ManyToManyField("self", symmetrical=False, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GUIDE)
    attribution = models.TextField(blank=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["onet_code"], condition=~Q(onet_code=""), name="career_unique_onet_code"
            ),
            models.CheckConstraint(
                condition=Q(job_zone__isnull=True) | Q(job_zone__gte=1, job_zone__lte=5),
                name="career_job_zone_1_to_5",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("careers:detail", args=[self.slug])


class AlternateTitle(models.Model):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="alternate_titles")
    title = models.CharField(max_length=250, db_index=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["career", "title"], name="alternate_title_unique_per_career")
        ]

    def __str__(self):
        return self.title


class SkillRequirement(models.Model):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requirements")
    importance = models.DecimalField(max_digits=3, decimal_places=2, help_text="1 (minor) to 5 (essential)")
    level = models.DecimalField(
        max_digits=3, decimal_places=2, help_text="Required level on the 0-4 proficiency scale"
    )

    class Meta:
        ordering = ["-importance", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["career", "skill"], name="requirement_unique_per_career_skill"),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5), name="requirement_importance_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=MAX_LEVEL), name="requirement_level_0_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.career}: {self.skill} (importance {self.importance}, level {self.level})"


class LearningStep(models.Model):
    """One option from a career's education section: a way to build some of its skills."""

    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        CERTIFICATION = "certification", "Certification"
        TRAINING = "training", "Training"
        COURSE = "course", "Course"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        EXPERIENCE = "experience", "Experience"

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="learning_steps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Empty cost: not known (O*NET says how long a step takes, not what it costs).
    cost_min = models.PositiveIntegerField(null=True, blank=True, help_text="US dollars; empty if unknown")
    cost_max = models.PositiveIntegerField(null=True, blank=True, help_text="US dollars; empty if unknown")
    months_min = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    months_max = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    skills = models.ManyToManyField(Skill, blank=True, related_name="learning_steps")
    # For a step that earns a credential (a diploma, a degree): which one, so a plan can leave it
    # out for someone who already holds it or more, and put it first when the career asks for it.
    credential = models.PositiveSmallIntegerField(choices=Education.choices, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["career", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["career", "title"], name="learning_step_unique_per_career"),
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True, cost_max__isnull=True)
                | Q(cost_min__isnull=False, cost_max__isnull=False, cost_min__lte=models.F("cost_max")),
                name="learning_step_cost_range",
            ),
            models.CheckConstraint(
                condition=Q(months_min__gte=0, months_min__lte=models.F("months_max")),
                name="learning_step_months_range",
            ),
        ]

    def __str__(self):
        return self.title


class CareerLevel(models.Model):
    """One rung of a career path; it may point at a career profile of its own."""

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="path")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    years_min = models.PositiveSmallIntegerField(default=0)
    years_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for open-ended")
    experience_note = models.CharField(max_length=200, blank=True)
    responsibilities = models.TextField(blank=True)
    focus_areas = models.TextField(blank=True)
    salary_median = models.PositiveIntegerField(null=True, blank=True)
    salary_average = models.PositiveIntegerField(null=True, blank=True)
    profile = models.ForeignKey(
        Career, null=True, blank=True, on_delete=models.SET_NULL, related_name="path_levels"
    )

    class Meta:
        ordering = ["career", "position"]
        constraints = [
            models.UniqueConstraint(fields=["career", "position"], name="career_level_unique_position"),
            models.CheckConstraint(
                condition=Q(years_max__isnull=True) | Q(years_max__gte=models.F("years_min")),
                name="career_level_years_range",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class CatalogVersion(models.Model):
    """One row whose token changes with every change to the catalog.

    What is worked out from the catalog and kept for later (matching's requirement table) is
    keyed on the token, so the first request after a change sees the change. Saves
    and deletes through the ORM and the admin change it (careers/signals.py), inside the
    writer's transaction; load_catalog and import_onet call changed() once, when they wrote.
    """

    ROW = 1
    token = models.CharField(max_length=32)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=cls.ROW).values_list("token", flat=True).first() or ""

    @classmethod
    def changed(cls):
        # A random token rather than a counter: it can never come back to an old value, even
        # if the row is lost and made again (the migration makes it; update_or_create is the spare).
        token = uuid.uuid4().hex
        if not cls.objects.filter(pk=cls.ROW).update(token=token):
            cls.objects.update_or_create(pk=cls.ROW, defaults={"token": token})
