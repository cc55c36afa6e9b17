"""The job seeker's dashboard: their assessments grouped by career, with readiness over time."""

from dataclasses import dataclass, field

from assessments import scoring
from assessments.templatetags.report_tags import num

# Sparkline geometry, in SVG user units: a 36-unit margin on the left for the 0% and 100% labels.
WIDTH = 240
HEIGHT = 64
PAD = 8
LEFT = 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    readiness: float
    submitted_at: object


@dataclass(frozen=True)
class Sparkline:
    points: tuple  # Point, oldest first
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = PAD  # where 100% is
    bottom: int = HEIGHT - PAD  # where 0% is
    middle: int = HEIGHT // 2  # 50%

    @property
    def polyline(self):
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def summary(self):
        figures = " then ".join(f"{num(p.readiness)}%" for p in self.points)
        if len(self.points) == 1:
            return f"Overall readiness {figures}, from one submitted assessment."
        return f"Overall readiness over {len(self.points)} submitted assessments, oldest first: {figures}."


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
        return sparkline([a for a in self.submitted if a.readiness is not None])

    @property
    def last_activity(self):
        return max(a.submitted_at or a.updated_at for a in self.submitted + self.drafts)


def sparkline(assessments):
    """Readiness of each submitted assessment, evenly spaced left to right; 0% at the bottom, 100% at the top."""
    if not assessments:
        return None
    step = (WIDTH - LEFT - PAD) / max(len(assessments) - 1, 1)
    points = []
    for index, assessment in enumerate(assessments):
        readiness = scoring.tidy(assessment.readiness)
        x = (LEFT + WIDTH - PAD) / 2 if len(assessments) == 1 else LEFT + index * step
        y = PAD + (100 - readiness) / 100 * (HEIGHT - 2 * PAD)
        points.append(Point(round(x, 1), round(y, 1), readiness, assessment.submitted_at))
    return Sparkline(points=tuple(points))


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
