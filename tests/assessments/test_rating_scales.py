"""The rating form shows each O*NET element's anchors at the levels O*NET gives them, whatever they are."""

from assessments.forms import RatingsForm
from careers.models import Scale, Skill, SkillRequirement, Source
from tests.factories import make_career


def test_a_knowledge_areas_anchors_show_at_their_own_levels(db):
    skill = Skill.objects.create(
        name="Medicine and Dentistry", kind=Skill.Kind.KNOWLEDGE, source=Source.ONET, category="Knowledge",
        external_id="2.C.5.b", level_examples={"1": "Use a bandage", "5": "Diagnose an illness", "7": "Perform surgery"},
    )
    career = make_career()
    SkillRequirement.objects.create(career=career, skill=skill, importance=4, level="4.6", scale_max=Scale.ONET)
    form = RatingsForm(requirements=SkillRequirement.objects.filter(career=career).select_related("skill"))
    [row] = form.rows()
    examples = {option["number"]: option["example"] for option in row["options"] if option["example"]}
    assert examples == {1: "Use a bandage", 5: "Diagnose an illness", 7: "Perform surgery"}
    assert [option["number"] for option in row["options"]] == list(range(8))
    assert not row["anchors_paired"]  # listed one under another: 1, 5 and 7 are not all under pairs of levels
