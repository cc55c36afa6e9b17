"""Fill a benchmark database: the catalog, the O*NET import, job seekers and their assessments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap_bench .venv/bin/python bench/seed.py

Migrates, loads the built-in catalog, imports O*NET from $ONET_DIR (default ../shared/onet)
when it is there, then seeds 10,000 job seekers and 50,000 submitted assessments (most on
Production Associate, the rest over a few hundred O*NET careers), with a rating per asked
requirement on that requirement's own scale (the guide's 0-4, O*NET's 0-7: whole levels from 0
to scale_max, SkillRating.scale_max), its snapshot (name, kind, O*NET category, importance,
required level) and origin "self", and readiness figures worked out by assessments.scoring, as
a submit would.
A person's second assessment for a career retakes their first (previous, better ratings on
some skills, a later date); one job seeker in twenty also has a draft in progress. A coach and
a job seeker with known passwords are the benchmark's personas. Seeding runs in one
transaction and is skipped when the database already holds the personas, unless its ratings
were seeded before they carried their scale (stale_ratings): then seed.py stops with exit
status STALE and says so, and bench/run.py drops the database and seeds it afresh. --json
prints the ids and slugs the load test needs.

Every submitted assessment then gets its stored report as a submit writes it (fill_reports):
the document that assessments.report.compose makes of its own rating snapshots, learning
steps and earlier attempt, and the page body that report.render_body draws from it. This
runs on every start for each submitted assessment with no report or one of an earlier
document version (report.VERSION), so a database seeded before reports were stored, or a
fill that was interrupted, is brought up to date; on a complete database it writes nothing.
Then --check N stored reports are compared with what report.document_for (the submit's own
code) gives for the same rows.

Ratings are drawn from a fixed random seed, so two databases seeded with the same numbers
hold the same rows.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from array import array
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONET_DIR = Path(os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet")

GUIDE_SLUG = "production-associate"
GUIDE_SHARE = 0.6  # of assessments, on Production Associate
ONET_CAREERS = 300  # O*NET careers the other assessments are spread over
DRAFT_EVERY = 20  # one job seeker in this many has a draft in progress
ORIGIN = "self"  # SkillRating.Origin.SELF: nobody here started from a job's answers
RATING_COLUMNS = ["assessment", "skill", "level", "scale_max", "origin", "skill_name", "kind", "category",
                  "importance", "required"]
# Writes the stored reports of old submissions; fill_reports writes the same, faster.
DOCUMENTS_MIGRATION = ("assessments", "0005_report_documents")

SEEKER_EMAIL = "bench-seeker@example.org"
COACH_EMAIL = "bench-coach@example.org"
# A throwaway database on loopback; the load test logs in with these.
PASSWORD = "bench-only-not-a-secret-7Qz"

FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kemal",
               "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik"]
LAST_NAMES = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones",
              "Kowalski", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Rossi", "Silva", "Tran", "Walker"]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def migrate():
    """Migrate. A database seeded before reports were stored gets their documents from
    fill_reports afterwards, not from migration assessments 0005, which writes the same
    documents one query at a time (about 35 minutes for 50,000 assessments): 0005 is recorded
    as applied and everything else runs as usual."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    if ("assessments", "0003_admin_order_index") in applied and DOCUMENTS_MIGRATION not in applied:
        call_command("migrate", "assessments", "0004", "--noinput", verbosity=0)
        call_command("migrate", *DOCUMENTS_MIGRATION, "--fake", "--noinput", verbosity=0)
    call_command("migrate", "--noinput", verbosity=0)


def load_catalogs(out):
    from django.core.management import call_command

    migrate()
    call_command("load_catalog", stdout=out)
    if ONET_DIR.is_dir():
        call_command("import_onet", str(ONET_DIR), stdout=out)
    else:
        out.write(f"No O*NET release at {ONET_DIR}: seeding the built-in catalog only.\n")


def seeded():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__in=[SEEKER_EMAIL, COACH_EMAIL]).count() == 2


# seed.py's exit status when the database was seeded by an earlier format (run.py then drops
# and re-creates it); sys.exit with a message gives 1.
STALE = 3


