"""The gap report: worked out once, when an assessment is submitted, and kept with it.

A submitted report is a document, like an invoice. `compose` turns the values of the day of
submission (the rating snapshots, the career's learning steps, the earlier attempt, the next
level on the career path and the closest careers as the catalog stood) into one JSON-ready
dict that is stored on the Assessment, with the page's body drawn from it once. The page,
report.json and the PDF read that document; nothing recomputes it. The admin, the CSV and the
dashboard read the figures stored beside it (Assessment.readiness and the rating snapshots),
which come from the same Score.

The document holds no name or e-mail: the page puts the owner's current name around it.
"""

from dataclasses import asdict

from django.db import transaction
from django.db.models import F, Value
from django.template.loader import render_to_string

from careers.levels import MAX_LEVEL, as_asked
from careers.models import CareerLevel, Education, SkillRequirement

from . import matching, scoring
from .models import Assessment, ReportPdf

# 2: a verdict, and a plan that is a covering path with alternatives (version 1 summed every step).
VERSION = 2
# Technical skills first, then knowledge, then soft; inside each, the most important first.
KIND_ORDER = {"technical": 0, "knowledge": 1, "soft": 2}
CLOSEST_LIMIT = 5


def in_report_order(ratings):
    """SkillRating rows with snapshots, in the order the report lists them."""
    return sorted(ratings, key=lambda r: (KIND_ORDER.get(r.kind, 9), -(r.importance or 0), r.skill_name))


def step_inputs(snapshot):
    """The learning steps snapshotted on submit (Assessment.steps_snapshot) as scoring takes them."""
    return [
        scoring.StepInput(
            title=step["title"],
            kind=step.get("kind", ""),
            description=step.get("description", ""),
            cost_min=step.get("cost_min"),
            cost_max=step.get("cost_max"),
            months_min=step.get("months_min", 0),
            months_max=step.get("months_max", 0),
            skills=tuple(step.get("skills", ())),
            credential=step.get("credential"),
        )
        for step in snapshot
    ]


def education_label(value):
    return Education(value).label if value is not None else ""


def score_data(result):
    return {**asdict(result), "critical_count": result.critical_count}


def next_level_data(*, rung, requirements, levels):
    """The next rung of the career path: readiness over the skills it shares with the ratings.

    rung is (career id, career title, career slug, the rung's title); requirements are that
    career's (skill id, name, importance, required level, scale_max); levels are
    {(skill id, scale_max): level}.
    """
    career_id, title, slug, level_title = rung
    found = scoring.overlap(
        [((skill_id, scale), importance, as_asked(required), scale)
         for skill_id, _, importance, required, scale in requirements],
        levels,
    )
    return {
        "career_id": career_id,
        "title": title,
        "slug": slug,
        "level_title": level_title,
        # None when not one of its skills was rated: there is nothing to compare.
        "readiness": found.readiness if found else None,
        "compared_count": len(found.compared) if found else 0,
        "total": len(requirements),
        "missing_names": sorted(name for skill_id, name, _, _, scale in requirements if (skill_id, scale) not in levels),
    }


def match_data(match):
    return {
        "career_id": match.career_id,
        "title": match.title,
        "slug": match.slug,
        "readiness": match.readiness,
        "compared": list(match.compared),
        "compared_count": match.compared_count,
        "total": match.total,
        "missing": match.missing,
    }


def compose(*, assessment_id, career_title, career_slug, ratings, steps, education_required, highest_education,
            certifications, previous=None, next_level=None, closest=()):
    """The report document from plain values; pure.

    ratings are scoring.SkillInput in report order; steps are scoring.StepInput; previous is
    (id, ISO submission time, [SkillInput]) of the attempt this one retakes, or None;
    next_level and closest are next_level_data() and match_data() dicts.
    """
    result = scoring.score(ratings)
    education_is_met = scoring.education_met(education_required, highest_education)
    plan = scoring.plan(steps, result, education_required=education_required,
                        highest_education=highest_education, certifications=certifications)
    progress = None
    if previous is not None:
        previous_id, previous_at, previous_ratings = previous
        progress = asdict(scoring.progress(scoring.score(previous_ratings), result))
    return {
        "version": VERSION,
        "id": assessment_id,
        "career": {"title": career_title, "slug": career_slug},
        "verdict": asdict(scoring.verdict(result, education_is_met)),
        "score": score_data(result),
        "strengths_count": len(result.met) + len(result.exceeded),
        "plan": asdict(plan),
        "first_steps": [asdict(planned) for planned in plan.steps[:scoring.FIRST_STEPS]],
        "education_met": education_is_met,
        "education_required": education_label(education_required),
        "education_held": education_label(highest_education),
        "certifications": certifications,
        "previous": {"id": previous[0], "submitted_at": previous[1]} if previous else None,
        "progress": progress,
        "next_level": next_level,
        "closest": list(closest),
    }


