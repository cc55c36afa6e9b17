"""A coach's note says "Note by" its author, so no one else may change what it says.

The change page shows another coach's note as a disabled field; a crafted POST that sends new
text for it anyway (or points a new form at it) leaves the note as its author wrote it, while
the same page still takes the editor's own notes and new ones.
"""

import re

from django.contrib.auth.models import Group
from django.urls import reverse

from assessments.models import CoachNote
from tests.factories import make_user

from .conftest import client_for


def change_url(world):
    return reverse("admin:assessments_assessment_change", args=[world.report.pk])


def page_post(world, notes, new_text=""):
    """The change page's POST: the saved notes (pk, text) in order, then one new note."""
    data = {
        "review_status": world.report.review_status,
        "ratings-TOTAL_FORMS": "0", "ratings-INITIAL_FORMS": "0", "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "0",
        "coach_notes-TOTAL_FORMS": str(len(notes) + 1), "coach_notes-INITIAL_FORMS": str(len(notes)),
        "coach_notes-MIN_NUM_FORMS": "0", "coach_notes-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, text) in enumerate([*notes, (None, new_text)]):
        data[f"coach_notes-{index}-text"] = text
        data[f"coach_notes-{index}-assessment"] = str(world.report.pk)
        if pk is not None:
            data[f"coach_notes-{index}-id"] = str(pk)
    return data


def second_coach(world):
    coach = make_user("second.coach@example.com", is_staff=True, first_name="Cass")
    coach.groups.add(Group.objects.get(name="Coaches"))
    return coach


def test_a_coach_cannot_rewrite_another_coachs_note(world):
    theirs = CoachNote.objects.create(assessment=world.report, author=second_coach(world), text="Ready for the test.")
    mine = CoachNote.objects.create(assessment=world.report, author=world.coach, text="Call on Monday.")
    client = client_for(world, "coach")
    # Notes come newest first, as the inline lists them.
    response = client.post(change_url(world), page_post(world, [(mine.pk, "Call on Tuesday."),
                                                                (theirs.pk, "Not ready at all.")], "A new note."))
    assert response.status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.text == "Ready for the test." and theirs.author.email == "second.coach@example.com"
    assert mine.text == "Call on Tuesday."
    new = CoachNote.objects.exclude(pk__in=[mine.pk, theirs.pk]).get()
    assert (new.text, new.author) == ("A new note.", world.coach)


def test_a_superuser_cannot_rewrite_a_coachs_note_either(world):
    note = CoachNote.objects.create(assessment=world.report, author=world.coach, text="Ready for the test.")
    client = client_for(world, "superuser")
    client.post(change_url(world), page_post(world, [(note.pk, "Rewritten.")]))
    note.refresh_from_db()
    assert note.text == "Ready for the test."


def test_a_note_whose_author_left_stays_as_it_was(world):
    """A note outlives its author's account (author NULL): it is nobody's to rewrite, and
    saving it does not make the editor its author."""
    note = CoachNote.objects.create(assessment=world.report, author=None, text="Written by a former coach.")
    client_for(world, "coach").post(change_url(world), page_post(world, [(note.pk, "Mine now.")]))
    note.refresh_from_db()
    assert (note.text, note.author) == ("Written by a former coach.", None)


def test_the_page_shows_only_the_editors_own_notes_as_editable(world):
    theirs = CoachNote.objects.create(assessment=world.report, author=second_coach(world), text="Ready for the test.")
    mine = CoachNote.objects.create(assessment=world.report, author=world.coach, text="Call on Monday.")
    html = client_for(world, "coach").get(change_url(world)).content.decode()
    textareas = dict(re.findall(r'<textarea name="(coach_notes-\d+-text)"([^>]*)>', html))
    assert "disabled" not in textareas["coach_notes-0-text"]  # mine, the newest
    assert "disabled" in textareas["coach_notes-1-text"]  # theirs
    assert "disabled" not in textareas["coach_notes-2-text"]  # the new one
    assert theirs.text in html and mine.text in html
