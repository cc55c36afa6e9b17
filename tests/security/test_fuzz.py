"""Property-based fuzzing of every questionnaire POST with hypothesis.

Each example posts an arbitrary form (real field names, skill ids of this career, of another
career, rubbish; values that are levels, out of range, text, empty, huge, doubled) and then
checks what must always hold: no server error, no level outside 0-4, no rating on someone
else's assessment, no rating for a skill the career does not ask about, and nothing changed on
a submitted assessment. Each example runs in a savepoint that is rolled back, so examples do
not build on each other and every one starts from the same draft.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments import questionnaire
from assessments.models import Assessment, SkillRating
from careers.models import SkillRequirement

from .conftest import client_for

FUZZ = settings(
    max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWED = {200, 302, 400, 404, 405, 413}

FIELD_NAMES = ["highest_education", "years_experience", "certifications", "return", "career", "page",
               "csrfmiddlewaretoken", "skill_", "skill_abc", "skill_-1", "skill_0", "skill_1e3", "skill_ 1",
               "skill_٣", "skill_99999999999999999999", "SKILL_1", "_selected_action"]
VALUES = st.one_of(
    st.integers(min_value=-3, max_value=8).map(str),
    st.integers().map(str),
    st.sampled_from(["", " ", "2.0", " 2", "2\n", "０", "٢", "1e0", "0x2", "NaN", "-0", "review", "welder",
                     "pipe-fitter", "\x00", "2\x00", "'; DROP TABLE assessments_skillrating; --"]),
    st.text(max_size=40),
    st.just("9" * 5000),
    st.just("x" * 100_000),
)


def refused_at_the_door(form):
    """Whether config.middleware refuses this form before any view sees it: a NUL anywhere in
    it (400), or a body over DATA_UPLOAD_MAX_MEMORY_SIZE as the test client encodes it (413)."""
    if any("\x00" in name or any("\x00" in value for value in values) for name, values in form.items()):
        return True
    return len(encode_multipart(BOUNDARY, form)) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


STEP_KINDS = {"technical": ("technical", "knowledge"), "soft": ("soft",)}


def fields(world, data, step=None):
    """A form: a valid answer for the step, a valid answer with a few changes, or anything at all
    made of this career's skills, other careers' skills, real field names and rubbish."""
    own = SkillRequirement.objects.filter(career=world.fitter)
    foreign = [world.outsider.pk, world.blueprints.pk, 0, -1, 10**12]
    names = st.one_of(
        st.sampled_from([f"skill_{r.skill_id}" for r in own]),
        st.sampled_from([f"skill_{pk}" for pk in foreign]),
        st.sampled_from(FIELD_NAMES),
        st.text(max_size=20),
    )
    anything = st.dictionaries(names, st.lists(VALUES, min_size=1, max_size=3), max_size=12)
    mode = data.draw(st.sampled_from(["valid", "changed", "anything"]), label="mode")
    if mode == "anything":
        return data.draw(anything, label="form")
    if step in STEP_KINDS:
        valid = {f"skill_{r.skill_id}": [str(data.draw(st.integers(0, 4)))]
                 for r in own.filter(skill__kind__in=STEP_KINDS[step])}
    else:
        valid = {"highest_education": [str(data.draw(st.integers(0, 9)))],
                 "years_experience": [str(data.draw(st.decimals(0, 60, places=1)))], "certifications": ["OSHA 10"]}
    if mode == "valid":
        return valid
    return valid | data.draw(st.dictionaries(names, st.lists(VALUES, min_size=1, max_size=2), min_size=1, max_size=3))


def snapshot(world, pks=None):
    """Every assessment but the draft under test, with its ratings: no POST of the owner's may change them."""
    pks = pks if pks is not None else set(Assessment.objects.exclude(pk=world.draft.pk).values_list("pk", flat=True))
    return pks, (
        sorted(Assessment.objects.filter(pk__in=pks).values_list(
            "pk", "owner_id", "status", "readiness", "highest_education", "years_experience", "certifications")),
        sorted(SkillRating.objects.filter(assessment__in=pks).values_list("assessment_id", "skill_id", "level")),
    )


def assert_invariants(world, before):
    pks, _ = before
    assert snapshot(world, pks) == before
    assert set(SkillRating.objects.values_list("level", flat=True)) <= {0, 1, 2, 3, 4}
    for assessment in Assessment.objects.exclude(pk__in=pks):
        asked = set(SkillRequirement.objects.filter(career=assessment.career_id).values_list("skill_id", flat=True))
        rated = set(assessment.ratings.values_list("skill_id", flat=True))
        assert rated <= asked, f"assessment {assessment.pk} rated skills its career does not ask about: {rated - asked}"
        assert assessment.owner_id == world.owner.pk


def post(client, url, form):
    response = client.post(url, form)
    assert response.status_code in ALLOWED
    event(f"status {response.status_code}")  # --hypothesis-show-statistics: how often a POST got through
    return response


@pytest.mark.parametrize("step", ["background", "technical", "soft", "review"])
@FUZZ
@given(data=st.data())
def test_fuzzed_step_posts(world, step, data):
    form = fields(world, data, step)
    with rolled_back():
        if step == "review" and data.draw(st.booleans(), label="every skill rated first"):
            levels = {r.skill_id: 2 for r in world.fitter.requirements.all()}
            questionnaire.save_ratings(assessment=world.draft, levels=levels, next_step="review")
        before = snapshot(world)
        client = client_for(world, "owner")
        post(client, reverse("assessments:step", args=[world.draft.pk, step]), form)
        assert_invariants(world, before)
        draft = Assessment.objects.get(pk=world.draft.pk)
        assert set(draft.ratings.values_list("skill_id", flat=True)) <= set(
            world.fitter.requirements.values_list("skill_id", flat=True)
        )
        if draft.years_experience is not None:
            assert 0 <= draft.years_experience <= 60
        if draft.highest_education is not None:
            assert 0 <= draft.highest_education <= 9
        assert len(draft.certifications) <= 2000


@FUZZ
@given(data=st.data())
def test_fuzzed_posts_to_someone_elses_draft_are_404(world, data):
    theirs = Assessment.objects.create(owner=world.other, career=world.fitter)
    form = fields(world, data)
    step = data.draw(st.sampled_from(["background", "technical", "soft", "review"]))
    with rolled_back():
        response = client_for(world, "owner").post(reverse("assessments:step", args=[theirs.pk, step]), form)
        assert response.status_code in ({400, 413, 404} if refused_at_the_door(form) else {404})
        assert not theirs.ratings.exists()
        theirs.refresh_from_db()
        assert (theirs.status, theirs.highest_education, theirs.certifications) == ("draft", None, "")


@FUZZ
@given(data=st.data())
def test_fuzzed_retake_and_match_posts(world, data):
    form = fields(world, data)
    url = data.draw(st.sampled_from([
        reverse("assessments:retake", args=[world.report.pk]),
        reverse("assessments:matches", args=[world.report.pk]),
        reverse("assessments:retake", args=[world.others_report.pk]),
        reverse("assessments:matches", args=[world.others_report.pk]),
    ]))
    with rolled_back():
        before = snapshot(world)
        response = post(client_for(world, "owner"), url, form)
        if str(world.others_report.pk) in url.split("/"):
            assert response.status_code in ({400, 413, 404} if refused_at_the_door(form) else {404})
        assert_invariants(world, before)
