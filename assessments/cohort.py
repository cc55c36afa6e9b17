"""Cohort figures for coaches: the common gaps and the readiness spread across the people assessed.

The cohort counts people, not attempts: each person's latest submitted assessment for the career
in the date range (a retake replaces the attempt before it), among the assessments the coach may
see (their caseload; everyone's for a centre's manager).

- share of people with a gap = people whose gap on the skill is above 0 / people in the cohort;
- average gap = mean gap of the people who have one (those who meet the level are left out,
  so it reads "the ones who fall short, fall short by this much");
- critical = people for whom the gap is critical (scoring.assess_skill decides).
- by coach rating: the same share, reading the coach's level where a coach rated the skill
  (the latest coach rating), over the people whose coach rated it.
Gaps come from the rating snapshots, through the same scoring functions as every report.
"""

from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Q

from careers.models import Career

from . import charts, scoring
from .coaching import with_coach_levels
from .models import Assessment, CoachRating, SkillRating


class CohortForm(forms.Form):
    """assessments: those the coach may see; the career picker offers only careers one of them is for."""

    career = forms.ModelChoiceField(queryset=Career.objects.none(), empty_label="Choose a career")
    date_from = forms.DateField(
        label="Submitted on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Submitted on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, assessments=None, **kwargs):
        super().__init__(*args, **kwargs)
        assessments = Assessment.objects.owned() if assessments is None else assessments
        self.fields["career"].queryset = Career.objects.filter(
            pk__in=assessments.submitted().filter(career__isnull=False).values("career")
        ).order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


@dataclass(frozen=True)
class GapSummary:
    name: str
    kind: str
    with_gap: int
    share: float  # percent of the cohort
    average_gap: float
    critical: int
    scale_max: int = 4
    # By the coach's rating, over the people whose coach rated the skill (0: nobody's did).
    coach_rated: int = 0
    coach_with_gap: int = 0
    coach_share: float | None = None


@dataclass(frozen=True)
class Cohort:
    size: int  # people: each one's latest submitted attempt
    attempts: int  # submitted attempts in the period, retakes included
    average_readiness: float | None
    gaps: tuple
    bins: tuple  # charts.Bin

    chart = charts.HISTOGRAM  # the histogram's box, axis and bar width; the bins are its bars


def common_gaps(ratings, size, coach_ratings=()):
    """GapSummary per skill with at least one gap (by self-rating or by a coach's), most common first;
    ratings are SkillRating rows, coach_ratings CoachRating rows on them."""
    ratings = [rating for rating in ratings if rating.has_snapshot]
    coached = {r.pk for r in ratings} & {c.rating_id for c in coach_ratings}
    by_coach = dict(zip([r.pk for r in ratings], with_coach_levels(ratings, coach_ratings)))
    gaps, coach_gaps, coach_rated = defaultdict(list), defaultdict(int), defaultdict(int)
    kinds, scales = {}, {}
    for rating in ratings:
        result = scoring.assess_skill(rating.as_input())
        kinds[result.name], scales[result.name] = result.kind, result.scale_max
        if result.gap > 0:
            gaps[result.name].append(result)
        if rating.pk in coached:
            coach_rated[result.name] += 1
            coach_gaps[result.name] += scoring.assess_skill(by_coach[rating.pk]).gap > 0
    summaries = [
        GapSummary(
            name=name,
            kind=kinds[name],
            with_gap=len(gaps[name]),
            share=scoring.tidy(100 * len(gaps[name]) / size),
            average_gap=scoring.tidy(sum(r.gap for r in gaps[name]) / len(gaps[name])) if gaps[name] else 0.0,
            critical=sum(1 for r in gaps[name] if r.critical),
            scale_max=scales[name],
            coach_rated=coach_rated[name],
            coach_with_gap=coach_gaps[name],
            coach_share=scoring.tidy(100 * coach_gaps[name] / coach_rated[name]) if coach_rated[name] else None,
        )
        for name in set(gaps) | {n for n, count in coach_gaps.items() if count}
    ]
    summaries.sort(key=lambda s: (-s.with_gap, -s.average_gap, s.name))
    return tuple(summaries)


def in_period(assessments, *, career, date_from=None, date_to=None):
    assessments = assessments.submitted().owned().filter(career=career, readiness__isnull=False)
    if date_from:
        assessments = assessments.filter(submitted_at__date__gte=date_from)
    if date_to:
        assessments = assessments.filter(submitted_at__date__lte=date_to)
    return assessments


def cohort_assessments(*, career, date_from=None, date_to=None, assessments=None):
    """Each person's latest submitted attempt for the career in the period, among assessments."""
    assessments = Assessment.objects.all() if assessments is None else assessments
    period = in_period(assessments, career=career, date_from=date_from, date_to=date_to)
    later = in_period(Assessment.objects.all(), career=career, date_from=date_from, date_to=date_to).filter(
        Q(submitted_at__gt=OuterRef("submitted_at")) | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk")),
        owner=OuterRef("owner"),
    )
    return period.filter(~Exists(later))


def build_cohort(*, career, date_from=None, date_to=None, assessments=None):
    """The cohort's figures in four queries, whatever its size; assessments are those the coach may see."""
    assessments = Assessment.objects.all() if assessments is None else assessments
    people = cohort_assessments(career=career, date_from=date_from, date_to=date_to, assessments=assessments)
    readiness = list(people.values_list("readiness", flat=True))
    attempts = in_period(assessments, career=career, date_from=date_from, date_to=date_to).count()
    ratings = SkillRating.objects.filter(assessment__in=people).only("id", *SkillRating.SNAPSHOT_FIELDS)
    coach_ratings = CoachRating.objects.filter(assessment__in=people).only("rating_id", "level", "updated_at")
    size = len(readiness)
    return Cohort(
        size=size,
        attempts=attempts,
        average_readiness=scoring.tidy(sum(float(r) for r in readiness) / size) if size else None,
        gaps=common_gaps(ratings, size, list(coach_ratings)) if size else (),
        bins=charts.histogram(readiness),
    )
