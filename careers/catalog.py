"""The built-in career catalog: read a JSON data file, check every entry, then write it.

The file (careers/catalog/*.json, described in careers/catalog/CATALOG.md) is the source of
truth for the careers it lists: loading it creates or updates those careers, their skills,
requirements, learning steps, career path and alternate titles by natural key, and removes
child rows the file no longer lists. Rows it does not list (other careers, O*NET data) are
left alone. A row is saved only when a value differs, so a second load changes nothing.

read_catalog() validates the whole file before anything is written and raises CatalogError
naming the entry, e.g. "careers[0].requirements[3]: importance 7 is outside 1-5".
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from .levels import MAX_LEVEL
from .models import (
    AlternateTitle, CatalogVersion, Career, CareerLevel, Education, LearningStep, Skill, SkillRequirement, Source,
)
from .signals import one_change

DEFAULT_PATH = Path(__file__).resolve().parent / "catalog" / "production-associate.json"

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
ONET_CODE = re.compile(r"^\d\d-\d{4}\.\d\d$")  # an O*NET-SOC code: 51-2092.00
# The O*NET elements a guide skill may point at: skills (2.A, 2.B), knowledge (2.C) and work
# styles (1.C), the parts of O*NET's content model the import reads.
ONET_ELEMENT = re.compile(r"^(?:1\.C|2\.[ABC])(?:\.[0-9a-z]+)+$")
# Notes kept in the file for people (derivations, sources); the loader ignores them.
NOTE_KEYS = {"basis", "figures", "note", "about", "format"}


class CatalogError(Exception):
    """A data file that cannot be loaded; the message names the entry that is wrong."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self):
        return self.created + self.updated + self.deleted


@dataclass
class Catalog:
    skills: list = field(default_factory=list)  # dicts of Skill field values
    steps: dict = field(default_factory=dict)  # key -> dict of LearningStep values + "skills"
    paths: dict = field(default_factory=dict)  # key -> list of dicts of CareerLevel values + "profile"
    careers: list = field(default_factory=list)  # dicts of Career values + children


# -- reading and checking ------------------------------------------------------------------


class _Entry:
    """One JSON object being checked, with its place in the file for error messages."""

    def __init__(self, data, where):
        if not isinstance(data, dict):
            raise CatalogError(f"{where}: expected an object, got {type(data).__name__}")
        self.data, self.where, self.used = data, where, set()

    def fail(self, message, key=None):
        where = f"{self.where}.{key}" if key else self.where
        raise CatalogError(f"{where}: {message}")

    def get(self, key, kind, *, required=True, default=None):
        self.used.add(key)
        if key not in self.data:
            if required:
                self.fail(f"missing key '{key}'")
            return default
        value = self.data[key]
        if value is None and not required:
            return default
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(f"expected a whole number, got {value!r}", key)
        if kind is not int and not isinstance(value, kind):
            self.fail(f"expected {_KIND_NAMES.get(kind, kind.__name__)}, got {value!r}", key)
        return value

    def text(self, key, max_length=None, *, required=True):
        value = self.get(key, str, required=required, default="")
        if required and not value.strip():
            self.fail("must not be empty", key)
        if max_length and len(value) > max_length:
            self.fail(f"is longer than {max_length} characters", key)
        return value

    def number(self, key, low, high, *, label=None, required=True, default=None):
        """A decimal with at most 2 places between low and high (the columns hold 2 places)."""
        value = self.get(key, (int, float), required=required, default=default)
        if value is None or value is default:
            return value
        if isinstance(value, bool):
            self.fail(f"expected a number, got {value!r}", key)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"expected a number, got {value!r}", key)
        name = label or key
        if not low <= number <= high:
            self.fail(f"{name} {value} is outside {low}-{high}")
        if number != number.quantize(Decimal("0.01")):
            self.fail(f"{name} {value} has more than 2 decimal places")
        return number

    def whole(self, key, *, low=0, required=True):
        value = self.get(key, int, required=required)
        if value is not None and value < low:
            self.fail(f"{value} is below {low}", key)
        return value

    def text_list(self, key, max_length, *, required=False):
        values = self.get(key, list, required=required, default=[])
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"expected a non-empty text, got {value!r}", f"{key}[{index}]")
            if len(value) > max_length:
                self.fail(f"is longer than {max_length} characters", f"{key}[{index}]")
        if len(set(values)) != len(values):
            self.fail("lists the same value twice", key)
        return values

    def done(self):
        unknown = sorted(set(self.data) - self.used - NOTE_KEYS)
        if unknown:
            self.fail(f"unknown key '{unknown[0]}'")


_KIND_NAMES = {str: "text", list: "a list", dict: "an object", (int, float): "a number"}