def stale_ratings():
    """How many submitted ratings do not snapshot their requirement as the catalog now holds it:
    the same element on the same scale, at the same level, with the skill's category. A database
    seeded before ratings carried their scale has O*NET answers on 0-4 against requirements now
    on O*NET's 0-7 (and no category): benchmarking it would measure documents today's code
    never writes. The catalog is re-imported on every run, so on a current seed this is 0."""
    from django.db.models import Exists, F, OuterRef, Q

    from assessments.models import Assessment, SkillRating
    from careers.models import SkillRequirement

    same = SkillRequirement.objects.filter(career_id=OuterRef("assessment__career_id"), skill_id=OuterRef("skill_id"),
                                           scale_max=OuterRef("scale_max"), level=OuterRef("required"))
    return (
        SkillRating.objects.filter(assessment__status=Assessment.Status.SUBMITTED, skill__isnull=False)
        .filter(~Exists(same) | ~Q(category=F("skill__category")))
        .count()
    )


class CareerPlan:
    """What a submit snapshots for one career: the requirements the questionnaire asks, each on
    its own scale (skill id, name, kind, O*NET category, importance, level, scale_max), and the
    learning steps."""

    def __init__(self, career):
        from assessments.questionnaire import asked_requirements, step_snapshot

        self.career = career
        self.requirements = [
            (r.skill_id, r.skill.name, r.skill.kind, r.skill.category, r.importance, r.level, r.scale_max)
            for r in asked_requirements(career).order_by("skill__name")
        ]
        self.steps = [step_snapshot(step) for step in career.learning_steps.prefetch_related("skills")]


def pick_careers(rng):
    """Production Associate, and O*NET careers with requirements, more popular ones more often."""
    from django.db.models import Count

    from careers.models import Career

    with_requirements = Career.objects.annotate(n=Count("requirements")).filter(n__gt=0)
    guide = with_requirements.get(slug=GUIDE_SLUG)
    others = list(with_requirements.exclude(pk=guide.pk).order_by("slug"))
    others = rng.sample(others, min(ONET_CAREERS, len(others)))
    return CareerPlan(guide), [CareerPlan(career) for career in others]


def draw_levels(rng, plan, earlier=None):
    """Self-ratings in whole levels on each requirement's own scale (0 to scale_max): near the
    level as asked, an eighth of the scale under on average with a spread of a quarter of it;
    a retake improves on some by one level."""
    from careers.levels import as_asked

    levels = []
    for index, (*_, required, scale_max) in enumerate(plan.requirements):
        if earlier is None:
            level = round(as_asked(required, scale_max) + rng.gauss(-scale_max / 8, scale_max / 4))
        else:
            level = earlier[index] + (1 if rng.random() < 0.35 else 0)
        levels.append(max(0, min(scale_max, level)))
    return levels


def score_levels(plan, levels):
    from assessments import scoring

    return scoring.score(
        scoring.SkillInput(name=name, kind=kind, importance=importance, required=required, level=level,
                           scale_max=scale_max, category=category)
        for (_, name, kind, category, importance, required, scale_max), level in zip(plan.requirements, levels)
    )


def make_users(rng, count, now):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    # One hash for every generated user: hashing 10,000 passwords would take minutes and
    # nobody logs in as them. The personas get their own below.
    shared_hash = make_password(None)
    users = []
    for number in range(1, count):
        email = f"jobseeker-{number:05d}@example.org"
        users.append(User(
            username=email, email=email, password=shared_hash,
            first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
            date_joined=now - timedelta(days=rng.uniform(0, 400)),
        ))
    User.objects.bulk_create(users, batch_size=2000)
    seeker = User(username=SEEKER_EMAIL, email=SEEKER_EMAIL, first_name="Bench", last_name="Seeker",
                  date_joined=now - timedelta(days=400))
    seeker.set_password(PASSWORD)
    seeker.save()
    return [seeker, *User.objects.filter(email__startswith="jobseeker-").order_by("pk")]


def make_coach():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    coach = get_user_model()(username=COACH_EMAIL, email=COACH_EMAIL, first_name="Bench", last_name="Coach",
                             is_staff=True)
    coach.set_password(PASSWORD)
    coach.save()
    coach.groups.add(Group.objects.get(name="Coaches"))


