"""A guide career's report lists the O*NET careers it corresponds to and names as related.

Production Associate corresponds to Team Assemblers (51-2092.00); O*NET measures that career on
its own 0-7 scale, so the guide's 0-4 answers give no readiness for it: the report says how many
of its questions to answer instead, and links to them. A rating on the same skill and the same
scale does count (report.related_data over scoring.overlap).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import matching, report
from careers.models import Career, Scale, Skill, SkillRequirement, Source
from tests.assessments.helpers import submitted
from tests.factories import make_user


@pytest.fixture
def team_assemblers(db):
    call_command("load_catalog", stdout=StringIO())
    career = Career.objects.create(title="Team Assemblers", slug="team-assemblers-51-2092-00", onet_code="51-2092.00",
                                   source=Career.Source.ONET)
    for number, level in enumerate(("3.62", "2.5", "4.1"), start=1):
        skill = Skill.objects.create(name=f"Element {number}", kind=Skill.Kind.TECHNICAL, source=Source.ONET,
                                     external_id=f"2.B.9.{number}", category="Technical Skills")
        SkillRequirement.objects.create(career=career, skill=skill, importance=4, level=level, scale_max=Scale.ONET)
    matching.forget()
    return career


def test_a_production_associate_report_offers_team_assemblers_questions_not_a_converted_figure(client, team_assemblers):
    owner = make_user()
    guide = Career.objects.get(slug="production-associate")
    assessment = submitted(owner, guide, default=3, highest_education=1)
    [related] = [entry for entry in assessment.report["related"] if entry["onet_code"] == "51-2092.00"]
    assert related["title"] == "Team Assemblers"
    assert (related["readiness"], related["compared_count"], related["to_answer"], related["total"]) == (None, 0, 3, 3)
    client.force_login(owner)
    page = client.get(reverse("assessments:report", args=[assessment.pk])).content.decode()
    start = reverse("assessments:start", args=[team_assemblers.slug])
    assert f'<a href="{start}">answer 3 questions</a> to see your readiness' in page
    data = client.get(reverse("assessments:report_json", args=[assessment.pk])).json()
    assert {"title": "Team Assemblers", "onet_code": "51-2092.00", "readiness": None, "compared_count": 0,
            "total": 3, "to_answer": 3} in data["related"]


def test_ratings_on_the_same_skill_and_scale_give_a_figure(team_assemblers):
    table = matching.requirement_table()[team_assemblers.pk]
    # Required as asked: 3.62 -> 4, 2.5 -> 3, 4.1 -> 4; all three rated on 0-7.
    levels = {key: level for (key, _importance, _required, _scale), level in zip(table, (4, 3, 2))}
    entry = report.related_data(career_id=team_assemblers.pk, title="Team Assemblers", slug=team_assemblers.slug,
                                onet_code="51-2092.00", requirements=table, levels=levels)
    # One gap of 2 (needs 4, has 2) at importance 4: 1 - (4x2/7) / (4x4/7 + 4x3/7 + 4x4/7) = 1 - 8/44.
    assert entry["readiness"] == 81.8 and entry["to_answer"] == 0
    # The same levels on the guide's 0-4 scale answer none of its questions.
    on_guide_scale = {(skill_id, 4): level for (skill_id, _scale), level in levels.items()}
    entry = report.related_data(career_id=team_assemblers.pk, title="Team Assemblers", slug=team_assemblers.slug,
                                onet_code="51-2092.00", requirements=table, levels=on_guide_scale)
    assert entry["readiness"] is None and entry["to_answer"] == 3