def find_next_level(career_id, levels, *, level_model=CareerLevel, requirement_model=SkillRequirement):
    """The next rung above this career on its career path, as next_level_data(); None if there is none.

    The models are parameters so that a data migration can pass its historical ones.
    """
    if career_id is None:
        return None
    # Every level of every path that has this career as one of its rungs: one query.
    rungs = list(
        level_model.objects.filter(career__path__profile_id=career_id)
        .select_related("profile")
        .order_by("career_id", "position")
        .distinct()
    )
    above = next(
        (following for rung, following in zip(rungs, rungs[1:])
         if rung.profile_id == career_id and following.career_id == rung.career_id and following.profile_id),
        None,
    )
    if above is None:
        return None
    requirements = [
        (skill_id, name, float(importance), float(level), scale)
        for skill_id, name, importance, level, scale in requirement_model.objects.filter(career_id=above.profile_id)
        .order_by("-importance", "skill__name")
        .annotate(scale=Value(MAX_LEVEL) if not matching.has_scales(requirement_model) else F("scale_max"))
        .values_list("skill_id", "skill__name", "importance", "level", "scale")
    ]
    rung = (above.profile_id, above.profile.title, above.profile.slug, above.title)
    return next_level_data(rung=rung, requirements=requirements, levels=levels)


def document_for(assessment, ratings):
    """The report of an assessment being submitted; ratings are its SkillRating rows with snapshots."""
    ordered = in_report_order(ratings)
    levels = {(r.skill_id, r.scale_max): float(r.level) for r in ordered if r.skill_id}
    previous = None
    earlier = assessment.previous
    if earlier is not None and earlier.is_submitted and earlier.owner_id == assessment.owner_id:
        previous = (earlier.pk, earlier.submitted_at.isoformat(),
                    [r.as_input() for r in in_report_order(earlier.ratings.all())])
    next_level = find_next_level(assessment.career_id, levels)
    exclude = {assessment.career_id, next_level and next_level["career_id"]}
    closest = matching.find_matches(levels, exclude=exclude).matches[:CLOSEST_LIMIT]
    return compose(
        assessment_id=assessment.pk,
        career_title=assessment.career_title,
        career_slug=assessment.career_slug,
        ratings=[r.as_input() for r in ordered],
        steps=step_inputs(assessment.steps_snapshot),
        education_required=assessment.education_required,
        highest_education=assessment.highest_education,
        certifications=assessment.certifications,
        previous=previous,
        next_level=next_level,
        closest=[match_data(match) for match in closest],
    )


# The rules the report states in words, read from the constants the figures are worked out with.
RULES = {
    "max_level": MAX_LEVEL,
    "critical_importance": scoring.CRITICAL_IMPORTANCE,
    "critical_gap": scoring.CRITICAL_GAP,
    "min_share": round(100 * scoring.MIN_WEIGHT_SHARE),
    "ready_at": scoring.READY_AT,
    "close_at": scoring.CLOSE_AT,
}


def render_body(document, *, for_pdf=False):
    """The report's body as HTML, drawn from its document alone."""
    return render_to_string("assessments/_report_body.html", {"report": document, "for_pdf": for_pdf, "rules": RULES})


@transaction.atomic
def forget_previous(assessments):
    """These reports stop quoting the earlier attempt they were compared with (it is being deleted)."""
    changed = []
    for assessment in assessments.select_for_update():
        if assessment.report and assessment.report.get("previous"):
            assessment.report = {**assessment.report, "previous": None, "progress": None}
            assessment.report_html = render_body(assessment.report)
            changed.append(assessment)
    Assessment.objects.bulk_update(changed, ["report", "report_html"])
    ReportPdf.objects.filter(assessment__in=changed).delete()


def step_json(planned):
    step = planned["step"]
    return {
        "title": step["title"],
        "cost_min": step["cost_min"],
        "cost_max": step["cost_max"],
        "months_min": scoring.tidy(step["months_min"]),
        "months_max": scoring.tidy(step["months_max"]),
        "skills": [gap["name"] for gap in planned["closes"]],
    }


def planned_json(planned):
    return {
        **{key: value for key, value in step_json(planned).items() if key != "skills"},
        "gaps": [gap["name"] for gap in planned["closes"]],
        "meets_education": planned.get("meets_education", False),
        "reaches": planned.get("reaches"),
    }


def report_json(document):
    """report.json: the documented shape, every number taken from the stored document."""
    result, plan = document["score"], document["plan"]
    verdict = document.get("verdict")
    return {
        "career": document["career"]["slug"],
        "verdict": {"label": verdict["label"], "text": f"{verdict['title']}: {verdict['text']}"} if verdict else None,
        "readiness": result["readiness"],
        "technical": result["technical"],
        "soft": result["soft"],
        "skills": [
            {
                "skill": skill["name"],
                "kind": skill["kind"],
                "importance": scoring.tidy(skill["importance"]),
                "required": scoring.tidy(skill["required"]),
                "self": scoring.tidy(skill["level"]),
                "gap": scoring.tidy(skill["gap"]),
                "critical": skill["critical"],
            }
            for skill in result["skills"]
        ],
        "plan": {
            "steps": [planned_json(planned) for planned in plan["steps"]],
            "alternatives": [planned_json(planned) for planned in plan.get("alternatives", [])],
            "fastest": [planned_json(planned) for planned in plan["fastest"]] if plan.get("fastest") else None,
            "held": plan.get("held", []),
            "cost_min": plan["cost_min"],
            "cost_max": plan["cost_max"],
            "unknown_cost": plan["unknown_cost"],
            "months_min": plan["months_min"],
            "months_max": plan["months_max"],
        },
        # The chosen path's steps in the shape integrations have read since the first release.
        "next_steps": [step_json(planned) for planned in plan["steps"]],
    }
