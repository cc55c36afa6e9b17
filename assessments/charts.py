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


# The report's skill chart: two bars per skill (the level required, hatched; the person's own,
# solid), levels 0 to the skills' scale across (0-4 for a guide career, 0-7 for an O*NET one). It is drawn in two layouts and the stylesheet shows one:
# - wide (screens from 576 px, print and the PDF): names in a column left of the bars, each row
#   its own small SVG, so that on paper a long chart breaks between rows instead of being pushed
#   whole onto the next page (or cut off, past one page's height);
# - narrow (phones): one SVG, each name above its bars, so the whole 0 to MAX_LEVEL scale fits a
#   375 px screen with text about as large as the page's own small print.
# In both, each row's figures ("needs 2", "you 1 (gap 1)") stand in a column right of the scale,
# where no level line crosses them; the column is about 100 units wide.
@dataclass(frozen=True)
class SkillChartFrame:
    name: str
    width: int
    row_height: int
    label_x: int  # where a skill's name starts ("start") or ends ("end")
    label_anchor: str
    label_y: int  # the name's baseline, from the top of its row
    warn_x: int  # the ⚠ of a critical gap
    name_chars: int  # longer names are shortened with "…" (the table gives them whole)
    label_size: int  # the names' font size
    plot_left: int
    plot_width: int
    bar_top: int  # the required bar's top, from the top of the row; the own-level bar follows
    bar_height: int
    bar_gap: int
    figure_size: int  # the figures' font size
    header_height: int  # the level numbers above the first row
    legend_rows: tuple  # the legend's items, (kind, x) per line: kind is required/self/gap/critical
    legend_line: int = 22
    tick_top: int = 0  # the dashed level lines, from the top of the row...
    tick_bottom: int = 0  # ...to here (0: the row's foot)

    def x_at(self, level, scale=MAX_LEVEL):
        """Where a level of a 0-to-scale axis falls: the whole plot width is the whole scale."""
        return round(self.plot_left + self.plot_width * float(level) / scale, 1)

    @property
    def figures_x(self):
        return self.plot_left + self.plot_width + 8


WIDE = SkillChartFrame(
    name="wide", width=800, row_height=26, label_x=300, label_anchor="end", label_y=17, warn_x=4,
    name_chars=36, label_size=12,  # about 275 units of bold 12-unit text, clear of the ⚠ at the far left
    plot_left=310, plot_width=380, bar_top=2, bar_height=10, bar_gap=2, figure_size=11, header_height=26,
    legend_rows=((("critical", 4), ("required", 162), ("self", 372), ("gap", 542)),),
)
NARROW = SkillChartFrame(
    name="narrow", width=340, row_height=50, label_x=22, label_anchor="start", label_y=15, warn_x=4,
    name_chars=38, label_size=13,  # about 310 units of bold 13-unit text
    plot_left=22, plot_width=208,
    bar_top=21, bar_height=12, bar_gap=2, figure_size=11, header_height=24, tick_top=19, tick_bottom=48,
    legend_rows=((("required", 4), ("self", 176)), (("gap", 4), ("critical", 176))),
)
LEGEND_TEXT = {"required": "Required level (hatched)", "self": "Your level (solid)", "gap": "Gap (dashed)",
               "critical": "Critical gap"}
NARROW_LEGEND_TEXT = {**LEGEND_TEXT, "required": "Required (hatched)"}
LEGEND_SWATCH = 28  # the width of a legend's sample bar; its words start 6 units after it


def short(name, limit=WIDE.name_chars):
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def chart_scale(score):
    """The top of the chart's level axis: the scale its skills are on (a career's requirements are
    all on one: the guide's 0-4 or O*NET's 0-7). Each bar is drawn on its own skill's scale."""
    return max((skill.get("scale_max", MAX_LEVEL) for skill in score["skills"]), default=MAX_LEVEL)


def chart_rows(score, frame):
    """Each skill's row, its coordinates from the top left of the row."""
    rows = []
    required_y = frame.bar_top
    self_y = frame.bar_top + frame.bar_height + frame.bar_gap
    for index, skill in enumerate(score["skills"]):
        scale = skill.get("scale_max", MAX_LEVEL)
        required_end, self_end = frame.x_at(skill["required"], scale), frame.x_at(skill["level"], scale)
        rows.append({
            "skill": skill,
            "index": index,
            "y": frame.header_height + index * frame.row_height,
            "label": short(skill["name"], frame.name_chars),
            "shaded": index % 2 == 1,
            "required_y": required_y,
            "self_y": self_y,
            "required_width": round(required_end - frame.plot_left, 1),
            "self_width": round(self_end - frame.plot_left, 1),
            "required_text_y": required_y + frame.bar_height - 1,
            "self_text_y": self_y + frame.bar_height - 1,
            "gap_x": self_end,
            "gap_width": round(required_end - self_end, 1),
        })
    return rows


def legend(frame, texts):
    items = []
    for line, entries in enumerate(frame.legend_rows):
        y = 10 + line * frame.legend_line
        for kind, x in entries:
            # The ⚠ is a character, not a swatch: its words follow it closely.
            text_x = x + 18 if kind == "critical" else x + LEGEND_SWATCH + 6
            items.append({"kind": kind, "x": x, "y": y, "width": LEGEND_SWATCH, "text_x": text_x, "text_y": y + 12,
                          "text": texts[kind]})
    return {"items": items, "height": 10 + len(frame.legend_rows) * frame.legend_line + 6}


def skill_chart(score, chart_id="skill-chart"):
    """The skill chart's context, from a report document's score (its "score" dict): both layouts."""
    layouts = {}
    scale = chart_scale(score)
    for frame, texts in ((WIDE, LEGEND_TEXT), (NARROW, NARROW_LEGEND_TEXT)):
        rows = chart_rows(score, frame)
        plot_bottom = frame.header_height + len(rows) * frame.row_height
        key = legend(frame, texts)
        layout_id = chart_id if frame is WIDE else f"{chart_id}-{frame.name}"
        # The hatch pattern's id: the narrow chart is one SVG with one pattern; each of the wide
        # chart's SVGs needs its own (a renderer may not follow a reference into another SVG).
        for row in rows:
            row["hatch"] = f"{layout_id}-hatch-{row['index']}" if frame is WIDE else f"{layout_id}-hatch"
        layouts[frame.name] = {
            "id": layout_id,
            "hatch": f"{layout_id}-hatch-legend" if frame is WIDE else f"{layout_id}-hatch",
            "frame": frame,
            "rows": rows,
            "ticks": [{"level": level, "x": frame.x_at(level, scale)} for level in range(scale + 1)],
            "tick_bottom": frame.tick_bottom or frame.row_height,
            "scale_tick_top": frame.header_height - 5,  # the level lines start just below the numbers
            "level_x": frame.label_x if frame.label_anchor == "end" else frame.plot_left + frame.plot_width + 14,
            "level_anchor": frame.label_anchor,
            "legend": key,
            "legend_y": plot_bottom,
            "height": plot_bottom + key["height"],
        }
    return {
        "chart_id": chart_id,
        "wide": layouts["wide"],
        "narrow": layouts["narrow"],
        "max_level": scale,
        "skill_count": len(score["skills"]),
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