def copy_rows(model, columns, rows):
    """Write many rows with PostgreSQL's COPY, or bulk_create elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**dict(zip(columns, row))) for row in rows), batch_size=500)
        return
    fields = [model._meta.get_field(name).column for name in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([r"\N" if value is None else value for value in row])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(fields)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


def seed(*, job_seekers, assessments, out):
    """Seed users and assessments in bulk, figures by assessments.scoring; returns the row counts."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from assessments.models import Assessment, SkillRating

    rng = random.Random(2026)
    now = timezone.now()
    guide, others = pick_careers(rng)
    # A few O*NET careers are popular, most get a handful of assessments.
    other_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(others))]
    reviews = [Assessment.Review.NEW] * 14 + [Assessment.Review.REVIEWED] * 3 + [
        Assessment.Review.IN_REVIEW, Assessment.Review.FOLLOW_UP, Assessment.Review.FOLLOW_UP]
    first_pk = (Assessment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    with transaction.atomic():
        started = time.perf_counter()
        users = make_users(rng, job_seekers, now)
        make_coach()
        out.write(f"  {len(users):,} job seekers and a coach ({time.perf_counter() - started:.1f} s)\n")

        rows, ratings = [], []
        latest = {}  # (user pk, plan index) -> (assessment pk, levels, submitted_at)
        plans = [guide, *others]
        for number in range(assessments):
            pk = first_pk + number
            # The persona always gets the first two: a Production Associate assessment and its retake.
            user = users[0] if number < 2 else users[rng.randrange(len(users))]
            if number < 2:
                index = 0
            elif not others or rng.random() < GUIDE_SHARE:
                index = 0
            else:
                index = 1 + rng.choices(range(len(others)), weights=other_weights)[0]
            plan = plans[index]
            earlier = latest.get((user.pk, index))
            retake = earlier is not None
            if retake:
                levels = draw_levels(rng, plan, earlier[1])
                submitted_at = earlier[2] + timedelta(days=rng.uniform(7, 60))
            else:
                levels = draw_levels(rng, plan)
                submitted_at = now - timedelta(days=rng.uniform(30, 365), minutes=rng.uniform(0, 1440))
            submitted_at = min(submitted_at, now)
            result = score_levels(plan, levels)
            rows.append(Assessment(
                pk=pk, owner_id=user.pk, career_id=plan.career.pk, career_title=plan.career.title,
                career_slug=plan.career.slug, steps_snapshot=plan.steps,
                education_required=plan.career.education_required,
                status=Assessment.Status.SUBMITTED, current_step="review",
                previous_id=earlier[0] if retake else None,
                highest_education=rng.choice([0, 1, 1, 1, 2, 3, 4, 5]),
                years_experience=Decimal(rng.choice(["0", "0.5", "1", "2", "3", "5", "8", "12"])),
                readiness=Decimal(str(result.readiness)),
                technical_readiness=Decimal(str(result.technical)),
                soft_readiness=Decimal(str(result.soft)),
                critical_gaps=result.critical_count,
                review_status=rng.choice(reviews),
                submitted_at=submitted_at,
            ))
            latest[(user.pk, index)] = (pk, levels, submitted_at)
            # As a submit leaves them: the person's answer on the requirement's scale, and the
            # requirement snapshotted beside it. Every answer is the person's own (origin "self").
            ratings.extend(
                (pk, skill_id, level, scale_max, ORIGIN, name, kind, category, importance, required)
                for (skill_id, name, kind, category, importance, required, scale_max), level
                in zip(plan.requirements, levels)
            )

        # Drafts in progress: background answered, no ratings yet. The persona's draft has
        # every rating, so the load test can re-post its technical step.
        draft_pk = first_pk + assessments
        drafts = [Assessment(pk=draft_pk, owner_id=users[0].pk, career_id=guide.career.pk,
                             career_title=guide.career.title, career_slug=guide.career.slug,
                             current_step="technical", highest_education=1, years_experience=Decimal(2))]
        ratings.extend(  # as save_ratings writes a draft's answers: level, scale and origin only
            (draft_pk, skill_id, level, scale_max, ORIGIN, "", "", "", None, None)
            for (skill_id, *_, scale_max), level in zip(guide.requirements, draw_levels(rng, guide))
        )
        for offset, user in enumerate(users[1::DRAFT_EVERY], start=1):
            plan = plans[rng.randrange(len(plans))]
            drafts.append(Assessment(pk=draft_pk + offset, owner_id=user.pk, career_id=plan.career.pk,
                                     career_title=plan.career.title, career_slug=plan.career.slug,
                                     current_step="technical", highest_education=rng.choice([1, 2, 3]),
                                     years_experience=Decimal(1)))
        scored = time.perf_counter()
        out.write(f"  {len(rows):,} assessments scored, {len(drafts):,} drafts ({scored - started:.1f} s)\n")

        Assessment.objects.bulk_create(rows + drafts, batch_size=2000)
        table = Assessment._meta.db_table
        with connection.cursor() as cursor:
            # auto_now_add stamped every row with today: date them as people would have.
            cursor.execute(
                f"UPDATE {table} SET created_at = COALESCE(submitted_at, %s) - interval '25 minutes', "
                f"updated_at = COALESCE(submitted_at, %s) WHERE id >= %s",
                [now, now, first_pk],
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        out.write(f"  assessments written ({time.perf_counter() - scored:.1f} s)\n")
        copied = time.perf_counter()
        copy_rows(SkillRating, RATING_COLUMNS, ratings)
        out.write(f"  {len(ratings):,} ratings written ({time.perf_counter() - copied:.1f} s)\n")
    if connection.vendor == "postgresql":
        # What autovacuum would soon do: statistics for the planner, and a visibility map so
        # that counting rows can read an index instead of every row.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"job_seekers": len(users), "assessments": len(rows), "drafts": len(drafts), "ratings": len(ratings)}


# --- stored reports ---------------------------------------------------------------------------

REPORTS_BATCH = 2000  # assessments read, worked out and written per transaction
WORK_CHUNK = 100  # assessments a worker process takes at a time
# Readiness points kept below the fifth-closest career's rough figure (see Closest). The rough
# figure differs from scoring.overlap's by float noise (~1e-12) and tidy()'s rounding (0.05).
MARGIN = 0.2


class Closest:
    """The closest careers of many assessments, exactly as matching.match_careers ranks them.

    For 50,000 assessments, match_careers over ~1,000 careers each takes about 10 minutes. Two
    facts make it fast without changing a figure: whether a career is compared at all
    (scoring.Overlap.enough) depends only on which skills were rated, never on the levels, so
    the careers that can appear are worked out once per set of rated skills; and among those,
    sum(importance x gap / scale_max) is a sum of per-skill columns, so adding one list per rated
    skill ranks every candidate roughly at once. match_careers itself then scores the few within
    MARGIN of the fifth, which are the only ones that can be among the first five.

    Skills are keyed as matching keys them, (skill id, scale_max), and required levels are the
    table's, already as asked: a rating only meets a requirement on the same element and scale.
    """

    def __init__(self, table, careers, names):
        self.table, self.names = table, names
        self.careers = {row[0]: row for row in careers}
        self.groups = {}  # frozenset of rated (skill id, scale) -> (candidates, columns, demanded, vectors)

    def group(self, rated):
        found = self.groups.get(rated)
        if found is None:
            from assessments import scoring

            probe = dict.fromkeys(rated, 0.0)
            candidates = []
            for career_id, requirements in self.table.items():
                shared = scoring.overlap(requirements, probe)
                if career_id in self.careers and shared is not None and shared.enough:
                    candidates.append(career_id)
            requirement = {career_id: {key: (importance, required, scale)
                                       for key, importance, required, scale in self.table[career_id]}
                           for career_id in candidates}
            columns = {key: [requirement[career_id].get(key) for career_id in candidates] for key in rated}
            # Each term on its own scale, as scoring.overlap sums them.
            demanded = [sum(importance * required / scale
                            for key, (importance, required, scale) in requirement[career_id].items() if key in rated)
                        for career_id in candidates]
            found = self.groups[rated] = (candidates, columns, demanded, {})
        return found

    def matches(self, levels, exclude):
        """matching.match_careers(...).matches[:CLOSEST_LIMIT] for these levels ({(skill id, scale): level})."""
        from operator import add

        from assessments import matching, report

        candidates, columns, demanded, vectors = self.group(frozenset(levels))
        missing = [0.0] * len(candidates)
        for key, level in levels.items():
            vector = vectors.get((key, level))
            if vector is None:  # an array: a list of floats would take ~1 GB over 300 careers' groups
                vector = vectors[key, level] = array("d", (
                    0.0 if need is None else need[0] * max(0.0, need[1] - level) / need[2] for need in columns[key]
                ))
            missing = list(map(add, missing, vector))
        rough = sorted(
            ((100 * (1 - lost / total) if total > 0 else 100.0), career_id)
            for career_id, lost, total in zip(candidates, missing, demanded) if career_id not in exclude
        )
        if len(rough) > report.CLOSEST_LIMIT:
            floor = rough[-report.CLOSEST_LIMIT][0] - MARGIN
            rough = [item for item in rough if item[0] >= floor]
        shortlist = [career_id for _, career_id in rough]
        return matching.match_careers(
            table={career_id: self.table[career_id] for career_id in shortlist},
            careers=[self.careers[career_id] for career_id in shortlist],
            names=self.names, levels=levels, exclude=exclude,
        ).matches[:report.CLOSEST_LIMIT]


def next_rungs(career_ids):
    """{career id: (rung, requirements, source)}: report.next_level_data's arguments and the rung's
    source, or None; one look-up per career instead of two queries per assessment. The rung is
    report.find_next_level's own."""
    from assessments import report
    from careers.models import Career, SkillRequirement

    rungs = {}
    for career_id in career_ids:
        found = report.find_next_level(career_id, {})
        if found is None:
            rungs[career_id] = None
            continue
        requirements = [  # as report.find_next_level reads them, each with its scale
            (skill_id, name, float(importance), float(level), scale)
            for skill_id, name, importance, level, scale in SkillRequirement.objects
            .filter(career_id=found["career_id"]).order_by("-importance", "skill__name")
            .values_list("skill_id", "skill__name", "importance", "level", "scale_max")
        ]
        rung = (found["career_id"], found["title"], found["slug"], found["level_title"])
        rungs[career_id] = (rung, requirements, Career.objects.get(pk=found["career_id"]).source)
    return rungs


def career_facts(career_ids):
    """{career id: (source, work styles, related careers)} as report.document_for finds them, once
    per career. The related careers are report.find_related's entries; their figures depend on
    the ratings, so compose_reports works them out per assessment (see related_for)."""
    from assessments import report
    from careers.models import Career

    facts = {}
    for career in Career.objects.filter(pk__in=career_ids):
        related = [
            {key: entry[key] for key in ("career_id", "title", "slug", "onet_code", "named")}
            for entry in report.find_related(career, {})
        ]
        facts[career.pk] = (career.source, report.work_styles_of(career.pk), related)
    return facts


def related_for(entries, table, levels):
    """report.find_related's result for these levels, from its entries and the requirement table."""
    from assessments import report

    return [report.related_data(**entry, requirements=table.get(entry["career_id"], ()), levels=levels)
            for entry in entries]


# What the worker processes share, set before they are forked.
_work = {}


def compose_reports(items):
    """(pk, document as JSON, page body) for each item of read_pending(); no database."""
    from assessments import report
    from careers.models import Career

    closest, rungs, facts = _work["closest"], _work["rungs"], _work["facts"]
    done = []
    for item in items:
        levels = item["levels"]
        rung = rungs.get(item["career_id"])
        next_level = None
        if rung:
            next_level = {**report.next_level_data(rung=rung[0], requirements=rung[1], levels=levels),
                          "source": rung[2]}
        # A career since deleted: what document_for gives for an assessment without its career.
        source, work_styles, entries = facts.get(item["career_id"], (Career.Source.GUIDE, [], []))
        related = related_for(entries, closest.table, levels)
        exclude = {item["career_id"], next_level and next_level["career_id"], *(r["career_id"] for r in related)}
        document = report.compose(
            assessment_id=item["pk"],
            career_title=item["career_title"],
            career_slug=item["career_slug"],
            ratings=item["ratings"],
            steps=report.step_inputs(item["steps_snapshot"]),
            education_required=item["education_required"],
            highest_education=item["highest_education"],
            certifications=item["certifications"],
            previous=item["previous"],
            next_level=next_level,
            closest=[report.match_data(match) for match in closest.matches(levels, exclude)] if levels else [],
            source=source,
            work_styles=work_styles,
            related=related,
            job_title=item["job_title"],
        )
        done.append((item["pk"], json.dumps(document), report.render_body(document)))
    return done


def unreported():
    """Submitted assessments without a stored report, or with one of an earlier document version:
    the benchmark's data is what today's code writes at submission."""
    from django.db.models import Q

    from assessments import report
    from assessments.models import Assessment

    return Assessment.objects.submitted().filter(Q(report__isnull=True) | ~Q(report__version=report.VERSION))


def read_pending(after, limit):
    """The next assessments to write a report for, with what compose needs, read in 3 queries."""
    from assessments import report
    from assessments.models import Assessment, SkillRating

    fields = ["pk", "owner_id", "career_id", "career_title", "career_slug", "steps_snapshot", "education_required",
              "highest_education", "certifications", "previous_id", "job_title"]
    rows = unreported().filter(pk__gt=after).order_by("pk").values_list(*fields)[:limit]
    items = [dict(zip(fields, row)) for row in rows]
    earlier = {pk: (status, owner_id, submitted_at) for pk, status, owner_id, submitted_at in Assessment.objects.filter(
        pk__in={item["previous_id"] for item in items if item["previous_id"]}
    ).values_list("pk", "status", "owner_id", "submitted_at")}
    ratings = {}
    for rating in SkillRating.objects.filter(assessment_id__in=[item["pk"] for item in items] + list(earlier)).only(
            "assessment_id", "skill_id", *SkillRating.SNAPSHOT_FIELDS).order_by():
        ratings.setdefault(rating.assessment_id, []).append(rating)
    for item in items:  # as report.document_for reads an assessment being submitted
        ordered = report.in_report_order(ratings.get(item["pk"], []))
        item["ratings"] = [rating.as_input() for rating in ordered]
        item["levels"] = {(rating.skill_id, rating.scale_max): float(rating.level) for rating in ordered
                          if rating.skill_id}
        status, owner_id, submitted_at = earlier.get(item["previous_id"], (None, None, None))
        item["previous"] = None
        if status == Assessment.Status.SUBMITTED and owner_id == item["owner_id"]:
            item["previous"] = (item["previous_id"], submitted_at.isoformat(),
                                [rating.as_input() for rating in report.in_report_order(ratings[item["previous_id"]])])
    return items


def write_reports(done):
    """Store (pk, document JSON, body) rows with COPY and one UPDATE, in one transaction."""
    from django.db import connection, transaction

    buffer = io.StringIO()
    csv.writer(buffer).writerows(done)
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_reports (id integer PRIMARY KEY, report jsonb, report_html text) "
                       "ON COMMIT DROP")
        cursor.cursor.copy_expert("COPY bench_reports FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute("UPDATE assessments_assessment a SET report = r.report, report_html = r.report_html "
                       "FROM bench_reports r WHERE a.id = r.id")


def fill_reports(out):
    """Write the stored report of every submitted assessment that has none, or one of an earlier
    document version; returns how many.

    The same values as report.document_for at submission (the next level and closest careers
    from the catalog as it stands, as migration assessments 0005 does for old rows), in worker
    processes, one per core: drawing the page bodies is most of the time.
    """
    import multiprocessing

    from django.db import connection

    from assessments import matching
    from assessments.models import Assessment
    from careers.models import Career, Skill, SkillRequirement

    pending = unreported()
    total = pending.count()
    if not total:
        return 0
    started = time.perf_counter()
    _work["closest"] = Closest(matching.read_table(SkillRequirement),
                               Career.objects.order_by().values_list("id", "title", "slug", "job_zone", "source"),
                               dict(Skill.objects.values_list("id", "name")))
    career_ids = set(pending.values_list("career_id", flat=True).distinct())
    _work["rungs"] = next_rungs(career_ids)
    _work["facts"] = career_facts(career_ids)
    done, last = 0, 0
    connection.close()  # the workers are forked and never touch the database
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        while True:
            items = read_pending(last, REPORTS_BATCH)
            if not items:
                break
            chunks = [items[start:start + WORK_CHUNK] for start in range(0, len(items), WORK_CHUNK)]
            write_reports([row for rows in pool.map(compose_reports, chunks) for row in rows])
            done, last = done + len(items), items[-1]["pk"]
            out.write(f"  reports: {done:,} of {total:,} ({time.perf_counter() - started:.0f} s)\n")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Assessment._meta.db_table}")
    return done


