"""CSV export of assessments for coaches: one row per assessment, one column per skill gap."""

import csv

from django.http import HttpResponse
from django.utils import timezone

from . import scoring

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BASE_COLUMNS = [
    "Assessment",
    "Job seeker",
    "E-mail",
    "Career",
    "Status",
    "Submitted",
    "Overall readiness",
    "Technical readiness",
    "Soft readiness",
    "Critical gaps",
]


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rating_gap(rating):
    """The gap on one rating, from its snapshot; None when there is no snapshot (a draft)."""
    if not rating.has_snapshot:
        return None
    return scoring.tidy(scoring.assess_skill(rating.as_input()).gap)


def assessment_rows(assessments):
    """The header and the rows; assessments must come with owner selected and ratings prefetched."""
    assessments = list(assessments)
    skills = sorted({rating.skill_name for a in assessments for rating in a.ratings.all() if rating.skill_name})
    yield BASE_COLUMNS + [f"Gap: {name}" for name in skills]
    for a in assessments:
        gaps = {rating.skill_name: rating_gap(rating) for rating in a.ratings.all()}
        owner = a.owner
        submitted = timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""
        yield [
            a.pk,
            (owner.get_full_name() if owner else "") or "",
            owner.email if owner else "",
            a.career_title or (a.career.title if a.career else ""),
            a.get_status_display(),
            submitted,
            # Numbers stay numbers; the csv module writes None (a draft's) as an empty cell.
            scoring.tidy(a.readiness),
            scoring.tidy(a.technical_readiness),
            scoring.tidy(a.soft_readiness),
            "" if a.critical_gaps is None else a.critical_gaps,
        ] + ["" if gaps.get(name) is None else gaps[name] for name in skills]


def csv_response(assessments, filename):
    # The byte-order mark tells spreadsheets the file is UTF-8, so accented names open intact.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in assessment_rows(assessments):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response
