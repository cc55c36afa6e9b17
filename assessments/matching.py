"""Match one submitted assessment against every career in the catalog.

A person rated the skills of one career. Every other career that asks for enough of those
skills gets a readiness figure from the same formula as the report (scoring.readiness), over
the skills both share; the skills the person was never asked about are listed as missing,
never guessed.

- weight of a requirement = importance x required level (what it adds to the readiness
  denominator, sum(importance x required)).
- A career is compared when the rated skills carry at least MIN_WEIGHT_SHARE (60%) of its
  total weight and at least MIN_COMPARED (3) of its skills were rated (or all of them, for a
  career with fewer). Below that the figure would rest on a small corner of the job: one
  highly rated skill would put any career at the top.
- Ranking: readiness, highest first; then more skills compared (more evidence); then title.

Speed: the requirement table (~32,000 rows after the O*NET import) is read once per process
and kept while the catalog's version token (careers.models.CatalogVersion, a one-row read)
stays the same; each match is then a loop over plain tuples. Matching costs four queries
whatever the size of the catalog (three when the table is kept).
"""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import FloatField
from django.db.models.functions import Cast

from careers.models import CatalogVersion, Career, Skill, SkillRequirement

from . import questionnaire, scoring
from .models import Assessment, SkillRating

MIN_WEIGHT_SHARE = 0.6
MIN_COMPARED = 3


@dataclass(frozen=True)
class Match:
    """Readiness for one career, over the skills it shares with the person's ratings."""

    career_id: int
    title: str
    slug: str
    job_zone: int | None
    source: str
    readiness: float
    weight_share: float  # share of the career's requirement weight that was compared, 0-1
    compared_ids: tuple = field(repr=False)
    missing_ids: tuple = field(repr=False)
    # {skill id: name}, shared by every match; names are looked up only for the rows shown.
    names: dict = field(repr=False, compare=False, default_factory=dict)

    @property
    def compared(self):
        """Names of the skills both have, A-Z."""
        return tuple(sorted(self.names[skill_id] for skill_id in self.compared_ids))

    @property
    def missing_names(self):
        """Names of the career's skills that were not rated, A-Z."""
        return tuple(sorted(self.names[skill_id] for skill_id in self.missing_ids))

    @property
    def compared_count(self):
        return len(self.compared_ids)

    @property
    def missing(self):
        return len(self.missing_ids)

    @property
    def total(self):
        return len(self.compared_ids) + len(self.missing_ids)

    @property
    def weight_percent(self):
        return round(100 * self.weight_share)


@dataclass(frozen=True)
class Overlap:
    """What one career's requirements and a person's levels have in common (plain numbers)."""

    readiness: float
    compared: tuple  # skill ids both have, in the career's order
    missing: tuple  # skill ids of the career not rated
    weight_share: float

    @property
    def enough(self):
        """Whether enough of the career was rated for its figure to be shown."""
        return self.weight_share >= MIN_WEIGHT_SHARE and len(self.compared) >= min(
            MIN_COMPARED, len(self.compared) + len(self.missing)
        )


@dataclass(frozen=True)
class _Sums:
    # scoring.readiness reads importance x gap and importance x required from each result; one
    # stand-in carrying the two sums gives exactly the clamping and rounding every page uses.
    gap: float
    required: float
    importance: float = 1.0


def overlap(requirements, levels):
    """Compare one career's (skill id, importance, required) with {skill id: level}; pure.

    Returns an Overlap, or None when no skill is shared; Overlap.enough says whether it
    counts. Sums run in the career's order with scoring's arithmetic (a skill without a gap
    adds exactly 0), so the figure equals scoring.score over the compared skills to the bit.
    """
    missing = demanded = total = 0
    compared, unrated = [], []
    for skill_id, importance, required in requirements:
        weight = importance * required
        total += weight
        level = levels.get(skill_id)
        if level is None:
            unrated.append(skill_id)
            continue
        compared.append(skill_id)
        demanded += weight
        if required > level:
            missing += importance * (required - level)
    if not compared:
        return None
    return Overlap(
        readiness=scoring.readiness([_Sums(gap=missing, required=demanded)]),
        compared=tuple(compared),
        missing=tuple(unrated),
        weight_share=demanded / total if total else 1.0,
    )


def rank(matches):
    return sorted(matches, key=lambda m: (-m.readiness, -m.compared_count, m.title, m.career_id))


# The requirement table, kept per process: {"key": catalog version, "table": {career id: rows}}.
_cache = {}


def requirement_table():
    """{career id: ((skill id, importance, required level), ...)} with floats, most important first."""
    key = CatalogVersion.current()
    if _cache.get("key") != key:
        rows = (
            SkillRequirement.objects.order_by("career_id", "-importance", "skill_id")
            # Floats straight from the database: Decimal conversion would take most of the time.
            .annotate(weight=Cast("importance", FloatField()), need=Cast("level", FloatField()))
            .values_list("career_id", "skill_id", "weight", "need")
        )
        table = {}
        for career_id, skill_id, importance, required in rows:
            table.setdefault(career_id, []).append((skill_id, importance, required))
        _cache.update(key=key, table={career_id: tuple(reqs) for career_id, reqs in table.items()})
    return _cache["table"]


