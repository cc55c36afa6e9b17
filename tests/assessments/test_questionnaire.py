"""Every step of the questionnaire, resuming, and anonymous drafts becoming the user's own."""

from html import unescape

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
    # Each level is a radio with its own label: its number and title on the guide's 0-4 scale.
    assert f'id="id_skill_{forklift.pk}_3"' in html
    assert f'<label class="sg-level-label" for="id_skill_{forklift.pk}_3">' in html
    assert "Can do it on my own" in html and "Could teach it" in html
    assert f'id="id_skill_{forklift.pk}_5"' not in html
    # The skill's own example for a level is shown beside that level, and the level asked for.
    assert "Trains new drivers." in html
    assert "This career asks for level 3 of 4" in html
    # The scale's general wording is explained once for the page, not under every skill.
    assert html.count("What the levels 0 to 4 mean") == 1
    assert html.count("I could train someone else") == 1


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


# -- each requirement rated on its own scale -----------------------------------------------------

ANCHORS = {
    "Active Listening": {"2": "Take a customer's order.", "4": "Answer inquiries regarding credit references.",
                         "6": "Serve as a judge in a complex legal disagreement."},
    "Mechanical": {"2": "Replace the filters in a furnace.", "4": "Replace a valve on a steam pipe.",
                   "6": "Overhaul an aircraft's jet engine."},
    "Speaking": {"2": "Greet tourists and explain attractions.", "4": "Interview applicants.",
                 "6": "Argue a legal case before the Supreme Court."},
}


def onet_skill(name, kind, category):
    return Skill.objects.create(
        name=name, kind=kind, source="onet", category=category, external_id=f"2.X.{name[:4]}",
        description=f"O*NET's description of {name}.", level_examples=ANCHORS[name],
    )


@pytest.fixture
def onet_career():
    """An O*NET career on O*NET's 0-7 levels, with a work style that is never asked."""
    from careers.models import SkillRequirement, WorkStyle

    career = make_career("Team Assemblers", slug="team-assemblers", source="onet", onet_code="51-2092.00")
    for skill, importance, level in (
        (onet_skill("Active Listening", Skill.Kind.TECHNICAL, "Basic Skills"), "3.75", "3.62"),
        (onet_skill("Mechanical", Skill.Kind.KNOWLEDGE, "Knowledge"), "3.20", "2.45"),
        (onet_skill("Speaking", Skill.Kind.SOFT, "Social Skills"), "3.12", "3.00"),
    ):
        SkillRequirement.objects.create(career=career, skill=skill, importance=importance, level=level, scale_max=7)
    style = Skill.objects.create(name="Dependability", kind=Skill.Kind.STYLE, source="onet", category="Work Styles")
    WorkStyle.objects.create(career=career, skill=style, importance="4.50")
    return career


def onet_ids(career):
    return {r.skill.name: r.skill_id for r in career.requirements.select_related("skill")}


def test_an_onet_step_rates_0_to_7_with_onets_anchors_at_2_4_and_6_only(client, onet_career):
    _, draft = start(client, onet_career)
    html = client.get(step_url(draft, "technical")).content.decode()
    listening = onet_ids(onet_career)["Active Listening"]
    for level in range(8):
        assert f'id="id_skill_{listening}_{level}" value="{level}"' in html
    assert f'id="id_skill_{listening}_8"' not in html
    # Each anchor is tied to the radio of its own level; the levels in between carry no words.
    assert (f'id="id_skill_{listening}_2" value="2" aria-describedby="id_skill_{listening}_2_anchor"') in html
    assert f'<p class="sg-anchor sg-anchor-6" id="id_skill_{listening}_6_anchor">' in html
    assert "Serve as a judge in a complex legal disagreement." in html
    assert f'id="id_skill_{listening}_3" value="3">' in html
    # Never a 0-4 words label beside an O*NET level, and the requirement read as a whole level.
    for _, title, description in __import__("careers.levels", fromlist=["LEVELS"]).LEVELS:
        assert title not in html and description not in html
    assert "This career asks for level 4 of 7" in html  # 3.62 of 7
    assert "This career asks for level 2 of 7" in html  # 2.45 of 7
    assert html.count("Levels 0 to 7 are O*NET's") == 1
    assert "0 means not at all" in html
    assert 'data-attribution="onet"' in html
    assert "Dependability" not in html


