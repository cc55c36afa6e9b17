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

from careers import onet
from careers.levels import MAX_LEVEL, ONET_MAX_LEVEL, as_asked
from careers.models import Career, CareerLevel, Education, SkillRequirement, WorkStyle

from . import matching, scoring
from .models import Assessment, ReportPdf

# 2: a verdict, and a plan that is a covering path with alternatives (version 1 summed every step).
# 3: each skill on its own scale (scale_max, origin, category), work styles, related careers, attribution.
VERSION = 3
# Technical skills first, then knowledge, then soft; inside each, the most important first.
KIND_ORDER = {"technical": 0, "knowledge": 1, "soft": 2}
CLOSEST_LIMIT = 5
WORK_STYLES_SHOWN = 8


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
            cost_source=step.get("cost_source", ""),
            time_source=step.get("time_source", ""),
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
        [((skill_id, scale), importance, as_asked(required, scale), scale)
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
        "source": match.source,
        "readiness": match.readiness,
        "compared": list(match.compared),
        "compared_count": match.compared_count,
        "total": match.total,
        "missing": match.missing,
    }


def compose(*, assessment_id, career_title, career_slug, ratings, steps, education_required, highest_education,
            certifications, previous=None, next_level=None, closest=(), source="guide", work_styles=(), related=(),
            job_title=""):
    """The report document from plain values; pure.

    ratings are scoring.SkillInput in report order; steps are scoring.StepInput; previous is
    (id, ISO submission time, [SkillInput]) of the attempt this one retakes, or None;
    next_level and closest are next_level_data() and match_data() dicts; source is the career's
    (guide or onet); work_styles are {"name", "importance"} dicts, most important first; related
    are related_data() dicts; job_title is the job the person said they do (pre-filled answers).
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
        # How many of the path's known costs are our estimates rather than a source's figure.
        "estimated_costs": sum(1 for planned in plan.steps
                               if planned.step.cost_min is not None and planned.step.cost_source == "estimate"),
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
        "source": source,
        "scales": sorted({skill.scale_max for skill in result.skills}),
        "job_title": job_title,
        "from_job": sum(1 for skill in result.skills if skill.origin == "job"),
        "work_styles": list(work_styles),
        "related": list(related),
        # O*NET's notice wherever the document shows O*NET data (its career, a related or close career).
        "attribution": onet.attribution() if shows_onet(source, next_level, closest, related) else None,
    }


def shows_onet(source, next_level, closest, related):
    return (
        source == Career.Source.ONET
        or bool(related)
        or any(match.get("source") == Career.Source.ONET for match in closest)
        or bool(next_level and next_level.get("source") == Career.Source.ONET)
    )


def add_attribution(document, source, sources):
    """A document stored before documents carried O*NET's notice, with it where it shows O*NET data.

    source is its career's (None when the career is gone), sources {career id: source} for the
    careers it lists; documents that have the key are returned as they are.
    """
    if "attribution" in document:
        return document
    closest = [{**match, "source": sources.get(match["career_id"])} for match in document.get("closest", [])]
    shown = shows_onet(source, None, closest, ())
    return {**document, "attribution": onet.attribution() if shown else None}


def related_data(*, career_id, title, slug, onet_code, requirements, levels, named=""):
    """One related career: readiness over what the ratings share with it (same skill, same scale),
    or how many of its questions are still to answer. requirements are matching.requirement_table()
    rows for that career (none when it is not in the catalog, or has no ratings)."""
    found = scoring.overlap(requirements, levels) if requirements else None
    return {
        "career_id": career_id,
        "title": title,
        "named": named,  # the guide's own name for it, when it differs from O*NET's title
        "slug": slug,
        "onet_code": onet_code,
        "source": Career.Source.ONET,
        "readiness": found.readiness if found and found.enough else None,
        "compared_count": len(found.compared) if found else 0,
        "total": len(requirements),
        "to_answer": len(found.missing) if found else len(requirements),
    }


def find_related(career, levels):
    """The O*NET careers a guide career corresponds to and names as related, as related_data();
    the one it corresponds to (onet_reference) first. Two queries, with the requirement table kept."""
    if career is None or career.source != Career.Source.GUIDE:
        return []
    named = [{"title": "", "onet_code": career.onet_reference}] if career.onet_reference else []
    named += [entry for entry in career.related_occupations or () if entry.get("onet_code")]
    codes = [entry["onet_code"] for entry in named]
    found = {row[0]: row for row in Career.objects.filter(onet_code__in=codes)
             .values_list("onet_code", "pk", "title", "slug")}
    table = matching.requirement_table() if found else {}
    related, seen = [], set()
    for entry in named:
        code = entry["onet_code"]
        if code in seen or code not in found:
            continue  # O*NET not imported, or an occupation this release lacks: nothing to link
        seen.add(code)
        _, pk, title, slug = found[code]
        related.append(related_data(
            career_id=pk, title=title, slug=slug, onet_code=code, requirements=table.get(pk, ()), levels=levels,
            named=entry["title"] if entry["title"] and entry["title"] != title else "",
        ))
    return related


def work_styles_of(career_id):
    rows = WorkStyle.objects.filter(career_id=career_id).order_by("-importance", "skill__name")
    return [
        {"name": name, "importance": float(importance)}
        for name, importance in rows.values_list("skill__name", "importance")[:WORK_STYLES_SHOWN]
    ]


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
    return {**next_level_data(rung=rung, requirements=requirements, levels=levels), "source": above.profile.source}


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
    related = find_related(assessment.career, levels)
    exclude = {assessment.career_id, next_level and next_level["career_id"], *(r["career_id"] for r in related)}
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
        source=assessment.career.source if assessment.career else Career.Source.GUIDE,
        work_styles=work_styles_of(assessment.career_id) if assessment.career_id else [],
        related=related,
        job_title=assessment.job_title,
    )


# The rules the report states in words, read from the constants the figures are worked out with.
RULES = {
    "max_level": MAX_LEVEL,
    "onet_max_level": ONET_MAX_LEVEL,
    "critical_importance": scoring.CRITICAL_IMPORTANCE,
    "critical_gap": scoring.CRITICAL_GAP[MAX_LEVEL],
    "onet_critical_gap": scoring.CRITICAL_GAP[ONET_MAX_LEVEL],
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
    step = planned["step"]
    return {
        **{key: value for key, value in step_json(planned).items() if key != "skills"},
        # Whose figures these are: "guide", "onet" or "estimate" (ours); null in older reports.
        "cost_source": step.get("cost_source") or None,
        "time_source": step.get("time_source") or None,
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
                "category": skill.get("category", ""),
                "importance": scoring.tidy(skill["importance"]),
                "scale_max": skill.get("scale_max", MAX_LEVEL),
                "required": scoring.tidy(skill["required"]),
                "self": scoring.tidy(skill["level"]),
                "gap": scoring.tidy(skill["gap"]),
                "critical": skill["critical"],
                # "self": the person's own answer; "job": their job's requirement, left as it was.
                "origin": skill.get("origin", "self"),
            }
            for skill in result["skills"]
        ],
        "work_styles": document.get("work_styles", []),
        "related": [
            {key: entry[key] for key in ("title", "onet_code", "readiness", "compared_count", "total", "to_answer")}
            for entry in document.get("related", [])
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
        # O*NET's attribution and modification notice when the report shows O*NET data, else null.
        "attribution": document.get("attribution"),
    }
