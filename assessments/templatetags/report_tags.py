"""Formatting and the server-side SVG chart for gap reports.

The chart is drawn here so the template holds no arithmetic; colours are SVG presentation
attributes (allowed by the Content-Security-Policy, understood by WeasyPrint), and every
bar also differs by pattern and label, so colour is never the only signal.
"""

from datetime import datetime

from django import template

from assessments.scoring import tidy
from careers import figures
from careers.levels import MAX_LEVEL
from careers.templatetags import careers_format

register = template.Library()


# The one filter for numbers, the same function careers_format registers.
num = register.filter("num", figures.num)


@register.filter
def signed(value):
    """A change with its sign spelled out: +3.5, −2 or 0."""
    if value is None:
        return "—"
    value = tidy(value)
    if value > 0:
        return f"+{num(value)}"
    if value < 0:
        return f"−{num(-value)}"
    return "0"


@register.filter
def as_date(value):
    """An ISO time from a stored report document, as a datetime the date filter can format."""
    return datetime.fromisoformat(value) if value else None


# Costs and times read as on the career page: one set of words for both.
@register.simple_tag
def cost_range(low, high):
    return careers_format.cost_range(low, high)


@register.simple_tag
def duration(low, high):
    return careers_format.duration_range(low, high)


# Chart geometry, in SVG user units.
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


@register.inclusion_tag("assessments/_chart.html")
def skill_chart(score, chart_id="skill-chart"):
    """The chart of a report document's score (its "score" dict)."""
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
