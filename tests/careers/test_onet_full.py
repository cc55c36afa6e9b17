"""The full O*NET 29.3 release (../shared/onet), imported once for this module.

The checks read the raw files themselves with the csv module, not careers/onet.py, so a
mistake in the importer's reading cannot hide in the test: every requirement's importance,
level and membership, every career's typical education and work styles are compared with
what the files say. Marked slow: it imports about 220,000 rows (part of `make test`).
"""

import csv
import os
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from assessments.scoring import SkillInput, score
from careers.levels import ONET_MAX_LEVEL, as_asked
from careers.models import Career, LearningStep, Skill, SkillRequirement, Source, WorkStyle

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CODE = "O*NET-SOC Code"
CENT = Decimal("0.01")
# The rule under test, restated here: O*NET's "Important" and at most 40 asked items a career.
IMPORTANT = Decimal("3.0")
MOST = 40


def onet_dir():
    return Path(os.environ.get("ONET_DIR") or Path(settings.BASE_DIR).parent / "shared" / "onet")


def rows(name):
    with (onet_dir() / name).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def yes(value):
    return (value or "").strip().upper() == "Y"


def expected_requirements():
    """{(code, element id): (importance, level)} for what each career should ask, from the raw files."""
    ratings = defaultdict(dict)
    for name in ("Skills.txt", "Knowledge.txt"):
        for row in rows(name):
            usable = not yes(row["Recommend Suppress"]) and not yes(row["Not Relevant"])
            ratings[(row[CODE], row["Element ID"])][row["Scale ID"]] = Decimal(row["Data Value"]) if usable else None
    candidates = defaultdict(list)
    for (code, element), scales in ratings.items():
        importance, level = scales.get("IM"), scales.get("LV")
        if importance is not None and level is not None and importance >= IMPORTANT:
            candidates[code].append((-importance, -level, element))
    expected = {}
    for code, found in candidates.items():
        for importance, level, element in sorted(found)[:MOST]:
            expected[(code, element)] = (-importance, -level)
    return expected


def modal_education():
    """{code: (category description before " - ", suppressed)}: O*NET's most common RL category."""
    names = {
        int(row["Category"]): row["Category Description"].split(" - ")[0].strip()
        for row in rows("Education, Training, and Experience Categories.txt") if row["Scale ID"] == "RL"
    }
    best = {}
    for row in rows("Education, Training, and Experience.txt"):
        if row["Scale ID"] != "RL":
            continue
        category, share = int(row["Category"]), Decimal(row["Data Value"])
        key = (share, -category)  # ties to the lower category
        if row[CODE] not in best or key > best[row[CODE]][0]:
            best[row[CODE]] = (key, names[category], yes(row["Recommend Suppress"]))
    return {code: (name, suppressed) for code, (_key, name, suppressed) in best.items()}


def anchors():
    """{element id: {value: text}} of O*NET's level anchors, two at one value joined with "; "."""
    found = defaultdict(dict)
    for row in rows("Level Scale Anchors.txt"):
        if row["Scale ID"] == "LV":
            value = Decimal(row["Anchor Value"])
            key = str(int(value)) if value == int(value) else str(value)
            examples = found[row["Element ID"]]
            examples[key] = f"{examples[key]}; {row['Anchor Description']}" if key in examples else row["Anchor Description"]
    return found


@pytest.fixture(scope="module")
def full_import(django_db_setup, django_db_blocker):
    """The release imported once, in a transaction rolled back after the module's tests."""
    directory = onet_dir()
    if not (directory / "Occupation Data.txt").is_file():
        message = f"The O*NET 29.3 copy is not at {directory} (set ONET_DIR to point at it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("import_onet", str(directory), stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


def imported_requirements():
    rows = SkillRequirement.objects.filter(career__source=Source.ONET).values_list(
        "career__onet_code", "skill__external_id", "skill__source", "importance", "level", "scale_max"
    )
    return {(code, element): (source, importance, level, scale) for code, element, source, importance, level, scale in rows}


