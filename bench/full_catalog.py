"""What the in-process benchmarks share (bench_matching, bench_search, bench_admin_search): the
release argument, a scratch database holding the full catalog, and the lines that say where and
how a run was made.

The scratch database never touches the configured one: it is made beside it (a temporary
SQLite file, or a PostgreSQL database of the benchmark's own name), migrated, given the built-in
catalog and the O*NET release (ONET_DIR, default $ONET_DIR, then ../shared/onet), with the
planner's statistics refreshed on PostgreSQL as autovacuum would soon after an import, and
dropped at the end.
"""

import argparse
import os
import platform
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_arguments(description, *, repeat, options=()):
    """The command line: the release's directory (checked), --repeat, and any (flags, keywords) options."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("ONET_DIR") or ROOT.parent / "shared" / "onet"
    parser.add_argument("directory", nargs="?", default=str(default))
    parser.add_argument("--repeat", type=int, default=repeat)
    for flags, keywords in options:
        parser.add_argument(*flags, **keywords)
    arguments = parser.parse_args()
    arguments.directory = Path(arguments.directory)
    if not arguments.directory.is_dir():
        sys.exit(f"No O*NET release at {arguments.directory}")
    return arguments


@contextmanager
def full_catalog(directory, name):
    """Django set up on a fresh database (PostgreSQL: the database `name`) holding the whole catalog."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    scratch = tempfile.TemporaryDirectory()
    fresh = str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite" else name
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = fresh
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False  # no query log, as in production
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with open(os.devnull, "w") as quiet:
            call_command("load_catalog", stdout=quiet)
            call_command("import_onet", str(directory), stdout=quiet)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


def print_header(connection, repeat, catalog):
    """Machine, Python, database, catalog (a line of the caller's) and runs, as every table starts."""
    import django

    from bench.bench_import import cpu_model, database_name

    print(f"Machine:   {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"Python:    {platform.python_version()}, Django {django.get_version()}")
    print(f"Database:  {database_name(connection)}")
    print(f"Catalog:   {catalog}")
    print(f"Runs:      {repeat} of each; wall-clock p50 / p95 and CPU p50 of this process, in ms")
