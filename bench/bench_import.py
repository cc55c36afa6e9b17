"""Time `import_onet` on the full O*NET release: into a fresh database, then a second run.

    .venv/bin/python bench/bench_import.py [ONET_DIR]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap .venv/bin/python bench/bench_import.py

ONET_DIR defaults to $ONET_DIR, then ../shared/onet. The database comes from DATABASE_URL as
in the app (SQLite when unset). The benchmark never touches that database itself: it creates
a fresh one beside it (a temporary SQLite file, or PostgreSQL database <name>_bench_import),
migrates it, times the import, and drops it again. The aim is under 60 s for the first run.
"""

import argparse
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def database_name(connection):
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150010
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file on disk)"
    return connection.vendor


def timed(directory):
    from django.core.management import call_command

    out = io.StringIO()
    start = time.perf_counter()
    call_command("import_onet", str(directory), stdout=out)
    seconds = time.perf_counter() - start
    return seconds, out.getvalue().strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet"
    parser.add_argument("directory", nargs="?", default=str(default))
    directory = Path(parser.parse_args().directory)
    if not directory.is_dir():
        sys.exit(f"No O*NET release at {directory}")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    from careers import onet

    scratch = tempfile.TemporaryDirectory()
    fresh = (
        str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite"
        else f"{settings.DATABASES['default']['NAME']}_bench_import"
    )
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = fresh
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        release = onet.read_release(directory)
        reading = time.perf_counter() - start
        first, first_summary = timed(directory)
        second, second_summary = timed(directory)
        print(f"Machine:   {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
        print(f"Python:    {platform.python_version()}, Django {django.get_version()}")
        print(f"Database:  {database_name(connection)}")
        print(f"Release:   {directory} ({len(release.occupations):,} occupations, "
              f"{sum(release.rows.values()):,} rows read)")
        print(f"Reading and checking the files only:  {reading:6.2f} s")
        print(f"Full import into a fresh database:    {first:6.2f} s   {first_summary}")
        print(f"Second run, nothing to change:        {second:6.2f} s   {second_summary}")
        verdict = "within" if first < TARGET_SECONDS else "OVER"
        print(f"Target: under {TARGET_SECONDS} s for the full import: {verdict} target.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
