import uuid

from django.db import connections, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Substr, Upper
from django.urls import reverse

from . import search
from .levels import SCALES


class Source(models.TextChoices):
    """Where a career or a skill comes from."""

    GUIDE = "guide", "Skillgap career guide"
    ONET = "onet", "O*NET"


class Scale(models.IntegerChoices):
    """The level scales a requirement is measured on, and a person rates on: 0 to the value.

    A guide skill is measured on our 0-4 scale, whose levels say how independently a person
    does the work (careers.levels.LEVELS); an O*NET skill or knowledge area on O*NET's own 0-7
    level scale, whose anchors say how demanding the work is. A rating is always on the scale
    of the requirement it answers; nothing converts one scale into the other.
    """

    GUIDE = 4, "0-4 (Skillgap)"
    ONET = 7, "0-7 (O*NET level)"


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
        # O*NET's work styles: rated for importance only, so never a requirement with a level,
        # never rated and never part of a readiness figure (see WorkStyle).
        STYLE = "style", "Work style"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GUIDE)
    # O*NET's own category for an O*NET element ("Basic Skills", "Social Skills", "Knowledge",
    # ...), which is what its pages show as the kind; empty for a guide skill.
    category = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)
    # An O*NET content-model element id ("2.B.3.a"). On an O*NET skill it is the element the
    # skill is; on a guide skill it records the O*NET element that measures the same thing
    # (careers/catalog/CATALOG.md), which is a pointer, not a shared scale.
    external_id = models.CharField(max_length=40, blank=True, db_index=True)
    # Concrete examples of what a level looks like, keyed by level on the skill's scale: "0".."4"
    # for a guide skill, O*NET's anchors "2", "4", "6" (of 0-7) for an O*NET one.
    level_examples = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Mathematics" the skill and "Mathematics" the knowledge area are two things; a guide
            # skill and an O*NET element may share a name too.
            models.UniqueConstraint(fields=["source", "kind", "name"], name="skill_unique_name_per_source_kind"),
            models.UniqueConstraint(
                fields=["external_id"], condition=Q(source="onet") & ~Q(external_id=""),
                name="skill_unique_onet_element",
            ),
        ]

    def __str__(self):
        return self.name


# The 23 major groups of the 2018 Standard Occupational Classification (SOC), which O*NET-SOC
# codes begin with: a career's job family is the first two digits of its code.
JOB_FAMILIES = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}


def _names_containing(field, text):
    """A name holds every fragment of the text (careers.search.fragments); short ones as words."""
    condition = Q()
    for fragment, whole_word in search.fragments(text):
        if whole_word:  # a word that starts with it; search.rank keeps the names holding the word
            condition &= (
                Q(**{f"{field}__istartswith": fragment}) | Q(**{f"{field}__icontains": f" {fragment}"})
                | Q(**{f"{field}__icontains": f"({fragment}"})
            )
        else:
            condition &= Q(**{f"{field}__icontains": fragment})
    return condition


