"""Time the career search on the full O*NET import: the queries of tests/careers/test_search.py.

    .venv/bin/python bench/bench_search.py [ONET_DIR] [--repeat 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap .venv/bin/python bench/bench_search.py

Like bench_matching.py, it never touches the configured database: it creates a fresh one beside
it (a temporary SQLite file, or PostgreSQL database "bench_search"), migrates it, loads the
built-in catalog, imports the O*NET release (ONET_DIR, default $ONET_DIR, then ../shared/onet)
and drops it at the end.

Each query of the table (and each typo, which also looks for suggestions) is timed --repeat
times in-process: CareerQuerySet.ranked_search alone, and the whole career list page through
the test client (search, the page's careers, the HTML). The aim is a page under 50 ms (p95).
"""

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50

sys.path.insert(0, str(ROOT))
from bench.bench_import import cpu_model, database_name  # noqa: E402
from bench.bench_matching import timed  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet"
    parser.add_argument("directory", nargs="?", default=str(default))
    parser.add_argument("--repeat", type=int, default=30)
    arguments = parser.parse_args()
    directory = Path(arguments.directory)
    if not directory.is_dir():
        sys.exit(f"No O*NET release at {directory}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from careers.models import AlternateTitle, Career
    from tests.careers.test_search import TABLE, TYPOS

    scratch = tempfile.TemporaryDirectory()
    fresh = str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite" else "bench_search"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = fresh
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False  # no query log, as in production
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("load_catalog", stdout=open(os.devnull, "w"))
        call_command("import_onet", str(directory), stdout=open(os.devnull, "w"))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would soon after an import
                cursor.execute("ANALYZE careers_career; ANALYZE careers_alternatetitle")
        client = Client()
        url = reverse("careers:list")
        print(f"Machine:   {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"Python:    {platform.python_version()}, Django {django.get_version()}")
        print(f"Database:  {database_name(connection)}")
        print(f"Catalog:   {Career.objects.count():,} careers, {AlternateTitle.objects.count():,} alternate titles")
        print(f"Runs:      {arguments.repeat} of each; wall-clock p50 / p95 and CPU p50 of this process, in ms\n")
        print(f"{'query':<22} {'first result':<42} {'found':>5}  {'ranked_search':>21}  {'the page':>21}  queries")
        worst = 0.0
        queries = [(text, False) for text, _, _ in TABLE] + [(text, True) for text, _ in TYPOS]
        for text, typo in queries:
            client.get(url, {"q": text})  # warm: templates compiled, connection open
            captured = []
            # Counted by a wrapper: the query log is emptied when each test-client request starts.
            with connection.execute_wrapper(lambda execute, sql, *rest: captured.append(sql) or execute(sql, *rest)):
                client.get(url, {"q": text})
            matches = Career.objects.ranked_search(text)
            if typo:
                shown = "did you mean " + ", ".join(match.title for match in Career.objects.suggestions(text)[:1])
            else:
                shown = matches[0].title if matches else "(none)"
            ranked = timed(arguments.repeat, lambda: Career.objects.ranked_search(text))
            page = timed(arguments.repeat, lambda: client.get(url, {"q": text}))
            worst = max(worst, page[1])
            print(f"{text:<22} {shown[:42]:<42} {len(matches):>5}  "
                  f"{ranked[0]:5.1f} / {ranked[1]:5.1f} ({ranked[2]:4.1f})  "
                  f"{page[0]:5.1f} / {page[1]:5.1f} ({page[2]:4.1f})  {len(captured):>7}")
        browse = timed(arguments.repeat, lambda: client.get(url))
        family = timed(arguments.repeat, lambda: client.get(url, {"family": "51", "page": "2"}))
        print(f"\nThe list, page 1:             {browse[0]:6.1f} / {browse[1]:6.1f}   CPU {browse[2]:5.1f}")
        print(f"Production Occupations, p. 2: {family[0]:6.1f} / {family[1]:6.1f}   CPU {family[2]:5.1f}")
        print(f"\nLoad average after the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        verdict = "within" if worst < TARGET_MS else "OVER"
        print(f"Target: a search page under {TARGET_MS} ms (p95, worst query {worst:.1f} ms): {verdict} target.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
