"""Matching one submitted assessment against every career: figures, threshold, ranking,
filters, who may see the page, its query count, and answering only the missing questions."""

import re

import pytest
from django.urls import reverse

from accounts.models import Sharing
from assessments import matching, scoring
from assessments.models import Assessment, SkillRating
from careers.models import CatalogVersion, Career, Skill, SkillRequirement
from careers.onet import ATTRIBUTION, LICENSE_URL, MODIFIED
from tests.factories import make_career, make_coach, make_skill, make_user

from .helpers import skilled_career, step_url, submitted

pytestmark = pytest.mark.django_db


# The pure comparison, no database.


def test_overlap_uses_the_report_formula_over_the_shared_skills():
    # Skills 1-3 rated 2, 2 and 3; skill 4 not rated. Weights 20 + 12 + 12 + 4 = 48, 44 compared.
    found = scoring.overlap([(1, 5.0, 4.0, 4), (2, 4.0, 3.0, 4), (3, 4.0, 3.0, 4), (4, 2.0, 2.0, 4)], {1: 2, 2: 2, 3: 3})
    # 1 - (5x2 + 4x1 + 4x0) / 44 = 68.2
    assert found.readiness == 68.2
    assert found.compared == (1, 2, 3) and found.missing == (4,)
    assert found.weight_share == pytest.approx(44 / 48)


@pytest.mark.parametrize("requirements, levels, listed", [
    # Exactly 60% of the weight (9 of 15) is enough; 9 of 15.15 is not.
    ([(1, 1.0, 3.0, 4), (2, 1.0, 3.0, 4), (3, 1.0, 3.0, 4), (4, 2.0, 3.0, 4)], {1: 0, 2: 0, 3: 0}, True),
    ([(1, 1.0, 3.0, 4), (2, 1.0, 3.0, 4), (3, 1.0, 3.0, 4), (4, 2.0, 3.075, 4)], {1: 0, 2: 0, 3: 0}, False),
    # 89% of the weight but only two of three skills rated.
    ([(1, 5.0, 4.0, 4), (2, 4.0, 3.0, 4), (3, 2.0, 2.0, 4)], {1: 2, 2: 2}, False),
    # A career with two skills, both rated, is compared.
    ([(1, 3.0, 1.0, 4), (2, 2.0, 2.0, 4)], {1: 2, 2: 2}, True),
    # Nothing shared.
    ([(1, 3.0, 1.0, 4)], {2: 4}, False),
])
def test_a_career_is_compared_only_when_enough_of_it_was_rated(requirements, levels, listed):
    found = scoring.overlap(requirements, levels)
    assert (found is not None and found.enough) is listed


def test_overlap_agrees_with_the_report_score_to_the_last_digit():
    import random

    rng = random.Random(7)
    for _ in range(300):
        requirements = [(skill, rng.choice([1, 2.5, 3.12, 4.34, 5]), rng.choice([0, 0.57, 1.71, 2, 3.34, 4]), 4)
                        for skill in rng.sample(range(20), rng.randint(1, 12))]
        levels = {skill: rng.randint(0, 4) for skill in rng.sample(range(20), 14)}
        found = scoring.overlap(requirements, levels)
        if found is None:  # nothing shared
            continue
        # The report's own score over just the compared skills gives the same figure.
        expected = scoring.score(
            scoring.SkillInput(str(s), "technical", i, r, levels[s]) for s, i, r, _ in requirements if s in levels
        )
        assert found.readiness == expected.readiness


# Matching against the catalog.