class CareerQuerySet(models.QuerySet):
    def with_family(self):
        """family: the SOC major group of the career's O*NET code (a guide career's O*NET match)."""
        return self.annotate(family=models.Case(
            models.When(source=Source.GUIDE, then=Substr("onet_reference", 1, 2)),
            default=Substr("onet_code", 1, 2),
        ))

    def in_family(self, code):
        return self.with_family().filter(family=code)

    def with_questionnaire(self):
        """has_questionnaire: the career has requirements to rate against (137 O*NET careers have none)."""
        return self.annotate(has_questionnaire=models.Exists(
            SkillRequirement.objects.filter(career=models.OuterRef("pk"))
        ))

    def in_browse_order(self):
        """The guide's careers first, then O*NET's by job family, job zone and title."""
        guide = Q(source=Source.GUIDE)
        return self.with_family().order_by(
            models.Case(models.When(guide, then=0), default=1),
            models.Case(models.When(guide, then=Value("")), default="family"),
            models.F("job_zone").asc(nulls_last=True), "title", "pk",
        )

    def search(self, text):
        """Careers with a title or alternate title holding the text's words, in no particular order."""
        if not search.words(text or ""):
            return self if not (text or "").strip() else self.none()
        also_known_as = AlternateTitle.objects.filter(_names_containing("title", text)).values("career_id")
        return self.filter(_names_containing("title", text) | Q(pk__in=also_known_as))

    def ranked_search(self, text):
        """The careers matching text, best first (careers.search.rank), as search.Match rows.

        One query: every title and alternate title holding the text's fragments, with its
        trigram similarity to the text on PostgreSQL (index: careers migration 0003).
        """
        if not search.fragments(text or ""):
            return []
        return search.rank(text, self._read(self._names(lambda: _names_containing("title", text), text)))

    def suggestions(self, text, limit=3):
        """The careers whose names are closest to a text that found nothing ("prodution").

        PostgreSQL: the names with a word most like the text (pg_trgm's word similarity, which
        the trigram index on UPPER(title) serves). Elsewhere: each word replaced by the closest
        word of the names sharing its first two letters (difflib), and that searched instead.
        """
        text = " ".join(search.words(text or "")[:search.MAX_WORDS])
        if len(text) < search.MIN_FRAGMENT:
            return []
        if connections[self.db].vendor == "postgresql":
            from django.contrib.postgres.lookups import TrigramStrictWordSimilar

            # Strict: the text against whole words ("prodution" is like "Production", and not
            # like the end of "Animation" and the start of "Producer" together).
            def similar():
                return TrigramStrictWordSimilar(Upper("title"), Value(text.upper()))

            names = self._names(similar, text, word_similarity=True).order_by("-word_similarity", "-similarity")
            found = {}
            for career_id, name, alternate, title, slug, guide, *_ in self._read(names[:limit * 10]):
                shown = alternate and not set(search.words(name)) <= set(search.words(title))
                found.setdefault(career_id, search.Match(career_id, title, slug, guide, also_called=name if shown else ""))
            return list(found.values())[:limit]

        # A typo past the first three letters: the names holding those letters hold every word
        # the corrections can choose, and every name that the corrected text would find.
        def starts():
            condition = Q()
            for word in text.split():
                if len(word) > search.MIN_FRAGMENT:
                    condition |= Q(title__icontains=word[:search.MIN_FRAGMENT])
            return condition

        if not starts():
            return []
        rows = self._read(self._names(starts, text))
        corrected = search.corrections(text, {word for row in rows for word in search.WORD.findall(row[1].casefold())})
        return search.rank(corrected, search.containing(corrected, rows))[:limit] if corrected else []

    def _read(self, names):
        """The rows of a names query. On PostgreSQL the planner is told that reading a page at
        random costs about what reading the next one does (SSD storage; its default of 4 assumes
        disks): with the default it scans all 56,000 alternate titles, calling UPPER() on each
        (65 ms measured), rather than use the trigram index (7 ms)."""
        if connections[self.db].vendor != "postgresql":
            return list(names)
        with transaction.atomic(using=self.db, savepoint=False), connections[self.db].cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            return list(names)

    def _alternate_titles(self):
        titles = AlternateTitle.objects.all()
        return titles.filter(career__in=self.values("pk")) if self.query.has_filters() else titles

    def _names(self, condition, text, word_similarity=False):
        """Every title and alternate title meeting condition (a function giving a Q or lookup), as
        rows for search.rank: (career id, name, is alternate, title, slug, is guide, similarity),
        similarity None off PostgreSQL; with word_similarity, pg_trgm's word similarity last."""
        postgresql = connections[self.db].vendor == "postgresql"

        def part(queryset, career):
            queryset = queryset.filter(condition()).order_by()
            if postgresql:
                from django.contrib.postgres.search import TrigramSimilarity, TrigramStrictWordSimilarity

                queryset = queryset.annotate(similarity=TrigramSimilarity("title", text))
                if word_similarity:
                    queryset = queryset.annotate(word_similarity=TrigramStrictWordSimilarity(text, "title"))
            else:
                queryset = queryset.annotate(similarity=Value(None, output_field=models.FloatField()))
            guide = models.ExpressionWrapper(Q(**{f"{career}source": Source.GUIDE}), output_field=models.BooleanField())
            columns = [
                f"{career}id", "title", Value(bool(career)), f"{career}title", f"{career}slug", guide, "similarity",
            ] + (["word_similarity"] if word_similarity else [])
            return queryset.values_list(*columns)

        return part(self, "").union(part(self._alternate_titles(), "career__"), all=True)


