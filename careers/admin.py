from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest
from django.utils.text import smart_split, unescape_string_literal

from .models import AlternateTitle, Career, CareerLevel, LearningStep, Skill, SkillRequirement


def search_words(search_term):
    """The words of an admin search as Django's own search reads them (quotes keep words together),
    with their accents dropped."""
    from accounts.apps import unaccent

    words = []
    for bit in smart_split(search_term):
        if bit[:1] in "\"'" and bit[-1:] == bit[:1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        words.append(unaccent(bit))
    return words


def row_count(model, field):
    """The number of model rows whose field is the outer row, as a subquery (0 for none)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class CachedChoicesMixin:
    """Read the skill choices once per page rather than once per inline row.

    An inline renders one select per row, and each select would query all skills again.
    """

    cached_choice_fields = ()

    def _cache(self, field, db_field):
        if field is not None and db_field.name in self.cached_choice_fields:
            field.choices = list(field.choices)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._cache(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._cache(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)


class CraftedInputMixin:
    """Crafted query strings and ticked rows are bad requests, never data or a server error.

    Django's admin takes any lookup on a model's own fields from the query string
    (``?session_key__gte=a``, ``?title__regex=(?``), which reads a column one character at a
    time or hands the database a broken pattern. Here a changelist takes only the parameters
    its own filters and date hierarchy read; any other is DisallowedModelAdminLookup, a 400.
    Ticked rows that are not numbers are refused too: the admin turns them straight into a
    primary-key filter. (NUL in searches and filters is dropped for every page by
    config.middleware.)
    """

    def lookup_allowed(self, lookup, value, request=None):
        return request is not None and lookup in self.filter_parameters(request)

    def filter_parameters(self, request):
        """The query parameters this changelist's filters and date hierarchy read, as the filter
        classes themselves name them (expected_parameters). Worked out once per request: a
        filter may query the database for its choices."""
        known = request.__dict__.setdefault("_filter_parameters", {})
        if self in known:
            return known[self]
        names = set()
        if self.date_hierarchy:
            names |= {f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                names.add(item.parameter_name)
                continue
            path, filter_class = item if isinstance(item, (list, tuple)) else (item, admin.FieldListFilter.create)
            field = get_fields_from_path(self.model, path)[-1]
            names.update(filter_class(field, request, {}, self.model, self, field_path=path).expected_parameters())
        known[self] = names
        return names

    def response_action(self, request, queryset):
        if not all(pk.isdigit() for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            return HttpResponseBadRequest("The rows to act on are given by number.")
        return super().response_action(request, queryset)


class SkillRequirementInline(CachedChoicesMixin, admin.TabularInline):
    model = SkillRequirement
    extra = 0
    cached_choice_fields = ["skill"]
    fields = ["skill", "importance", "level"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("career", "skill")  # __str__ shows both


class LearningStepInline(CachedChoicesMixin, admin.StackedInline):
    model = LearningStep
    extra = 0
    cached_choice_fields = ["skills"]
    filter_horizontal = ["skills"]
    fields = [("position", "kind", "title"), "description", ("cost_min", "cost_max"), ("months_min", "months_max"),
              "skills"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("skills")


class CareerLevelInline(admin.StackedInline):
    # Autocomplete: a plain select would list every career (a thousand once O*NET is imported)
    # in each level; it costs one look-up per level, and a path has only a handful.
    model = CareerLevel
    fk_name = "career"
    extra = 0
    autocomplete_fields = ["profile"]
    fields = [("position", "title", "profile"), ("years_min", "years_max", "experience_note"),
              ("salary_median", "salary_average"), "responsibilities", "focus_areas"]


class AlternateTitleInline(admin.TabularInline):
    model = AlternateTitle
    extra = 0


@admin.register(Career)
class CareerAdmin(CraftedInputMixin, admin.ModelAdmin):
    list_display = ["title", "source", "onet_code", "job_zone", "median_salary", "skill_count", "step_count"]
    list_filter = ["source", "job_zone", "education_required"]
    # What get_search_results searches; listed so the admin shows its search box.
    search_fields = ["title", "slug", "onet_code", "alternate_titles__title"]
    list_per_page = 50
    # Spelt out: Meta.ordering is dropped from the counting (GROUP BY) query below, which left
    # the autocomplete's pages unordered.
    ordering = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related"]
    inlines = [SkillRequirementInline, LearningStepInline, CareerLevelInline, AlternateTitleInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "source", "summary"]}),
        ("Key facts", {"fields": [
            "typical_education", "education_required", ("median_salary", "salary_range"),
            "growth_outlook", "annual_openings", "top_industries", "technologies", "job_zone",
        ]}),
        ("O*NET", {"fields": ["onet_code", "onet_reference", "related"]}),
        ("Attribution", {"fields": ["attribution"]}),
    ]

    def get_queryset(self, request):
        # Counted in subqueries, one per row shown: joining requirements and steps to count them
        # grouped every career by some 300,000 joined rows on the full catalog (2-3 s a search).
        return super().get_queryset(request).annotate(
            skill_total=row_count(SkillRequirement, "career"), step_total=row_count(LearningStep, "career")
        )

    def get_search_results(self, request, queryset, search_term):
        """Each word in the title, slug, O*NET code or an alternate title, case aside.

        Django's own search joins the alternate titles and then has to make the rows DISTINCT
        (every column, the long texts included), some 2 s on the full catalog; a subquery of
        careers per word finds the same careers with no duplicates to remove, and its
        UPPER(title) LIKE reads the trigram indexes (careers 0003). The catalog's titles are
        plain ASCII (O*NET's and the guide's), so dropping the accents from the words typed
        makes the search accent-insensitive without unaccent, which no index could serve."""
        for word in search_words(search_term):
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(slug__icontains=word) | Q(onet_code__icontains=word)
                | Q(pk__in=AlternateTitle.objects.filter(title__icontains=word).values("career"))
            )
        return queryset, False

    @admin.display(description="Skills", ordering="skill_total")
    def skill_count(self, career):
        return career.skill_total

    @admin.display(description="Next steps", ordering="step_total")
    def step_count(self, career):
        return career.step_total


@admin.register(Skill)
class SkillAdmin(CraftedInputMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "external_id", "career_count"]
    list_filter = ["kind"]
    search_fields = ["name", "description", "external_id"]
    ordering = ["name"]  # as for careers: the counting query drops Meta.ordering
    fields = ["name", "kind", "external_id", "description", "level_examples"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(career_total=Count("requirements"))

    @admin.display(description="Careers", ordering="career_total")
    def career_count(self, skill):
        return skill.career_total
