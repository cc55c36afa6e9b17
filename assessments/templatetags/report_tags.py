"""Formatting and the server-side SVG chart for gap reports.

The chart's geometry is worked out in assessments.charts so the template holds no arithmetic;
colours are SVG presentation attributes (allowed by the Content-Security-Policy, understood by
WeasyPrint), and every bar also differs by pattern and label, so colour is never the only signal.
"""

from datetime import datetime

from django import template

from assessments import charts
from assessments.scoring import tidy
from careers import figures
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


@register.inclusion_tag("assessments/_chart.html")
def skill_chart(score, chart_id="skill-chart"):
    """The chart of a report document's score (its "score" dict); assessments.charts draws it."""
    return charts.skill_chart(score, chart_id)

