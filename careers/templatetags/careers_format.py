"""How career figures read on a page: "$3,000–$15,000", "6–24 months", "4.5 of 5 (essential)".

Pure functions of plain values, registered as filters, so the report pages can show a
learning step's cost and time in the same words as the career page ({% load careers_format %}).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from careers import figures
from careers.levels import LEVELS, MAX_LEVEL, ONET_MAX_LEVEL, as_asked

register = template.Library()

DAYS_PER_MONTH = Decimal("30.44")
DASH = "\u2013"


# The one filter for numbers on every page ({{ figure|num }}; report_tags registers it too).
num = register.filter("num", figures.num)
# The catalog keeps importance, levels and months to two decimals (O*NET's own precision), and
# its pages show them so: {{ requirement.importance|num:2 }}.
CATALOG_PLACES = 2


@register.filter
def dollars(value):
    return "" if value is None else f"${intcomma(int(value))}"


def cost_range(cost_min, cost_max):
    if cost_min is None or cost_max is None:
        return "Cost not known"
    if cost_max == 0:
        return "Free"
    if cost_min == 0:
        return f"Free to {dollars(cost_max)}"
    if cost_min == cost_max:
        return dollars(cost_min)
    return f"{dollars(cost_min)}{DASH}{dollars(cost_max)}"


def _unit(months):
    """The unit a duration reads best in: days under a week, weeks under a month (or for an
    odd fraction under two, 1.4 months reads as 6 weeks), otherwise months."""
    days = Decimal(str(months)) * DAYS_PER_MONTH
    if days < 7:
        return "days", None
    if months < 1 or (months < 2 and months % 1):
        return "weeks", max(1, round(days / 7))
    return "months", Decimal(str(months))


def _plural(count, unit):
    return f"{num(count, CATALOG_PLACES)} {unit[:-1] if count == 1 else unit}"


def duration_range(months_min, months_max):
    months_min, months_max = Decimal(str(months_min or 0)), Decimal(str(months_max or 0))
    if months_max == 0:
        return "Time not known"
    if months_min >= 1 and months_min % 12 == 0 and months_max % 12 == 0 and months_max >= 24:
        low, high = months_min // 12, months_max // 12
        return _plural(low, "years") if low == high else f"{num(low, CATALOG_PLACES)}{DASH}{_plural(high, 'years')}"
    (low_unit, low), (high_unit, high) = _unit(months_min), _unit(months_max)
    if high_unit == "days":
        return "a few days"
    first = "a few days" if low_unit == "days" else None
    if first is None and low_unit == high_unit:
        return _plural(high, high_unit) if low == high else f"{num(low, CATALOG_PLACES)}{DASH}{_plural(high, high_unit)}"
    return f"{first or _plural(low, low_unit)} to {_plural(high, high_unit)}"


@register.filter
def step_cost(step):
    return cost_range(step.cost_min, step.cost_max)


@register.filter
def step_time(step):
    return duration_range(step.months_min, step.months_max)


@register.filter
def importance_words(value):
    value = float(value)
    if value >= 4.5:
        return "essential"
    if value >= 4:
        return "very important"
    if value >= 3:
        return "important"
    if value >= 2:
        return "somewhat important"
    return "minor"


@register.filter
def level_words(value):
    """A level on the 0-4 scale in the questionnaire's words, e.g. 3 -> "Can do it on my own"."""
    value = min(max(float(value), 0), MAX_LEVEL)
    low, high = math.floor(value), math.ceil(value)
    if low == high:
        return LEVELS[low][1]
    return f"between \u201c{LEVELS[low][1]}\u201d and \u201c{LEVELS[high][1]}\u201d"


@dataclass(frozen=True)
class ShownLevel:
    """A required level as the career page shows it, on the requirement's own scale."""

    level: float  # as asked (careers.levels.as_asked): what the person rates against
    scale_max: int
    words: str = ""  # the guide's scale: what the level means ("Can do it on my own")
    example_level: int | None = None  # O*NET's scale: the anchor nearest to the requirement
    example: str = ""  # ... and O*NET's example at that anchor

    @property
    def label(self):
        return f"level {num(self.level)} of {self.scale_max}"


def shown_level(level, scale_max, examples=None):
    """How a required level reads: "level 3 of 4" with the guide's words for it, or "level 4 of 7"
    with O*NET's example at the anchor nearest to the catalog's figure (ties go up, as as_asked
    does). Never a rescaled or a two-decimal figure."""
    scale_max = int(scale_max)
    asked = as_asked(level, scale_max)
    if scale_max != ONET_MAX_LEVEL:
        return ShownLevel(asked, scale_max, words=level_words(asked))
    anchors = sorted(int(key) for key, text in (examples or {}).items() if str(key).isdigit() and text)
    if not anchors:
        return ShownLevel(asked, scale_max)
    nearest = min(anchors, key=lambda anchor: (abs(anchor - float(level)), -anchor))
    return ShownLevel(asked, scale_max, example_level=nearest, example=examples[str(nearest)])


@register.filter
def requirement_level(requirement):
    """{% with shown=requirement|requirement_level %}: a SkillRequirement's level as shown."""
    return shown_level(requirement.level, requirement.scale_max, requirement.skill.level_examples)


@register.filter
def importance_rounded(value):
    """Importance as a page shows it: one decimal (O*NET's 3.25 reads 3.3), beside its words."""
    return num(value, 1)


@register.filter
def figure_source(source):
    """Whose figure a learning step's cost or time is, in the page's words."""
    from careers.models import LearningStep

    return LearningStep.Figure(source).label if source in LearningStep.Figure.values else "our estimate"


@register.filter
def years_range(level):
    if level.years_max is None:
        return f"{level.years_min}+ years"
    return f"{level.years_min}{DASH}{level.years_max} years"


@register.simple_tag
def onet_notice():
    """O*NET's attribution and modification notice (templates/includes/_onet_attribution.html)."""
    from careers import onet

    return {
        "attribution": onet.ATTRIBUTION, "modified": onet.MODIFIED,
        "license_url": onet.LICENSE_URL, "database_url": onet.DATABASE_URL,
    }
