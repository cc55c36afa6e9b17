"""The gap arithmetic: pure functions over plain values, no ORM and no request.

Every place that shows a readiness figure (report page, JSON, PDF, admin, dashboard,
matching) calls these functions, so the numbers agree everywhere.

- Each requirement is measured on its own scale, 0 to scale_max: the guide's 0-4, or O*NET's
  0-7 level scale; the person rates it on that same scale. The required level is read as the
  person reads it (careers.levels.as_asked): O*NET's at the nearest whole level, the guide's
  whole and half levels as they are.
- gap = max(0, required - self); surplus = max(0, self - required). A surplus is reported
  on its own and never offsets another skill's gap.
- readiness = 100 x (1 - sum(importance x gap / scale_max) / sum(importance x required / scale_max)),
  overall and per kind; 100 when nothing is required. Dividing by the scale's top makes a level
  on 0-7 and a level on 0-4 count as the same share of their scale; when every skill is on 0-4 it
  is the plain sum(importance x gap) / sum(importance x required). Knowledge counts as technical.
- priority of a gap = importance x gap / scale_max, its term in the formula; a gap is critical when
  importance >= 4 and the gap is at least CRITICAL_GAP[scale_max] whole levels (a quarter of the
  scale, rounded: 1 of 0-4, 2 of 0-7), importance as rounded for the page.
- the plan is the cheapest set of the career's learning steps that together address every gap
  they can (cheapest_cover); the verdict is one of three statements by READY_AT and CLOSE_AT.
- another career's readiness (overlap) is the same formula over the requirements it shares
  with the ratings, on the same element and the same scale; it counts only when they carry
  MIN_WEIGHT_SHARE of its weight.
"""

import re
from dataclasses import dataclass, field

# scoring.tidy, the one rounding rule, lives beside the num filter so careers pages can share it.
from careers.figures import tidy
from careers.levels import MAX_LEVEL, as_asked


CRITICAL_IMPORTANCE = 4
# The smallest critical gap in whole levels, per scale: a quarter of the scale, rounded.
CRITICAL_GAP = {4: 1, 7: 2}
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
    required: float  # 0 to scale_max, as the catalog holds it (O*NET's figure, e.g. 3.62)
    level: float  # the person's own rating, on the same scale
    scale_max: int = MAX_LEVEL  # 4 (the guide's scale) or 7 (O*NET's)
    origin: str = "self"  # "job": the level of the person's job's requirement, left as it was
    category: str = ""  # O*NET's category ("Basic Skills", ...), shown as the kind; "" for guide skills


@dataclass(frozen=True)
class SkillResult:
    name: str
    kind: str
    importance: float
    required: float  # as asked (careers.levels.as_asked): O*NET's at the nearest whole level
    level: float
    gap: float
    surplus: float
    priority: float  # importance x gap / scale_max
    critical: bool
    scale_max: int = MAX_LEVEL
    origin: str = "self"
    category: str = ""


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
    missing: float = 0.0  # sum of importance x gap / scale_max
    demanded: float = 0.0  # sum of importance x required / scale_max

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
    credential: int | None = None  # the education level (careers.models.Education) the step earns
    # Whose figures the cost and time are (careers.models.LearningStep.Figure): "guide", "onet" or
    # "estimate" (ours); "" in reports stored before steps said so.
    cost_source: str = ""
    time_source: str = ""


@dataclass(frozen=True)
class PlannedStep:
    step: StepInput
    closes: tuple  # SkillResult gaps this step addresses, biggest priority first
    priority: float  # sum of the priorities of those gaps
    reaches: float  # the readiness reached if this step closed the gaps it addresses
    meets_education: bool = False  # it earns the credential the career typically asks for


@dataclass(frozen=True)
class Plan:
    # The chosen path: together its steps address every gap any step addresses (and the
    # education, when it is not met) at the least known cost; the most valuable first.
    steps: tuple  # PlannedStep
    alternatives: tuple  # PlannedStep that only repeat what the path covers: not in the totals
    fastest: tuple  # PlannedStep of the quickest such path, when it is not the same set; else ()
    held: tuple  # titles of steps left out because the person holds them (or more)
    unaddressed: tuple  # names of the gaps no listed step addresses
    cost_min: int  # totals over the path's steps whose cost is known
    cost_max: int
    months_min: float  # the path's steps one after another
    months_max: float
    unknown_cost: int = 0  # how many of the path's steps have no known cost


@dataclass(frozen=True)
class Verdict:
    label: str  # "ready", "close" or "basics"
    title: str
    text: str


def critical_gap(scale_max):
    return CRITICAL_GAP.get(int(scale_max), max(1, round(scale_max / 4)))