class Career(models.Model):
    Source = Source

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
    # O*NET marks the share behind its most common education category Recommend Suppress (too
    # few or too inconsistent answers): the category is still O*NET's, and the page says so.
    typical_education_uncertain = models.BooleanField(default=False)
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
    # For a guide career: the careers the guide names as related, each with the O*NET occupation
    # it corresponds to: [{"title": "Machine Operator", "onet_code": "51-4031.00"}, ...]. Read
    # against the catalog when shown, so it holds whether O*NET was imported before or after.
    related_occupations = models.JSONField(default=list, blank=True)
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
    level = models.DecimalField(max_digits=3, decimal_places=2, help_text="Required level, 0 to the scale's top")
    scale_max = models.PositiveSmallIntegerField(
        choices=Scale.choices, default=Scale.GUIDE, help_text="The scale the level is on, and a rating of it"
    )

    class Meta:
        ordering = ["-importance", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["career", "skill"], name="requirement_unique_per_career_skill"),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5), name="requirement_importance_1_to_5"
            ),
            models.CheckConstraint(condition=Q(scale_max__in=SCALES), name="requirement_known_scale"),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=models.F("scale_max")), name="requirement_level_within_scale"
            ),
        ]

    def __str__(self):
        return f"{self.career}: {self.skill} (importance {self.importance}, level {self.level} of {self.scale_max})"


class WorkStyle(models.Model):
    """How important an O*NET work style (Dependability, Integrity, ...) is to a career.

    O*NET rates work styles for importance only. With no level there is nothing to be short
    of, so a work style is shown as what the career values and is never asked, scored or
    counted as a gap.
    """

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="work_styles")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="work_styles")
    importance = models.DecimalField(max_digits=3, decimal_places=2, help_text="1 (minor) to 5 (essential)")

    class Meta:
        ordering = ["-importance", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["career", "skill"], name="work_style_unique_per_career_skill"),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5), name="work_style_importance_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.career}: {self.skill} (importance {self.importance})"


class LearningStep(models.Model):
    """One option from a career's education section: a way to build some of its skills."""

    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        CERTIFICATION = "certification", "Certification"
        TRAINING = "training", "Training"
        COURSE = "course", "Course"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        EXPERIENCE = "experience", "Experience"

    class Figure(models.TextChoices):
        """Whose figure a cost or a time is, which the page says beside it."""

        GUIDE = "guide", "the guide's figure"
        ONET = "onet", "O*NET's figure"
        ESTIMATE = "estimate", "our estimate"

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="learning_steps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Empty cost: not known (O*NET says how long a step takes, not what it costs).
    cost_min = models.PositiveIntegerField(null=True, blank=True, help_text="US dollars; empty if unknown")
    cost_max = models.PositiveIntegerField(null=True, blank=True, help_text="US dollars; empty if unknown")
    months_min = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    months_max = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    # Unless a source says otherwise, a figure is ours (never credited to a source by default).
    cost_source = models.CharField(max_length=10, choices=Figure.choices, default=Figure.ESTIMATE)
    time_source = models.CharField(max_length=10, choices=Figure.choices, default=Figure.ESTIMATE)
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
