"""The coaches' admin: read an assessment, note what was advised, set its review status.

A job seeker's answers and scores are read-only here for everyone: the form behind the change
page has one field, review_status, so a crafted POST cannot reach anything else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.apps import unaccent
from careers.admin import CraftedInputMixin
from careers.figures import num
from careers.levels import as_asked

from . import scoring
from .coaching import save_coach_ratings
from .cohort import CohortForm, build_cohort
from .export import csv_response, rating_gap, tidy_csv_response
from .models import Assessment, CoachNote, CoachRating, SkillRating


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


class CoachRatingsForm(forms.Form):
    """This coach's rating of each skill of one assessment: a level on the skill's own scale, or none,
    and a short reason. Its fields are the assessment's own ratings, so nothing else can be posted."""

    def __init__(self, *args, ratings, mine, **kwargs):
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for rating in ratings:
            current = mine.get(rating.pk)
            self.fields[f"level_{rating.pk}"] = forms.TypedChoiceField(
                label=f"{rating.skill_name}: your level (0–{rating.scale_max})",
                choices=[("", "Not rated")] + [(n, f"{n} of {rating.scale_max}") for n in range(rating.scale_max + 1)],
                coerce=int, empty_value=None, required=False,
                initial=current.level if current else "",
                error_messages={"invalid_choice": f"Choose a level from 0 to {rating.scale_max}, or Not rated."},
                widget=forms.Select(attrs={"aria-label": f"Your level for {rating.skill_name} (0 to {rating.scale_max})"}),
            )
            self.fields[f"reason_{rating.pk}"] = forms.CharField(
                label=f"{rating.skill_name}: why", max_length=300, required=False,
                initial=current.reason if current else "",
                widget=forms.TextInput(attrs={"aria-label": f"Why, for {rating.skill_name}", "size": 40}),
            )

    def clean(self):
        data = super().clean()
        for rating in self.ratings:
            if data.get(f"level_{rating.pk}") is None and data.get(f"reason_{rating.pk}"):
                self.add_error(f"level_{rating.pk}", "Choose the level you observed, or clear the reason.")
        return data

    def rows(self):
        """(rating, required level as asked, level field, reason field) per skill, for the template."""
        return [(rating, num(as_asked(rating.required, rating.scale_max)), self[f"level_{rating.pk}"],
                 self[f"reason_{rating.pk}"]) for rating in self.ratings]

    def levels(self):
        """For coaching.save_coach_ratings: rating id -> (level, reason), or None where not rated."""
        data = self.cleaned_data
        return {
            r.pk: None if data[f"level_{r.pk}"] is None else (data[f"level_{r.pk}"], data[f"reason_{r.pk}"].strip())
            for r in self.ratings
        }


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
    # Fits 1280 px beside the filters: technical and soft share a column, the date is short.
    list_display = [
        "job_seeker", "career_name", "overall", "technical_soft", "critical", "status", "submitted", "review_status",
    ]
    # Only the careers someone was assessed for: with O*NET loaded the catalog has a thousand.
    list_filter = [
        ("career", admin.RelatedOnlyFieldListFilter), "status", "review_status", ReadinessBandFilter, "submitted_at",
    ]
    # Fifty rows draw in half the time of Django's hundred, and a coach pages or filters anyway.
    list_per_page = 50
    list_select_related = ["owner", "career"]
    search_fields = ["owner__first_name__unaccent", "owner__last_name__unaccent", "owner__email__unaccent"]
    # The year links read the submitted_at index only (about 20 ms over 50,000 assessments).
    date_hierarchy = "submitted_at"
    # No "N total" count: one count of the filtered rows is enough with tens of thousands.
    show_full_result_count = False
    # Newest submissions first; drafts (no submission date) last on every database.
    ordering = [F("submitted_at").desc(nulls_last=True), "-created_at"]
    actions = ["export_csv", "export_tidy_csv", "mark_reviewed"]
    inlines = [CoachNoteInline]
    fieldsets = [
        ("Job seeker", {"fields": ["job_seeker", "career_name", "status", "submitted_at", "report_links"]}),
        ("Background", {"fields": ["highest_education", "education_met", "years_experience", "certifications"]}),
        ("Readiness", {"fields": ["overall", "technical", "soft", "critical_gaps"]}),
        ("Ratings", {"fields": ["ratings_table"]}),
        ("Review", {"fields": ["review_status"]}),
    ]
    readonly_fields = [
        "job_seeker", "career_name", "status", "submitted_at", "report_links",
        "highest_education", "education_met", "years_experience", "certifications",
        "overall", "technical", "soft", "critical_gaps", "ratings_table",
    ]

    def get_queryset(self, request):
        # What this user may see (Assessment.objects.visible_to): a coach, the submitted assessments
        # of their caseload; a centre's manager or a superuser, every account's (never an anonymous
        # visitor's, which is their session's alone). No page here shows the learning-step snapshot
        # or the stored report, the widest columns by far (the change page links to the report).
        return Assessment.objects.visible_to(request.user).select_related("owner", "career").defer(
            "steps_snapshot", "report", "report_html"
        )

    def get_object(self, request, object_id, from_field=None):
        # Outside what the user may see, an assessment does not exist: a 404, as on the site,
        # rather than the admin's redirect that says an object with this number exists elsewhere.
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404("No such assessment.")
        return found

    def get_search_results(self, request, queryset, search_term):
        # Accent- and case-insensitive: the columns are searched through unaccent, and so is the term.
        return super().get_search_results(request, queryset, unaccent(search_term))

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

    @admin.display(description="technical · soft", ordering="technical_readiness")
    def technical_soft(self, obj):
        return f"{percent(obj.technical_readiness)} · {percent(obj.soft_readiness)}"

    @admin.display(description="critical gaps", ordering="critical_gaps")
    def critical(self, obj):
        return "—" if obj.critical_gaps is None else obj.critical_gaps

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, obj):
        return "—" if obj.submitted_at is None else f"{timezone.localtime(obj.submitted_at):%-d %b %Y}"

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
            '<a href="{}">Report (web page)</a> · <a href="{}">Report (PDF)</a> · <a href="{}">Rate the skills you observed</a>',
            reverse("assessments:report", args=[obj.pk]),
            reverse("assessments:report_pdf", args=[obj.pk]),
            reverse("admin:assessments_assessment_coach_ratings", args=[obj.pk]),
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

    @admin.display(description="ratings")
    def ratings_table(self, obj):
        """The self-ratings as one compact table, each on its own scale, with the coaches' beside them."""
        ratings = obj.ratings.prefetch_related(
            Prefetch("coach_ratings", queryset=CoachRating.objects.order_by("-updated_at"))
        ).order_by("-importance", "skill_name")
        rows = []
        for rating in ratings:
            gap = rating_gap(rating)
            critical = rating.has_snapshot and scoring.assess_skill(rating.as_input()).critical
            coaches = "; ".join(f"{c.level} ({c.coach_name})" for c in rating.coach_ratings.all()) or "—"
            rows.append((
                rating.skill_name, f"0–{rating.scale_max}", num(rating.importance),
                "—" if rating.required is None else num(as_asked(rating.required, rating.scale_max)), rating.level, coaches,
                "—" if gap is None else num(gap), "Critical" if critical else "",
            ))
        if not rows:
            return "No ratings."
        head = format_html_join("", "<th scope=\"col\">{}</th>", ((h,) for h in (
            "Skill", "Scale", "Importance", "Required", "Self", "Coach", "Gap", "")))
        body = format_html_join("", "<tr><th scope=\"row\"><bdi>{}</bdi></th><td>{}</td><td>{}</td><td>{}</td>"
                                    "<td>{}</td><td><bdi>{}</bdi></td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            '<table class="sg-ratings"><caption>The job seeker\'s own ratings (read-only) and the coaches\' '
            "ratings, each on the skill's scale; gaps are from the self-rating</caption>"
            "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body,
        )

    def export_queryset(self, queryset):
        return queryset.select_related("owner", "career").prefetch_related(
            "ratings__skill", Prefetch("coach_ratings", queryset=CoachRating.objects.order_by("-updated_at")),
            Prefetch("coach_notes", queryset=CoachNote.objects.select_related("author").order_by("created_at")),
        ).order_by("pk")

    @admin.action(description="Export as CSV, one row per assessment", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_response(self.export_queryset(queryset), f"assessments-{timezone.localdate():%Y-%m-%d}.csv")

    @admin.action(description="Export as CSV, one row per rating", permissions=["view"])
    def export_tidy_csv(self, request, queryset):
        return tidy_csv_response(
            self.export_queryset(queryset), f"skill-ratings-{timezone.localdate():%Y-%m-%d}.csv"
        )

    @admin.action(description="Mark as reviewed", permissions=["change"])
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
        rate = path(
            "<int:pk>/coach-ratings/", self.admin_site.admin_view(self.coach_ratings_view),
            name="assessments_assessment_coach_ratings",
        )
        return [cohort, rate, *super().get_urls()]

    def coach_ratings_view(self, request, pk):
        """This coach's own rating of each skill; someone else's assessment outside the caseload is a 404."""
        if not request.user.has_perm("assessments.add_coachrating"):
            raise PermissionDenied
        assessment = self.get_queryset(request).submitted().exclude(owner=request.user).filter(pk=pk).first()
        if assessment is None:
            raise Http404("No such assessment.")
        ratings = [r for r in assessment.ratings.order_by("-importance", "skill_name") if r.has_snapshot]
        mine = {c.rating_id: c for c in CoachRating.objects.filter(assessment=assessment, coach=request.user)}
        form = CoachRatingsForm(request.POST or None, ratings=ratings, mine=mine)
        if form.is_valid():
            changed = save_coach_ratings(assessment=assessment, coach=request.user, levels=form.levels())
            self.message_user(request, f"Saved your ratings ({changed} changed). The job seeker sees them on their report.")
            return redirect("admin:assessments_assessment_change", assessment.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": "Your ratings of the skills you observed", "assessment": assessment,
            "original": assessment, "form": form,
        }
        return TemplateResponse(request, "admin/assessments/assessment/coach_ratings.html", context)

    def cohort_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        visible = self.get_queryset(request)
        form = CohortForm(request.GET or None, assessments=visible)
        cohort = build_cohort(assessments=visible, **form.cleaned_data) if form.is_valid() else None
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
