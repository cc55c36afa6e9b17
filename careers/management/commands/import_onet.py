"""Import an O*NET 29.x release (a directory of tab-separated files) into the career catalog.

Every file is read and checked first (careers/onet.py, which also says how O*NET's figures
are read and which requirements are asked); only then does the import compare the release
with the database on natural keys (O*NET-SOC code, element id, title) and write the
difference in bulk, inside one transaction. A second run of the same release finds no
difference and writes nothing. Careers from the built-in guide (source=guide) and the guide's
skills are never touched.

The import is the only writer of O*NET careers and O*NET skills (source=onet). Each O*NET
element is one skill, found only by its element id among O*NET skills, never by name: a guide
skill that shares a name or records the same element id (careers/catalog.py) stays the
guide's, with the guide's wording. Name, kind, category, description and level examples of an
O*NET skill are O*NET's and are brought up to date on every run.

What an O*NET career gets:

- Requirements (SkillRequirement, scale_max 7): the skills and knowledge areas it asks about,
  at O*NET's importance and level, never a work style.
- Work styles (WorkStyle): importance only, for the career page; never asked or scored.
- Next steps, so a plan can choose among them:
  - Related work experience (RW), on-site or in-plant training (PT) and on-the-job training
    (OJ) build the career's requirements: each such step is linked to every skill and
    knowledge area the career requires. O*NET says how long they take, not what they teach,
    and experience or training in the job is where its skills are learned; a plan that closes
    any gap with one of them closes all of them with it. Where the most common answer is
    "none" for all three (such as Dentists, General, where 29% report no related experience
    and the rest spread over several lengths), the career gets an on-the-job training step all
    the same, from the most common answer other than none, and its description says so:
    without one, no step would build its skills and a plan could close none of its gaps.
  - The education step (RL) earns a credential, O*NET's category on our Education scale
    (onet.RL_EDUCATION), and builds the career's knowledge requirements: knowledge is what
    schooling teaches.
  A step's description gives O*NET's share of respondents, and says when O*NET marks that
  figure uncertain (Recommend Suppress).

Converting a catalog imported by earlier code happens in the same sync, in the same
transaction: requirements on guide skills merged by name, on work styles with an invented
level, or on the 0-4 scale are not in the desired set, so they are deleted, and the O*NET
skills and scale-7 requirements that replace them are created. The links are synced like the
rows: the (step, skill) pairs in the database are compared with the desired ones and the
difference is written in bulk through the M2M's own table.
"""

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from careers import onet
from careers.signals import one_change
from careers.models import (
    AlternateTitle, CatalogVersion, Career, LearningStep, Scale, Skill, SkillRequirement, Source, WorkStyle,
)

BATCH = 1000
STEP_TITLES = {
    "RW": "Related work experience",
    "PT": "On-site or in-plant training",
    "OJ": "On-the-job training",
}
STEP_KINDS = {
    "RL": LearningStep.Kind.EDUCATION,
    "RW": LearningStep.Kind.EXPERIENCE,
    "PT": LearningStep.Kind.TRAINING,
    "OJ": LearningStep.Kind.TRAINING,
}
CAREER_FIELDS = [
    "title", "summary", "job_zone", "education_required", "typical_education", "typical_education_uncertain",
    "technologies", "source", "attribution",
]
SKILL_FIELDS = ["name", "kind", "category", "description", "level_examples"]
STEP_FIELDS = [
    "kind", "description", "months_min", "months_max", "position", "cost_min", "cost_max", "credential",
    "cost_source", "time_source",
]
# Experience and training build every requirement of the career; education its knowledge (see above).
SKILL_KINDS = {LearningStep.Kind.EXPERIENCE, LearningStep.Kind.TRAINING}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.deleted} deleted"


def career_slug(occupation):
    """The title, shortened if need be, then the code: team-assemblers-51-2092-00."""
    code = occupation.code.replace(".", "-")
    title = slugify(occupation.title)[: Career._meta.get_field("slug").max_length - len(code) - 1].strip("-")
    return f"{title}-{code}"


