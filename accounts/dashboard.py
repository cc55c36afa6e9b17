"""The job seeker's dashboard: their assessments grouped by career, with readiness over time."""

from dataclasses import dataclass, field

from assessments import charts


@dataclass
class CareerHistory:
    title: str
    slug: str | None  # None when the career is no longer in the catalog (nothing to start or retake)
    submitted: list = field(default_factory=list)  # oldest first
    drafts: list = field(default_factory=list)

    @property
    def latest(self):
        return self.submitted[-1] if self.submitted else None

    @property
    def newest_first(self):
        return self.submitted[::-1]

    @property
    def chart(self):
        return charts.sparkline([(a.readiness, a.submitted_at) for a in self.submitted if a.readiness is not None])

    @property
    def last_activity(self):
        return max(a.submitted_at or a.updated_at for a in self.submitted + self.drafts)


def career_histories(assessments):
    """CareerHistory per career, the most recently active first; assessments come with career selected."""
    histories = {}
    for assessment in sorted(assessments, key=lambda a: (a.submitted_at or a.created_at, a.pk)):
        career = assessment.career
        key = ("career", career.pk) if career else ("slug", assessment.career_slug or assessment.pk)
        if key not in histories:
            histories[key] = CareerHistory(
                title=career.title if career else (assessment.career_title or "A career no longer listed"),
                slug=career.slug if career else None,
            )
        history = histories[key]
        (history.submitted if assessment.is_submitted else history.drafts).append(assessment)
    return sorted(histories.values(), key=lambda h: h.last_activity, reverse=True)
