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

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50

sys.path.insert(0, str(ROOT))
from bench.bench_matching import timed  # noqa: E402
from bench.full_catalog import full_catalog, parse_arguments, print_header  # noqa: E402


def main():
    arguments = parse_arguments(__doc__, repeat=30)
    with full_catalog(arguments.directory, "bench_search") as connection:
        from django.test import Client
        from django.urls import reverse

        from careers.models import AlternateTitle, Career
        from tests.careers.test_search import TABLE, TYPOS

        client = Client()
        url = reverse("careers:list")
        print_header(connection, arguments.repeat,
                     f"{Career.objects.count():,} careers, {AlternateTitle.objects.count():,} alternate titles")
        print()
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


if __name__ == "__main__":
    main()