def read_catalog(path=DEFAULT_PATH):
    """Parse and check a catalog file; returns a Catalog or raises CatalogError."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise CatalogError(f"{path.name}: not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"{path.name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    return check_catalog(raw)


def check_catalog(raw):
    top = _Entry(raw, "catalog")
    catalog = Catalog()

    skill_names, elements = set(), {}
    for index, item in enumerate(top.get("skills", list)):
        skill = _check_skill(_Entry(item, f"skills[{index}]"))
        if skill["name"] in skill_names:
            raise CatalogError(f"skills[{index}].name: '{skill['name']}' is listed twice")
        skill_names.add(skill["name"])
        # One guide skill per O*NET element: two skills measuring the same thing would be one.
        element = skill["external_id"]
        if element and element in elements:
            raise CatalogError(
                f"skills[{index}].external_id: O*NET element {element} is already the pointer of '{elements[element]}'"
            )
        if element:
            elements[element] = skill["name"]
        catalog.skills.append(skill)

    titles = set()
    for index, item in enumerate(top.get("learning_steps", list, required=False, default=[])):
        entry = _Entry(item, f"learning_steps[{index}]")
        key = entry.text("key")
        if key in catalog.steps:
            entry.fail(f"'{key}' is listed twice", "key")
        step = _check_step(entry, skill_names)
        if step["title"] in titles:
            entry.fail(f"'{step['title']}' is listed twice", "title")
        titles.add(step["title"])
        catalog.steps[key] = step

    career_items = top.get("careers", list)
    slugs = [item.get("slug") if isinstance(item, dict) else None for item in career_items]
    for key, levels in top.get("paths", dict, required=False, default={}).items():
        if not isinstance(levels, list) or not levels:
            raise CatalogError(f"paths.{key}: expected a non-empty list of levels")
        catalog.paths[key] = [
            _check_level(_Entry(item, f"paths.{key}[{index}]"), slugs) for index, item in enumerate(levels)
        ]

    for index, item in enumerate(career_items):
        entry = _Entry(item, f"careers[{index}]")
        career = _check_career(entry, skill_names, catalog)
        if slugs.index(career["slug"]) != index:
            entry.fail(f"'{career['slug']}' is listed twice", "slug")
        catalog.careers.append(career)
    top.done()
    return catalog


def _check_skill(entry):
    kind = entry.text("kind")
    if kind not in Skill.Kind.values:
        entry.fail(f"unknown kind '{kind}' (expected one of: {', '.join(Skill.Kind.values)})", "kind")
    examples = entry.get("level_examples", dict, required=False, default={})
    for level, text in examples.items():
        if level not in {str(n) for n in range(MAX_LEVEL + 1)}:
            entry.fail(f"level '{level}' is outside 0-{MAX_LEVEL}", "level_examples")
        if not isinstance(text, str):
            entry.fail(f"expected text, got {text!r}", f"level_examples.{level}")
    if kind == Skill.Kind.STYLE:
        entry.fail("a guide skill is rated, so it cannot be a work style (O*NET's work styles have no level)", "kind")
    # The O*NET element that measures the same thing, if one does (CATALOG.md): a pointer only;
    # the guide skill keeps its own 0-4 scale and wording.
    external_id = entry.text("external_id", 40, required=False)
    if external_id and not ONET_ELEMENT.match(external_id):
        entry.fail(f"'{external_id}' is not an O*NET skill, knowledge or work style element id "
                   f"(like 2.B.3.k, 2.C.3.e or 1.C.5.a)", "external_id")
    skill = {
        "name": entry.text("name", 200),
        "kind": kind,
        "description": entry.text("description", required=False),
        "level_examples": {level: examples[level] for level in sorted(examples)},
        "external_id": external_id,
    }
    entry.done()
    return skill


def _check_step(entry, skill_names):
    kind = entry.text("kind")
    if kind not in LearningStep.Kind.values:
        entry.fail(f"unknown kind '{kind}' (expected one of: {', '.join(LearningStep.Kind.values)})", "kind")
    cost_min = entry.whole("cost_min", required=False)
    cost_max = entry.whole("cost_max", required=False)
    if (cost_min is None) != (cost_max is None):
        entry.fail("give both cost_min and cost_max, or neither (cost unknown)")
    if cost_min is not None and cost_min > cost_max:
        entry.fail(f"cost_min {cost_min} is more than cost_max {cost_max}")
    months_min = entry.number("months_min", 0, 999)
    months_max = entry.number("months_max", 0, 999)
    if months_min > months_max:
        entry.fail(f"months_min {months_min} is more than months_max {months_max}")
    skills = entry.text_list("skills", 200)
    for index, name in enumerate(skills):
        if name not in skill_names:
            entry.fail(f"unknown skill '{name}' (not in the file's skills)", f"skills[{index}]")
    # Whose figures the cost and the time are; the page says so beside each.
    sources = {}
    for key in ("cost_source", "time_source"):
        sources[key] = entry.text(key)
        if sources[key] not in LearningStep.Figure.values:
            entry.fail(f"unknown source '{sources[key]}' (expected one of: {', '.join(LearningStep.Figure.values)})", key)
    credential = entry.get("credential", str, required=False, default=None)
    if credential is not None and credential not in Education.names:
        entry.fail(f"unknown credential '{credential}' (expected one of: {', '.join(Education.names)})", "credential")
    step = {
        "kind": kind,
        "title": entry.text("title", 200),
        "description": entry.text("description", required=False),
        "cost_min": cost_min,
        "cost_max": cost_max,
        "months_min": months_min,
        "months_max": months_max,
        "credential": Education[credential].value if credential else None,
        **sources,
        "skills": skills,
    }
    entry.done()
    return step


def _check_level(entry, slugs):
    years_min = entry.whole("years_min")
    years_max = entry.whole("years_max", required=False)
    if years_max is not None and years_max < years_min:
        entry.fail(f"years_max {years_max} is less than years_min {years_min}")
    profile = entry.get("profile", str, required=False, default="")
    if profile and profile not in slugs:
        entry.fail(f"unknown career '{profile}' (not in the file's careers)", "profile")
    level = {
        "title": entry.text("title", 200),
        "years_min": years_min,
        "years_max": years_max,
        "experience_note": entry.text("experience_note", 200, required=False),
        "responsibilities": entry.text("responsibilities", required=False),
        "focus_areas": entry.text("focus_areas", required=False),
        "salary_median": entry.whole("salary_median", required=False),
        "salary_average": entry.whole("salary_average", required=False),
        "profile": profile,
    }
    entry.done()
    return level


def _check_career(entry, skill_names, catalog):
    slug = entry.text("slug", 120)
    if not SLUG.match(slug):
        entry.fail(f"'{slug}' is not a valid slug (letters, digits, hyphens, underscores)", "slug")
    source = entry.get("source", str, required=False, default=Career.Source.GUIDE)
    if source not in Career.Source.values:
        entry.fail(f"unknown source '{source}' (expected one of: {', '.join(Career.Source.values)})", "source")
    education = entry.get("education_required", str, required=False, default=None)
    if education is not None and education not in Education.names:
        entry.fail(f"unknown education '{education}' (expected one of: {', '.join(Education.names)})",
                   "education_required")
    job_zone = entry.whole("job_zone", low=1, required=False)
    if job_zone is not None and job_zone > 5:
        entry.fail(f"job zone {job_zone} is outside 1-5", "job_zone")
    path = entry.get("path", str, required=False, default="")
    if path and path not in catalog.paths:
        entry.fail(f"unknown path '{path}' (not in the file's paths)", "path")
    step_keys = entry.text_list("learning_steps", 200)
    for index, key in enumerate(step_keys):
        if key not in catalog.steps:
            entry.fail(f"unknown learning step '{key}'", f"learning_steps[{index}]")

    requirements, seen = [], set()
    for index, item in enumerate(entry.get("requirements", list, required=False, default=[])):
        requirement = _Entry(item, f"{entry.where}.requirements[{index}]")
        name = requirement.text("skill", 200)
        if name not in skill_names:
            requirement.fail(f"unknown skill '{name}' (not in the file's skills)", "skill")
        if name in seen:
            requirement.fail(f"'{name}' is required twice", "skill")
        seen.add(name)
        requirements.append({
            "skill": name,
            "importance": requirement.number("importance", 1, 5),
            "level": requirement.number("level", 0, MAX_LEVEL),
        })
        requirement.done()

    alternate_titles = entry.text_list("alternate_titles", 250)
    onet_reference = entry.text("onet_reference", 12, required=False)
    if onet_reference and not ONET_CODE.match(onet_reference):
        entry.fail(f"'{onet_reference}' is not an O*NET-SOC code (like 51-2092.00)", "onet_reference")
    related = []
    for index, item in enumerate(entry.get("related_occupations", list, required=False, default=[])):
        other = _Entry(item, f"{entry.where}.related_occupations[{index}]")
        title, code = other.text("title", 200), other.text("onet_code", 12)
        if not ONET_CODE.match(code):
            other.fail(f"'{code}' is not an O*NET-SOC code (like 51-2092.00)", "onet_code")
        if title in alternate_titles:
            other.fail(f"'{title}' is also an alternate title: a related career is another job, not another name")
        if any(title == seen["title"] for seen in related):
            other.fail(f"'{title}' is listed twice", "title")
        other.done()
        related.append({"title": title, "onet_code": code})

    career = {
        "slug": slug,
        "title": entry.text("title", 200),
        "summary": entry.text("summary", required=False),
        "typical_education": entry.text("typical_education", 300, required=False),
        "education_required": Education[education].value if education else None,
        "median_salary": entry.whole("median_salary", required=False),
        "salary_range": entry.text("salary_range", 100, required=False),
        "growth_outlook": entry.text("growth_outlook", 200, required=False),
        "annual_openings": entry.whole("annual_openings", required=False),
        "top_industries": entry.text_list("top_industries", 200),
        "technologies": entry.text_list("technologies", 300),
        "job_zone": job_zone,
        "onet_reference": onet_reference,
        "related_occupations": related,
        "source": source,
        "attribution": entry.text("attribution", required=False),
        "alternate_titles": alternate_titles,
        "requirements": requirements,
        "learning_steps": step_keys,
        "path": path,
    }
    entry.done()
    return career


# -- writing -------------------------------------------------------------------------------


CHILD_KEYS = ("alternate_titles", "requirements", "learning_steps", "path")


def load_catalog(catalog, *, dry_run=False):
    """Write a checked Catalog in one transaction; with dry_run, roll it back. Returns Counts."""
    counts = Counts()
    with transaction.atomic(), one_change():
        skills = {item["name"]: _upsert_skill(item, counts) for item in catalog.skills}
        careers = {}
        for item in catalog.careers:
            values = {k: v for k, v in item.items() if k not in CHILD_KEYS and k != "slug"}
            careers[item["slug"]] = _upsert(Career, {"slug": item["slug"]}, values, counts)
        for item in catalog.careers:
            career = careers[item["slug"]]
            _write_alternate_titles(career, item["alternate_titles"], counts)
            _write_requirements(career, item["requirements"], skills, counts)
            _write_steps(career, [catalog.steps[key] for key in item["learning_steps"]], skills, counts)
            _write_path(career, catalog.paths.get(item["path"], []), careers, counts)
        if dry_run:
            transaction.set_rollback(True)
        elif counts.changed:
            CatalogVersion.changed()
    return counts


def _upsert(model, lookup, values, counts, *, also_changed=False):
    """Create the row, or update only the fields that differ; save nothing when all match.

    also_changed: the caller changed something else about the row (its many-to-many links).
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        counts.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    if changed or also_changed:
        counts.updated += 1
    else:
        counts.unchanged += 1
    return row


