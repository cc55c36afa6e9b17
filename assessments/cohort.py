"""Cohort figures for coaches: the common gaps and the readiness spread across submitted assessments.

- share of people with a gap = people whose gap on the skill is above 0 / people in the cohort;
- average gap = mean gap of the people who have one (those who meet the level are left out,
  so it reads "the ones who fall short, fall short by this much");
- critical = people for whom the gap is critical (scoring.assess_skill decides).
Gaps come from the rating snapshots, through the same scoring functions as every report.
"""

from collections import defaultdict
from dataclasses import dataclass

from django import forms

from careers.models import Career

from . import charts, scoring
from .models import Assessment, SkillRating


class CohortForm(forms.Form):
    career = forms.ModelChoiceField(queryset=Career.objects.all(), empty_label="Choose a career")
    date_from = forms.DateField(
        label="Submitted on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Submitted on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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


@dataclass(frozen=True)
class Cohort:
    size: int
    average_readiness: float | None
    gaps: tuple
    bins: tuple  # charts.Bin

    chart = charts.HISTOGRAM  # the histogram's box, axis and bar width; the bins are its bars


def common_gaps(ratings, size):
    """GapSummary per skill with at least one gap, most common first; ratings are SkillRating rows."""
    gaps = defaultdict(list)
    kinds = {}
    for rating in ratings:
        if not rating.has_snapshot:
            continue
        result = scoring.assess_skill(rating.as_input())
        kinds[result.name] = result.kind
        if result.gap > 0:
            gaps[result.name].append(result)
    summaries = [
        GapSummary(
            name=name,
            kind=kinds[name],
            with_gap=len(results),
            share=scoring.tidy(100 * len(results) / size),
            average_gap=scoring.tidy(sum(r.gap for r in results) / len(results)),
            critical=sum(1 for r in results if r.critical),
        )
        for name, results in gaps.items()
    ]
    summaries.sort(key=lambda s: (-s.with_gap, -s.average_gap, s.name))
    return tuple(summaries)


def cohort_assessments(*, career, date_from=None, date_to=None):
    assessments = Assessment.objects.submitted().owned().filter(career=career, readiness__isnull=False)
    if date_from:
        assessments = assessments.filter(submitted_at__date__gte=date_from)
    if date_to:
        assessments = assessments.filter(submitted_at__date__lte=date_to)
    return assessments


def build_cohort(*, career, date_from=None, date_to=None):
    """The cohort's figures in two queries, whatever its size."""
    assessments = cohort_assessments(career=career, date_from=date_from, date_to=date_to)
    readiness = list(assessments.values_list("readiness", flat=True))
    ratings = SkillRating.objects.filter(assessment__in=assessments).only(*SkillRating.SNAPSHOT_FIELDS)
    size = len(readiness)
    return Cohort(
        size=size,
        average_readiness=scoring.tidy(sum(float(r) for r in readiness) / size) if size else None,
        gaps=common_gaps(ratings, size) if size else (),
        bins=charts.histogram(readiness),
    )