def assess_skill(skill):
    importance, level, scale = float(skill.importance), float(skill.level), int(skill.scale_max)
    required = float(as_asked(skill.required, scale))
    gap = max(0.0, required - level)
    return SkillResult(
        name=skill.name,
        kind=skill.kind,
        importance=importance,
        required=required,
        level=level,
        gap=gap,
        surplus=max(0.0, level - required),
        priority=importance * gap / scale,
        # Importance compared after the rounding every page shows, so 3.96 shown as 4 counts as 4.
        critical=tidy(importance) >= CRITICAL_IMPORTANCE and gap >= critical_gap(scale),
        scale_max=scale,
        origin=skill.origin,
        category=skill.category,
    )


def weights(results):
    """(sum of importance x gap / scale_max, sum of importance x required / scale_max) over SkillResults."""
    return (sum(r.importance * r.gap / r.scale_max for r in results),
            sum(r.importance * r.required / r.scale_max for r in results))


def readiness_from(missing, demanded):
    """Readiness 0-100 from the two sums of weights(); 100 when nothing is required."""
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


# The verdict's thresholds: at READY_AT or more with no critical gap and the education met, a
# person is ready to apply; at CLOSE_AT or more, close; below, building the basics.
READY_AT = 85.0
CLOSE_AT = 60.0
FIRST_STEPS = 3  # how many of the plan's steps the verdict names as "do this first"


def verdict(result, education_is_met):
    """One of three plain statements about a Score, by the published thresholds above."""
    critical = result.critical_count
    if result.readiness >= READY_AT and critical == 0 and education_is_met is not False:
        return Verdict("ready", "Ready to apply",
                       "You meet most of what this career asks for. Apply now, and keep working on any gap below.")
    if result.readiness >= CLOSE_AT:
        if critical:
            text = f"Close the {critical} critical gap{'s' if critical != 1 else ''} below first, then apply."
        elif education_is_met is False:
            text = "Your skills are close; the career typically asks for more education than you have. Start there."
        else:
            text = f"Close the {len(result.gaps)} gap{'s' if len(result.gaps) != 1 else ''} below, then apply."
        return Verdict("close", "Close", text)
    return Verdict("basics", "Building the basics",
                   "Start with the first steps below: they build what this career relies on most.")


# Words that say what kind of thing a credential is rather than which one it is.
GENERIC_WORDS = frozenset(
    "a an and the of in for to card certificate certification certified course training hour hours "
    "general industry program programme class level or".split()
)


def title_words(text):
    return frozenset(word for word in re.findall(r"[^\W_]+", text.casefold()) if word not in GENERIC_WORDS)


def holds_certificate(step_title, certifications):
    """Whether one of the listed certifications (one per line) is this step, matched leniently on
    the distinctive words of both: every word of the step's title is in the listed one, or every
    word of the listed one is in the step's title and the title adds no number to it. So
    "OSHA 10-hour" and "Forklift" are the steps "OSHA 10-Hour General Industry card" and
    "Forklift operator certification", while "OSHA 10" is not "OSHA 30-Hour ..."."""
    step = title_words(step_title)
    if not step:
        return False
    for line in certifications.splitlines():
        held = title_words(line)
        if held and (step <= held or (held <= step and not any(word.isdigit() for word in step - held))):
            return True
    return False


def is_held(step, highest_education, certifications):
    """Whether the person already has what this step earns: its credential or less, or a certification they listed."""
    if step.credential is not None:
        return highest_education is not None and step.credential <= highest_education
    return step.kind == "certification" and holds_certificate(step.title, certifications)


def cheapest_cover(options, key):
    """The subset of options that addresses everything any of them addresses, whose key is least.

    options are (frozenset of what it addresses, item) pairs; key(items) is a tuple that adding
    an item never makes smaller (sums of costs and times). A career lists a dozen steps or so,
    so this searches exactly, dropping a branch once it can no longer beat the best found.
    """
    options = [(covers, item) for covers, item in options if covers]
    universe = frozenset().union(*(covers for covers, _ in options))
    best = {"key": None, "items": ()}

    def search(index, covered, chosen):
        if best["key"] is not None and key(chosen) >= best["key"]:
            return
        if covered == universe:
            best.update(key=key(chosen), items=tuple(chosen))
            return
        if index == len(options):
            return
        rest = frozenset().union(*(covers for covers, _ in options[index:]))
        if not universe <= covered | rest:
            return
        covers, item = options[index]
        if not covers <= covered:  # a step that adds nothing new is never part of the least set
            search(index + 1, covered | covers, chosen + [item])
        search(index + 1, covered, chosen)

    search(0, frozenset(), [])
    return best["items"]


