"""How long each O*NET career's questionnaire is: the number of rated items per career.

    .venv/bin/python bench/questionnaire_lengths.py [ONET_DIR]
    .venv/bin/python bench/questionnaire_lengths.py --existing

An O*NET career asks one rated item per requirement (its skills and knowledge areas of
importance 3.0 or more, 40 at most: careers/onet.py); work styles are never asked. By default
the script imports the release (ONET_DIR, then $ONET_DIR, then ../shared/onet) into a fresh
database beside the one DATABASE_URL names (a temporary SQLite file, or PostgreSQL database
<name>_lengths), as bench/bench_import.py does, reads the counts and drops it again. --existing reads the database DATABASE_URL names instead (SQLite when
unset), which must hold an import. Goal: a median of at most 25 items and none over 40.
"""

import argparse
import io
import math
import os
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MEDIAN = 25
GOAL_MAX = 40
BIN = 5


def nearest_rank(ordered, percent):
    """The nearest-rank percentile of a sorted list: a value some career really has."""
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def lengths():
    """{O*NET code: (skills, knowledge areas)} asked, for every O*NET career with requirements;
    and how many O*NET careers have none."""
    from django.db.models import Count, Q

    from careers.models import Career, Skill

    careers = Career.objects.filter(source=Career.Source.ONET).annotate(
        knowledge=Count("requirements", filter=Q(requirements__skill__kind=Skill.Kind.KNOWLEDGE)),
        asked=Count("requirements"),
    )
    found = {code: (asked - knowledge, knowledge) for code, asked, knowledge in careers.values_list(
        "onet_code", "asked", "knowledge"
    )}
    empty = sum(1 for skills, knowledge in found.values() if skills + knowledge == 0)
    return {code: counts for code, counts in found.items() if sum(counts)}, empty


def report(found, empty):
    totals = sorted(sum(counts) for counts in found.values())
    if not totals:
        sys.exit("No O*NET career has requirements: import a release first.")
    median = statistics.median(totals)
    print(f"O*NET careers with rated items: {len(totals):,} (and {empty:,} with nothing to rate: no usable "
          "O*NET rating of importance 3.0 or more)")
    print(f"Rated items per career: min {totals[0]}, 25th percentile {nearest_rank(totals, 25)}, "
          f"median {median:g}, 75th percentile {nearest_rank(totals, 75)}, "
          f"90th percentile {nearest_rank(totals, 90)}, max {totals[-1]}")
    print(f"  of which skills: median {statistics.median(s for s, _k in found.values()):g}; "
          f"knowledge areas: median {statistics.median(k for _s, k in found.values()):g}")
    over_25 = sum(total > GOAL_MEDIAN for total in totals)
    over_40 = sum(total > GOAL_MAX for total in totals)
    at_cap = sum(total == GOAL_MAX for total in totals)
    print(f"Careers over 25 items: {over_25:,}; over 40: {over_40:,}; at the cap of 40: {at_cap:,}")
    print("Histogram (items: careers):")
    bins = Counter((total - 1) // BIN for total in totals)
    widest = max(bins.values())
    for index in range(0, (totals[-1] - 1) // BIN + 1):
        low, high = index * BIN + 1, (index + 1) * BIN
        count = bins.get(index, 0)
        bar = "#" * round(40 * count / widest)
        print(f"  {low:>2}-{high:<2} {count:>4}  {bar}")
    met = median <= GOAL_MEDIAN and over_40 == 0
    print(f"Goal: median <= {GOAL_MEDIAN} and none over {GOAL_MAX}: {'met' if met else 'NOT met'}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet"
    parser.add_argument("directory", nargs="?", default=str(default))
    parser.add_argument("--existing", action="store_true", help="Read the configured database; import nothing")
    arguments = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if arguments.existing:
        report(*lengths())
        return
    directory = Path(arguments.directory)
    if not directory.is_dir():
        sys.exit(f"No O*NET release at {directory}")
    scratch = tempfile.TemporaryDirectory()
    fresh = (
        str(Path(scratch.name) / "lengths.sqlite3") if connection.vendor == "sqlite"
        else f"{settings.DATABASES['default']['NAME']}_lengths"
    )
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = fresh
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("import_onet", str(directory), stdout=io.StringIO())
        print(f"Release: {directory}")
        report(*lengths())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
