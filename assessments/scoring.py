"""The gap arithmetic: pure functions over plain values, no ORM and no request.

Every place that shows a readiness figure (report page, JSON, PDF, admin, dashboard,
matching) calls these functions, so the numbers agree everywhere.

- gap = max(0, required - self); surplus = max(0, self - required). A surplus is reported
  on its own and never offsets another skill's gap.
- readiness = 100 x (1 - sum(importance x gap) / sum(importance x required)), overall and
  per kind; 100 when nothing is required. Knowledge requirements count as technical.
- priority of a gap = importance x gap; a gap is critical when importance >= 4 and the gap
  is at least one whole level.
- another career's readiness (overlap) is the same formula over the requirements it shares
  with the ratings; it counts only when they carry MIN_WEIGHT_SHARE of its weight.
"""

from dataclasses import dataclass, field

# scoring.tidy, the one rounding rule, lives beside the num filter so careers pages can share it.
from careers.figures import tidy


CRITICAL_IMPORTANCE = 4
CRITICAL_GAP = 1
# Another career is compared only when the rated skills carry at least this share of its
# requirement weight (importance x required level), and at least MIN_COMPARED of its skills
# were rated (all of them, for a career with fewer): below that one highly rated skill would
# put any career at the top.
MIN_WEIGHT_SHARE = 0.6
MIN_COMPARED = 3


@dataclass(frozen=True)
class SkillInput:
    name: str
    kind: str  # "technical", "soft" or "knowledge"
    importance: float  # 1-5
    required: float  # 0-4
    level: float  # the person's own rating, 0-4


@dataclass(frozen=True)
class SkillResult:
    name: str
    kind: str
    importance: float
    required: float
    level: float
    gap: float
    surplus: float
    priority: float
    critical: bool


@dataclass(frozen=True)
class Score:
    readiness: float
    technical: float
    soft: float
    skills: tuple  # SkillResult, in the order given
    gaps: tuple = field(default=())  # SkillResult with a gap, biggest priority first
    met: tuple = field(default=())  # SkillResult meeting the requirement exactly
    exceeded: tuple = field(default=())  # SkillResult above the requirement
    # The two sums behind the overall figure, so a page can show its working.
    missing: float = 0.0  # sum of importance x gap
    demanded: float = 0.0  # sum of importance x required

    @property
    def critical_count(self):
        return sum(1 for skill in self.gaps if skill.critical)


@dataclass(frozen=True)
class StepInput:
    title: str
    kind: str
    cost_min: int | None  # None: cost not known
    cost_max: int | None
    months_min: float
    months_max: float
    skills: tuple  # names of the skills the step builds
    description: str = ""


@dataclass(frozen=True)
class PlannedStep:
    step: StepInput
    closes: tuple  # SkillResult gaps this step addresses, biggest first
    priority: float  # sum of the priorities of those gaps


@dataclass(frozen=True)
class Plan:
    steps: tuple  # PlannedStep, the most valuable first
    cost_min: int  # totals over the steps whose cost is known
    cost_max: int
    months_min: float
    months_max: float
    unknown_cost: int = 0  # how many steps have no known cost


def assess_skill(skill):
    importance, required, level = float(skill.importance), float(skill.required), float(skill.level)
    gap = max(0.0, required - level)
    return SkillResult(
        name=skill.name,
        kind=skill.kind,
        importance=importance,
        required=required,
        level=level,
        gap=gap,
        surplus=max(0.0, level - required),
        priority=importance * gap,
        critical=importance >= CRITICAL_IMPORTANCE and gap >= CRITICAL_GAP,
    )


def weights(results):
    """(sum of importance x gap, sum of importance x required) over SkillResults."""
    return sum(r.importance * r.gap for r in results), sum(r.importance * r.required for r in results)


def readiness_from(missing, demanded):
    """Readiness 0-100 from sum(importance x gap) and sum(importance x required); 100 when nothing is required."""
    if demanded <= 0:
        return 100.0
    # A gap can never exceed its requirement, so the clamp only guards against float noise.
    return tidy(min(100.0, max(0.0, 100 * (1 - missing / demanded))))


def readiness(results):
    """Readiness 0-100 for SkillResults."""
    return readiness_from(*weights(results))


