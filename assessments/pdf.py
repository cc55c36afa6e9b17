"""A report's PDF: drawn once from its stored document, kept in the database, then served as it is.

Drawing takes a second or two of CPU, so it is bounded: one draw at a time per person asking,
and settings.PDF_RENDERS_AT_ONCE across every server (the slots are cache entries: shared
through Redis, per process without it). A request that finds no free slot is told to try again in a moment
instead of queueing behind the others, so a burst of PDF requests cannot hold up other pages.
The slots hold a number, nothing personal; a person's own slot is named by their user id, or for
an anonymous visitor by their visitor value (a keyed hash, never the session key itself).
"""

import contextlib

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import ReportPdf
from .report import render_body

# A slot frees itself after this long even if its worker died mid-draw.
LEASE_SECONDS = 60
STYLESHEETS = ("css/report.css", "css/print.css")


def page_size():
    """The paper, settings.REPORT_PAPER (letter or a4), as an @page rule; print.css sets the margins."""
    return weasyprint.CSS(string=f"@page {{ size: {settings.REPORT_PAPER}; }}")


class Busy(Exception):
    """No render slot is free; `mine` when it is this person's own draw still running."""

    def __init__(self, *, mine):
        self.mine = mine
        super().__init__("your PDF is already being drawn" if mine else "every PDF slot is busy")


@contextlib.contextmanager
def render_slot(person):
    """Hold the person's own slot and one of the shared ones while drawing; Busy when either is taken.

    person is a user id, or "visitor:<value>" for an anonymous visitor (see pdf_for)."""
    own = f"pdf-render:person:{person}"
    if not cache.add(own, 1, LEASE_SECONDS):
        raise Busy(mine=True)
    try:
        for number in range(settings.PDF_RENDERS_AT_ONCE):
            shared = f"pdf-render:slot:{number}"
            if cache.add(shared, 1, LEASE_SECONDS):
                try:
                    yield
                finally:
                    cache.delete(shared)
                return
        raise Busy(mine=False)
    finally:
        cache.delete(own)


def refuse_fetch(url, *args, **kwargs):
    # The PDF is drawn from our own template and stylesheets only; it never fetches anything.
    raise ValueError(f"Not fetching {url} while drawing a PDF.")


def draw(assessment):
    """The PDF of a submitted assessment's stored report, with its owner's current name."""
    html = render_to_string("assessments/report_pdf.html", {
        "a": assessment, "body": render_body(assessment.report, for_pdf=True),
    })
    stylesheets = [weasyprint.CSS(filename=finders.find(name)) for name in STYLESHEETS] + [page_size()]
    return weasyprint.HTML(string=html, url_fetcher=refuse_fetch).write_pdf(stylesheets=stylesheets)


def stored(assessment):
    """The stored PDF's bytes, or None when it has not been drawn (or was dropped since)."""
    content = ReportPdf.objects.filter(assessment=assessment).values_list("content", flat=True).first()
    return None if content is None else bytes(content)


def pdf_for(assessment, *, user, visitor=""):
    """The report's PDF: the stored one, or drawn now and stored. Raises Busy when it cannot be drawn now.

    visitor is an anonymous visitor's value (questionnaire.visitor()), which names their own slot.
    """
    content = stored(assessment)
    if content is not None:
        return content
    with render_slot(user.pk if user.is_authenticated else f"visitor:{visitor}"):
        content = stored(assessment)  # drawn by another request while this one took its slot
        if content is not None:
            return content
        content = draw(assessment)
    try:
        with transaction.atomic():
            ReportPdf.objects.create(assessment=assessment, content=content)
    except IntegrityError:  # another server stored the same report's PDF a moment ago
        pass
    return content
