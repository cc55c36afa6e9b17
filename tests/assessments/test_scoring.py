"""The gap arithmetic, by tables worked out by hand and by properties that must always hold."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import SkillInput, StepInput, score


def skill(name="A", kind="technical", importance=3, required=3, level=2):
    return SkillInput(name=name, kind=kind, importance=importance, required=required, level=level)


# (skills, overall, technical, soft), each figure worked out by hand.
READINESS_TABLE = [
    # One skill, importance 4, needs 3, has 1: 100 x (1 - 4x2 / 4x3) = 33.3
    ([skill(importance=4, required=3, level=1)], 33.3, 33.3, 100.0),
    # Met exactly, and exceeded: no gap.
    ([skill(required=3, level=3)], 100.0, 100.0, 100.0),
    ([skill(required=2, level=4)], 100.0, 100.0, 100.0),
    # Two skills; the surplus on B must not offset A's gap: 1 - (5x2) / (5x3 + 2x1) = 1 - 10/17 = 41.2
    ([skill("A", importance=5, required=3, level=1), skill("B", importance=2, required=1, level=4)], 41.2, 41.2, 100.0),
    # Technical and soft apart: technical 1 - 3x1/(3x2) = 50; soft 1 - 0 = 100; overall 1 - 3/(6+12) = 83.3
    ([skill("T", importance=3, required=2, level=1), skill("S", kind="soft", importance=4, required=3, level=3)],
     83.3, 50.0, 100.0),
    # Knowledge counts as technical: 1 - 2x2/(2x4) = 50.
    ([skill("K", kind="knowledge", importance=2, required=4, level=2)], 50.0, 50.0, 100.0),
    # Decimal requirements: 1 - 4.5x0.75/(4.5x2.75) = 72.7
    ([skill(importance=4.5, required=2.75, level=2)], 72.7, 72.7, 100.0),
    # Nothing required at all: 100.
    ([skill(required=0, level=0)], 100.0, 100.0, 100.0),
    ([], 100.0, 100.0, 100.0),
]


@pytest.mark.parametrize("skills, overall, technical, soft", READINESS_TABLE)
def test_readiness_table(skills, overall, technical, soft):
    result = score(skills)
    assert (result.readiness, result.technical, result.soft) == (overall, technical, soft)


GAP_TABLE = [
    # importance, required, level -> gap, surplus, priority (importance x gap / 4), critical
    (4, 3, 2, 1.0, 0.0, 1.0, True),  # importance 4 and one whole level short: critical
    (5, 3, 2.5, 0.5, 0.0, 0.6, False),  # half a level is not critical; 5 x 0.5 / 4 = 0.625
    (3.9, 4, 0, 4.0, 0.0, 3.9, False),  # importance under 4 is never critical
    (4, 2, 3, 0.0, 1.0, 0.0, False),  # surplus
    (1, 0, 0, 0.0, 0.0, 0.0, False),
]


@pytest.mark.parametrize("importance, required, level, gap, surplus, priority, critical", GAP_TABLE)
def test_gap_table(importance, required, level, gap, surplus, priority, critical):
    result = scoring.assess_skill(skill(importance=importance, required=required, level=level))
    assert (result.gap, result.surplus, scoring.tidy(result.priority), result.critical) == (
        gap, surplus, priority, critical
    )


def test_gaps_are_ordered_by_priority_and_split_from_strengths():
    result = score([
        skill("Small", importance=2, required=3, level=2),  # priority 2
        skill("Big", importance=5, required=4, level=1),  # priority 15
        skill("Met", importance=3, required=2, level=2),
        skill("Above", importance=3, required=1, level=3),
    ])
    assert [g.name for g in result.gaps] == ["Big", "Small"]
    assert [s.name for s in result.met] == ["Met"]
    assert [s.name for s in result.exceeded] == ["Above"]
    assert result.critical_count == 1
    # (2x1 + 5x3) / 4 ; (2x3 + 5x4 + 3x2 + 3x1) / 4: every term divided by the scale's top
    assert (result.missing, result.demanded) == (scoring.tidy(17 / 4), scoring.tidy(35 / 4))


def plan_case():
    result = score([
        skill("Forklift", importance=5, required=3, level=1),  # priority 10
        skill("Teamwork", kind="soft", importance=3, required=3, level=2),  # priority 3
        skill("Safety", importance=4, required=2, level=2),  # no gap
    ])
    steps = [
        StepInput("Team course", "course", 0, 200, 0.5, 1, ("Teamwork",)),
        StepInput("Forklift licence", "certification", 150, 400, 0.25, 0.5, ("Forklift", "Safety")),
        StepInput("Safety day", "training", 0, 0, 0.1, 0.1, ("Safety",)),  # closes no gap: left out
        StepInput("Apprenticeship", "apprenticeship", None, None, 12, 24, ("Forklift", "Teamwork")),
    ]
    return result, steps


def test_the_plan_is_the_cheapest_set_that_covers_the_gaps_not_a_sum_of_alternatives():
    result, steps = plan_case()
    plan = scoring.plan(steps, result)
    # The licence and the course cover both gaps for $150-$600; the apprenticeship repeats them.
    assert [p.step.title for p in plan.steps] == ["Forklift licence", "Team course"]
    assert [p.priority for p in plan.steps] == [2.5, 0.8]  # 5x2/4 and 3x1/4 = 0.75
    assert [p.step.title for p in plan.alternatives] == ["Apprenticeship"]
    assert (plan.cost_min, plan.cost_max, plan.unknown_cost) == (150, 600, 0)
    assert (plan.months_min, plan.months_max) == (0.8, 1.5)
    assert plan.fastest == () and plan.unaddressed == () and plan.held == ()
    # Each step's worth: readiness if it closed its gaps. 1 - 3/(15+9+8) = 90.6; 1 - 10/32 = 68.8.
    assert [p.reaches for p in plan.steps] == [90.6, 68.8]
    assert result.readiness == 59.4


def test_the_fastest_path_is_given_when_it_differs():
    result, steps = plan_case()
    steps[3] = StepInput("Apprenticeship", "apprenticeship", 2000, 3000, 0.1, 0.2, ("Forklift", "Teamwork"))
    plan = scoring.plan(steps, result)
    assert [p.step.title for p in plan.steps] == ["Forklift licence", "Team course"]
    assert [p.step.title for p in plan.fastest] == ["Apprenticeship"]


def test_the_plan_leaves_out_what_the_person_holds_and_puts_the_missing_credential_first():
    result, steps = plan_case()
    steps += [
        StepInput("High school diploma or GED", "education", 0, 200, 1, 6, ("Teamwork",), credential=1),
        StepInput("Associate degree", "education", 3000, 9000, 12, 24, (), credential=4),
    ]
    held = scoring.plan(steps, result, education_required=1, highest_education=1, certifications="forklift\n")
    assert set(held.held) == {"Forklift licence", "High school diploma or GED"}
    assert [p.step.title for p in held.steps] == ["Apprenticeship"]  # the only step left for Forklift
    missing = scoring.plan(steps, result, education_required=1, highest_education=0)
    assert missing.steps[0].step.title == "High school diploma or GED" and missing.steps[0].meets_education
    assert "Associate degree" not in [p.step.title for p in missing.steps]  # the diploma is cheaper
    assert [p.step.title for p in missing.steps] == ["High school diploma or GED", "Forklift licence"]


@pytest.mark.parametrize("listed, step, holds", [
    ("OSHA 10-hour", "OSHA 10-Hour General Industry card", True),
    ("osha 10", "OSHA 10-Hour General Industry card", True),
    ("OSHA 10-hour", "OSHA 30-Hour General Industry card", False),
    ("OSHA", "OSHA 30-Hour General Industry card", False),
    ("Forklift", "Forklift operator certification", True),
    ("Six Sigma Green Belt", "Lean Six Sigma certification (Yellow or Green Belt)", True),
    ("Welding", "Forklift operator certification", False),
    ("\u202e\x00 ✓ 溶接" + "x" * 5000, "Welding certification", False),
    ("", "Welding certification", False),
])
def test_a_listed_certification_matches_leniently(listed, step, holds):
    assert scoring.holds_certificate(step, listed) is holds


def covers(chosen, options):
    return frozenset().union(*(options[i][0] for i in chosen)) if chosen else frozenset()


def test_the_cover_is_the_cheapest_of_every_covering_set_by_brute_force():
    import itertools
    import random

    rng = random.Random(12)
    for _ in range(400):
        gaps = [f"g{i}" for i in range(rng.randint(1, 6))]
        options = []
        for index in range(rng.randint(1, 7)):
            addressed = frozenset(rng.sample(gaps, rng.randint(0, len(gaps))))
            known = rng.random() < 0.8
            low = rng.randint(0, 50) * 10
            step = StepInput(f"s{index}", "course", low if known else None, low + rng.randint(0, 50) * 10 if known else None,
                             rng.randint(0, 6), rng.randint(6, 24), tuple(addressed))
            options.append((addressed, step))
        universe = covers(range(len(options)), options)
        for key in (scoring.by_cost, scoring.by_time):
            chosen = scoring.cheapest_cover(options, lambda items: key(list(items)))
            assert frozenset().union(*(frozenset(s.skills) for s in chosen)) == universe
            best = min(
                key([options[i][1] for i in subset])
                for size in range(len(options) + 1)
                for subset in itertools.combinations(range(len(options)), size)
                if covers(subset, options) == universe
            )
            assert key(list(chosen)) == best


@pytest.mark.parametrize("required, held, met", [(1, 1, True), (1, 0, False), (1, 5, True), (None, 3, None), (2, None, None)])
def test_education_met(required, held, met):
    assert scoring.education_met(required, held) is met


def test_progress_compares_skill_by_skill():
    before = score([skill("A", level=1), skill("B", level=3)])
    after = score([skill("A", level=3), skill("B", level=2), skill("C", level=1)])
    progress = scoring.progress(before, after)
    assert [(c.name, c.before, c.after, c.change) for c in progress.skills] == [
        ("A", 1.0, 3.0, 2.0), ("B", 3.0, 2.0, -1.0), ("C", None, 1.0, None)
    ]
    assert progress.readiness == scoring.tidy(after.readiness - before.readiness)


def test_overlap_counts_only_rated_skills_and_the_missing_ones():
    requirements = [("A", 4, 3, 4), ("B", 2, 2, 4), ("Z", 5, 4, 4)]
    overlap = scoring.overlap(requirements, {"A": 3, "B": 1, "Q": 4})
    assert overlap.compared == ("A", "B")
    assert overlap.missing == ("Z",) and overlap.total == 3
    # 1 - (2x1) / (4x3 + 2x2) = 87.5
    assert overlap.readiness == 87.5
    assert overlap.weight_share == pytest.approx(16 / 36)
    assert scoring.overlap(requirements, {"Q": 4}) is None


# Property tests over any profile of skills.
kinds = st.sampled_from(["technical", "soft", "knowledge"])
levels = st.integers(min_value=0, max_value=4)
requirement_values = st.one_of(st.integers(0, 4), st.decimals("0", "4", places=2).map(float))
importance_values = st.one_of(st.integers(1, 5), st.decimals("1", "5", places=2).map(float))
skills_strategy = st.lists(
    st.builds(SkillInput, name=st.uuids().map(str), kind=kinds, importance=importance_values,
              required=requirement_values, level=levels),
    max_size=30,
)


def with_levels(skills, level):
    return [SkillInput(s.name, s.kind, s.importance, s.required, level) for s in skills]


@given(skills_strategy)
def test_readiness_stays_between_0_and_100(skills):
    result = score(skills)
    for figure in (result.readiness, result.technical, result.soft):
        assert 0 <= figure <= 100


@given(skills_strategy)
def test_every_rating_at_4_gives_100(skills):
    result = score(with_levels(skills, 4))
    assert (result.readiness, result.technical, result.soft) == (100.0, 100.0, 100.0)
    assert result.gaps == ()


@given(skills_strategy.filter(lambda skills: any(s.required > 0 for s in skills)))
def test_every_rating_at_0_gives_0_when_something_is_required(skills):
    assert score(with_levels(skills, 0)).readiness == 0.0


@given(skills_strategy.filter(bool), st.data())
def test_raising_one_rating_never_lowers_readiness(skills, data):
    index = data.draw(st.integers(0, len(skills) - 1))
    raised_level = data.draw(st.integers(int(skills[index].level), 4))
    raised = list(skills)
    raised[index] = SkillInput(skills[index].name, skills[index].kind, skills[index].importance,
                               skills[index].required, raised_level)
    before, after = score(skills), score(raised)
    assert after.readiness >= before.readiness
    assert after.technical >= before.technical
    assert after.soft >= before.soft


@given(skills_strategy.filter(bool), st.data())
def test_a_surplus_never_offsets_a_gap(skills, data):
    """Raising a skill that is already at or above its requirement changes nothing."""
    result = score(skills)
    candidates = [i for i, s in enumerate(result.skills) if s.gap == 0]
    if not candidates:
        return
    index = data.draw(st.sampled_from(candidates))
    raised = list(skills)
    raised[index] = SkillInput(skills[index].name, skills[index].kind, skills[index].importance,
                               skills[index].required, 4)
    assert score(raised).readiness == result.readiness


# -- each requirement on its own scale -----------------------------------------------------


def onet(name="O", importance=4, required=3.62, level=4, kind="technical"):
    return SkillInput(name=name, kind=kind, importance=importance, required=required, level=level, scale_max=7)


def test_an_onet_level_is_read_at_the_nearest_whole_level_so_choosing_it_meets_it():
    result = score([onet(required=3.62, level=4), onet("P", required=2.5, level=3), onet("Q", required=4.49, level=4)])
    assert [r.required for r in result.skills] == [4.0, 3.0, 4.0]
    assert result.gaps == () and result.readiness == 100.0


def test_guide_half_levels_are_read_as_they_are():
    result = scoring.assess_skill(skill(required=2.5, level=2))
    assert (result.required, result.gap) == (2.5, 0.5)


def test_readiness_divides_each_term_by_its_scale_top():
    # 0-7: importance 4, needs 4, has 2 -> 4x2/7 missing of 4x4/7; 0-4: importance 2, needs 2, has 1 -> 2x1/4 of 2x2/4.
    result = score([onet(importance=4, required=4, level=2), skill("G", importance=2, required=2, level=1)])
    missing, demanded = 8 / 7 + 2 / 4, 16 / 7 + 4 / 4
    assert result.readiness == scoring.tidy(100 * (1 - missing / demanded))  # 50.0
    assert result.readiness == 50.0
    # On one scale it is the plain sum(importance x gap) / sum(importance x required).
    only_onet = score([onet(importance=4, required=4, level=2), onet("P", importance=2, required=2, level=1)])
    assert only_onet.readiness == scoring.tidy(100 * (1 - (4 * 2 + 2 * 1) / (4 * 4 + 2 * 2)))


def test_a_critical_gap_is_a_quarter_of_the_scale():
    # 0-7: one level short is not critical, two are; 0-4: one level is.
    assert not scoring.assess_skill(onet(importance=4, required=4, level=3)).critical
    assert scoring.assess_skill(onet(importance=4, required=4, level=2)).critical
    assert scoring.assess_skill(skill(importance=4, required=3, level=2)).critical


def test_overlap_only_meets_a_requirement_on_the_same_key_and_scale():
    # Keys name a skill on a scale: a 0-4 rating of skill 1 is not an answer to its 0-7 requirement.
    requirements = [((1, 7), 4, 4, 7), ((2, 7), 2, 2, 7)]
    assert scoring.overlap(requirements, {(1, 4): 4}) is None
    found = scoring.overlap(requirements, {(1, 7): 2, (2, 7): 2})
    assert found.readiness == scoring.tidy(100 * (1 - (4 * 2 / 7) / (4 * 4 / 7 + 2 * 2 / 7)))


def test_progress_never_compares_levels_on_two_scales():
    before = score([skill("A", required=3, level=2), skill("B", required=2, level=1)])
    after = score([onet("A", required=4, level=4), skill("B", required=2, level=2)])
    changes = {change.name: change for change in scoring.progress(before, after).skills}
    assert changes["A"].before is None and changes["A"].change is None  # 2 of 4 then, 4 of 7 now
    assert (changes["B"].before, changes["B"].change) == (1.0, 1.0)