def by_cost(steps):
    known = [s for s in steps if s.cost_min is not None]
    return (len(steps) - len(known), sum(s.cost_max for s in known), sum(s.cost_min for s in known),
            sum(float(s.months_max) for s in steps), sum(float(s.months_min) for s in steps), len(steps))


def by_time(steps):
    known = [s for s in steps if s.cost_min is not None]
    return (sum(float(s.months_max) for s in steps), sum(float(s.months_min) for s in steps),
            len(steps) - len(known), sum(s.cost_max for s in known), sum(s.cost_min for s in known), len(steps))


EDUCATION = "\x00education"  # what a credential step addresses when the education is not met


def plan(steps, result, *, education_required=None, highest_education=None, certifications=""):
    """The path through a career's learning steps that addresses every gap they can, at the least cost.

    Steps the person already holds (a credential at or below their education, a certification
    they listed) are left out. When the career's typical education is not met, a step earning
    it counts as needed too and comes first. Other steps that address the same gaps are listed
    as alternatives, outside the totals; the quickest path is given when it differs.
    """
    gaps = {gap.name: gap for gap in result.gaps}
    needs_education = education_met(education_required, highest_education) is False
    missing, demanded = weights(result.skills)
    held, candidates = [], []
    for step in steps:
        if is_held(step, highest_education, certifications):
            held.append(step.title)
            continue
        closes = tuple(sorted((gaps[name] for name in step.skills if name in gaps), key=lambda g: -g.priority))
        meets = needs_education and step.credential is not None and step.credential >= education_required
        if closes or meets:
            candidates.append(PlannedStep(
                step=step, closes=closes, priority=tidy(sum(g.priority for g in closes)),
                reaches=readiness_from(missing - sum(g.priority for g in closes), demanded), meets_education=meets,
            ))

    def addresses(planned):
        return frozenset(g.name for g in planned.closes) | ({EDUCATION} if planned.meets_education else frozenset())

    def ordered(chosen):
        return tuple(sorted(chosen, key=lambda p: (not p.meets_education, -p.reaches, -p.priority,
                                                   p.step.cost_max is None, p.step.cost_max or 0, p.step.title)))

    options = [(addresses(p), p) for p in sorted(candidates, key=lambda p: p.step.title)]
    path = ordered(cheapest_cover(options, lambda chosen: by_cost([p.step for p in chosen])))
    quickest = ordered(cheapest_cover(options, lambda chosen: by_time([p.step for p in chosen])))
    covered = frozenset().union(*(addresses(p) for p in candidates))
    priced = [p.step for p in path if p.step.cost_min is not None]
    return Plan(
        steps=path,
        alternatives=tuple(p for p in ordered(candidates) if p not in path),
        fastest=quickest if set(quickest) != set(path) else (),
        held=tuple(held),
        unaddressed=tuple(name for name in gaps if name not in covered),
        cost_min=sum(step.cost_min for step in priced),
        cost_max=sum(step.cost_max for step in priced),
        unknown_cost=len(path) - len(priced),
        months_min=tidy(sum(float(p.step.months_min) for p in path)),
        months_max=tidy(sum(float(p.step.months_max) for p in path)),
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
    """How a later Score moved against an earlier one, skill by skill (matched by name and scale:
    a level on 0-4 and one on 0-7 are not compared, and the skill reads as not rated before)."""
    earlier = {(skill.name, skill.scale_max): skill for skill in before.skills}
    changes = []
    for skill in after.skills:
        old = earlier.get((skill.name, skill.scale_max))
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
    """Readiness over the shared part of (key, importance, required, scale_max) requirements, with {key: level}.

    The one formula for every career other than the one a person was asked about (matching
    and the next level on a career path): readiness over the rated requirements only; the
    others are counted as missing, never guessed. required is as asked (a whole level,
    careers.levels.as_asked) and a key names one element on one scale, so a rating only ever
    meets a requirement measured the way it was rated. None when nothing is shared. The sums
    run in the order given, as score() does, so the figure equals score() over the compared skills.
    """
    missing = demanded = total = 0.0
    compared, unrated = [], []
    for key, importance, required, scale_max in requirements:
        weight = importance * required / scale_max
        total += weight
        level = levels.get(key)
        if level is None:
            unrated.append(key)
            continue
        compared.append(key)
        demanded += weight
        if required > level:
            missing += importance * (required - level) / scale_max
    if not compared:
        return None
    return Overlap(
        readiness=readiness_from(missing, demanded),
        compared=tuple(compared),
        missing=tuple(unrated),
        weight_share=demanded / total if total else 1.0,
    )