def test_requirements_match_the_raw_files_for_every_occupation(full_import):
    expected = expected_requirements()
    imported = imported_requirements()

    assert Career.objects.filter(source=Source.ONET).count() == 1016
    missing = set(expected) - set(imported)
    extra = set(imported) - set(expected)
    importance = [key for key in set(expected) & set(imported) if imported[key][1] != expected[key][0].quantize(CENT)]
    level = [key for key in set(expected) & set(imported) if imported[key][2] != expected[key][1].quantize(CENT)]
    assert (len(missing), len(extra), len(importance), len(level)) == (0, 0, 0, 0), (
        sorted(missing)[:5], sorted(extra)[:5], importance[:5], level[:5]
    )
    assert {(source, scale) for source, _i, _l, scale in imported.values()} == {(Source.ONET, ONET_MAX_LEVEL)}
    # Skills and knowledge together: both files contribute.
    elements = {element for _code, element in imported}
    assert any(e.startswith("2.C.") for e in elements) and any(e.startswith("2.A.") for e in elements)
    per_career = defaultdict(int)
    for code, _element in imported:
        per_career[code] += 1
    assert max(per_career.values()) == MOST
    assert f"Skill requirements: {len(expected)} created, 0 updated, 0 deleted" in full_import


def test_no_work_style_is_a_requirement_and_every_usable_one_is_a_work_style(full_import):
    assert not SkillRequirement.objects.filter(skill__kind=Skill.Kind.STYLE).exists()
    assert not SkillRequirement.objects.filter(skill__external_id__startswith="1.C.").exists()
    assert not LearningStep.skills.through.objects.filter(skill__kind=Skill.Kind.STYLE).exists()
    expected = {
        (row[CODE], row["Element ID"]): Decimal(row["Data Value"]).quantize(CENT)
        for row in rows("Work Styles.txt") if row["Scale ID"] == "IM" and not yes(row["Recommend Suppress"])
    }
    imported = dict(
        ((code, element), importance)
        for code, element, importance in WorkStyle.objects.values_list(
            "career__onet_code", "skill__external_id", "importance"
        )
    )
    assert imported == expected
    assert set(WorkStyle.objects.values_list("skill__kind", flat=True)) == {Skill.Kind.STYLE}


def test_typical_education_is_o_nets_modal_category_for_every_occupation(full_import):
    modal = modal_education()
    careers = Career.objects.filter(source=Source.ONET).values_list(
        "onet_code", "typical_education", "typical_education_uncertain"
    )
    wrong = [
        (code, shown, uncertain, modal.get(code))
        for code, shown, uncertain in careers
        if (shown, uncertain) != modal.get(code, ("", False))
    ]
    assert wrong == []
    assert sum(suppressed for _name, suppressed in modal.values()) == 65
    nurses = Career.objects.get(onet_code="29-1141.00")
    assert (nurses.typical_education, nurses.typical_education_uncertain) == ("Bachelor's Degree", True)
    education = nurses.learning_steps.get(kind=LearningStep.Kind.EDUCATION)
    assert education.description == (
        "The education most often required (56% of O*NET respondents, a figure O*NET marks as uncertain): "
        "Bachelor's Degree."
    )


def inputs(requirements, rating):
    return [
        SkillInput(r.skill.name, r.skill.kind, float(r.importance), float(r.level), rating(r), r.scale_max)
        for r in requirements
    ]


def test_no_work_style_counts_in_any_readiness_or_critical_gap(full_import):
    careers = Career.objects.filter(source=Source.ONET).prefetch_related("requirements__skill", "work_styles")
    scored = 0
    for career in careers:
        requirements = list(career.requirements.all())
        if not requirements:
            continue
        styles = {style.skill_id for style in career.work_styles.all()}
        assert styles, career.onet_code  # every career with ratings has work styles to leave out
        nothing = score(inputs(requirements, lambda r: 0))
        assert {s.kind for s in nothing.skills} <= {Skill.Kind.TECHNICAL, Skill.Kind.SOFT, Skill.Kind.KNOWLEDGE}
        assert len(nothing.skills) == len(requirements) and not styles & {r.skill_id for r in requirements}
        assert nothing.readiness == 0 and all(gap.kind != Skill.Kind.STYLE for gap in nothing.gaps)
        met = score(inputs(requirements, lambda r: as_asked(r.level, r.scale_max)))
        assert (met.readiness, met.critical_count, met.gaps) == (100, 0, ())
        scored += 1
    assert scored == 878