def _upsert_skill(item, counts):
    # Only the guide's own skills: an O*NET element of the same name ("Time Management") is
    # another skill, on another scale, with O*NET's wording. Case-insensitively too, so a
    # renamed capital letter updates the skill instead of making a second one.
    guide = Skill.objects.filter(source=Source.GUIDE)
    existing = guide.filter(name=item["name"]).first() or guide.filter(name__iexact=item["name"]).first()
    values = {**{k: v for k, v in item.items() if k != "name"}, "category": ""}
    if existing is None:
        return _upsert(Skill, {"name": item["name"], "source": Source.GUIDE}, values, counts)
    return _upsert(Skill, {"pk": existing.pk}, {"name": item["name"], **values}, counts)


def _delete(queryset, counts):
    deleted = queryset.count()
    if deleted:
        queryset.delete()
        counts.deleted += deleted


def _write_alternate_titles(career, titles, counts):
    for title in titles:
        _upsert(AlternateTitle, {"career": career, "title": title}, {}, counts)
    _delete(career.alternate_titles.exclude(title__in=titles), counts)


def _write_requirements(career, requirements, skills, counts):
    for item in requirements:
        values = {"importance": item["importance"], "level": item["level"], "scale_max": MAX_LEVEL}
        _upsert(SkillRequirement, {"career": career, "skill": skills[item["skill"]]}, values, counts)
    wanted = [skills[item["skill"]].pk for item in requirements]
    _delete(career.requirements.exclude(skill_id__in=wanted), counts)


def _write_steps(career, steps, skills, counts):
    current = {}  # title -> set of skill ids, read in one query
    for title, skill_id in career.learning_steps.values_list("title", "skills"):
        current.setdefault(title, set()).update([skill_id] if skill_id else [])
    for position, item in enumerate(steps, start=1):
        values = {k: v for k, v in item.items() if k not in {"title", "skills"}}
        wanted = {skills[name].pk for name in item["skills"]}
        relinked = item["title"] in current and current[item["title"]] != wanted
        step = _upsert(LearningStep, {"career": career, "title": item["title"]},
                       {**values, "position": position}, counts, also_changed=relinked)
        if item["title"] not in current or relinked:
            step.skills.set(wanted)
    _delete(career.learning_steps.exclude(title__in=[item["title"] for item in steps]), counts)


def _write_path(career, levels, careers, counts):
    for position, item in enumerate(levels, start=1):
        values = {k: v for k, v in item.items() if k != "profile"}
        values["profile_id"] = careers[item["profile"]].pk if item["profile"] else None
        _upsert(CareerLevel, {"career": career, "position": position}, values, counts)
    _delete(career.path.filter(position__gt=len(levels)), counts)
