"""Every assessment submitted before reports were stored gets its document and page body.

Built from the same snapshots its report was drawn from until now (the rating snapshots, the
learning steps and education taken on submit, the earlier attempt) and, for the next level and
the closest careers, from the catalog as it stands when this runs, which is what those
sections showed until now. Reads go through the historical models; the arithmetic is the
report's own pure functions, so the figures are the ones the page showed.
"""

from django.db import migrations

BATCH = 200


def rating_inputs(ratings):
    from assessments import report, scoring

    return [
        scoring.SkillInput(
            name=r.skill_name, kind=r.kind, importance=r.importance or 0, required=r.required or 0, level=r.level
        )
        for r in report.in_report_order(ratings)
    ]


def write_documents(apps, schema_editor):
    from assessments import matching, report

    Assessment = apps.get_model("assessments", "Assessment")
    Career = apps.get_model("careers", "Career")
    CareerLevel = apps.get_model("careers", "CareerLevel")
    Skill = apps.get_model("careers", "Skill")
    SkillRequirement = apps.get_model("careers", "SkillRequirement")
    pending = Assessment.objects.filter(status="submitted", report__isnull=True).order_by("pk")
    if not pending.exists():
        return
    table = matching.read_table(SkillRequirement)
    careers = list(Career.objects.order_by().values_list("id", "title", "slug", "job_zone", "source"))
    names = dict(Skill.objects.values_list("id", "name"))
    last = 0
    while True:
        batch = list(pending.filter(pk__gt=last).select_related("previous").prefetch_related("ratings",
                                                                                              "previous__ratings")[:BATCH])
        if not batch:
            break
        for assessment in batch:
            ratings = list(assessment.ratings.all())
            # Every rating of this time was on the guide's 0-4 scale (careers 0006 added others).
            levels = {(r.skill_id, 4): float(r.level) for r in ratings if r.skill_id}
            earlier = assessment.previous
            previous = None
            if earlier is not None and earlier.status == "submitted" and earlier.owner_id == assessment.owner_id:
                previous = (earlier.pk, earlier.submitted_at.isoformat(), rating_inputs(earlier.ratings.all()))
            next_level = report.find_next_level(
                assessment.career_id, levels, level_model=CareerLevel, requirement_model=SkillRequirement
            )
            exclude = {assessment.career_id, next_level and next_level["career_id"]}
            closest = matching.match_careers(table=table, careers=careers, names=names, levels=levels,
                                             exclude=exclude).matches[:report.CLOSEST_LIMIT] if levels else ()
            assessment.report = report.compose(
                assessment_id=assessment.pk,
                career_title=assessment.career_title,
                career_slug=assessment.career_slug,
                ratings=rating_inputs(ratings),
                steps=report.step_inputs(assessment.steps_snapshot),
                education_required=assessment.education_required,
                highest_education=assessment.highest_education,
                certifications=assessment.certifications,
                previous=previous,
                next_level=next_level,
                closest=[report.match_data(match) for match in closest],
            )
            assessment.report_html = report.render_body(assessment.report)
        Assessment.objects.bulk_update(batch, ["report", "report_html"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0004_report_document_and_visitor"),
        ("careers", "0004_alter_career_job_zone"),
    ]

    operations = [
        migrations.RunPython(write_documents, migrations.RunPython.noop, elidable=True),
    ]