@pytest.mark.parametrize("code, title", [("51-2092.00", "Team Assemblers"), ("29-1141.00", "Registered Nurses")])
def test_each_asked_element_shows_o_nets_anchors_and_its_own_level_meets_it(full_import, code, title):
    career = Career.objects.get(onet_code=code)
    assert career.title == title
    requirements = list(career.requirements.select_related("skill"))
    found = anchors()
    assert len(requirements) >= 10
    for requirement in requirements:
        skill = requirement.skill
        assert (requirement.scale_max, skill.source) == (7, Source.ONET)
        assert 0 <= requirement.level <= 7
        assert skill.level_examples == found[skill.external_id], skill.name
        if skill.kind != Skill.Kind.KNOWLEDGE:
            # Every skill has O*NET's anchors at 2, 4 and 6; some knowledge areas' sit elsewhere.
            assert set(skill.level_examples) == {"2", "4", "6"}, skill.name
    kinds = {r.skill.kind for r in requirements}
    assert Skill.Kind.KNOWLEDGE in kinds
    result = score(inputs(requirements, lambda r: as_asked(r.level, r.scale_max)))
    assert (result.readiness, result.gaps, result.critical_count) == (100, (), 0)
    # One level short on any one item is a gap.
    first = requirements[0]
    short = score(inputs(requirements, lambda r: as_asked(r.level, r.scale_max) - (r.pk == first.pk)))
    assert [gap.name for gap in short.gaps] == [first.skill.name]


def test_nurses_are_asked_about_medicine_and_psychology(full_import):
    asked = set(
        SkillRequirement.objects.filter(career__onet_code="29-1141.00").values_list("skill__name", "skill__kind")
    )
    assert {("Medicine and Dentistry", Skill.Kind.KNOWLEDGE), ("Psychology", Skill.Kind.KNOWLEDGE)} <= asked


def test_steps_build_the_requirements_and_a_second_run_writes_nothing(full_import):
    careers = Career.objects.filter(source=Source.ONET)
    required, knowledge = defaultdict(set), defaultdict(set)
    for career, skill, kind in SkillRequirement.objects.filter(career__in=careers).values_list(
        "career_id", "skill_id", "skill__kind"
    ):
        required[career].add(skill)
        if kind == Skill.Kind.KNOWLEDGE:
            knowledge[career].add(skill)
    built = defaultdict(set)
    for step, skill in LearningStep.skills.through.objects.filter(learningstep__career__in=careers).values_list(
        "learningstep_id", "skill_id"
    ):
        built[step].add(skill)
    steps = list(LearningStep.objects.filter(career__in=careers).values_list("pk", "career_id", "kind", "credential"))
    education = [(pk, career, credential) for pk, career, kind, credential in steps if kind == LearningStep.Kind.EDUCATION]
    assert education and all(credential is not None for _pk, _career, credential in education)
    # The education step builds the career's knowledge; experience and training build all of it.
    assert [pk for pk, career, _c in education if built[pk] != knowledge[career]] == []
    building = [(pk, career) for pk, career, kind, _credential in steps if kind != LearningStep.Kind.EDUCATION]
    assert [pk for pk, career in building if built[pk] != required[career]] == []
    # Every career with requirements and steps has a step that builds its skills.
    planned = {career for pk, career in building if built[pk]}
    with_steps = {career for _pk, career, _kind, _credential in steps}
    unplanned = ({career for career, skills in required.items() if skills} & with_steps) - planned
    assert list(careers.filter(pk__in=unplanned).values_list("onet_code", flat=True)) == []

    out = StringIO()
    call_command("import_onet", str(onet_dir()), stdout=out)
    assert "Learning step skills: 0 created, 0 updated, 0 deleted" in out.getvalue()
    assert out.getvalue().rstrip().endswith("0 created, 0 updated, 0 deleted.")


def test_search_finds_an_imported_career_by_alternate_title(full_import):
    assemblers = Career.objects.get(onet_code="51-2092.00")
    assert (assemblers.title, assemblers.job_zone) == ("Team Assemblers", 2)
    assert "51-2092.00" in Career.objects.search("assembler").values_list("onet_code", flat=True)
