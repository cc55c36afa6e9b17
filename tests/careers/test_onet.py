"""The O*NET import: reading both file layouts, the figures it derives, and how it writes."""

import json
import os
import re
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers import onet
from careers.models import AlternateTitle, CatalogVersion, Career, Education, LearningStep, Skill, SkillRequirement
from tests.factories import make_career, make_skill

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "onet"
# Files whose official text edition has no Title / Scale Name columns.
RATING_FILES = [onet.SKILLS, onet.WORK_STYLES, onet.JOB_ZONES, onet.EDUCATION]
NUMBER = re.compile(r"^\d+\.\d+$")
TITLES = {
    "99-0001.00": "Widget Assemblers",
    "99-0002.00": "Gadget Inspectors",
    "99-0003.00": "Sprocket Designers",
    "99-0004.00": "Doodad Archivists",
}


def run(directory, *args):
    out = StringIO()
    call_command("import_onet", str(directory), *args, stdout=out)
    return out.getvalue()


def dump():
    """Every row the import can write, for before/after comparisons."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Skill, Career, SkillRequirement, LearningStep, LearningStep.skills.through, AlternateTitle,
            Career.related.through,
        )
    }


def step_skills(code):
    """{step title: (credential, names of the skills it builds)} for one career."""
    steps = LearningStep.objects.filter(career__onet_code=code).prefetch_related("skills")
    return {step.title: (step.credential, {skill.name for skill in step.skills.all()}) for step in steps}


def requirements(code):
    rows = SkillRequirement.objects.filter(career__onet_code=code).select_related("skill")
    return {row.skill.name: (row.skill.kind, row.importance, row.level) for row in rows}


def edit(path, old, new):
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def line_of(path, text):
    """The 1-based line number of the first line containing text."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path.name}")


def excel_layout(source, target):
    """Our Excel-derived layout: Title and Scale Name columns, empty cells, unpadded numbers."""
    target.mkdir()
    for path in source.glob("*.txt"):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        header = rows[0]
        if path.name in RATING_FILES:
            code = header.index("O*NET-SOC Code")
            scale = header.index("Scale ID") if "Scale ID" in header else None
            for number, row in enumerate(rows):
                if scale is not None:
                    name = {"IM": "Importance", "LV": "Level"}.get(row[scale], "Category")
                    row.insert(scale + 1, "Scale Name" if number == 0 else name)
                row.insert(code + 1, "Title" if number == 0 else TITLES[row[code]])
        for row in rows[1:]:
            for index, cell in enumerate(row):
                if cell == "n/a":
                    row[index] = ""
                elif NUMBER.match(cell):
                    row[index] = cell.rstrip("0").rstrip(".")
        (target / path.name).write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return target


