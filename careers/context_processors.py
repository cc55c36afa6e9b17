"""The level scale for every page's words ("level 3 of 4", "the 0–4 scale"), read from careers.levels.

Templates state the scale from this constant instead of restating it; the report body, drawn
without a request, gets the same constant through report.RULES.
"""

from careers.levels import MAX_LEVEL


def level_scale(request):
    return {"max_level": MAX_LEVEL}