def score(skills):
    """Score a list of SkillInput: overall, technical and soft readiness, gaps first."""
    results = tuple(assess_skill(skill) for skill in skills)
    technical = [r for r in results if r.kind != "soft"]
    soft = [r for r in results if r.kind == "soft"]
    missing, demanded = weights(results)
    return Score(
        readiness=readiness(results),
        technical=readiness(technical),
        soft=readiness(soft),
        skills=results,
        gaps=tuple(sorted((r for r in results if r.gap > 0), key=lambda r: (-r.priority, -r.importance, r.name))),
        met=tuple(r for r in results if r.gap == 0 and r.surplus == 0),
        exceeded=tuple(sorted((r for r in results if r.surplus > 0), key=lambda r: (-r.surplus, r.name))),
        missing=tidy(missing),
        demanded=tidy(demanded),
    )


def plan(steps, result):
    """The learning steps that build at least one gap skill, ordered by the priority they close.

    The totals assume every recommended step is taken, one after another.
    """
    gaps = {gap.name: gap for gap in result.gaps}
    planned = []
    for step in steps:
        closes = tuple(sorted((gaps[name] for name in step.skills if name in gaps), key=lambda g: -g.priority))
        if closes:
            planned.append(PlannedStep(step=step, closes=closes, priority=tidy(sum(g.priority for g in closes))))
    planned.sort(key=lambda p: (-p.priority, p.step.cost_max is None, p.step.cost_max or 0, p.step.title))
    priced = [p.step for p in planned if p.step.cost_min is not None]
    return Plan(
        steps=tuple(planned),
        cost_min=sum(step.cost_min for step in priced),
        cost_max=sum(step.cost_max for step in priced),
        unknown_cost=len(planned) - len(priced),
        months_min=tidy(sum(float(p.step.months_min) for p in planned)),
        months_max=tidy(sum(float(p.step.months_max) for p in planned)),
    )


def education_met(required, held):
    """Whether the held education meets the career's typical one; None when either is unknown."""
    if required is None or held is None:
        return None
    return held >= required


@dataclass(frozen=True)
class SkillChange:
    name: str
    before: float | None  # the earlier self level; None when the skill was not rated then
    after: float
    change: float | None  # after - before
    gap_before: float | None
    gap_after: float


@dataclass(frozen=True)
class Progress:
    readiness: float  # change in overall readiness, in points
    technical: float
    soft: float
    skills: tuple  # SkillChange, in the order of the later score


def progress(before, after):
    """How a later Score moved against an earlier one, skill by skill (matched by name)."""
    earlier = {skill.name: skill for skill in before.skills}
    changes = []
    for skill in after.skills:
        old = earlier.get(skill.name)
        changes.append(
            SkillChange(
                name=skill.name,
                before=old.level if old else None,
                after=skill.level,
                change=tidy(skill.level - old.level) if old else None,
                gap_before=old.gap if old else None,
                gap_after=skill.gap,
            )
        )
    return Progress(
        readiness=tidy(after.readiness - before.readiness),
        technical=tidy(after.technical - before.technical),
        soft=tidy(after.soft - before.soft),
        skills=tuple(changes),
    )


@dataclass(frozen=True)
class Overlap:
    """Readiness for another career, over the requirements it shares with a person's ratings."""

    readiness: float
    compared: tuple  # keys of the requirements that were rated, in the order given
    missing: tuple  # keys of the requirements that were not rated
    weight_share: float  # share of the career's requirement weight that was compared, 0-1

    @property
    def total(self):
        return len(self.compared) + len(self.missing)

    @property
    def enough(self):
        """Whether enough of the career was rated for its figure to stand for the career."""
        return self.weight_share >= MIN_WEIGHT_SHARE and len(self.compared) >= min(MIN_COMPARED, self.total)


def overlap(requirements, levels):
    """Readiness over the shared part of (key, importance, required) requirements, with {key: level}.

    The one formula for every career other than the one a person was asked about (matching
    and the next level on a career path): readiness over the rated requirements only; the
    others are counted as missing, never guessed. None when nothing is shared. The sums run in
    the order given, as score() does, so the figure equals score() over the compared skills.
    """
    missing = demanded = total = 0.0
    compared, unrated = [], []
    for key, importance, required in requirements:
        weight = importance * required
        total += weight
        level = levels.get(key)
        if level is None:
            unrated.append(key)
            continue
        compared.append(key)
        demanded += weight
        if required > level:
            missing += importance * (required - level)
    if not compared:
        return None
    return Overlap(
        readiness=readiness_from(missing, demanded),
        compared=tuple(compared),
        missing=tuple(unrated),
        weight_share=demanded / total if total else 1.0,
    )