def forget():
    """Drop the cached table (tests, or after editing the catalog outside this process)."""
    _cache.clear()


@dataclass(frozen=True)
class Result:
    matches: tuple  # Match, ranked, after the filters
    compared: int  # careers compared before the filters
    too_few: int  # careers sharing at least one rated skill but too little of their weight


def find_matches(levels, *, exclude=(), job_zone=None, min_readiness=None):
    """Every career the ratings ({skill id: level}) cover enough of, ranked, in 3-4 queries."""
    levels = {skill_id: float(level) for skill_id, level in levels.items()}
    if not levels:
        return Result(matches=(), compared=0, too_few=0)
    table = requirement_table()
    names = dict(Skill.objects.values_list("id", "name"))
    careers = {row[0]: row for row in Career.objects.order_by().values_list("id", "title", "slug", "job_zone", "source")}
    matches, too_few = [], 0
    for career_id, requirements in table.items():
        if career_id in exclude or career_id not in careers:
            continue
        found = overlap(requirements, levels)
        if found is None:
            continue
        if not found.enough:
            too_few += 1
            continue
        _, title, slug, zone, source = careers[career_id]
        matches.append(Match(
            career_id=career_id, title=title, slug=slug, job_zone=zone, source=source,
            readiness=found.readiness, weight_share=found.weight_share,
            compared_ids=found.compared, missing_ids=found.missing, names=names,
        ))
    shown = [
        m for m in matches
        if (job_zone is None or m.job_zone == job_zone) and (min_readiness is None or m.readiness >= min_readiness)
    ]
    return Result(matches=tuple(rank(shown)), compared=len(matches), too_few=too_few)


def assessment_levels(assessment):
    """{skill id: level} of a submitted assessment's ratings (skills since deleted are left out)."""
    return dict(
        SkillRating.objects.filter(assessment=assessment, skill__isnull=False).values_list("skill_id", "level")
    )


def unanswered_steps(draft):
    """The rating steps of a draft's career that still have a skill without a rating, in order."""
    rated = set(draft.ratings.values_list("skill_id", flat=True))
    kinds = {kind for kind, skill_id in draft.career.requirements.values_list("skill__kind", "skill_id")
             if skill_id not in rated}
    return [step for step, step_kinds in questionnaire.STEP_KINDS.items() if kinds & set(step_kinds)]


@transaction.atomic
def start_from_match(*, assessment, career, user, session):
    """A draft for a matched career with every answer the assessment already gave copied in.

    The draft is the questionnaire's own (start_draft resumes one already open for that
    career, and answers already in it are kept); only the background the draft lacks and
    the ratings of skills both careers share are copied. Returns (draft, steps still to answer).
    """
    draft = questionnaire.start_draft(career=career, user=user, session=session)
    if not Assessment.objects.select_for_update().drafts().filter(pk=draft.pk).exists():
        # Submitted in another tab since it was found: answers go to a new draft instead.
        draft = questionnaire.start_draft(career=career, user=user, session=session)
    if draft.highest_education is None:
        draft.highest_education = assessment.highest_education
        draft.years_experience = assessment.years_experience
        draft.certifications = assessment.certifications
    asked = SkillRequirement.objects.filter(career=career).values("skill_id")
    SkillRating.objects.bulk_create(
        [
            SkillRating(assessment=draft, skill_id=skill_id, level=level)
            for skill_id, level in assessment.ratings.filter(skill_id__in=asked).values_list("skill_id", "level")
        ],
        ignore_conflicts=True,
    )
    steps = unanswered_steps(draft)
    draft.current_step = steps[0] if steps else "review"
    draft.save(update_fields=["highest_education", "years_experience", "certifications", "current_step",
                              "updated_at"])
    return draft, steps


# O*NET's names for its five job zones: how much preparation a job needs.
JOB_ZONES = [
    (1, "1 · Little or no preparation needed"),
    (2, "2 · Some preparation needed"),
    (3, "3 · Medium preparation needed"),
    (4, "4 · Considerable preparation needed"),
    (5, "5 · Extensive preparation needed"),
]


class MatchFilterForm(forms.Form):
    """The matches page's filters; a filter left empty or not valid filters nothing."""

    job_zone = forms.TypedChoiceField(
        label="Job zone",
        choices=[("", "Any job zone")] + JOB_ZONES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Careers from the built-in guide have no job zone and are left out when you choose one.",
        error_messages={"invalid_choice": "Choose a job zone from 1 to 5, or any."},
    )
    min_readiness = forms.IntegerField(
        label="Minimum readiness (%)",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "5"}),
        error_messages={
            "invalid": "Enter a whole number from 0 to 100.",
            "min_value": "Enter a whole number from 0 to 100.",
            "max_value": "Enter a whole number from 0 to 100.",
        },
    )

    def filters(self):
        """The filters that were given and valid, as find_matches keywords."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