def career_values(release, occupation):
    education = release.typical.get((occupation.code, "RL"))
    return {
        "title": occupation.title,
        "summary": occupation.description,
        "job_zone": release.job_zones.get(occupation.code),
        "education_required": onet.RL_EDUCATION[education.category.number] if education else None,
        "typical_education": education.category.short_name if education else "",
        "typical_education_uncertain": bool(education and education.uncertain),
        "technologies": release.technologies.get(occupation.code, []),
        "source": Career.Source.ONET,
        "attribution": onet.attribution(),
    }


def share(typical):
    """ "56% of O*NET respondents", and whether O*NET marks the figure uncertain."""
    words = f"{typical.percent.quantize(1)}% of O*NET respondents"
    return f"{words}, a figure O*NET marks as uncertain" if typical.uncertain else words


def step_values(release, code):
    """The career's next steps, keyed by title: typical education, experience and training."""
    steps = {}
    for scale in onet.STEP_SCALES:
        found = release.typical.get((code, scale))
        if found is None or found.category.number == 1:  # category 1 is "none" on every scale
            continue
        category = found.category
        if scale == "RL":
            title = category.short_name
            description = f"The education most often required ({share(found)}): {category.description}."
        else:
            title = STEP_TITLES[scale]
            description = f"Most often reported ({share(found)}): {category.description.lower()}."
        steps[title] = step_row(scale, category, description)
    some = release.typical_some.get((code, "OJ"))
    if some and not any(values["kind"] in SKILL_KINDS for values in steps.values()):
        # "None" is typical for experience and both trainings: the job's skills are still learned
        # somewhere, so take the most common length of on-the-job training among the rest.
        none = release.typical[(code, "OJ")]
        other = f"{some.percent.quantize(1)}%, a figure O*NET marks as uncertain" if some.uncertain else (
            f"{some.percent.quantize(1)}%"
        )
        description = (
            f"Most often reported: none ({share(none)}); the most common other answer ({other}): "
            f"{some.category.description.lower()}."
        )
        steps[STEP_TITLES["OJ"]] = step_row("OJ", some.category, description)
    return steps


def step_row(scale, category, description):
    return {
        "kind": STEP_KINDS[scale],
        "description": description,
        "months_min": category.months_min,
        "months_max": category.months_max,
        "position": onet.STEP_SCALES.index(scale) + 1,
        "cost_min": None,  # O*NET says how long a step takes, not what it costs
        "cost_max": None,
        "credential": onet.RL_EDUCATION[category.number] if scale == "RL" else None,
        # The time is O*NET's (from its category's wording); O*NET gives no cost, so none is shown.
        "cost_source": LearningStep.Figure.ESTIMATE,
        "time_source": LearningStep.Figure.ONET,
    }