def check_reports(count, out):
    """Compare the stored reports of `count` submitted assessments (the persona's first, then drawn
    at random) with what report.document_for and render_body give for the same rows today. A
    different document ends the run; a different page body only means that a template changed
    after it was drawn (manage.py render_reports draws them again, as a deploy does)."""
    from assessments import report
    from assessments.models import Assessment

    pks = list(Assessment.objects.submitted().order_by("pk").values_list("pk", flat=True))
    sample = pks[:2] + random.Random(7).sample(pks[2:], min(max(count - 2, 0), len(pks) - 2))
    stale = 0
    for assessment in Assessment.objects.filter(pk__in=sample).select_related("previous"):
        document = report.document_for(assessment, list(assessment.ratings.all()))
        if assessment.report != json.loads(json.dumps(document)):
            sys.exit(f"The stored report of assessment {assessment.pk} differs from report.document_for")
        stale += assessment.report_html != report.render_body(document)
    out.write(f"  {len(sample)} stored reports checked against report.document_for: identical documents\n")
    if stale:
        out.write(f"  {stale} of {len(sample)} page bodies differ from what today's templates draw: a template "
                  "changed after they were drawn (manage.py render_reports draws them again)\n")


def targets():
    """The rows the load test asks for, found again on every run."""
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment
    from assessments.questionnaire import STEP_KINDS

    seeker = get_user_model().objects.get(email=SEEKER_EMAIL)
    report = Assessment.objects.submitted().for_user(seeker).filter(previous__isnull=False).order_by("pk").first()
    draft = Assessment.objects.drafts().for_user(seeker).order_by("pk").first()
    levels = dict(draft.ratings.values_list("skill_id", "level"))
    technical = draft.career.requirements.filter(skill__kind__in=STEP_KINDS["technical"]).values_list(
        "skill_id", flat=True)
    return {
        "seeker": SEEKER_EMAIL,
        "coach": COACH_EMAIL,
        "password": PASSWORD,
        "career": GUIDE_SLUG,
        "report": report.pk,
        "report_skills": report.ratings.count(),
        "draft": draft.pk,
        "step_form": {f"skill_{skill_id}": levels[skill_id] for skill_id in technical},
        "assessments": Assessment.objects.submitted().count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job-seekers", type=int, default=10_000)
    parser.add_argument("--assessments", type=int, default=50_000)
    parser.add_argument("--json", action="store_true", help="print the load test's targets as JSON at the end")
    parser.add_argument("--check", type=int, default=50, metavar="N",
                        help="compare N stored reports with report.document_for (default 50; 0: none)")
    args = parser.parse_args()
    setup_django()
    out = sys.stderr if args.json else sys.stdout
    from django.db import connection

    name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    load_catalogs(out)
    if seeded():
        stale = stale_ratings()
        if stale:
            out.write(f"{name} was seeded before ratings carried their scale: {stale:,} submitted ratings do not "
                      "match their requirement's scale, level or category. Drop the database and seed it again "
                      "(make bench does both).\n")
            sys.exit(STALE)
        out.write(f"{name}: already seeded, every submitted rating on its requirement's scale.\n")
    else:
        out.write(f"{name}: seeding {args.job_seekers:,} job seekers and {args.assessments:,} assessments\n")
        counts = seed(job_seekers=args.job_seekers, assessments=args.assessments, out=out)
        out.write(f"{name}: seeded {counts} in {time.perf_counter() - started:.0f} s\n")
    # Also on a database seeded before reports were stored, or left half-done by an interruption.
    writing = time.perf_counter()
    written = fill_reports(out)
    if written:
        out.write(f"{name}: {written:,} stored reports written in {time.perf_counter() - writing:.0f} s\n")
    else:
        out.write(f"{name}: every submitted assessment has its stored report, nothing to write.\n")
    if args.check:
        check_reports(args.check, out)
    if args.json:
        print(json.dumps(targets()))


if __name__ == "__main__":
    main()
