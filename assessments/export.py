"""CSV exports of assessments for coaches.

- One row per assessment: its figures, review status and coach notes, and per skill the gap
  (from the self-rating), the skill's scale and the latest coach rating where there is one.
- One row per skill rating ("tidy"): the same columns whatever the career, so careers mix
  without near-duplicate columns; each row says its scale, and levels are never converted.
"""

import csv
from dataclasses import replace

from django.http import HttpResponse
from django.utils import timezone

from careers.levels import as_asked

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
    "Review status",
    "Coach notes",
]

TIDY_COLUMNS = [
    "Assessment", "Job seeker", "E-mail", "Career", "Submitted", "Skill", "Kind", "O*NET element", "Scale",
    "Importance", "Required", "Self", "Coach", "Coach name", "Coach reason", "Gap", "Gap by coach rating",
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


def latest_coach_ratings(assessment):
    """SkillRating id -> its newest CoachRating; coach_ratings come prefetched, newest first."""
    latest = {}
    for coach_rating in assessment.coach_ratings.all():
        latest.setdefault(coach_rating.rating_id, coach_rating)
    return latest


def submitted_text(assessment):
    return timezone.localtime(assessment.submitted_at).strftime("%Y-%m-%d %H:%M") if assessment.submitted_at else ""


def notes_text(assessment):
    return "\n".join(
        f"{timezone.localtime(note.created_at):%Y-%m-%d} {note.author or 'a former coach'}: {note.text}"
        for note in assessment.coach_notes.all()
    )


def assessment_rows(assessments):
    """The header and the rows; assessments come with owner selected and ratings, coach_ratings (newest
    first) and coach_notes prefetched (AssessmentAdmin.export_queryset)."""
    assessments = list(assessments)
    skills = sorted({rating.skill_name for a in assessments for rating in a.ratings.all() if rating.skill_name})
    coached = sorted({
        rating.skill_name for a in assessments for rating in a.ratings.all() if rating.pk in latest_coach_ratings(a)
    })
    yield (BASE_COLUMNS + [f"Gap: {name}" for name in skills] + [f"Scale: {name}" for name in skills]
           + [f"Coach: {name}" for name in coached])
    for a in assessments:
        ratings = {rating.skill_name: rating for rating in a.ratings.all()}
        gaps = {name: rating_gap(rating) for name, rating in ratings.items()}
        latest = latest_coach_ratings(a)
        coach = {r.skill_name: latest[r.pk].level for r in a.ratings.all() if r.pk in latest}
        owner = a.owner
        yield [
            a.pk,
            (owner.get_full_name() if owner else "") or "",
            owner.email if owner else "",
            a.career_title or (a.career.title if a.career else ""),
            a.get_status_display(),
            submitted_text(a),
            # Numbers stay numbers; the csv module writes None (a draft's) as an empty cell.
            scoring.tidy(a.readiness),
            scoring.tidy(a.technical_readiness),
            scoring.tidy(a.soft_readiness),
            "" if a.critical_gaps is None else a.critical_gaps,
            a.get_review_status_display(),
            notes_text(a),
        ] + ["" if gaps.get(name) is None else gaps[name] for name in skills] + [
            f"0-{ratings[name].scale_max}" if name in ratings else "" for name in skills
        ] + [coach.get(name, "") for name in coached]


def tidy_rows(assessments):
    """The header and one row per skill rating; assessments prefetched as for assessment_rows, with ratings__skill."""
    yield TIDY_COLUMNS
    for a in assessments:
        latest = latest_coach_ratings(a)
        owner = a.owner
        for rating in sorted(a.ratings.all(), key=lambda r: r.skill_name):
            coach = latest.get(rating.pk)
            snapshot = rating.has_snapshot
            by_coach = None
            if snapshot and coach is not None:
                by_coach = scoring.tidy(scoring.assess_skill(replace(rating.as_input(), level=coach.level)).gap)
            yield [
                a.pk,
                (owner.get_full_name() if owner else "") or "",
                owner.email if owner else "",
                a.career_title or (a.career.title if a.career else ""),
                submitted_text(a),
                rating.skill_name,
                rating.kind,
                rating.skill.external_id if rating.skill else "",
                f"0-{rating.scale_max}",
                scoring.tidy(rating.importance),
                "" if rating.required is None else scoring.tidy(as_asked(rating.required, rating.scale_max)),
                rating.level,
                "" if coach is None else coach.level,
                "" if coach is None else coach.coach_name,
                "" if coach is None else coach.reason,
                "" if rating_gap(rating) is None else rating_gap(rating),
                "" if by_coach is None else by_coach,
            ]


def write_csv(rows, filename):
    # The byte-order mark tells spreadsheets the file is UTF-8, so accented names open intact.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def tidy_csv_response(assessments, filename):
    return write_csv(tidy_rows(assessments), filename)


def csv_response(assessments, filename):
    return write_csv(assessment_rows(assessments), filename)
