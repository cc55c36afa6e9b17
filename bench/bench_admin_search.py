"""Time the admin's careers search on the full O*NET catalog: /admin/careers/career/?q=...

    .venv/bin/python bench/bench_admin_search.py [ONET_DIR] [--repeat 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap .venv/bin/python bench/bench_admin_search.py

Like bench_matching.py it never touches the configured database: it creates a fresh one beside
it (a temporary SQLite file, or PostgreSQL database "bench_admin_search"), migrates it, loads
the built-in catalog, imports the O*NET release (ONET_DIR, default $ONET_DIR, then
../shared/onet), refreshes the planner's statistics (ANALYZE, as autovacuum would), and drops
it at the end. Each search is the whole changelist page through the test client, logged in as a
superuser, `--repeat` times; the aim is a p95 under 300 ms. `--compare` also times Django's
own search and the joined counts, which the admin used before, in the same run.
"""

import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300
SEARCHES = ["assembler", "nurse", "team assembler", "51-2092", "engineer", "café", "no such career"]

sys.path.insert(0, str(ROOT))
from bench.bench_matching import timed  # noqa: E402
from bench.full_catalog import full_catalog, parse_arguments, print_header  # noqa: E402


def run(client, career_admin, Career, repeat):
    """Time each search; the worst p95."""
    worst = 0.0
    for query in SEARCHES:
        url = "/admin/careers/career/"
        response = client.get(url, {"q": query})
        assert response.status_code == 200, (query, response.status_code)
        found = career_admin.get_search_results(None, Career.objects.all(), query)[0].distinct().count()
        p50, p95, cpu = timed(repeat, lambda: client.get(url, {"q": query}))
        worst = max(worst, p95)
        print(f"  ?q={query:<16} {found:5,} careers   {p50:6.1f} / {p95:6.1f}   CPU {cpu:5.1f}")
    return worst


def main():
    compare = (["--compare"], {"action": "store_true", "help": "also time Django's own search, as before"})
    arguments = parse_arguments(__doc__, repeat=30, options=[compare])
    with full_catalog(arguments.directory, "bench_admin_search") as connection:
        from django.contrib import admin
        from django.db.models import Count
        from django.test import Client

        from careers.models import AlternateTitle, Career
        from tests.factories import make_user

        career_admin = admin.site._registry[Career]
        client = Client()
        client.force_login(make_user("bench-admin@example.com", is_staff=True, is_superuser=True))
        print_header(connection, arguments.repeat,
                     f"{Career.objects.count():,} careers, {AlternateTitle.objects.count():,} alternate titles")
        print()
        worst = run(client, career_admin, Career, arguments.repeat)
        if arguments.compare:
            print("\nAs before (Django's search, joining the alternate titles, DISTINCT rows; joined counts):")
            career_admin.get_search_results = types.MethodType(admin.ModelAdmin.get_search_results, career_admin)
            career_admin.get_queryset = types.MethodType(
                lambda self, request: admin.ModelAdmin.get_queryset(self, request).annotate(
                    skill_total=Count("requirements", distinct=True), step_total=Count("learning_steps", distinct=True)),
                career_admin)
            run(client, career_admin, Career, arguments.repeat)
        print(f"\nLoad average after the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        verdict = "within" if worst < TARGET_MS else "OVER"
        print(f"\nTarget: the careers search under {TARGET_MS} ms p95: {verdict} target (worst p95 {worst:.0f} ms).")


if __name__ == "__main__":
    main()