@pytest.fixture
def catalog():
    """Assembler (rated), and careers sharing more or less of its skills."""
    a, b, c = make_skill("Assembly"), make_skill("Blueprints"), make_skill("CNC programming")
    s = make_skill("Steadiness", kind=Skill.Kind.SOFT)
    e = make_skill("Estimating")
    careers = {
        "assembler": make_career("Assembler", slug="assembler", requirements=[
            (a, "technical", 5, 3), (b, "technical", 4, 2), (s, "soft", 3, 3)]),
        "inspector": make_career("Inspector", slug="inspector", job_zone=2, requirements=[
            (a, "technical", 3, 1), (b, "technical", 2, 2)]),
        "tester": make_career("Tester", slug="tester", job_zone=2, requirements=[
            (a, "technical", 1, 1), (b, "technical", 1, 1), (s, "soft", 1, 1)]),
        "lead": make_career("Lead", slug="lead", job_zone=3, requirements=[
            (a, "technical", 5, 4), (b, "technical", 4, 3), (s, "soft", 4, 3), (c, "technical", 2, 2)]),
        "planner": make_career("Planner", slug="planner", requirements=[
            (a, "technical", 1, 3), (b, "technical", 1, 3), (s, "soft", 1, 3), (e, "technical", 2, 3)]),
        "machinist": make_career("Machinist", slug="machinist", requirements=[
            (a, "technical", 5, 4), (b, "technical", 4, 3), (c, "technical", 2, 2)]),
        "welder": make_career("Welder", slug="welder", requirements=[
            (a, "technical", 4, 2), (c, "technical", 5, 3), (e, "technical", 5, 3), (b, "technical", 1, 1)]),
    }
    make_career("Painter", slug="painter", requirements=[(make_skill("Spraying"), "technical", 4, 3)])
    return careers


@pytest.fixture
def owner():
    return make_user()


@pytest.fixture
def assessment(owner, catalog):
    return submitted(owner, catalog["assembler"], {"Assembly": 2, "Blueprints": 2, "Steadiness": 3}, highest_education=1)


def found(assessment, **filters):
    return matching.find_matches(matching.assessment_levels(assessment), exclude={assessment.career_id}, **filters)


def test_matches_are_ranked_with_hand_computed_readiness(assessment):
    result = found(assessment)
    assert [(m.slug, m.readiness, m.compared_count, m.missing) for m in result.matches] == [
        ("tester", 100.0, 3, 0),     # nothing above the ratings
        ("inspector", 100.0, 2, 0),  # same figure, fewer skills compared: second
        ("planner", 77.8, 3, 1),     # 1 - (1x1 + 1x1 + 1x0) / 9; exactly 60% of its weight compared
        ("lead", 68.2, 3, 1),        # 1 - (5x2 + 4x1 + 4x0) / 44
    ]
    lead = result.matches[3]
    assert lead.compared == ("Assembly", "Blueprints", "Steadiness") and lead.missing_names == ("CNC programming",)
    assert lead.weight_percent == 92 and lead.total == 4
    # Machinist (two of three skills), Welder (23% of its weight) share skills but too few.
    assert result.compared == 4 and result.too_few == 2


def test_filters_by_job_zone_and_minimum_readiness(assessment):
    assert [m.slug for m in found(assessment, job_zone=2).matches] == ["tester", "inspector"]
    assert [m.slug for m in found(assessment, min_readiness=70).matches] == ["tester", "inspector", "planner"]
    assert [m.slug for m in found(assessment, job_zone=3, min_readiness=70).matches] == []
    assert found(assessment, job_zone=3).compared == 4


def test_an_edited_requirement_is_seen_at_once(assessment, catalog):
    assert found(assessment).matches[3].readiness == 68.2
    requirement = SkillRequirement.objects.get(career=catalog["lead"], skill__name="Assembly")
    requirement.level = 2
    requirement.save()  # as the admin does
    # 1 - (4x1) / (5x2 + 4x3 + 4x3) = 88.2
    assert [m.readiness for m in found(assessment).matches if m.slug == "lead"] == [88.2]


def test_a_bulk_edit_is_seen_once_the_catalog_version_changes(assessment, catalog):
    found(assessment)
    SkillRequirement.objects.filter(career=catalog["lead"], skill__name="Assembly").update(level=2)
    assert [m.readiness for m in found(assessment).matches if m.slug == "lead"] == [68.2]  # no signal: kept
    CatalogVersion.changed()  # what import_onet does after its bulk writes
    assert [m.readiness for m in found(assessment).matches if m.slug == "lead"] == [88.2]


# The page.


def url(assessment, **query):
    base = reverse("assessments:matches", args=[assessment.pk])
    return base + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def listed(html):
    return re.findall(r'<li class="sg-match" data-career="([^"]+)">', html)


