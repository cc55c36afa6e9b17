from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import Assessment, ReportPdf
from assessments.report import add_attribution, render_body
from careers.models import Career

BATCH = 500


class Command(BaseCommand):
    help = (
        "Draw every stored report's page body again from its document, and drop stored PDFs so they "
        "are drawn again when asked: run after a deploy that changes the report templates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the reports, change nothing.")

    def handle(self, *args, dry_run, **options):
        reports = Assessment.objects.submitted().exclude(report=None).order_by("pk")
        total = reports.count()
        if dry_run:
            self.stdout.write(f"{total} stored reports would be drawn again (dry run: nothing changed).")
            return
        done, last = 0, 0
        while True:
            batch = list(reports.filter(pk__gt=last).only("pk", "report", "career_id")[:BATCH])
            if not batch:
                break
            # Documents stored before they carried O*NET's notice get it, from where the careers they
            # show come from; no figure changes.
            ids = {a.career_id for a in batch} | {m["career_id"] for a in batch for m in a.report.get("closest", [])}
            sources = dict(Career.objects.filter(pk__in=ids - {None}).values_list("pk", "source"))
            for assessment in batch:
                assessment.report = add_attribution(assessment.report, sources.get(assessment.career_id), sources)
                assessment.report_html = render_body(assessment.report)
            with transaction.atomic():
                Assessment.objects.bulk_update(batch, ["report", "report_html"])
                ReportPdf.objects.filter(assessment__in=batch).delete()
            done, last = done + len(batch), batch[-1].pk
            if total > BATCH:
                self.stdout.write(f"  {done} of {total} reports drawn")
        self.stdout.write(self.style.SUCCESS(f"Drew {done} stored report{'s' if done != 1 else ''} again."))
