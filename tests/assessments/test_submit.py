"""Submitting (once, with snapshots), retaking and deleting assessments."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from assessments import questionnaire
from assessments.models import Assessment, SkillRating
from careers.models import SkillRequirement
from tests.factories import make_career, make_skill, make_user

from .helpers import add_step, answer_everything, skilled_career, step_url, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def career():
    welding = make_skill("Welding")
    teamwork = make_skill("Teamwork", kind="soft")
    career = make_career("Welder", education_required=2, requirements=[(welding, "technical", 5, 3), (teamwork, "soft", 3, 2)])
    add_step(career, "Welding certificate", [welding], cost=(500, 1500), months=(3, 6))
    return career


@pytest.fixture
def user_client(client):
    user = make_user()
    client.force_login(user)
    client.user = user
    return client


def draft_for(client, career):
    client.get(reverse("assessments:start", args=[career.slug]))
    return Assessment.objects.filter(owner=client.user).order_by("-pk").first()


def test_submit_snapshots_the_career_and_stores_the_scores(user_client, career):
    draft = draft_for(user_client, career)
    answer_everything(user_client, draft, level=1)
    response = user_client.post(step_url(draft, "review"))
    assert response["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_submitted and draft.submitted_at is not None
    assert (draft.career_title, draft.career_slug, draft.education_required) == ("Welder", career.slug, 2)
    # Welding 5 x (3-1) + Teamwork 3 x (2-1) = 13 missing of 5x3 + 3x2 = 21 -> 38.1
    assert (draft.readiness, draft.technical_readiness, draft.soft_readiness) == (
        Decimal("38.1"), Decimal("33.3"), Decimal("50.0")
    )
    assert draft.critical_gaps == 1
    assert draft.steps_snapshot == [{
        "title": "Welding certificate", "kind": "course", "description": "", "cost_min": 500, "cost_max": 1500,
        "months_min": 3.0, "months_max": 6.0, "credential": None,
        "cost_source": "estimate", "time_source": "estimate", "skills": ["Welding"],
    }]
    rows = SkillRating.objects.filter(assessment=draft).order_by("skill_name")
    assert [(r.skill_name, r.kind, r.importance, r.required, r.level) for r in rows] == [
        ("Teamwork", "soft", Decimal("3.00"), Decimal("2.00"), 1),
        ("Welding", "technical", Decimal("5.00"), Decimal("3.00"), 1),
    ]


def test_the_report_reads_the_same_after_the_career_is_edited(user_client, career):
    assessment = submitted(user_client.user, career, default=1)
    before = user_client.get(reverse("assessments:report_json", args=[assessment.pk])).json()
    SkillRequirement.objects.filter(career=career).update(importance=1, level=4)
    career.learning_steps.all().delete()
    career.title = "Renamed"
    career.save()
    assert user_client.get(reverse("assessments:report_json", args=[assessment.pk])).json() == before


def test_submitting_without_every_skill_rated_names_the_missing_ones(user_client, career):
    draft = draft_for(user_client, career)
    user_client.post(step_url(draft, "technical"), {f"skill_{SkillRequirement.objects.get(skill__name='Welding').skill_id}": "2"})
    response = user_client.post(step_url(draft, "review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your assessment was not submitted" in html
    assert "Rate this skill first: Teamwork." in html
    draft.refresh_from_db()
    assert draft.is_submitted is False and draft.readiness is None


def test_a_skill_added_to_the_career_after_rating_blocks_submit_until_rated(user_client, career):
    draft = draft_for(user_client, career)
    answer_everything(user_client, draft)
    SkillRequirement.objects.create(career=career, skill=make_skill("Grinding"), importance=2, level=1)
    assert "Grinding" in user_client.post(step_url(draft, "review")).content.decode()
    assert Assessment.objects.get(pk=draft.pk).is_submitted is False


def test_submit_twice_gives_one_submitted_assessment(user_client, career):
    draft = draft_for(user_client, career)
    answer_everything(user_client, draft)
    first = user_client.post(step_url(draft, "review"))
    draft.refresh_from_db()
    stamp = draft.submitted_at
    second = user_client.post(step_url(draft, "review"))
    assert first["Location"] == second["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.submitted_at == stamp
    assert Assessment.objects.submitted().count() == 1
    assert Assessment.objects.count() == 1


def test_submit_assessment_reports_whether_this_call_submitted(career):
    user = make_user()
    draft = Assessment.objects.create(owner=user, career=career)
    questionnaire.save_ratings(assessment=draft, levels={r.skill_id: 2 for r in career.requirements.all()}, next_step="review")
    assert questionnaire.submit_assessment(assessment=draft)[1] is True
    assert questionnaire.submit_assessment(assessment=draft)[1] is False


# serialized_rollback: put back the migrated rows (groups, content types) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none to test")
def test_two_simultaneous_submits_give_one_submission(career):
    user = make_user()
    draft = Assessment.objects.create(owner=user, career=career)
    questionnaire.save_ratings(assessment=draft, levels={r.skill_id: 2 for r in career.requirements.all()}, next_step="review")
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            outcomes.append(questionnaire.submit_assessment(assessment=draft)[1])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert Assessment.objects.submitted().count() == 1


def test_a_step_saved_after_submit_in_another_tab_changes_nothing(user_client, career):
    draft = draft_for(user_client, career)
    answer_everything(user_client, draft, level=1)
    questionnaire.submit_assessment(assessment=draft)
    with pytest.raises(questionnaire.NotADraft):
        questionnaire.save_ratings(assessment=draft, levels={r.skill_id: 4 for r in career.requirements.all()}, next_step="review")
    with pytest.raises(questionnaire.NotADraft):
        questionnaire.save_background(assessment=draft, highest_education=9, years_experience=9, certifications="", next_step="review")
    assert set(SkillRating.objects.filter(assessment=draft).values_list("level", flat=True)) == {1}


def test_retake_starts_a_new_draft_from_the_previous_answers(user_client, career):
    old = submitted(user_client.user, career, {"Welding": 1, "Teamwork": 3}, highest_education=1, years_experience=2)
    response = user_client.post(reverse("assessments:retake", args=[old.pk]))
    new = Assessment.objects.exclude(pk=old.pk).get()
    assert response["Location"] == step_url(new, "background")
    assert (new.previous, new.owner, new.career, new.is_submitted) == (old, old.owner, career, False)
    assert (new.highest_education, new.years_experience) == (1, Decimal("2.0"))
    assert dict(new.ratings.values_list("skill__name", "level")) == {"Welding": 1, "Teamwork": 3}
    # Asking again (a double click) resumes the same draft.
    user_client.post(reverse("assessments:retake", args=[old.pk]))
    assert Assessment.objects.count() == 2


def test_retake_is_post_only_and_owner_only(client, career):
    owner = make_user()
    old = submitted(owner, career)
    client.force_login(make_user())
    assert client.post(reverse("assessments:retake", args=[old.pk])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("assessments:retake", args=[old.pk])).status_code == 405
    assert Assessment.objects.count() == 1


def test_delete_asks_first_then_deletes_and_returns_to_the_dashboard(user_client, career):
    assessment = submitted(user_client.user, career)
    url = reverse("assessments:delete", args=[assessment.pk])
    page = user_client.get(url)
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    response = user_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:dashboard")
    assert "was deleted" in response.content.decode()
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert not SkillRating.objects.filter(assessment_id=assessment.pk).exists()


def test_only_the_owner_can_delete(client, career):
    assessment = submitted(make_user(), career)
    url = reverse("assessments:delete", args=[assessment.pk])
    assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_user(is_staff=True))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_career_with_no_skills_cannot_be_submitted(user_client):
    career = make_career()
    draft = draft_for(user_client, career)
    html = user_client.post(step_url(draft, "review")).content.decode()
    assert "no skills to rate yet" in html
    assert Assessment.objects.get(pk=draft.pk).is_submitted is False


def test_skilled_career_helper_builds_both_kinds():
    career = skilled_career(technical=2, soft=3)
    assert sorted(career.requirements.values_list("skill__kind", flat=True)) == ["soft"] * 3 + ["technical"] * 2


def test_the_report_survives_the_career_being_deleted(user_client, career):
    assessment = submitted(user_client.user, career, default=1)
    before = user_client.get(reverse("assessments:report_json", args=[assessment.pk])).json()
    career.delete()
    assert user_client.get(reverse("assessments:report_json", args=[assessment.pk])).json() == before
    page = user_client.get(reverse("assessments:report", args=[assessment.pk]))
    assert page.status_code == 200 and 'Your readiness for <bdi class="sg-user-text">Welder</bdi>' in page.content.decode()
    assert "Retake this assessment" not in page.content.decode()


def test_submit_snapshots_each_requirement_on_its_own_scale(user_client):
    from careers.models import Skill

    listening = Skill.objects.create(name="Active Listening", kind="technical", source="onet", category="Basic Skills",
                                     external_id="2.A.1.b")
    career = make_career("Team Assemblers", source="onet")
    SkillRequirement.objects.create(career=career, skill=listening, importance="3.75", level="3.62", scale_max=7)
    draft = draft_for(user_client, career)
    user_client.post(step_url(draft, "technical"), {f"skill_{listening.pk}": "3"})
    assert user_client.post(step_url(draft, "review"))["Location"] == reverse("assessments:report", args=[draft.pk])
    rating = SkillRating.objects.get(assessment=draft)
    assert (rating.skill_name, rating.kind, rating.category, rating.importance, rating.required, rating.scale_max,
            rating.level, rating.origin) == (
        "Active Listening", "technical", "Basic Skills", Decimal("3.75"), Decimal("3.62"), 7, 3, "self")
    # Read at level 4 of 7, one level short: 3.75 x 1/7 of 3.75 x 4/7.
    draft.refresh_from_db()
    assert draft.readiness == Decimal("75.0")