def test_the_owner_sees_ranked_careers_with_figures(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url(assessment)).content.decode()
    assert listed(html) == ["tester", "inspector", "planner", "lead"]
    lead = html[html.index('data-career="lead"'):]
    assert '<strong data-figure="readiness">68.2%</strong>' in lead
    assert '<dd data-figure="compared">3 of 4</dd>' in lead and '<dd data-figure="missing">1</dd>' in lead
    assert "<p>CNC programming</p>" in lead
    assert "Answer only the 1 missing question" in lead
    assert "2 other careers share some of your skills, too few to compare." in html
    assert 'data-career="assembler"' not in html  # the assessment's own career is its report


def test_the_filters_apply_and_keep_their_values(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url(assessment, job_zone=2, min_readiness=50)).content.decode()
    assert listed(html) == ["tester", "inspector"]
    assert '<option value="2" selected>' in html and 'value="50"' in html
    assert "2 careers match these filters" in html


def test_a_filter_out_of_range_is_explained_and_ignored(client, owner, assessment):
    client.force_login(owner)
    html = client.get(url(assessment, min_readiness=150)).content.decode()
    field = re.search(r'<input [^>]*name="min_readiness"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_min_readiness_error"' in field
    assert re.search(r'id="id_min_readiness_error".*?Enter a whole number from 0 to 100\.', html, re.S)
    assert listed(html) == ["tester", "inspector", "planner", "lead"]
    assert ">4 careers</h2>" in html


def test_long_lists_come_in_pages_that_keep_the_filters(client, owner):
    source = skilled_career(technical=3, soft=0)
    skills = [r.skill for r in source.requirements.all()]
    for number in range(27):
        make_career(f"Match {number:02}", requirements=[(skill, skill.kind, 3, 2) for skill in skills])
    assessment = submitted(owner, source, default=2)
    client.force_login(owner)
    first = client.get(url(assessment, min_readiness=90)).content.decode()
    assert len(listed(first)) == 25 and "Page 1 of 2" in first
    assert "?min_readiness=90&amp;page=2" in first
    second = client.get(url(assessment, min_readiness=90, page=2)).content.decode()
    assert len(listed(second)) == 2 and '<ol class="sg-matches" start="26">' in second


def test_coaches_see_the_page_without_the_answer_buttons(client, assessment):
    coach = make_coach()
    Sharing.objects.create(person=assessment.owner, coach=coach)  # in the coach's caseload
    client.force_login(coach)
    response = client.get(url(assessment))
    assert response.status_code == 200
    assert "as a coach" in response.content.decode() and "missing question" not in response.content.decode()
    assert client.post(url(assessment), {"career": "lead"}).status_code == 404


def test_someone_else_gets_404(client, assessment):
    client.force_login(make_user())
    assert client.get(url(assessment)).status_code == 404
    assert client.post(url(assessment), {"career": "lead"}).status_code == 404
    assert not Assessment.objects.drafts().exists()


def test_anonymous_visitors_are_sent_to_log_in(client, assessment):
    response = client.get(url(assessment))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_draft_sends_its_owner_back_to_the_questionnaire(client, owner, catalog):
    draft = Assessment.objects.create(owner=owner, career=catalog["lead"], current_step="soft")
    client.force_login(owner)
    assert client.get(url(draft))["Location"] == step_url(draft, "soft")


def test_attribution_appears_only_with_onet_careers(client, owner, assessment, catalog):
    client.force_login(owner)
    assert ATTRIBUTION not in client.get(url(assessment)).content.decode()
    Career.objects.filter(pk=catalog["inspector"].pk).update(source=Career.Source.ONET)
    html = client.get(url(assessment)).content.decode()
    assert ATTRIBUTION.replace("®", "&reg;") in html or ATTRIBUTION in html
    assert MODIFIED in html and LICENSE_URL in html


@pytest.mark.parametrize("others", [2, 20])
def test_query_count_does_not_grow_with_the_catalog(client, owner, django_assert_num_queries, others):
    source = skilled_career(technical=3, soft=1)
    skills = [r.skill for r in source.requirements.all()]
    for _ in range(others):
        make_career(requirements=[(skill, skill.kind, 3, 2) for skill in skills])
    assessment = submitted(owner, source, default=2)
    client.force_login(owner)
    matching.forget()
    with django_assert_num_queries(8):  # session, user, assessment, ratings, catalog version, table, skills, careers
        html = client.get(url(assessment)).content.decode()
    assert len(listed(html)) == others
    with django_assert_num_queries(7):  # the table is kept while the catalog version holds
        client.get(url(assessment))


# Answering only the missing questions.


def test_answer_only_the_missing_skills_then_submit(client, owner, assessment, catalog):
    client.force_login(owner)
    response = client.post(url(assessment), {"career": "lead"})
    draft = Assessment.objects.drafts().get(owner=owner, career=catalog["lead"])
    # Only a technical skill is missing: straight to that step, showing just that skill, then to review.
    assert response["Location"] == step_url(draft, "technical") + "?only=unanswered&return=review"
    copied = dict(SkillRating.objects.filter(assessment=draft).values_list("skill__name", "level"))
    assert copied == {"Assembly": 2, "Blueprints": 2, "Steadiness": 3}
    assert draft.highest_education == 1 and draft.previous is None

    page = client.get(response["Location"]).content.decode()
    assert re.findall(r'class="sg-rating-name">([^<]+)<', page) == ["CNC programming"]
    assert re.search(r"<span data-answered>0</span> of 1 answered", page) and "Show every skill of this step" in page

    cnc = Skill.objects.get(name="CNC programming")
    data = {f"skill_{cnc.pk}": "1", "return": "review"}
    assert client.post(response["Location"], data)["Location"] == step_url(draft, "review")
    report = client.post(step_url(draft, "review"))
    assert report["Location"] == reverse("assessments:report", args=[draft.pk])
    draft.refresh_from_db()
    # 1 - (5x2 + 4x1 + 4x0 + 2x1) / (5x4 + 4x3 + 4x3 + 2x2) = 66.7
    assert draft.is_submitted and float(draft.readiness) == 66.7


def test_missing_skills_of_both_kinds_start_at_the_first_and_a_second_post_resumes(client, owner, catalog):
    career = make_career("Foreman", slug="foreman", requirements=[
        ("Assembly", "technical", 5, 3), ("Blueprints", "technical", 4, 2), ("Steadiness", "soft", 3, 3),
        ("Costing", "technical", 1, 1), ("Patience", "soft", 1, 1),
    ])
    assessment = submitted(owner, catalog["assembler"], default=2)
    client.force_login(owner)
    first = client.post(url(assessment), {"career": career.slug})
    second = client.post(url(assessment), {"career": career.slug})
    draft = Assessment.objects.drafts().get(career=career)
    assert first["Location"] == second["Location"] == step_url(draft, "technical") + "?only=unanswered"
    technical = client.get(first["Location"]).content.decode()
    assert re.findall(r'class="sg-rating-name">([^<]+)<', technical) == ["Costing"]
    costing, patience = Skill.objects.get(name="Costing"), Skill.objects.get(name="Patience")
    soft = client.post(first["Location"], {f"skill_{costing.pk}": "2"})["Location"]
    assert soft == step_url(draft, "soft") + "?only=unanswered"
    assert re.findall(r'class="sg-rating-name">([^<]+)<', client.get(soft).content.decode()) == ["Patience"]
    assert client.post(soft, {f"skill_{patience.pk}": "2"})["Location"] == step_url(draft, "review")


def test_nothing_missing_goes_straight_to_review(client, owner, assessment, catalog):
    client.force_login(owner)
    response = client.post(url(assessment), {"career": "tester"})
    draft = Assessment.objects.drafts().get(career=catalog["tester"])
    assert response["Location"] == step_url(draft, "review")


def test_answers_already_in_an_open_draft_are_kept(client, owner, assessment, catalog):
    client.force_login(owner)
    client.post(url(assessment), {"career": "lead"})
    draft = Assessment.objects.drafts().get(career=catalog["lead"])
    SkillRating.objects.filter(assessment=draft, skill__name="Assembly").update(level=4)
    client.post(url(assessment), {"career": "lead"})
    assert draft.ratings.get(skill__name="Assembly").level == 4


def test_the_assessments_own_or_an_unknown_career_is_404(client, owner, assessment):
    client.force_login(owner)
    assert client.post(url(assessment), {"career": "assembler"}).status_code == 404
    assert client.post(url(assessment), {"career": "no-such-career"}).status_code == 404
