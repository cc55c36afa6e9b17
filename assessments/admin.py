"""The coaches' admin: read an assessment, note what was advised, set its review status.

A job seeker's answers and scores are read-only here for everyone: the form behind the change
page has one field, review_status, so a crafted POST cannot reach anything else.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from careers.admin import CraftedInputMixin
from careers.figures import num

from . import scoring
from .cohort import CohortForm, build_cohort
from .export import csv_response, rating_gap
from .models import Assessment, CoachNote, SkillRating


class ReadinessBandFilter(admin.SimpleListFilter):
    title = "readiness band"
    parameter_name = "band"
    # Readiness is kept to one decimal place, so 79.9 is in 50-79 and 80.0 in 80+.
    BANDS = {
        "low": ("Under 50%", Q(readiness__lt=50)),
        "mid": ("50–79%", Q(readiness__gte=50, readiness__lt=80)),
        "high": ("80% and over", Q(readiness__gte=80)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.BANDS.items()]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        return queryset.filter(band[1]) if band else queryset


class SkillRatingInline(admin.TabularInline):
    model = SkillRating
    verbose_name = "rating"
    verbose_name_plural = "Ratings (the job seeker's own, read-only)"
    fields = ["skill_name", "kind", "importance", "required", "level", "gap", "critical"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-importance", "skill_name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="gap")
    def gap(self, rating):
        gap = rating_gap(rating)
        return "—" if gap is None else gap

    @admin.display(description="critical")
    def critical(self, rating):
        if not rating.has_snapshot:
            return "—"
        return "Critical" if scoring.assess_skill(rating.as_input()).critical else "No"


class CoachNoteFormSet(BaseInlineFormSet):
    """A saved note reads "Note by" its author, so only its author may change its text: for
    anyone else the field is disabled, and Django then keeps the saved text whatever is posted."""

    editor = None  # the user saving the page, set by CoachNoteInline.get_formset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is not None and form.instance.author_id != self.editor.pk:
            form.fields["text"].disabled = True


class CoachNoteInline(admin.StackedInline):
    model = CoachNote
    formset = CoachNoteFormSet
    verbose_name_plural = "Coach notes (seen by coaches only, never by the job seeker)"
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"editor": request.user})


@admin.register(Assessment)
class AssessmentAdmin(CraftedInputMixin, admin.ModelAdmin):
    list_display = [
        "job_seeker", "career_name", "overall", "technical", "soft", "critical_gaps",
        "status", "submitted_at", "review_status",
    ]
    # Only the careers someone was assessed for: with O*NET loaded the catalog has a thousand.
    list_filter = [
        ("career", admin.RelatedOnlyFieldListFilter), "status", "review_status", ReadinessBandFilter, "submitted_at",
    ]
    # Fifty rows draw in half the time of Django's hundred, and a coach pages or filters anyway.
    list_per_page = 50
    list_select_related = ["owner", "career"]
    search_fields = ["owner__first_name", "owner__last_name", "owner__email"]
    # The year links read the submitted_at index only (about 20 ms over 50,000 assessments).
    date_hierarchy = "submitted_at"
    # No "N total" count: one count of the filtered rows is enough with tens of thousands.
    show_full_result_count = False
    # Newest submissions first; drafts (no submission date) last on every database.
    ordering = [F("submitted_at").desc(nulls_last=True), "-created_at"]
    actions = ["export_csv", "mark_reviewed"]
    inlines = [SkillRatingInline, CoachNoteInline]
    fieldsets = [
        ("Job seeker", {"fields": ["job_seeker", "career_name", "status", "submitted_at", "report_links"]}),
        ("Background", {"fields": ["highest_education", "education_met", "years_experience", "certifications"]}),
        ("Readiness", {"fields": ["overall", "technical", "soft", "critical_gaps"]}),
        ("Review", {"fields": ["review_status"]}),
    ]
    readonly_fields = [
        "job_seeker", "career_name", "status", "submitted_at", "report_links",
        "highest_education", "education_met", "years_experience", "certifications",
        "overall", "technical", "soft", "critical_gaps",
    ]

    def get_queryset(self, request):
        # Only an account's assessments: an anonymous visitor's draft or unclaimed result is their
        # session's alone until they sign up or log in. No page here shows the learning-step
        # snapshot or the stored report, the widest columns by far (the change page links to the report).
        return super().get_queryset(request).owned().select_related("owner", "career").defer(
            "steps_snapshot", "report", "report_html"
        )

    def has_add_permission(self, request):
        # Assessments come from the questionnaire, never from the admin.
        return False

    def has_change_permission(self, request, obj=None):
        # Changing an assessment here means reviewing it (status and notes), which whoever may
        # write coach notes may do; every other field is read-only for everyone.
        return super().has_change_permission(request, obj) or request.user.has_perm("assessments.add_coachnote")

    @admin.display(description="job seeker", ordering="owner__email")
    def job_seeker(self, obj):
        # Each part isolated (<bdi>), so a right-to-left override in a name cannot reorder the rest.
        name = obj.owner.get_full_name()
        if name:
            return format_html("<bdi>{}</bdi> &lt;<bdi>{}</bdi>&gt;", name, obj.owner.email)
        return format_html("<bdi>{}</bdi>", obj.owner.email)

    @admin.display(description="career", ordering="career_title")
    def career_name(self, obj):
        title = obj.career_title or (obj.career.title if obj.career_id else "")
        return format_html("<bdi>{}</bdi>", title) if title else "—"

    @admin.display(description="overall readiness", ordering="readiness")
    def overall(self, obj):
        return percent(obj.readiness)

    @admin.display(description="technical", ordering="technical_readiness")
    def technical(self, obj):
        return percent(obj.technical_readiness)

    @admin.display(description="soft", ordering="soft_readiness")
    def soft(self, obj):
        return percent(obj.soft_readiness)

    @admin.display(description="education")
    def education_met(self, obj):
        # A submitted assessment compares with the snapshot taken on submit; a draft with the career now.
        required = obj.education_required if obj.is_submitted else getattr(obj.career, "education_required", None)
        met = scoring.education_met(required, obj.highest_education)
        return {True: "Meets the career's typical education", False: "Below the career's typical education"}.get(
            met, "Not known"
        )

    @admin.display(description="full report")
    def report_links(self, obj):
        if not obj.is_submitted:
            return "No report until the assessment is submitted."
        return format_html(
            '<a href="{}">Report (web page)</a> · <a href="{}">Report (PDF)</a>',
            reverse("assessments:report", args=[obj.pk]),
            reverse("assessments:report_pdf", args=[obj.pk]),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not CoachNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            if note._state.adding:
                note.author = request.user
            elif note.author_id != request.user.pk:
                continue  # never someone else's note: its text is disabled, so a change to it never arrives
            note.save()
        for note in formset.deleted_objects:
            note.delete()

    @admin.action(description="Export selected assessments as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        assessments = queryset.select_related("owner", "career").prefetch_related("ratings").order_by("pk")
        return csv_response(assessments, f"assessments-{timezone.localdate():%Y-%m-%d}.csv")

    @admin.action(description="Mark selected assessments as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = queryset.submitted().update(review_status=Assessment.Review.REVIEWED, updated_at=timezone.now())
        skipped = queryset.count() - count
        self.message_user(request, f"Marked {count} assessment{'s' if count != 1 else ''} as reviewed.")
        if skipped:
            self.message_user(request, f"{skipped} draft{'s' if skipped != 1 else ''} left as they were.", messages.WARNING)

    def get_urls(self):
        cohort = path(
            "cohort/", self.admin_site.admin_view(self.cohort_view), name="assessments_assessment_cohort"
        )
        return [cohort, *super().get_urls()]

    def cohort_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = CohortForm(request.GET or None)
        cohort = build_cohort(**form.cleaned_data) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Cohort: common gaps and readiness",
            "form": form,
            "cohort": cohort,
            "career": form.cleaned_data.get("career") if cohort else None,
        }
        return TemplateResponse(request, "admin/assessments/assessment/cohort.html", context)


def percent(value):
    return "—" if value is None else f"{num(value)}%"
