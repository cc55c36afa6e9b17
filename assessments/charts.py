"""The geometry of the three server-drawn SVG charts, so their templates hold no arithmetic.

Pure functions over plain values, returning dataclasses or dicts for the templates:
- skill_chart: a report's required and own level per skill (assessments/_chart.html);
- histogram: the cohort's readiness in ten-point bins (the admin's cohort page);
- sparkline: one person's readiness over their submitted assessments (the dashboard).
All in SVG user units.
"""

from dataclasses import dataclass

from careers.figures import num
from careers.levels import MAX_LEVEL

from .scoring import tidy

# The report's skill chart: a row of two bars per skill, levels 0 to MAX_LEVEL across.
LABEL_WIDTH = 272
PLOT_LEFT = 282
PLOT_WIDTH = 420
ROW_HEIGHT = 44
BAR_HEIGHT = 15
TOP = 34
LEGEND_HEIGHT = 56
WIDTH = 800
NAME_CHARS = 30  # about 230 units of bold 13-unit text, clear of the ⚠ at the far left


def short(name):
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def x_at(level):
    return round(PLOT_LEFT + PLOT_WIDTH * float(level) / MAX_LEVEL, 1)


def skill_chart(score, chart_id="skill-chart"):
    """The skill chart's context, from a report document's score (its "score" dict)."""
    rows = []
    for index, skill in enumerate(score["skills"]):
        top = TOP + index * ROW_HEIGHT
        rows.append(
            {
                "skill": skill,
                "label": short(skill["name"]),
                "label_y": top + 25,
                "required_y": top + 6,
                "self_y": top + 6 + BAR_HEIGHT + 2,
                "required_width": round(x_at(skill["required"]) - PLOT_LEFT, 1),
                "self_width": round(x_at(skill["level"]) - PLOT_LEFT, 1),
                "required_text_x": x_at(skill["required"]) + 6,
                "self_text_x": x_at(skill["level"]) + 6,
                "required_text_y": top + 6 + BAR_HEIGHT - 3,
                "self_text_y": top + 6 + 2 * BAR_HEIGHT - 1,
                "gap_x": x_at(skill["level"]),
                "gap_width": round(x_at(skill["required"]) - x_at(skill["level"]), 1),
                "band_y": top,
                "shaded": index % 2 == 1,
            }
        )
    plot_bottom = TOP + len(rows) * ROW_HEIGHT
    legend_y = plot_bottom + 22
    return {
        "chart_id": chart_id,
        "score": score,
        "rows": rows,
        "max_level": MAX_LEVEL,
        "width": WIDTH,
        "height": plot_bottom + LEGEND_HEIGHT,
        "label_x": LABEL_WIDTH,
        "plot_left": PLOT_LEFT,
        "plot_width": PLOT_WIDTH,
        "plot_bottom": plot_bottom,
        "row_height": ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "band_width": WIDTH,
        "ticks": [{"level": level, "x": x_at(level)} for level in range(MAX_LEVEL + 1)],
        "axis_top": TOP - 10,
        "legend_y": legend_y,
        "legend": {
            "required_x": PLOT_LEFT - 120,
            "required_text_x": PLOT_LEFT - 86,
            "self_x": PLOT_LEFT + 90,
            "self_text_x": PLOT_LEFT + 124,
            "gap_x": PLOT_LEFT + 260,
            "gap_text_x": PLOT_LEFT + 294,
        },
        "legend_text_y": legend_y + 12,
        "critical_count": score["critical_count"],
        "gap_count": len(score["gaps"]),
    }


# The cohort histogram: ten bars of 10 readiness points each.
BIN_WIDTH = 10
BINS = 100 // BIN_WIDTH
HISTOGRAM_WIDTH = 440
HISTOGRAM_HEIGHT = 200
HISTOGRAM_LEFT = 30
HISTOGRAM_TOP = 20
HISTOGRAM_PLOT_HEIGHT = 140
BAR_SLOT = (HISTOGRAM_WIDTH - HISTOGRAM_LEFT - 10) // BINS
BAR_WIDTH = BAR_SLOT - 6