def test_a_guide_step_carries_no_onet_attribution(client, career):
    _, draft = start(client, career)
    assert 'data-attribution="onet"' not in client.get(step_url(draft, "technical")).content.decode()


def test_every_onet_step_carries_the_attribution(client, onet_career):
    _, draft = start(client, onet_career)
    for step in ("background", "technical", "soft", "review"):
        assert 'data-attribution="onet"' in client.get(step_url(draft, step)).content.decode(), step


def test_onet_ratings_are_saved_on_onets_scale_and_the_asked_level_meets_the_requirement(client, onet_career):
    _, draft = start(client, onet_career)
    ids = onet_ids(onet_career)
    client.post(step_url(draft, "background"), {"highest_education": "1", "years_experience": "3"})
    client.post(step_url(draft, "technical"), {f"skill_{ids['Active Listening']}": "4", f"skill_{ids['Mechanical']}": "7"})
    client.post(step_url(draft, "soft"), {f"skill_{ids['Speaking']}": "3"})
    assert set(draft.ratings.values_list("scale_max", flat=True)) == {7}
    response = client.post(step_url(draft, "review"))
    assert response["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    assert float(draft.readiness) == 100.0 and draft.critical_gaps == 0


def test_a_level_outside_the_requirements_scale_is_refused_and_the_other_answers_kept(client, onet_career):
    _, draft = start(client, onet_career)
    ids = onet_ids(onet_career)
    for bad in ("8", "-1", "3.5", "four", "", "٣"):
        response = client.post(step_url(draft, "technical"),
                               {f"skill_{ids['Active Listening']}": bad, f"skill_{ids['Mechanical']}": "6"})
        assert response.status_code == 200, bad
        html = response.content.decode()
        assert 'id="error-summary"' in html
        assert ("can only be rated with one of the levels 0 to 7" in html) or ("Choose a level from 0 to 7" in html)
        assert f'id="id_skill_{ids["Mechanical"]}_6" value="6" checked' in html
        assert f'href="#id_skill_{ids["Active Listening"]}_0"' in html
        assert not draft.ratings.exists()


def test_unanswered_questions_are_each_linked_from_the_error_summary(client, career):
    _, draft = start(client, career)
    forklift = Skill.objects.get(name="Forklift operation")
    blueprint = Skill.objects.get(name="Blueprint reading")
    html = client.post(step_url(draft, "technical"), {f"skill_{forklift.pk}": "2"}).content.decode()
    assert f'<a class="alert-link" href="#id_skill_{blueprint.pk}_0">Choose a level from 0 to 4 for “Blueprint reading”.</a>' in html
    assert f'id="id_skill_{forklift.pk}_2" value="2" checked' in html
    assert "1</span> of 2 answered" in html


def test_the_answered_count_is_right_without_a_script(client, career):
    _, draft = start(client, career)
    forklift = Skill.objects.get(name="Forklift operation")
    html = client.get(step_url(draft, "technical")).content.decode()
    assert 'aria-live="polite" data-answered-count' in html and "0</span> of 2 answered" in html
    SkillRating.objects.create(assessment=draft, skill=forklift, level=3)
    assert "1</span> of 2 answered" in client.get(step_url(draft, "technical")).content.decode()


# -- drafts started on an older scale ------------------------------------------------------------


@pytest.fixture
def old_scale_draft(client, onet_career):
    """A draft rated 0-4 before its O*NET career moved to O*NET's 0-7 levels."""
    _, draft = start(client, onet_career)
    ids = onet_ids(onet_career)
    for name in ("Active Listening", "Mechanical", "Speaking"):
        SkillRating.objects.create(assessment=draft, skill_id=ids[name], level=3, scale_max=4)
    return draft


def test_an_answer_on_an_old_scale_shows_unanswered_with_a_message(client, old_scale_draft, onet_career):
    html = unescape(client.get(step_url(old_scale_draft, "technical")).content.decode())
    assert ("2 of your answers were on Skillgap's old 0-4 scale; this career now uses O*NET's own 0-7 levels: "
            "please rate them again.") in html
    assert " checked" not in html
    assert "0</span> of 2 answered" in html
    soft = unescape(client.get(step_url(old_scale_draft, "soft")).content.decode())
    assert "1 of your answers was on Skillgap's old 0-4 scale; this career now uses O*NET's own 0-7 levels: " \
           "please rate it again." in soft


def test_an_answer_on_an_old_scale_does_not_count_for_submit(client, old_scale_draft):
    response = client.post(step_url(old_scale_draft, "review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your assessment was not submitted" in html
    assert "Active Listening, Mechanical, Speaking" in html
    old_scale_draft.refresh_from_db()
    assert old_scale_draft.is_submitted is False


def test_saving_the_step_replaces_an_answer_on_an_old_scale(client, old_scale_draft, onet_career):
    ids = onet_ids(onet_career)
    client.post(step_url(old_scale_draft, "technical"),
                {f"skill_{ids['Active Listening']}": "5", f"skill_{ids['Mechanical']}": "2"})
    ratings = {r.skill_id: (r.level, r.scale_max) for r in old_scale_draft.ratings.all()}
    assert ratings == {ids["Active Listening"]: (5, 7), ids["Mechanical"]: (2, 7), ids["Speaking"]: (3, 4)}
    assert "please rate it again" in client.get(step_url(old_scale_draft, "soft")).content.decode()
    assert "please rate" not in client.get(step_url(old_scale_draft, "technical")).content.decode()


def test_a_work_style_left_as_a_requirement_is_neither_asked_nor_needed_to_submit(client):
    from careers.models import SkillRequirement

    career = make_career(requirements=[("Welding", "technical", 3, 2)])
    style = Skill.objects.create(name="Integrity", kind=Skill.Kind.STYLE, source="onet")
    SkillRequirement.objects.create(career=career, skill=style, importance=4, level=3)
    _, draft = start(client, career)
    answer_everything(client, draft, level=2)
    assert "Integrity" not in client.get(step_url(draft, "review")).content.decode()
    assert client.post(step_url(draft, "review"))["Location"] == reverse("assessments:report", args=[draft.pk])
    assert list(Assessment.objects.get(pk=draft.pk).ratings.values_list("skill_name", flat=True)) == ["Welding"]


# -- background --------------------------------------------------------------------------------


def test_years_show_as_a_person_writes_them(client, career):
    _, draft = start(client, career)
    for stored, shown in (("1.0", "1"), ("1.5", "1.5"), ("10.0", "10"), ("0.0", "0")):
        Assessment.objects.filter(pk=draft.pk).update(years_experience=stored)
        html = client.get(step_url(draft, "background")).content.decode()
        assert f'name="years_experience" value="{shown}"' in html, stored


@pytest.mark.parametrize("years, saved", [("1.5", "1.5"), ("1.50", "1.5"), ("2", "2.0"), ("0.5", "0.5")])
def test_whole_and_half_years_are_accepted(client, career, years, saved):
    _, draft = start(client, career)
    client.post(step_url(draft, "background"), {"highest_education": "1", "years_experience": years})
    draft.refresh_from_db()
    assert str(draft.years_experience) == saved


@pytest.mark.parametrize("years", ["1.3", "1.25", "0.1", "59.9"])
def test_other_fractions_of_a_year_are_refused_with_the_answers_kept(client, career, years):
    _, draft = start(client, career)
    response = client.post(step_url(draft, "background"),
                           {"highest_education": "1", "years_experience": years, "certifications": "OSHA 10"})
    html = response.content.decode()
    assert response.status_code == 200 and "Use whole or half years, such as 1 or 1.5." in html
    assert "OSHA 10" in html and 'value="1" selected' in html
    draft.refresh_from_db()
    assert draft.years_experience is None


def test_the_background_step_reads_well_for_a_plural_title(client, onet_career):
    _, draft = start(client, onet_career)
    html = client.get(step_url(draft, "background")).content.decode()
    assert "each skill a" not in html
    assert "the skills that the career\n  <bdi>Team Assemblers</bdi> asks for" in html


# -- small breaks ------------------------------------------------------------------------------


def test_a_start_link_opened_logged_out_does_not_hide_the_retake_after_log_in(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    result = submitted(user, career)
    start(client, career)  # a blank draft, kept with the session
    client.post(reverse("accounts:login"), {"username": "sam@example.com", "password": PASSWORD})
    assert list(Assessment.objects.filter(owner=user)) == [result]
    assert not Assessment.objects.filter(owner__isnull=True).exists()
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Retake the assessment" in html and "Draft in progress" not in html


def test_an_answered_draft_started_logged_out_is_still_claimed_beside_a_result(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    submitted(user, career)
    _, draft = start(client, career)
    client.post(step_url(draft, "background"), {"highest_education": "1", "years_experience": "0"})
    client.post(reverse("accounts:login"), {"username": "sam@example.com", "password": PASSWORD})
    draft.refresh_from_db()
    assert draft.owner == user


def test_a_blank_draft_for_a_career_the_account_has_nothing_for_is_claimed(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    _, draft = start(client, career)
    client.post(reverse("accounts:login"), {"username": "sam@example.com", "password": PASSWORD})
    draft.refresh_from_db()
    assert draft.owner == user


def test_a_logged_out_owner_opening_their_draft_is_asked_to_log_in(client, career):
    user = make_user("sam@example.com", password=PASSWORD)
    client.force_login(user)
    _, draft = start(client, career)
    client.logout()
    url = step_url(draft, "technical")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f'{reverse("accounts:login")}?next={url}'
    response = client.post(response["Location"], {"username": "sam@example.com", "password": PASSWORD, "next": url})
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_a_logged_out_visitor_learns_nothing_about_whose_draft_a_number_is(client, career):
    owner = Client()
    owner.force_login(make_user())
    _, draft = start(owner, career)
    missing = step_url(draft, "background").replace(str(draft.pk), str(draft.pk + 1000))
    for url in (step_url(draft, "background"), missing):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


# -- starting from the person's job ----------------------------------------------------------------


@pytest.fixture
def jobs(onet_career):
    """Team Assemblers as the job; Line Supervisors to assess, sharing two of its elements on 0-7
    and one on another scale; a career with no requirements."""
    from careers.models import SkillRequirement

    ids = onet_ids(onet_career)
    target = make_career("Line Supervisors", slug="line-supervisors", source="onet")
    for name, level, scale in (("Active Listening", "4.60", 7), ("Speaking", "5.00", 7), ("Mechanical", "3.00", 4)):
        SkillRequirement.objects.create(career=target, skill_id=ids[name], importance=4, level=level, scale_max=scale)
    extra = onet_skill_named("Monitoring")
    SkillRequirement.objects.create(career=target, skill=extra, importance=4, level="3.10", scale_max=7)
    empty = make_career("Empty Occupation", source="onet")
    return {"job": onet_career, "target": target, "empty": empty, "ids": ids | {"Monitoring": extra.pk}}


def onet_skill_named(name):
    return Skill.objects.create(name=name, kind=Skill.Kind.TECHNICAL, source="onet", category="Basic Skills",
                                external_id=f"2.Y.{name}", level_examples={"2": "a", "4": "b", "6": "c"})


BACKGROUND = {"highest_education": "1", "years_experience": "3", "certifications": "OSHA 10"}


def test_a_job_search_returns_the_step_with_careers_to_choose_and_saves_nothing(client, jobs):
    _, draft = start(client, jobs["target"])
    response = client.post(step_url(draft, "background"), {**BACKGROUND, "job_search": "assemblers", "search_job": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' not in html
    assert f'name="job" id="id_job_{jobs["job"].pk}" value="{jobs["job"].pk}"' in html
    assert "Empty Occupation" not in html
    assert "OSHA 10" in html and 'value="3"' in html  # what was typed is kept
    draft.refresh_from_db()
    assert draft.highest_education is None and draft.job is None


@pytest.mark.parametrize("text", ["", " ", "x" * 2000, "'; DROP TABLE careers_career; --", "🙂 assembler", "%_%", "\u202e"])
def test_any_job_search_gives_results_or_none(client, jobs, text):
    _, draft = start(client, jobs["target"])
    response = client.post(step_url(draft, "background"), {**BACKGROUND, "job_search": text, "search_job": "1"})
    assert response.status_code == 200


def choose_job(client, draft, job_id):
    return client.post(step_url(draft, "background"), {**BACKGROUND, "job": str(job_id)})


def test_choosing_a_job_starts_the_answers_it_shares_at_its_levels(client, jobs):
    _, draft = start(client, jobs["target"])
    ids = jobs["ids"]
    assert choose_job(client, draft, jobs["job"].pk)["Location"] == step_url(draft, "technical")
    draft.refresh_from_db()
    assert (draft.job, draft.job_title) == (jobs["job"], "Team Assemblers")
    ratings = {r.skill_id: (r.level, r.scale_max, r.origin) for r in draft.ratings.all()}
    # The job's 3.62 and 3.00 of 7, read as levels 4 and 3; Mechanical is on another scale here, Monitoring not the job's.
    assert ratings == {ids["Active Listening"]: (4, 7, "job"), ids["Speaking"]: (3, 7, "job")}
    html = client.get(step_url(draft, "technical")).content.decode()
    assert "From your work as <bdi>Team Assemblers</bdi>: adjust if you are above or below." in html
    assert html.count("data-prefilled") == 1
    assert f'id="id_skill_{ids["Active Listening"]}_4" value="4" checked aria-describedby=' in html


def test_a_prefilled_answer_left_as_it_was_stays_the_jobs_and_a_changed_one_is_the_persons(client, jobs):
    _, draft = start(client, jobs["target"])
    ids = jobs["ids"]
    choose_job(client, draft, jobs["job"].pk)
    client.post(step_url(draft, "technical"), {f"skill_{ids['Active Listening']}": "4", f"skill_{ids['Monitoring']}": "2",
                                               f"skill_{ids['Mechanical']}": "1"})
    client.post(step_url(draft, "soft"), {f"skill_{ids['Speaking']}": "5"})
    origins = {r.skill_id: r.origin for r in draft.ratings.all()}
    assert origins == {ids["Active Listening"]: "job", ids["Monitoring"]: "self", ids["Mechanical"]: "self",
                       ids["Speaking"]: "self"}
    html = client.get(step_url(draft, "review")).content.decode()
    assert "1 answer was filled in from your work as <bdi>Team Assemblers</bdi> and left as it was" in html
    client.post(step_url(draft, "review"))
    draft.refresh_from_db()
    assert draft.is_submitted
    # The snapshot keeps where each answer came from; the report reads it (SkillRating.as_input).
    assert {r.skill_name: r.origin for r in draft.ratings.all()}["Active Listening"] == "job"
    skills = client.get(reverse("assessments:report_json", args=[draft.pk])).json()["skills"]
    assert {skill["skill"]: skill["origin"] for skill in skills} == {
        "Active Listening": "job", "Speaking": "self", "Monitoring": "self", "Mechanical": "self"}


def test_the_prefill_never_overwrites_an_answer_already_given(client, jobs):
    _, draft = start(client, jobs["target"])
    ids = jobs["ids"]
    SkillRating.objects.create(assessment=draft, skill_id=ids["Active Listening"], level=1, scale_max=7)
    choose_job(client, draft, jobs["job"].pk)
    ratings = {r.skill_id: (r.level, r.origin) for r in draft.ratings.all()}
    assert ratings == {ids["Active Listening"]: (1, "self"), ids["Speaking"]: (3, "job")}


def test_clearing_the_job_takes_away_only_the_answers_it_filled_in(client, jobs):
    _, draft = start(client, jobs["target"])
    ids = jobs["ids"]
    choose_job(client, draft, jobs["job"].pk)
    client.post(step_url(draft, "soft"), {f"skill_{ids['Speaking']}": "6"})
    html = client.get(step_url(draft, "background")).content.decode()
    assert 'id="id_job_current" value="%d" checked' % jobs["job"].pk in html
    # Saving the step without touching the job keeps it.
    client.post(step_url(draft, "background"), {**BACKGROUND, "job": str(jobs["job"].pk)})
    client.post(step_url(draft, "background"), BACKGROUND)
    draft.refresh_from_db()
    assert draft.job == jobs["job"] and draft.ratings.count() == 2
    client.post(step_url(draft, "background"), {**BACKGROUND, "job": ""})
    draft.refresh_from_db()
    assert (draft.job, draft.job_title) == (None, "")
    assert {r.skill_id: r.origin for r in draft.ratings.all()} == {ids["Speaking"]: "self"}


@pytest.mark.parametrize("job", ["999999", "abc", "-1", "99999999999999999999", "1.5"])
def test_a_job_that_does_not_exist_is_refused_with_the_form_back(client, jobs, job):
    _, draft = start(client, jobs["target"])
    response = client.post(step_url(draft, "background"), {**BACKGROUND, "job": job})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a job from the list your search found." in html and "OSHA 10" in html
    draft.refresh_from_db()
    assert draft.job is None and draft.highest_education is None


def test_a_job_without_requirements_is_refused(client, jobs):
    _, draft = start(client, jobs["target"])
    response = choose_job(client, draft, jobs["empty"].pk)
    assert response.status_code == 200 and "Choose a job from the list your search found." in response.content.decode()