@pytest.fixture
def release_dir(tmp_path):
    """A copy of the official-layout fixture files that a test may break."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "official"))


@pytest.fixture(params=["official", "excel"])
def any_layout(request, tmp_path):
    if request.param == "official":
        return FIXTURES
    return excel_layout(FIXTURES, tmp_path / "excel")


# -- the figures (no database) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "onet_level, level",
    [("0", "0.00"), ("3.5", "2.00"), ("5.25", "3.00"), ("6.1", "3.49"), ("7", "4.00"), ("7.0000", "4.00")],
)
def test_rescale_level_maps_0_to_7_onto_0_to_4(onet_level, level):
    assert onet.rescale_level(onet_level) == Decimal(level)


@pytest.mark.parametrize("importance, level", [("1", "0.00"), ("2.5", "1.50"), ("4.5", "3.50"), ("5", "4.00")])
def test_soft_level_is_linear_in_importance(importance, level):
    assert onet.soft_level(importance) == Decimal(level)


@pytest.mark.parametrize("anchor, level", [("0", 0), ("2", 1), ("4", 2), ("6", 3), ("7", 4)])
def test_anchor_level_rounds_to_the_nearest_whole_level(anchor, level):
    assert onet.anchor_level(anchor) == level


@pytest.mark.parametrize(
    "description, span",
    [
        ("None", (0, 0)),
        ("None or short demonstration", (0, 0)),
        ("Up to and including 1 month", (0, 1)),
        ("Anything beyond short demonstration, up to and including 1 month", (0, 1)),
        ("Over 3 months, up to and including 6 months", (3, 6)),
        ("Over 6 months, up to and including 1 year", (6, 12)),
        ("Over 4 years, up to and including 10 years", (48, 120)),
        ("Over 10 years", (120, 120)),
        ("Whenever convenient", None),
    ],
)
def test_months_come_from_the_category_text(description, span):
    expected = None if span is None else (Decimal(span[0]), Decimal(span[1]))
    assert onet.months(description) == expected


def test_both_layouts_read_the_same(tmp_path):
    official = onet.read_release(FIXTURES)
    assert onet.read_release(excel_layout(FIXTURES, tmp_path / "excel")) == official
    assert len(official.occupations) == 4


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(release_dir):
    for path in release_dir.glob("*.txt"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert onet.read_release(release_dir) == onet.read_release(FIXTURES)


def test_text_that_is_not_utf8_is_reported(release_dir):
    path = release_dir / onet.ALTERNATE_TITLES
    path.write_bytes(path.read_bytes() + "99-0002.00\tR\u00e9viseur\tn/a\t10\n".encode("latin-1"))
    with pytest.raises(onet.OnetError, match=f"{onet.ALTERNATE_TITLES}, line 8: is not UTF-8 text"):
        onet.read_release(release_dir)


# -- importing the fixture ---------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_careers_with_provenance(any_layout):
    run(any_layout)

    assert set(Career.objects.values_list("onet_code", flat=True)) == set(TITLES)
    career = Career.objects.get(onet_code="99-0001.00")
    assert career.title == "Widget Assemblers"
    assert career.slug == "widget-assemblers-99-0001-00"
    assert career.summary.startswith("Fit widget parts together")
    assert career.source == Career.Source.ONET
    assert career.attribution == onet.ATTRIBUTION
    assert "O*NET 29.3 Database" in career.attribution and "CC BY 4.0" in career.attribution
    assert career.job_zone == 2
    assert Career.objects.get(onet_code="99-0004.00").job_zone is None


@pytest.mark.django_db
def test_skills_keep_importance_rescale_level_and_drop_suppressed_or_unimportant(any_layout):
    run(any_layout)

    assert requirements("99-0001.00") == {
        # LV 3.5 and 5.25 on 0-7 are 2.00 and 3.00 on 0-4; IM 4.125 rounds to 4.13.
        "Monitoring": ("technical", Decimal("3.50"), Decimal("2.00")),
        "Quality Control Analysis": ("technical", Decimal("4.13"), Decimal("3.00")),
        # Exactly at the 2.5 threshold is kept; LV 7 is the top of our scale.
        "Programming": ("technical", Decimal("2.50"), Decimal("4.00")),
        # Work style importance 4.5 asks for level 3.5.
        "Attention to Detail": ("soft", Decimal("4.50"), Decimal("3.50")),
        # Not here: Active Listening (IM 2.49), Reading Comprehension (suppressed),
        # Writing (LV not relevant), Dependability (IM 2.0), Cooperation (suppressed).
    }
    assert requirements("99-0002.00") == {
        "Monitoring": ("technical", Decimal("2.75"), Decimal("0.00")),
        "Quality Control Analysis": ("technical", Decimal("4.88"), Decimal("3.49")),
        "Attention to Detail": ("soft", Decimal("5.00"), Decimal("4.00")),
        "Dependability": ("soft", Decimal("2.50"), Decimal("1.50")),
    }
    assert requirements("99-0004.00") == {}


@pytest.mark.django_db
def test_skills_get_element_ids_descriptions_and_level_examples():
    run(FIXTURES)

    monitoring = Skill.objects.get(name="Monitoring")
    assert monitoring.external_id == "2.A.2.d"
    assert monitoring.kind == Skill.Kind.TECHNICAL
    assert monitoring.description == "Watching how work is going and correcting course."
    # Anchors 2, 4 and 6 on O*NET's 0-7 scale sit nearest our levels 1, 2 and 3.
    assert monitoring.level_examples == {
        "1": "Spot a typo in your own note",
        "2": "Keep a shift meeting on its agenda",
        "3": "Review a plant's output and plan improvements",
    }
    assert Skill.objects.get(name="Attention to Detail").kind == Skill.Kind.SOFT
    assert Skill.objects.get(name="Programming").level_examples == {}


@pytest.mark.django_db
def test_education_experience_and_training_become_next_steps():
    run(FIXTURES)

    assemblers = Career.objects.get(onet_code="99-0001.00")
    assert assemblers.education_required == Education.HIGH_SCHOOL
    assert assemblers.typical_education == "High School Diploma"
    steps = [
        (s.kind, s.title, s.months_min, s.months_max, s.cost_min, s.cost_max)
        for s in assemblers.learning_steps.all()
    ]
    # Most said no related experience was needed, so there is no experience step; the
    # on-the-job tie (50% / 50%) goes to the shorter category.
    assert steps == [
        ("education", "High School Diploma", 0, 0, None, None),
        ("training", "On-site or in-plant training", 0, 1, None, None),
        ("training", "On-the-job training", 0, 1, None, None),
    ]
    assert "70%" in assemblers.learning_steps.get(kind="education").description

    # The suppressed 45% for a bachelor's degree does not count.
    inspectors = Career.objects.get(onet_code="99-0002.00")
    assert inspectors.education_required == Education.ASSOCIATE
    experience = inspectors.learning_steps.get(kind="experience")
    assert (experience.title, experience.months_min, experience.months_max) == ("Related work experience", 3, 6)

    designers = Career.objects.get(onet_code="99-0003.00")
    assert designers.education_required == Education.BACHELOR
    experience = designers.learning_steps.get(kind="experience")
    assert (experience.months_min, experience.months_max) == (120, 120)
    assert "over 10 years" in experience.description

    archivists = Career.objects.get(onet_code="99-0004.00")
    assert archivists.education_required is None
    assert not archivists.learning_steps.exists()


@pytest.mark.django_db
def test_experience_and_training_build_every_required_skill_and_education_earns_a_credential(any_layout):
    run(any_layout)

    # Every skill the career requires (Skills.txt and Work Styles.txt) is built by each of its
    # experience and training steps; the education step earns its credential and, with no
    # knowledge imported, builds no skill.
    assemblers = set(requirements("99-0001.00"))
    assert assemblers == {"Monitoring", "Quality Control Analysis", "Programming", "Attention to Detail"}
    assert step_skills("99-0001.00") == {
        "High School Diploma": (Education.HIGH_SCHOOL, set()),
        "On-site or in-plant training": (None, assemblers),
        "On-the-job training": (None, assemblers),
    }
    assert step_skills("99-0002.00") == {
        "Associate's Degree (or other 2-year degree)": (Education.ASSOCIATE, set()),
        "Related work experience": (None, set(requirements("99-0002.00"))),
    }
    assert step_skills("99-0003.00") == {
        "Bachelor's Degree": (Education.BACHELOR, set()),
        "Related work experience": (None, {"Programming"}),
    }
    # The credential is the career's required education: what a plan puts first when it is not met.
    for career in Career.objects.filter(source=Career.Source.ONET, education_required__isnull=False):
        assert career.learning_steps.get(kind=LearningStep.Kind.EDUCATION).credential == career.education_required


@pytest.mark.django_db
def test_where_none_is_typical_for_all_experience_and_training_on_the_job_training_builds_the_skills(release_dir):
    # Most now say 99-0002.00 needs no related experience, and "none" leads its on-the-job
    # training too; 99-0003.00 gets the same on-the-job answers but keeps its experience step.
    edit(release_dir / onet.EDUCATION, "\tRW\t4\t80.0000\t", "\tRW\t4\t20.0000\t")
    edit(release_dir / onet.EDUCATION, "\tRW\t1\t20.0000\t", "\tRW\t1\t80.0000\t")
    with (release_dir / onet.EDUCATION).open("a", encoding="utf-8") as handle:
        for code in ("99-0002.00", "99-0003.00"):
            for category, percent in ((1, "40.0000"), (2, "25.0000"), (3, "35.0000")):
                handle.write(
                    f"{code}\t3.A.3\tOn-the-Job Training\tOJ\t{category}\t{percent}\t25\t5.0000\tn/a\tn/a\tN"
                    "\t08/2023\tIncumbent\n"
                )
    run(release_dir)

    assert step_skills("99-0002.00") == {
        "Associate's Degree (or other 2-year degree)": (Education.ASSOCIATE, set()),
        "On-the-job training": (None, set(requirements("99-0002.00"))),
    }
    training = LearningStep.objects.get(career__onet_code="99-0002.00", title="On-the-job training")
    assert (training.kind, training.months_min, training.months_max) == ("training", 1, 3)
    assert training.description == (
        "Most often reported: none (40% of O*NET respondents); the most common other answer (35%): "
        "over 1 month, up to and including 3 months."
    )
    assert set(step_skills("99-0003.00")) == {"Bachelor's Degree", "Related work experience"}


@pytest.mark.django_db
def test_alternate_titles_related_careers_and_technologies():
    run(FIXTURES)

    assemblers = Career.objects.get(onet_code="99-0001.00")
    assert sorted(assemblers.alternate_titles.values_list("title", flat=True)) == [
        "Line Assembler", "Production Associate", "Widget Fitter",
    ]
    # The supplemental relation to 99-0003.00 is left out.
    assert list(assemblers.related.values_list("onet_code", flat=True)) == ["99-0002.00"]
    # Hot technologies first, each name once.
    assert assemblers.technologies == ["Microsoft Excel", "Barcode reader software", "Spreadsheet software"]
    designers = Career.objects.get(onet_code="99-0003.00")
    assert designers.technologies == ["Autodesk AutoCAD", "Python", "Computer aided design CAD software"]
    assert list(designers.alternate_titles.values_list("title", flat=True)) == ["Sprocket Engineer"]


@pytest.mark.django_db
def test_search_finds_careers_by_alternate_title():
    run(FIXTURES)

    for words in ("production associate", "assembler", "ASSEMBLER"):
        assert "99-0001.00" in Career.objects.search(words).values_list("onet_code", flat=True)
    assert not Career.objects.search("assembler").filter(onet_code="99-0002.00").exists()


@pytest.mark.django_db
def test_technologies_are_capped(release_dir):
    with (release_dir / onet.TECHNOLOGY).open("a", encoding="utf-8") as handle:
        for number in range(40):
            handle.write(f"99-0002.00\tTool {number:02}\t43232110\tSpreadsheet software\tN\tN\n")
    run(release_dir)

    technologies = Career.objects.get(onet_code="99-0002.00").technologies
    assert len(technologies) == onet.MAX_TECHNOLOGIES
    assert technologies[0] == "Tool 00"


@pytest.mark.django_db
def test_progress_and_counts_are_reported():
    out = run(FIXTURES)

    assert f"Read {onet.SKILLS}: 18 rows" in out
    assert "Careers: 4 created, 0 updated, 0 deleted" in out
    assert "Skill requirements: 9 created, 0 updated, 0 deleted" in out
    # 4 skills on each of 99-0001.00's two training steps and 99-0002.00's experience step, 1 on
    # 99-0003.00's experience step.
    assert "Learning step skills: 13 created, 0 updated, 0 deleted" in out
    # 9 skills + 4 careers + 9 requirements + 7 steps + 13 step skills + 5 alternate titles
    # + 3 relations.
    assert out.rstrip().endswith("Imported 4 O*NET careers: 50 created, 0 updated, 0 deleted.")


@pytest.mark.django_db
def test_import_writes_in_bulk(django_assert_max_num_queries):
    # One read and one bulk write per table (per batch of 1,000), and one read of the new
    # skills', careers' and steps' ids, never a query per row: the fixture has 50 rows to create.
    with django_assert_max_num_queries(22):
        run(FIXTURES)


# -- idempotence, updates, dry run --------------------------------------------------------------


@pytest.mark.django_db
def test_second_run_changes_nothing():
    run(FIXTURES)
    before, version = dump(), CatalogVersion.current()

    out = run(FIXTURES)

    assert dump() == before
    assert CatalogVersion.current() == version  # matching tables stay valid
    assert "Learning step skills: 0 created, 0 updated, 0 deleted" in out
    assert "Imported 4 O*NET careers: 0 created, 0 updated, 0 deleted." in out


@pytest.mark.django_db
def test_an_earlier_import_gains_the_credentials_and_step_skills():
    """A catalog imported before steps had credentials and skills gets them on the next run."""
    run(FIXTURES)
    expected = {code: step_skills(code) for code in TITLES}
    LearningStep.skills.through.objects.all().delete()
    LearningStep.objects.update(credential=None)
    version = CatalogVersion.current()

    with CaptureQueriesContext(connection) as queries:
        out = run(FIXTURES)

    assert {code: step_skills(code) for code in TITLES} == expected
    assert "Learning steps: 0 created, 3 updated, 0 deleted" in out
    assert "Learning step skills: 13 created, 0 updated, 0 deleted" in out
    assert CatalogVersion.current() != version
    # The 13 links are one bulk insert, not one per step or per skill.
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "careers_learningstep_skills"')]
    assert len(inserts) == 1


@pytest.mark.django_db
def test_changed_release_updates_rows_and_keeps_the_slug(release_dir):
    run(release_dir)
    version = CatalogVersion.current()
    edit(release_dir / onet.OCCUPATIONS, "Gadget Inspectors", "Gadget Testers")
    # Monitoring drops below the threshold for 99-0001.00.
    edit(release_dir / onet.SKILLS, "Monitoring\tIM\t3.5000", "Monitoring\tIM\t2.0000")

    with CaptureQueriesContext(connection) as queries:
        out = run(release_dir)

    assert CatalogVersion.current() != version
    # One token write for the whole import, not one per row it updated or deleted.
    assert sum('UPDATE "careers_catalogversion"' in q["sql"] for q in queries) == 1

    testers = Career.objects.get(onet_code="99-0002.00")
    assert (testers.title, testers.slug) == ("Gadget Testers", "gadget-inspectors-99-0002-00")
    assert "Monitoring" not in requirements("99-0001.00")
    assert "Careers: 0 created, 1 updated, 0 deleted" in out
    assert "Skill requirements: 0 created, 0 updated, 1 deleted" in out
    # Both training steps stop building the skill the career no longer requires.
    assert "Learning step skills: 0 created, 0 updated, 2 deleted" in out
    assert step_skills("99-0001.00")["On-the-job training"][1] == {
        "Quality Control Analysis", "Programming", "Attention to Detail",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "run"])
def test_a_step_that_goes_takes_its_skills_with_it(release_dir, dry_run):
    run(release_dir)
    # Most respondents now say 99-0002.00 needs no related experience: the step goes, and with
    # it the four skills it built, counted the same in a dry run.
    edit(release_dir / onet.EDUCATION, "\tRW\t4\t80.0000\t", "\tRW\t4\t20.0000\t")
    edit(release_dir / onet.EDUCATION, "\tRW\t1\t20.0000\t", "\tRW\t1\t80.0000\t")

    out = run(release_dir, *(["--dry-run"] if dry_run else []))

    assert "Learning steps: 0 created, 0 updated, 1 deleted" in out
    assert "Learning step skills: 0 created, 0 updated, 4 deleted" in out
    titles = set(step_skills("99-0002.00"))
    assert ("Related work experience" in titles) is dry_run
    remaining = LearningStep.skills.through.objects.filter(learningstep__career__onet_code="99-0002.00")
    assert remaining.count() == (4 if dry_run else 0)


@pytest.mark.django_db
def test_dry_run_writes_nothing(release_dir):
    out = run(release_dir, "--dry-run")
    assert Career.objects.count() == 0 and Skill.objects.count() == 0
    assert "Dry run, nothing written. Would have: 50 created, 0 updated, 0 deleted." in out

    run(release_dir)
    before, version = dump(), CatalogVersion.current()
    edit(release_dir / onet.OCCUPATIONS, "Gadget Inspectors", "Gadget Testers")
    out = run(release_dir, "--dry-run")
    assert dump() == before and CatalogVersion.current() == version
    assert "Careers: 0 created, 1 updated, 0 deleted" in out


# -- the built-in guide catalog -----------------------------------------------------------------


@pytest.mark.django_db
def test_guide_careers_and_our_skill_texts_are_left_alone():
    detail = make_skill("Attention to Detail", kind=Skill.Kind.SOFT, description="Our own words.",
                        level_examples={"2": "Our own example."})
    monitoring = make_skill("monitoring", description="")
    guide = make_career(
        "Production Associate", slug="production-associate", onet_reference="99-0001.00",
        requirements=[(detail, "soft", 5, 3), (monitoring, "technical", 4, 2)],
    )
    guide_before = list(Career.objects.filter(pk=guide.pk).values()), list(guide.requirements.values())

    run(FIXTURES)

    assert (list(Career.objects.filter(pk=guide.pk).values()), list(guide.requirements.values())) == guide_before
    detail.refresh_from_db()
    monitoring.refresh_from_db()
    # Matched by name (case-insensitively), given the element id; our texts are kept and
    # only empty ones are filled in.
    assert (detail.external_id, detail.description, detail.level_examples) == (
        "1.C.5.b", "Our own words.", {"2": "Our own example."}
    )
    assert (monitoring.name, monitoring.external_id) == ("monitoring", "2.A.2.d")
    assert monitoring.description == "Watching how work is going and correcting course."
    assert Skill.objects.filter(name__iexact="monitoring").count() == 1
    assert "monitoring" in requirements("99-0001.00")
    assert Career.objects.filter(onet_code=guide.onet_reference).exists()


@pytest.mark.django_db
def test_an_onet_code_held_by_a_guide_career_stops_the_import():
    make_career("Widget Assemblers (guide)", onet_code="99-0001.00")
    before = dump()

    with pytest.raises(CommandError, match="99-0001.00 already belongs to a career"):
        run(FIXTURES)
    assert dump() == before


# -- bad releases ------------------------------------------------------------------------------


def break_missing_file(directory):
    (directory / onet.JOB_ZONES).unlink()
    return f"{onet.JOB_ZONES}: file not found"


def break_missing_column(directory):
    edit(directory / onet.SKILLS, "\tData Value\t", "\tValue\t")
    return f"{onet.SKILLS}, line 1, column 'Data Value': column missing"


def break_missing_optional_column_in_skills(directory):
    edit(directory / onet.SKILLS, "\tNot Relevant\t", "\tRelevant\t")
    return f"{onet.SKILLS}, line 1, column 'Not Relevant': column missing"


def break_non_numeric_value(directory):
    path = directory / onet.SKILLS
    line = line_of(path, "Programming\tLV\t7.0000")
    edit(path, "Programming\tLV\t7.0000", "Programming\tLV\tseven")
    return f"{onet.SKILLS}, line {line}, column 'Data Value': 'seven' is not a number"


def break_importance_out_of_range(directory):
    path = directory / onet.WORK_STYLES
    line = line_of(path, "\t4.5000\t")
    edit(path, "\t4.5000\t", "\t5.5000\t")
    return f"{onet.WORK_STYLES}, line {line}, column 'Data Value': 5.5000 is outside 1-5"


def break_level_out_of_range(directory):
    path = directory / onet.SKILLS
    line = line_of(path, "Programming\tLV\t7.0000")
    edit(path, "Programming\tLV\t7.0000", "Programming\tLV\t7.5000")
    return f"{onet.SKILLS}, line {line}, column 'Data Value': 7.5000 is outside 0-7"


def break_job_zone(directory):
    path = directory / onet.JOB_ZONES
    edit(path, "99-0003.00\t4\t", "99-0003.00\t6\t")
    return f"{onet.JOB_ZONES}, line 4, column 'Job Zone': 6 is outside 1-5"


def break_unknown_occupation(directory):
    path = directory / onet.ALTERNATE_TITLES
    line = line_of(path, "Quality Checker")
    edit(path, "99-0002.00\tQuality Checker", "99-9999.00\tQuality Checker")
    return f"{onet.ALTERNATE_TITLES}, line {line}, column 'O*NET-SOC Code': unknown occupation code '99-9999.00'"


def break_unknown_related_occupation(directory):
    edit(directory / onet.RELATED, "99-0001.00\t99-0003.00", "99-0001.00\t99-0008.00")
    return f"{onet.RELATED}, line 3, column 'Related O*NET-SOC Code': unknown occupation code '99-0008.00'"


def break_short_row(directory):
    path = directory / onet.OCCUPATIONS
    edit(path, "99-0003.00\tSprocket Designers\t", "99-0003.00 Sprocket Designers ")
    return f"{onet.OCCUPATIONS}, line 4, column 'Title': row has 1 cells, the header has 3"


def break_unknown_category(directory):
    path = directory / onet.EDUCATION
    line = line_of(path, "\tRW\t11\t")
    edit(path, "\tRW\t11\t", "\tRW\t12\t")
    return f"{onet.EDUCATION}, line {line}, column 'Category': category 12 of scale RW is not in"


def break_suppress_flag(directory):
    path = directory / onet.WORK_STYLES
    line = line_of(path, "\t4.5000\t")
    edit(path, "\t4.5000\t28\t0.1100\t4.2000\t4.8000\tN\t", "\t4.5000\t28\t0.1100\t4.2000\t4.8000\tmaybe\t")
    return f"{onet.WORK_STYLES}, line {line}, column 'Recommend Suppress': 'maybe' should be Y or N"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "breakage",
    [
        break_missing_file, break_missing_column, break_missing_optional_column_in_skills,
        break_non_numeric_value, break_importance_out_of_range, break_level_out_of_range,
        break_job_zone, break_unknown_occupation, break_unknown_related_occupation,
        break_short_row, break_unknown_category, break_suppress_flag,
    ],
)
def test_bad_release_names_file_line_and_column_and_changes_nothing(release_dir, tmp_path, breakage):
    run(excel_layout(FIXTURES, tmp_path / "earlier"))  # an earlier import that must survive
    Career.objects.filter(onet_code="99-0002.00").update(title="Edited earlier")
    before = dump()
    message = breakage(release_dir)

    with pytest.raises(CommandError) as raised:
        run(release_dir)

    assert message in str(raised.value)
    assert dump() == before


def test_missing_directory_is_reported(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import_onet", str(tmp_path / "nowhere"), stdout=StringIO())


@pytest.mark.django_db
def test_failure_while_writing_rolls_everything_back(monkeypatch):
    run(FIXTURES)
    Career.objects.filter(onet_code="99-0002.00").update(title="Edited earlier")
    before = dump()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # Careers, requirements and steps are written before the alternate titles fail.
    monkeypatch.setattr(AlternateTitle.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        run(FIXTURES)
    assert dump() == before


# -- the real release ----------------------------------------------------------------------------


def onet_dir():
    return Path(os.environ.get("ONET_DIR") or Path(settings.BASE_DIR).parent / "shared" / "onet")


@pytest.mark.slow
@pytest.mark.django_db
def test_full_release_imports():
    directory = onet_dir()
    if not (directory / onet.OCCUPATIONS).is_file():
        message = f"The O*NET 29.3 copy is not at {directory} (set ONET_DIR to point at it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    run(directory)

    careers = Career.objects.filter(source=Career.Source.ONET)
    assert 1000 <= careers.count() <= 1030
    assemblers = careers.get(onet_code="51-2092.00")
    assert assemblers.title == "Team Assemblers"
    assert assemblers.job_zone == 2
    assert {"Quality Control Analysis", "Monitoring"} <= set(requirements("51-2092.00"))
    assert SkillRequirement.objects.filter(importance__lt=onet.MIN_IMPORTANCE).count() == 0
    assert "51-2092.00" in Career.objects.search("production associate").values_list("onet_code", flat=True)
    assert "51-2092.00" in Career.objects.search("assembler").values_list("onet_code", flat=True)

    # Experience and training steps build every skill their career requires; education steps
    # earn a credential and build none. So a plan for an all-zero assessment is never empty.
    required = {}
    for career, skill in SkillRequirement.objects.filter(career__in=careers).values_list("career_id", "skill_id"):
        required.setdefault(career, set()).add(skill)
    Link = LearningStep.skills.through
    built = {}
    for step, skill in Link.objects.filter(learningstep__career__in=careers).values_list("learningstep_id", "skill_id"):
        built.setdefault(step, set()).add(skill)
    steps = list(LearningStep.objects.filter(career__in=careers).values_list("pk", "career_id", "kind", "credential"))
    education = [(pk, credential) for pk, _career, kind, credential in steps if kind == LearningStep.Kind.EDUCATION]
    assert education and all(credential is not None and pk not in built for pk, credential in education)
    building = [(pk, career) for pk, career, kind, _credential in steps if kind != LearningStep.Kind.EDUCATION]
    assert [pk for pk, career in building if built.get(pk, set()) != required.get(career, set())] == []
    planned = {career for pk, career in building if built.get(pk)}
    unplanned = (set(required) & {career for _pk, career, _kind, _credential in steps}) - planned
    # Including the 16 careers where "none" is the most common answer for experience and both
    # kinds of training, which get an on-the-job training step from the other answers.
    assert sorted(careers.filter(pk__in=unplanned).values_list("onet_code", flat=True)) == []
    out = run(directory)
    assert "Learning step skills: 0 created, 0 updated, 0 deleted" in out
    assert "0 created, 0 updated, 0 deleted." in out


# -- with the built-in catalog, in either order ---------------------------------------------------


def load_catalog():
    out = StringIO()
    call_command("load_catalog", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["catalog first", "O*NET first"])
def test_catalog_and_import_work_in_either_order(order):
    steps = [load_catalog, lambda: run(FIXTURES)]
    for step in steps if order == "catalog first" else reversed(steps):
        step()
    guide = Career.objects.get(slug="production-associate")
    guide_rows = list(Career.objects.filter(source=Career.Source.GUIDE).order_by("pk").values())
    before = dump()

    # Running either again changes nothing.
    assert "0 created, 0 updated, 0 deleted." in run(FIXTURES)
    assert " 0 changed " in load_catalog()
    assert dump() == before

    assert list(Career.objects.filter(source=Career.Source.GUIDE).order_by("pk").values()) == guide_rows
    assert guide.requirements.count() == 20
    assert Career.objects.filter(source=Career.Source.ONET).count() == 4
    # The one skill both define is shared: the guide's words, O*NET's element id.
    detail = Skill.objects.get(name__iexact="attention to detail")
    assert detail.external_id == "1.C.5.b"
    assert detail.description != "Being careful and thorough with every part of a task."
    assert set(detail.requirements.values_list("career__title", flat=True)) >= {
        "Production Associate", "Widget Assemblers", "Gadget Inspectors",
    }


@pytest.mark.django_db
def test_loading_a_dump_gives_the_catalog_a_new_version(tmp_path):
    """A dump carries the token of the catalog it was taken from, which may not be this one."""
    old = CatalogVersion.current()
    fixture = tmp_path / "catalog.json"
    fixture.write_text(json.dumps([{"model": "careers.catalogversion", "pk": 1, "fields": {"token": old}}]))
    call_command("loaddata", str(fixture), stdout=StringIO())
    assert CatalogVersion.current() not in ("", old)
