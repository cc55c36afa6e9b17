from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "Delete what anonymous visitors left behind and nobody has touched for a while: drafts, and results "
        "submitted without an account that no account claimed (their visitors never signed up or logged in)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Untouched for this many days (default 30).")
        parser.add_argument("--dry-run", action="store_true", help="Count them, delete nothing.")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        with transaction.atomic():
            stale = Assessment.objects.filter(owner__isnull=True, updated_at__lt=timezone.now() - timedelta(days=days))
            drafts, results = stale.drafts().count(), stale.submitted().count()
            counts = f"{drafts} anonymous drafts and {results} unclaimed anonymous results untouched for {days} days"
            if dry_run:
                self.stdout.write(f"{counts} (dry run: nothing deleted).")
                return
            deleted, _ = stale.delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {counts} ({deleted} rows in all)."))