class Command(BaseCommand):
    help = "Import an O*NET 29.x release (the directory of .txt files) into the career catalog."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder holding the release's .txt files")
        parser.add_argument("--dry-run", action="store_true", help="Read and check everything; write nothing")

    def handle(self, *args, directory, dry_run=False, **options):
        self.dry_run = dry_run
        try:
            release = onet.read_release(directory, progress=self.report_file)
        except onet.OnetError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic(), one_change():
            tallies = self.save(release)
            total = Tally(*(sum(getattr(t, part) for t in tallies.values()) for part in ("created", "updated", "deleted")))
            if not dry_run and (total.created or total.updated or total.deleted):
                CatalogVersion.changed()
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. Would have: {total}."))
        else:
            careers = len(release.occupations)
            self.stdout.write(self.style.SUCCESS(f"Imported {careers} O*NET careers: {total}."))

    def report_file(self, filename, rows):
        self.stdout.write(f"Read {filename}: {rows:,} rows")

    def report(self, label, tally):
        self.stdout.write(f"{label}: {tally}")
        return tally

    # -- writing -----------------------------------------------------------------------------

    def save(self, release):
        tallies = {}
        skill_ids, tallies["skills"] = self.save_skills(release)
        career_ids, tallies["careers"] = self.save_careers(release)
        ours = {pk for pk in career_ids.values() if isinstance(pk, int)}

        # Every requirement of an O*NET career is an O*NET skill or knowledge area on 0-7: rows an
        # earlier import made (on guide skills, on work styles, on 0-4) are not desired, so they go.
        desired = {
            (career_ids[r.code], skill_ids[r.element_id]): {
                "importance": r.importance, "level": r.level, "scale_max": Scale.ONET,
            }
            for r in release.requirements
        }
        rows = SkillRequirement.objects.filter(career__in=ours).values_list(
            "pk", "career_id", "skill_id", "importance", "level", "scale_max"
        )
        existing = {(c, s): (pk, {"importance": i, "level": v, "scale_max": m}) for pk, c, s, i, v, m in rows}
        tallies["requirements"] = self.sync(
            "Skill requirements", SkillRequirement, existing, desired,
            lambda key, values: SkillRequirement(career_id=key[0], skill_id=key[1], **values),
        )

        desired = {
            (career_ids[w.code], skill_ids[w.element_id]): {"importance": w.importance} for w in release.work_styles
        }
        rows = WorkStyle.objects.filter(career__in=ours).values_list("pk", "career_id", "skill_id", "importance")
        existing = {(c, s): (pk, {"importance": i}) for pk, c, s, i in rows}
        tallies["work styles"] = self.sync(
            "Work styles", WorkStyle, existing, desired,
            lambda key, values: WorkStyle(career_id=key[0], skill_id=key[1], **values),
        )

        desired = {
            (career_ids[code], title): values
            for code in release.occupations
            for title, values in step_values(release, code).items()
        }
        required, knowledge = {}, {}  # career id -> the skill ids it requires; its knowledge among them
        for r in release.requirements:
            required.setdefault(career_ids[r.code], []).append(skill_ids[r.element_id])
            if release.elements[r.element_id].kind == Skill.Kind.KNOWLEDGE:
                knowledge.setdefault(career_ids[r.code], []).append(skill_ids[r.element_id])
        # Links are keyed by the step's natural key, so that new steps (no pk yet, or none at
        # all in a dry run) can be compared, and read before the steps are synced, so that the
        # links of a step about to be deleted count as deleted in a dry run too.
        desired_links = {
            (career, title, skill): {}
            for (career, title), values in desired.items()
            for skill in (required if values["kind"] in SKILL_KINDS else knowledge).get(career, ())
        }
        Link = LearningStep.skills.through
        rows = Link.objects.filter(learningstep__career__in=ours).values_list(
            "pk", "learningstep__career_id", "learningstep__title", "skill_id"
        )
        existing_links = {(c, t, s): (pk, {}) for pk, c, t, s in rows}

        rows = LearningStep.objects.filter(career__in=ours).values("pk", "career_id", "title", *STEP_FIELDS)
        existing = {
            (row.pop("career_id"), row.pop("title")): (row.pop("pk"), row) for row in rows
        }
        tallies["steps"] = self.sync(
            "Learning steps", LearningStep, existing, desired,
            lambda key, values: LearningStep(career_id=key[0], title=key[1], **values),
        )

        rows = LearningStep.objects.filter(career__in=ours).values_list("career_id", "title", "pk")
        step_ids = {(c, t): pk for c, t, pk in rows}
        tallies["step skills"] = self.sync(
            "Learning step skills", Link, existing_links, desired_links,
            lambda key, values: Link(learningstep_id=step_ids.get(key[:2]), skill_id=key[2]),
        )

        tallies["alternate titles"] = self.sync_pairs(
            "Alternate titles", AlternateTitle,
            AlternateTitle.objects.filter(career__in=ours).values_list("pk", "career_id", "title"),
            [(career_ids[code], title) for code, titles in release.alternate_titles.items() for title in titles],
            lambda key, values: AlternateTitle(career_id=key[0], title=key[1]),
        )
        Related = Career.related.through
        tallies["related"] = self.sync_pairs(
            "Related careers", Related,
            Related.objects.filter(from_career__in=ours).values_list("pk", "from_career_id", "to_career_id"),
            [(career_ids[code], career_ids[other]) for code, others in release.related.items() for other in others],
            lambda key, values: Related(from_career_id=key[0], to_career_id=key[1]),
        )
        return tallies

    def sync_pairs(self, label, model, rows, pairs, build):
        """sync() for rows that are nothing but a pair of keys: rows are (pk, a, b), pairs the (a, b) wanted."""
        existing = {(a, b): (pk, {}) for pk, a, b in rows}
        return self.sync(label, model, existing, {pair: {} for pair in pairs}, build)

    def sync(self, label, model, existing, desired, build):
        """Make the rows under `existing` ({key: (pk, values)}) match `desired` ({key: values})."""
        created = [build(key, values) for key, values in desired.items() if key not in existing]
        updated = [
            model(pk=existing[key][0], **values)
            for key, values in desired.items()
            if key in existing and existing[key][1] != values
        ]
        deleted = [pk for key, (pk, _values) in existing.items() if key not in desired]
        if not self.dry_run:
            model.objects.bulk_create(created, batch_size=BATCH)
            if updated:
                fields = list(next(iter(desired.values())).keys())
                model.objects.bulk_update(updated, fields, batch_size=BATCH)
            for start in range(0, len(deleted), BATCH):
                model.objects.filter(pk__in=deleted[start : start + BATCH]).delete()
        return self.report(label, Tally(len(created), len(updated), len(deleted)))

    def save_skills(self, release):
        """One O*NET skill per element, found by its element id among O*NET skills; O*NET's texts.

        Guide skills are never read or written here, whatever their name or external_id.
        """
        skills = Skill.objects.filter(source=Source.ONET).exclude(external_id="")
        existing = {skill.external_id: skill for skill in skills}
        ids, created, changed = {}, [], []
        for element in sorted(release.elements.values(), key=lambda e: e.element_id):
            values = {
                "name": element.name,
                "kind": element.kind,
                "category": element.category,
                "description": element.description,
                "level_examples": release.level_examples.get(element.element_id, {}),
            }
            skill = existing.get(element.element_id)
            if skill is None:
                created.append(Skill(source=Source.ONET, external_id=element.element_id, **values))
                ids[element.element_id] = ("new", element.element_id)
                continue
            ids[element.element_id] = skill.pk
            if any(getattr(skill, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(skill, name, value)
                changed.append(skill)
        if not self.dry_run:
            Skill.objects.bulk_create(created, batch_size=BATCH)
            Skill.objects.bulk_update(changed, SKILL_FIELDS, batch_size=BATCH)
            found = skills.filter(external_id__in=[s.external_id for s in created])
            ids.update(found.values_list("external_id", "pk"))
        return ids, self.report("Skills", Tally(len(created), len(changed), 0))

    def save_careers(self, release):
        """Create or update one career per occupation; careers not in the release are kept."""
        others = Career.objects.exclude(source=Career.Source.ONET)
        taken = set(others.exclude(onet_code="").values_list("onet_code", flat=True)) & set(release.occupations)
        if taken:
            raise CommandError(
                f"O*NET code {min(taken)} already belongs to a career that was not imported from O*NET."
            )
        rows = Career.objects.filter(source=Career.Source.ONET).exclude(onet_code="")
        rows = rows.values("pk", "onet_code", *CAREER_FIELDS)
        existing = {row.pop("onet_code"): (row.pop("pk"), row) for row in rows}
        slugs = set(Career.objects.values_list("slug", flat=True))
        desired, created = {}, []
        for code, occupation in release.occupations.items():
            desired[code] = career_values(release, occupation)
            if code not in existing:
                slug = career_slug(occupation)
                if slug in slugs:
                    raise CommandError(f"The slug '{slug}' for O*NET {code} is already used by another career.")
                created.append(Career(onet_code=code, slug=slug, **desired[code]))
        updated = [
            Career(pk=existing[code][0], **values)
            for code, values in desired.items()
            if code in existing and existing[code][1] != values
        ]
        kept = len(set(existing) - set(desired))
        ids = {code: ("new", code) for code in desired}
        ids.update({code: pk for code, (pk, _values) in existing.items() if code in desired})
        if not self.dry_run:
            Career.objects.bulk_create(created, batch_size=BATCH)
            Career.objects.bulk_update(updated, CAREER_FIELDS, batch_size=BATCH)
            new = Career.objects.filter(onet_code__in=[career.onet_code for career in created])
            ids.update(new.values_list("onet_code", "pk"))
        if kept:
            self.stdout.write(f"Careers: {kept} imported earlier are not in this release and were kept")
        return ids, self.report("Careers", Tally(len(created), len(updated), 0))