@dataclass(frozen=True)
class Bin:
    low: int
    high: float  # inclusive upper label: 9.9, 19.9, ... and 100 for the last bin
    count: int
    x: int
    y: float
    height: float

    @property
    def label(self):
        return f"{self.low}–{self.high}"

    @property
    def label_x(self):
        return self.x + BAR_WIDTH / 2

    @property
    def count_y(self):
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class HistogramFrame:
    """What every histogram draws the same: its box, axis and bar width."""

    width: int = HISTOGRAM_WIDTH
    height: int = HISTOGRAM_HEIGHT
    bar_width: int = BAR_WIDTH
    baseline: int = HISTOGRAM_TOP + HISTOGRAM_PLOT_HEIGHT
    plot_left: int = HISTOGRAM_LEFT
    axis_label_y: int = HISTOGRAM_TOP + HISTOGRAM_PLOT_HEIGHT + 16
    caption_y: int = HISTOGRAM_HEIGHT - 4


HISTOGRAM = HistogramFrame()


def histogram(values):
    """Ten 10-point bins of readiness (100 goes in the top bin), with bar geometry for the SVG."""
    counts = [0] * BINS
    for value in values:
        counts[min(int(float(value) // BIN_WIDTH), BINS - 1)] += 1
    tallest = max(counts) or 1
    bins = []
    for index, count in enumerate(counts):
        height = round(HISTOGRAM_PLOT_HEIGHT * count / tallest, 1)
        low = index * BIN_WIDTH
        bins.append(Bin(
            low=low,
            high=100 if index == BINS - 1 else round(low + BIN_WIDTH - 0.1, 1),
            count=count,
            x=HISTOGRAM_LEFT + index * BAR_SLOT + 3,
            y=HISTOGRAM_TOP + HISTOGRAM_PLOT_HEIGHT - height,
            height=height,
        ))
    return tuple(bins)


# The dashboard's sparkline: a 36-unit margin on the left for the 0% and 100% labels.
SPARKLINE_WIDTH = 240
SPARKLINE_HEIGHT = 64
SPARKLINE_PAD = 8
SPARKLINE_LEFT = 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    readiness: float
    submitted_at: object


@dataclass(frozen=True)
class Sparkline:
    points: tuple  # Point, oldest first
    width: int = SPARKLINE_WIDTH
    height: int = SPARKLINE_HEIGHT
    left: int = SPARKLINE_LEFT
    top: int = SPARKLINE_PAD  # where 100% is
    bottom: int = SPARKLINE_HEIGHT - SPARKLINE_PAD  # where 0% is
    middle: int = SPARKLINE_HEIGHT // 2  # 50%

    @property
    def polyline(self):
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def summary(self):
        figures = " then ".join(f"{num(p.readiness)}%" for p in self.points)
        if len(self.points) == 1:
            return f"Overall readiness {figures}, from one submitted assessment."
        return f"Overall readiness over {len(self.points)} submitted assessments, oldest first: {figures}."


def sparkline(readings):
    """(readiness, submitted_at) pairs, oldest first, evenly spaced left to right; 0% at the bottom,
    100% at the top. None when there are none."""
    if not readings:
        return None
    step = (SPARKLINE_WIDTH - SPARKLINE_LEFT - SPARKLINE_PAD) / max(len(readings) - 1, 1)
    points = []
    for index, (readiness, submitted_at) in enumerate(readings):
        readiness = tidy(readiness)
        if len(readings) == 1:
            x = (SPARKLINE_LEFT + SPARKLINE_WIDTH - SPARKLINE_PAD) / 2
        else:
            x = SPARKLINE_LEFT + index * step
        y = SPARKLINE_PAD + (100 - readiness) / 100 * (SPARKLINE_HEIGHT - 2 * SPARKLINE_PAD)
        points.append(Point(round(x, 1), round(y, 1), readiness, submitted_at))
    return Sparkline(points=tuple(points))
