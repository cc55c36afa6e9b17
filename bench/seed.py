"""Fill a benchmark database: the catalog, the O*NET import, job seekers and their assessments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap_bench .venv/bin/python bench/seed.py

Migrates, loads the built-in catalog, imports O*NET from $ONET_DIR (default ../shared/onet)
when it is there, then seeds 10,000 job seekers and 50,000 submitted assessments (most on
Production Associate, the rest over a few hundred O*NET careers), with a rating snapshot per
required skill and readiness figures worked out by assessments.scoring, as a submit would.
A person's second assessment for a career retakes their first (previous, better ratings on
some skills, a later date); one job seeker in twenty also has a draft in progress. A coach and a job seeker with known passwords
are the benchmark's personas. Seeding runs in one transaction and is skipped when the database
already holds the personas, so a second run only prints the targets. --json prints the ids
and slugs the load test needs.

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
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONET_DIR = Path(os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet")

GUIDE_SLUG = "production-associate"
GUIDE_SHARE = 0.6  # of assessments, on Production Associate
ONET_CAREERS = 300  # O*NET careers the other assessments are spread over
DRAFT_EVERY = 20  # one job seeker in this many has a draft in progress

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


def load_catalogs(out):
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_catalog", stdout=out)
    if ONET_DIR.is_dir():
        call_command("import_onet", str(ONET_DIR), stdout=out)
    else:
        out.write(f"No O*NET release at {ONET_DIR}: seeding the built-in catalog only.\n")


def seeded():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__in=[SEEKER_EMAIL, COACH_EMAIL]).count() == 2


class CareerPlan:
    """What a submit snapshots for one career: its requirements and learning steps."""

    def __init__(self, career):
        from assessments.questionnaire import step_snapshot

        self.career = career
        self.requirements = [
            (r.skill_id, r.skill.name, r.skill.kind, r.importance, r.level)
            for r in career.requirements.select_related("skill").order_by("skill__name")
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
    """Self-ratings: near the requirement, a little under on average; a retake improves on some."""
    levels = []
    for index, (_, _, _, _, required) in enumerate(plan.requirements):
        if earlier is None:
            level = round(float(required) + rng.gauss(-0.5, 1.0))
        else:
            level = earlier[index] + (1 if rng.random() < 0.35 else 0)
        levels.append(max(0, min(4, level)))
    return levels


def score_levels(plan, levels):
    from assessments import scoring

    return scoring.score(
        scoring.SkillInput(name=name, kind=kind, importance=importance, required=required, level=level)
        for (_, name, kind, importance, required), level in zip(plan.requirements, levels)
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
            ratings.extend(
                (pk, skill_id, level, name, kind, importance, required)
                for (skill_id, name, kind, importance, required), level in zip(plan.requirements, levels)
            )

        # Drafts in progress: background answered, no ratings yet. The persona's draft has
        # every rating, so the load test can re-post its technical step.
        draft_pk = first_pk + assessments
        drafts = [Assessment(pk=draft_pk, owner_id=users[0].pk, career_id=guide.career.pk,
                             career_title=guide.career.title, career_slug=guide.career.slug,
                             current_step="technical", highest_education=1, years_experience=Decimal(2))]
        ratings.extend(
            (draft_pk, skill_id, level, "", "", None, None)
            for (skill_id, *_), level in zip(guide.requirements, draw_levels(rng, guide))
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
        copy_rows(SkillRating, ["assessment", "skill", "level", "skill_name", "kind", "importance", "required"],
                  ratings)
        out.write(f"  {len(ratings):,} ratings written ({time.perf_counter() - copied:.1f} s)\n")
    if connection.vendor == "postgresql":
        # What autovacuum would soon do: statistics for the planner, and a visibility map so
        # that counting rows can read an index instead of every row.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"job_seekers": len(users), "assessments": len(rows), "drafts": len(drafts), "ratings": len(ratings)}


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
    args = parser.parse_args()
    setup_django()
    out = sys.stderr if args.json else sys.stdout
    from django.db import connection

    name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    load_catalogs(out)
    if seeded():
        out.write(f"{name}: already seeded, nothing to do.\n")
    else:
        out.write(f"{name}: seeding {args.job_seekers:,} job seekers and {args.assessments:,} assessments\n")
        counts = seed(job_seekers=args.job_seekers, assessments=args.assessments, out=out)
        out.write(f"{name}: seeded {counts} in {time.perf_counter() - started:.0f} s\n")
    if args.json:
        print(json.dumps(targets()))


if __name__ == "__main__":
    main()
