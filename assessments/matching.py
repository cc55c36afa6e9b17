"""Match one submitted assessment against every career in the catalog.

A person rated the skills of one career. Every other career that asks for enough of those
skills gets a readiness figure from scoring.overlap, the report's formula over the skills both
share; the skills the person was never asked about are listed as missing, never guessed.

- A rating meets a requirement only on the same skill and the same scale: the table and the
  ratings are keyed by (skill id, scale_max), so a guide skill on 0-4 never stands in for an
  O*NET element on 0-7, and a rating made on an older scale meets nothing.
- weight of a requirement = importance x required level / scale_max (what it adds to the
  readiness denominator), the required level as asked (careers.levels.as_asked).
- A career is compared when the rated skills carry at least scoring.MIN_WEIGHT_SHARE (60%)
  of its total weight and at least scoring.MIN_COMPARED (3) of its skills were rated (or all
  of them, for a career with fewer).
- Ranking: readiness, highest first; then more skills compared (more evidence); then title.

Speed: the requirement table (~32,000 rows after the O*NET import) is read once per process
and kept while the catalog's version token (careers.models.CatalogVersion, a one-row read)
stays the same; each match is then a loop over plain tuples. Matching costs four queries
whatever the size of the catalog (three when the table is kept).
"""

from dataclasses import dataclass, field

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast

from careers.levels import MAX_LEVEL, as_asked
from careers.models import CatalogVersion, Career, Skill, SkillRequirement

from . import scoring
from .models import SkillRating


@dataclass(frozen=True)
class Match:
    """Readiness for one career, over the skills it shares with the person's ratings."""

    career_id: int
    title: str
    slug: str
    job_zone: int | None
    source: str
    overlap: scoring.Overlap  # keyed by (skill id, scale_max)
    # {skill id: name}, shared by every match; names are looked up only for the rows shown.
    names: dict = field(repr=False, compare=False, default_factory=dict)

    @property
    def readiness(self):
        return self.overlap.readiness

    @property
    def weight_share(self):
        return self.overlap.weight_share

    @property
    def weight_percent(self):
        return round(100 * self.overlap.weight_share)

    @property
    def compared(self):
        """Names of the skills both have, A-Z."""
        return tuple(sorted(self.names[skill_id] for skill_id, _scale in self.overlap.compared))

    @property
    def missing_names(self):
        """Names of the career's skills that were not rated, A-Z."""
        return tuple(sorted(self.names[skill_id] for skill_id, _scale in self.overlap.missing))

    @property
    def compared_count(self):
        return len(self.overlap.compared)

    @property
    def missing(self):
        return len(self.overlap.missing)

    @property
    def total(self):
        return self.overlap.total


def rank(matches):
    return sorted(matches, key=lambda m: (-m.readiness, -m.compared_count, m.title, m.career_id))


# The requirement table, kept per process: {"key": catalog version, "table": {career id: rows}}.
_cache = {}


def requirement_table():
    """{career id: (((skill id, scale_max), importance, required level as asked, scale_max), ...)}, most important first."""
    key = CatalogVersion.current()
    if _cache.get("key") != key:
        _cache.update(key=key, table=read_table(SkillRequirement))
    return _cache["table"]


def read_table(requirement_model):
    """The requirement table read from the database; the model is a parameter so that a data
    migration can pass its historical one (from before careers 0006, every level was on 0-4)."""
    scale = F("scale_max") if has_scales(requirement_model) else Value(MAX_LEVEL)
    rows = (
        requirement_model.objects.order_by("career_id", "-importance", "skill_id")
        # Floats straight from the database: Decimal conversion would take most of the time.
        .annotate(weight=Cast("importance", FloatField()), need=Cast("level", FloatField()), scale=scale)
        .values_list("career_id", "skill_id", "weight", "need", "scale")
    )
    table = {}
    for career_id, skill_id, importance, required, scale_max in rows:
        table.setdefault(career_id, []).append(((skill_id, scale_max), importance, as_asked(required, scale_max), scale_max))
    return {career_id: tuple(reqs) for career_id, reqs in table.items()}


def has_scales(requirement_model):
    """Whether a (historical) requirement model has its scale (careers 0006 on)."""
    return any(f.name == "scale_max" for f in requirement_model._meta.get_fields())


def forget():
    """Drop the cached table (tests, or after editing the catalog outside this process)."""
    _cache.clear()


@dataclass(frozen=True)
class Result:
    matches: tuple  # Match, ranked, after the filters
    compared: int  # careers compared before the filters
    too_few: int  # careers sharing at least one rated skill but too little of their weight


def find_matches(levels, *, exclude=(), job_zone=None, min_readiness=None):
    """Every career the ratings ({(skill id, scale_max): level}) cover enough of, ranked, in 3-4 queries."""
    if not levels:
        return Result(matches=(), compared=0, too_few=0)
    return match_careers(
        table=requirement_table(),
        careers=Career.objects.order_by().values_list("id", "title", "slug", "job_zone", "source"),
        names=dict(Skill.objects.values_list("id", "name")),
        levels=levels, exclude=exclude, job_zone=job_zone, min_readiness=min_readiness,
    )


def match_careers(*, table, careers, names, levels, exclude=(), job_zone=None, min_readiness=None):
    """find_matches over plain values: the requirement table, (id, title, slug, job zone, source)
    rows and {skill id: name}; pure."""
    levels = {skill_id: float(level) for skill_id, level in levels.items()}
    careers = {row[0]: row for row in careers}
    matches, too_few = [], 0
    for career_id, requirements in table.items():
        if career_id in exclude or career_id not in careers:
            continue
        found = scoring.overlap(requirements, levels)
        if found is None:
            continue
        if not found.enough:
            too_few += 1
            continue
        _, title, slug, zone, source = careers[career_id]
        matches.append(Match(
            career_id=career_id, title=title, slug=slug, job_zone=zone, source=source, overlap=found, names=names,
        ))
    shown = [
        m for m in matches
        if (job_zone is None or m.job_zone == job_zone) and (min_readiness is None or m.readiness >= min_readiness)
    ]
    return Result(matches=tuple(rank(shown)), compared=len(matches), too_few=too_few)


def assessment_levels(assessment):
    """{(skill id, scale_max): level} of a submitted assessment's ratings (skills since deleted are left out)."""
    rows = SkillRating.objects.filter(assessment=assessment, skill__isnull=False)
    return {(skill_id, scale): level for skill_id, scale, level in rows.values_list("skill_id", "scale_max", "level")}

