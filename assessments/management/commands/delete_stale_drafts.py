from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import Assessment


class Command(BaseCommand):
    help = "Delete anonymous drafts nobody has touched for a while (their visitors never signed up)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Untouched for this many days (default 30).")
        parser.add_argument("--dry-run", action="store_true", help="Count them, delete nothing.")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        stale = Assessment.objects.drafts().filter(
            owner__isnull=True, updated_at__lt=timezone.now() - timedelta(days=days)
        )
        if dry_run:
            self.stdout.write(f"{stale.count()} anonymous drafts untouched for {days} days (dry run: nothing deleted).")
            return
        deleted, _ = stale.delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} rows of anonymous drafts untouched for {days} days."))
