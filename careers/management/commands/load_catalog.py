from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from careers.catalog import DEFAULT_PATH, CatalogError, load_catalog, read_catalog


class Command(BaseCommand):
    help = "Load the built-in career catalog (careers, skills, requirements, learning steps, career path)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="catalog JSON file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but write nothing")

    def handle(self, path, dry_run, **options):
        try:
            catalog = read_catalog(path)
        except CatalogError as error:
            raise CommandError(f"Nothing loaded: {error}") from None
        try:
            counts = load_catalog(catalog, dry_run=dry_run)
        except DatabaseError as error:  # e.g. a constraint the checks above did not foresee
            raise CommandError(f"Nothing loaded: the database refused the catalog: {error}") from None
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(
            f"{'Dry run, nothing written: ' if dry_run else ''}catalog of {len(catalog.careers)} careers "
            f"and {len(catalog.skills)} skills: {counts.changed} {verb} "
            f"({counts.created} created, {counts.updated} updated, {counts.deleted} deleted), "
            f"{counts.unchanged} unchanged."
        ))
