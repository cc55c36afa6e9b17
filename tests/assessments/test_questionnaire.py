"""Every step of the questionnaire, resuming, and anonymous drafts becoming the user's own."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, SkillRating
from assessments.questionnaire import SESSION_VISITOR, visitor_for_key
from careers.models import Skill
from tests.factories import make_career, make_skill, make_user

from .helpers import answer_everything, rating_data, skilled_career, step_url, submitted

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def career():
    forklift = make_skill("Forklift operation", description="Moving loads safely with a forklift.",
                          level_examples={"0": "Never driven one.", "4": "Trains new drivers."})
    blueprint = make_skill("Blueprint reading", kind=Skill.Kind.KNOWLEDGE)
    teamwork = make_skill("Teamwork", kind=Skill.Kind.SOFT, description="Working well with the crew.")
    return make_career("Line Worker", slug="line-worker", education_required=1, requirements=[
        (forklift, "technical", 5, 3), (blueprint, "knowledge", 3, 2), (teamwork, "soft", 4, 3),
    ])


def start(client, career):
    response = client.get(reverse("assessments:start", args=[career.slug]))
    return response, Assessment.objects.order_by("-pk").first()


def test_start_creates_an_anonymous_draft_kept_with_the_session(client, career):
    response, draft = start(client, career)
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "background")
    assert draft.owner is None and draft.is_submitted is False
    # The draft carries a keyed hash of the session key, never the key itself.
    assert draft.visitor == client.session[SESSION_VISITOR] == visitor_for_key(client.session.session_key)
    assert client.session.session_key not in draft.visitor


def test_start_for_a_logged_in_user_owns_the_draft(client, career):
    user = make_user()
    client.force_login(user)
    _, draft = start(client, career)
    assert draft.owner == user and draft.visitor == ""


def test_start_unknown_career_is_404(client):
    assert client.get(reverse("assessments:start", args=["no-such-career"])).status_code == 404


def test_background_step_shows_progress_and_saves_before_moving_on(client, career):
    _, draft = start(client, career)
    page = client.get(step_url(draft, "background"))
    assert page.status_code == 200
    assert "Step 1 of 4" in page.content.decode()
    assert 'aria-current="step"' in page.content.decode()
    response = client.post(step_url(draft, "background"), {
        "highest_education": "1", "years_experience": "2.5", "certifications": "OSHA 10\n\nForklift  ",
    })
    assert response["Location"] == step_url(draft, "technical")
    draft.refresh_from_db()
    assert (draft.highest_education, float(draft.years_experience)) == (1, 2.5)
    assert draft.certifications == "OSHA 10\nForklift"
    assert draft.current_step == "technical"


def test_technical_step_rates_technical_and_knowledge_skills_in_labelled_radio_groups(client, career):
    _, draft = start(client, career)
    page = client.get(step_url(draft, "technical"))
    html = page.content.decode()
    assert "Step 2 of 4" in html
    assert html.count("<fieldset") == 2
    assert "Forklift operation" in html and "Blueprint reading" in html and "Teamwork" not in html
    forklift = Skill.objects.get(name="Forklift operation")
    # Each level is a radio with its own label: number, name and plain-language description.
    assert f'id="id_skill_{forklift.pk}_3"' in html
    assert f'<label class="form-check-label" for="id_skill_{forklift.pk}_3">' in html
    assert "Can do it on my own" in html and "Could teach it" in html
    # The skill's own example for a level is shown beside that level.
    assert "Trains new drivers." in html


def test_rating_steps_save_and_update_answers_without_duplicates(client, career):
    _, draft = start(client, career)
    response = client.post(step_url(draft, "technical"), rating_data(career, ("technical", "knowledge"), 1))
    assert response["Location"] == step_url(draft, "soft")
    client.post(step_url(draft, "technical"), rating_data(career, ("technical", "knowledge"), 3))
    assert sorted(SkillRating.objects.filter(assessment=draft).values_list("level", flat=True)) == [3, 3]
    response = client.post(step_url(draft, "soft"), rating_data(career, ("soft",), 2))
    assert response["Location"] == step_url(draft, "review")
    draft.refresh_from_db()
    assert draft.current_step == "review"
    assert SkillRating.objects.filter(assessment=draft).count() == 3
    # Coming back shows the saved answer checked.
    teamwork = Skill.objects.get(name="Teamwork")
    assert f'id="id_skill_{teamwork.pk}_2" value="2" checked' in client.get(step_url(draft, "soft")).content.decode()


def test_resuming_goes_to_the_step_where_the_user_left_off(client, career):
    _, draft = start(client, career)
    client.post(step_url(draft, "background"), {"highest_education": "1", "years_experience": "0"})
    response, again = start(client, career)
    assert again == draft
    assert response["Location"] == step_url(draft, "technical")
    assert Assessment.objects.count() == 1


def test_a_logged_in_user_resumes_from_another_browser(career):
    user = make_user()
    first, second = Client(), Client()
    first.force_login(user)
    _, draft = start(first, career)
    answer_everything(first, draft)
    second.force_login(user)
    response = second.get(reverse("assessments:start", args=[career.slug]))
    assert response["Location"] == step_url(draft, "review")


def test_review_shows_every_answer_and_lets_the_user_change_any_step(client, career):
    _, draft = start(client, career)
    answer_everything(client, draft, level=2)
    html = client.get(step_url(draft, "review")).content.decode()
    assert "Step 4 of 4" in html
    assert "High school diploma or GED" in html
    assert html.count("2: Can do it with help") == 3
    assert f'{step_url(draft, "technical")}?return=review' in html
    # Editing from the review comes back to the review.
    response = client.post(f'{step_url(draft, "technical")}?return=review',
                           {**rating_data(career, ("technical", "knowledge"), 4), "return": "review"})
    assert response["Location"] == step_url(draft, "review")


def test_review_warns_about_skills_not_rated_yet(client, career):
    _, draft = start(client, career)
    html = client.get(step_url(draft, "review")).content.decode()
    assert "Not rated yet: Blueprint reading, Forklift operation, Teamwork" in html


def test_an_anonymous_visitor_submits_and_is_offered_an_account_on_the_way(client, career):
    _, draft = start(client, career)
    answer_everything(client, draft)
    review = step_url(draft, "review")
    html = client.get(review).content.decode()
    assert "Submit and see my report" in html
    assert f'{reverse("accounts:signup")}?next={review}' in html.replace("%2F", "/")
    assert f'{reverse("accounts:login")}?next={review}' in html.replace("%2F", "/")
    response = client.post(review)
    assert response["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_submitted and draft.owner is None and draft.visitor == client.session[SESSION_VISITOR]


def test_logging_in_claims_the_anonymous_draft_and_returns_to_the_review(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    _, draft = start(client, career)
    answer_everything(client, draft)
    review = step_url(draft, "review")
    response = client.post(f'{reverse("accounts:login")}?next={review}',
                           {"username": "sam@example.com", "password": PASSWORD, "next": review})
    assert response.status_code == 302 and response["Location"] == review
    draft.refresh_from_db()
    assert draft.owner == user and draft.visitor == ""
    assert client.get(review).status_code == 200
    response = client.post(review)
    assert response["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_submitted


def test_signing_up_claims_the_anonymous_draft(client, career):
    _, draft = start(client, career)
    answer_everything(client, draft)
    review = step_url(draft, "review")
    response = client.post(reverse("accounts:signup"), {
        "email": "new@example.com", "first_name": "New", "password1": "a-long-Passphrase-42",
        "password2": "a-long-Passphrase-42", "next": review,
    })
    assert response.status_code == 302 and response["Location"] == review
    draft.refresh_from_db()
    assert draft.owner.email == "new@example.com"


def test_claiming_leaves_other_peoples_anonymous_drafts_alone(client, career):
    stranger = Client()
    _, theirs = start(stranger, career)
    _, mine = start(client, career)
    client.force_login(make_user())
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.owner is None and mine.owner is not None


@pytest.mark.parametrize("step", ["background", "technical", "soft", "review"])
def test_another_users_or_sessions_draft_is_404(client, career, step):
    owner_client, anonymous = Client(), Client()
    owner_client.force_login(make_user())
    _, owned = start(owner_client, career)
    _, session_draft = start(anonymous, career)
    client.force_login(make_user())
    assert client.get(step_url(owned, step)).status_code == 404
    assert client.post(step_url(owned, step), {}).status_code == 404
    assert client.get(step_url(session_draft, step)).status_code == 404
    assert Client().get(step_url(session_draft, step)).status_code == 404


def test_staff_cannot_edit_a_job_seekers_draft(client, career):
    owner = Client()
    owner.force_login(make_user())
    _, draft = start(owner, career)
    client.force_login(make_user(is_staff=True))
    assert client.get(step_url(draft, "background")).status_code == 404


def test_unknown_step_is_404(client, career):
    _, draft = start(client, career)
    assert client.get(f"/assessments/{draft.pk}/bonus/").status_code == 404


@pytest.mark.parametrize("step", ["background", "technical", "soft", "review"])
def test_a_submitted_assessment_is_not_editable(client, step):
    user = make_user()
    career = skilled_career()
    assessment = submitted(user, career, default=1)
    client.force_login(user)
    response = client.post(step_url(assessment, step), rating_data(career, ("technical", "soft"), 4), follow=True)
    assert response.redirect_chain[0][0] == reverse("assessments:report", args=[assessment.pk])
    assert "can no longer change" in response.content.decode()
    assert set(SkillRating.objects.filter(assessment=assessment).values_list("level", flat=True)) == {1}


def test_a_career_without_soft_skills_says_so_on_the_soft_step(client):
    career = make_career(requirements=[("Welding", "technical", 3, 2)])
    _, draft = start(client, career)
    page = client.get(step_url(draft, "soft"))
    assert "no skills of this kind" in page.content.decode()
    assert client.post(step_url(draft, "soft"), {})["Location"] == step_url(draft, "review")
