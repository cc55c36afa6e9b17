"""The O*NET import: reading both file layouts, the figures it derives, and how it writes."""

import json
import re
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers import onet
from careers.models import (
    AlternateTitle, CatalogVersion, Career, Education, LearningStep, Skill, SkillRequirement, Source, WorkStyle,
)
from tests.factories import make_career, make_skill

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "onet"
# Files whose official text edition has no Title / Scale Name columns.
RATING_FILES = [onet.SKILLS, onet.KNOWLEDGE, onet.WORK_STYLES, onet.JOB_ZONES, onet.EDUCATION]
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
            Skill, Career, SkillRequirement, WorkStyle, LearningStep, LearningStep.skills.through, AlternateTitle,
            Career.related.through,
        )
    }


def step_skills(code):
    """{step title: (credential, {(name, kind) of each skill it builds})} for one career."""
    steps = LearningStep.objects.filter(career__onet_code=code).prefetch_related("skills")
    return {step.title: (step.credential, {(s.name, s.kind) for s in step.skills.all()}) for step in steps}


def requirements(code):
    """{(skill name, kind): (importance, level, scale_max)} for one career."""
    rows = SkillRequirement.objects.filter(career__onet_code=code).select_related("skill")
    return {(row.skill.name, row.skill.kind): (row.importance, row.level, row.scale_max) for row in rows}


def work_styles(code):
    rows = WorkStyle.objects.filter(career__onet_code=code).select_related("skill")
    return {row.skill.name: row.importance for row in rows}


TECHNICAL, SOFT, KNOWLEDGE, STYLE = Skill.Kind.TECHNICAL, Skill.Kind.SOFT, Skill.Kind.KNOWLEDGE, Skill.Kind.STYLE


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


@pytest.mark.parametrize("value, key", [("2", "2"), ("4.0000", "4"), ("6.0", "6"), ("1", "1"), ("3.5", "3.5")])
def test_an_anchor_is_keyed_by_its_own_value_on_0_to_7(value, key):
    assert onet.anchor_key(value) == key


@pytest.mark.parametrize(
    "element_id, kind, category",
    [
        ("2.A.1.b", Skill.Kind.TECHNICAL, "2.A"),  # Active Listening: a basic skill
        ("2.A.2.a", Skill.Kind.TECHNICAL, "2.A"),  # Critical Thinking
        ("2.B.1.a", Skill.Kind.SOFT, "2.B.1"),  # Social Perceptiveness: O*NET's social skills are our soft ones
        ("2.B.2.i", Skill.Kind.TECHNICAL, "2.B.2"),
        ("2.B.3.m", Skill.Kind.TECHNICAL, "2.B.3"),
        ("2.B.5.a", Skill.Kind.TECHNICAL, "2.B.5"),
        ("2.C.4.a", Skill.Kind.KNOWLEDGE, "2.C"),
        ("2.C.10", Skill.Kind.KNOWLEDGE, "2.C"),
        ("1.C.5.b", Skill.Kind.STYLE, "1.C"),
        ("1.C.6", Skill.Kind.STYLE, "1.C"),
    ],
)
def test_kind_and_category_follow_the_content_model(element_id, kind, category):
    assert (onet.kind_of(element_id), onet.category_id(element_id)) == (kind, category)


def rated(element_id, importance, level):
    return onet.Requirement("99-0001.00", element_id, Decimal(importance), Decimal(level))


def test_asked_keeps_important_requirements_most_important_first_and_at_most_forty():
    below = rated("2.A.1.a", "2.99", "6")
    at = rated("2.A.1.b", "3.00", "1")
    assert onet.asked([below, at]) == [at]

    # 45 important ones: the 40 kept are the most important; a tie goes to the higher level,
    # then the lower element id, whatever order the file gave them in.
    many = [rated(f"2.B.3.{n:02}", "4.00", "3") for n in range(40)]
    top = rated("2.C.9.a", "4.50", "1")
    higher = rated("2.C.9.z", "4.00", "3.01")
    lower = rated("2.C.9.b", "4.00", "2.99")
    lost = [rated(f"2.B.3.{n:02}", "4.00", "3") for n in range(40, 43)]
    kept = onet.asked(list(reversed(many + lost)) + [lower, below, higher, top])
    assert len(kept) == onet.MAX_ASKED == 40
    assert kept[:2] == [top, higher]
    assert kept[2:] == many[:38]
    assert lower not in kept and not set(lost) & set(kept)


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
    assert career.attribution == onet.attribution()
    assert "O*NET 29.3 Database" in career.attribution and "CC BY 4.0" in career.attribution
    assert onet.MODIFIED in career.attribution and onet.LICENSE_URL in career.attribution
    assert career.job_zone == 2
    assert Career.objects.get(onet_code="99-0004.00").job_zone is None


@pytest.mark.django_db
def test_skills_and_knowledge_keep_o_nets_figures_on_its_own_scales(any_layout):
    run(any_layout)

    assert requirements("99-0001.00") == {
        # IM and LV as O*NET gives them, LV on its 0-7 scale; IM 4.125 is 4.13 to two decimals.
        ("Monitoring", TECHNICAL): (Decimal("3.50"), Decimal("3.50"), 7),
        ("Quality Control Analysis", TECHNICAL): (Decimal("4.13"), Decimal("5.25"), 7),
        # Exactly at the 3.0 threshold is kept; LV 7 is the top of O*NET's scale.
        ("Programming", TECHNICAL): (Decimal("3.00"), Decimal("7.00"), 7),
        ("Mathematics", KNOWLEDGE): (Decimal("3.20"), Decimal("2.90"), 7),
        ("Mechanical", KNOWLEDGE): (Decimal("3.00"), Decimal("4.14"), 7),
        # Not here: Active Listening and Customer and Personal Service (IM 2.99), Reading
        # Comprehension (IM suppressed), Writing (LV not relevant), and no work style.
    }
    assert requirements("99-0002.00") == {
        ("Monitoring", TECHNICAL): (Decimal("3.25"), Decimal("0.00"), 7),
        ("Quality Control Analysis", TECHNICAL): (Decimal("4.88"), Decimal("6.10"), 7),
        ("Coordination", SOFT): (Decimal("3.75"), Decimal("3.12"), 7),
        ("Mathematics", KNOWLEDGE): (Decimal("3.50"), Decimal("3.00"), 7),
        # Not here: Mechanical (LV suppressed), Customer and Personal Service (not relevant).
    }
    # The skill and the knowledge area called Mathematics are two requirements.
    assert requirements("99-0003.00") == {
        ("Programming", TECHNICAL): (Decimal("4.50"), Decimal("6.00"), 7),
        ("Mathematics", TECHNICAL): (Decimal("3.50"), Decimal("4.00"), 7),
        ("Mathematics", KNOWLEDGE): (Decimal("4.25"), Decimal("5.50"), 7),
    }
    assert requirements("99-0004.00") == {}
    assert not SkillRequirement.objects.filter(skill__kind=STYLE).exists()


@pytest.mark.django_db
def test_work_styles_are_importance_only_and_never_requirements(any_layout):
    run(any_layout)

    # Every usable importance row, whatever its value; the suppressed Cooperation row is left out.
    assert work_styles("99-0001.00") == {"Attention to Detail": Decimal("4.50"), "Dependability": Decimal("2.00")}
    assert work_styles("99-0002.00") == {"Attention to Detail": Decimal("5.00"), "Dependability": Decimal("2.50")}
    assert work_styles("99-0003.00") == {}
    styles = Skill.objects.filter(kind=STYLE)
    assert set(styles.values_list("name", "category")) == {
        ("Attention to Detail", "Work Styles"), ("Dependability", "Work Styles"), ("Cooperation", "Work Styles"),
    }
    assert not SkillRequirement.objects.filter(skill__in=styles).exists()
    assert not LearningStep.skills.through.objects.filter(skill__in=styles).exists()


@pytest.mark.django_db
def test_each_element_is_an_onet_skill_with_o_nets_kind_category_description_and_anchors():
    run(FIXTURES)

    skills = {(s.external_id): s for s in Skill.objects.all()}
    assert all(skill.source == Source.ONET for skill in skills.values())
    assert len(skills) == 14  # 8 skills, 3 knowledge areas, 3 work styles: every element rated
    monitoring = skills["2.A.2.d"]
    assert (monitoring.name, monitoring.kind, monitoring.category) == ("Monitoring", TECHNICAL, "Basic Skills")
    assert monitoring.description == "Watching how work is going and correcting course."
    # O*NET's anchors at their own values on its 0-7 scale.
    assert monitoring.level_examples == {
        "2": "Spot a typo in your own note",
        "4": "Keep a shift meeting on its agenda",
        "6": "Review a plant's output and plan improvements",
    }
    assert (skills["2.B.3.m"].kind, skills["2.B.3.m"].category) == (TECHNICAL, "Technical Skills")
    assert (skills["2.B.1.b"].kind, skills["2.B.1.b"].category) == (SOFT, "Social Skills")
    assert (skills["2.A.1.e"].name, skills["2.A.1.e"].kind) == ("Mathematics", TECHNICAL)
    knowledge = skills["2.C.4.a"]
    assert (knowledge.name, knowledge.kind, knowledge.category) == ("Mathematics", KNOWLEDGE, "Knowledge")
    assert knowledge.description == "Knowing arithmetic, algebra, geometry, statistics and their uses."
    assert knowledge.level_examples == {
        "1": "Add up a till receipt", "4": "Read a trend from a sales chart", "6": "Prove a new result in algebra",
    }
    # Two anchors at one value are joined.
    assert skills["2.C.3.e"].level_examples == {"2": "Change a furnace filter; Oil a door hinge", "7": "Rebuild a jet engine"}
    assert skills["1.C.5.b"].level_examples == {}
    assert skills["2.B.3.e"].level_examples == {}


@pytest.mark.django_db
def test_education_experience_and_training_become_next_steps():
    run(FIXTURES)

    assemblers = Career.objects.get(onet_code="99-0001.00")
    assert assemblers.education_required == Education.HIGH_SCHOOL
    assert assemblers.typical_education == "High School Diploma"
    assert not assemblers.typical_education_uncertain
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
    assert assemblers.learning_steps.get(kind="education").description == (
        "The education most often required (70% of O*NET respondents): "
        "High School Diploma - or the equivalent (for example, GED)."
    )

    # The most common category over all rows, the suppressed 45% for a bachelor's degree
    # included: O*NET's own modal category, flagged uncertain, and the step says so.
    inspectors = Career.objects.get(onet_code="99-0002.00")
    assert inspectors.education_required == Education.BACHELOR
    assert (inspectors.typical_education, inspectors.typical_education_uncertain) == ("Bachelor's Degree", True)
    assert inspectors.learning_steps.get(kind="education").description == (
        "The education most often required (45% of O*NET respondents, a figure O*NET marks as uncertain): "
        "Bachelor's Degree."
    )
    experience = inspectors.learning_steps.get(kind="experience")
    assert (experience.title, experience.months_min, experience.months_max) == ("Related work experience", 3, 6)

    designers = Career.objects.get(onet_code="99-0003.00")
    assert (designers.education_required, designers.typical_education_uncertain) == (Education.BACHELOR, False)
    experience = designers.learning_steps.get(kind="experience")
    assert (experience.months_min, experience.months_max) == (120, 120)
    assert experience.description == (
        "Most often reported (60% of O*NET respondents, a figure O*NET marks as uncertain): over 10 years."
    )

    archivists = Career.objects.get(onet_code="99-0004.00")
    assert archivists.education_required is None
    assert (archivists.typical_education, archivists.typical_education_uncertain) == ("", False)
    assert not archivists.learning_steps.exists()


@pytest.mark.django_db
def test_experience_and_training_build_every_requirement_and_education_the_knowledge(any_layout):
    run(any_layout)

    # Each experience and training step builds every skill and knowledge area the career
    # requires (never a work style); the education step earns its credential and builds the
    # career's knowledge.
    assemblers = set(requirements("99-0001.00"))
    knowledge = {("Mathematics", KNOWLEDGE), ("Mechanical", KNOWLEDGE)}
    assert knowledge < assemblers and len(assemblers) == 5
    assert step_skills("99-0001.00") == {
        "High School Diploma": (Education.HIGH_SCHOOL, knowledge),
        "On-site or in-plant training": (None, assemblers),
        "On-the-job training": (None, assemblers),
    }
    assert step_skills("99-0002.00") == {
        "Bachelor's Degree": (Education.BACHELOR, {("Mathematics", KNOWLEDGE)}),
        "Related work experience": (None, set(requirements("99-0002.00"))),
    }
    assert step_skills("99-0003.00") == {
        "Bachelor's Degree": (Education.BACHELOR, {("Mathematics", KNOWLEDGE)}),
        "Related work experience": (None, {("Programming", TECHNICAL), ("Mathematics", TECHNICAL),
                                           ("Mathematics", KNOWLEDGE)}),
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
            # 99-0002.00's 35% is marked Recommend Suppress: still the most common other answer.
            for category, percent, suppress in ((1, "40.0000", "N"), (2, "25.0000", "N"), (3, "35.0000", "Y")):
                handle.write(
                    f"{code}\t3.A.3\tOn-the-Job Training\tOJ\t{category}\t{percent}\t25\t5.0000\tn/a\tn/a"
                    f"\t{suppress if code == '99-0002.00' else 'N'}\t08/2023\tIncumbent\n"
                )
    run(release_dir)

    assert step_skills("99-0002.00") == {
        "Bachelor's Degree": (Education.BACHELOR, {("Mathematics", KNOWLEDGE)}),
        "On-the-job training": (None, set(requirements("99-0002.00"))),
    }
    training = LearningStep.objects.get(career__onet_code="99-0002.00", title="On-the-job training")
    assert (training.kind, training.months_min, training.months_max) == ("training", 1, 3)
    assert training.description == (
        "Most often reported: none (40% of O*NET respondents); the most common other answer (35%, a figure "
        "O*NET marks as uncertain): over 1 month, up to and including 3 months."
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

    assert f"Read {onet.SKILLS}: 22 rows" in out
    assert f"Read {onet.KNOWLEDGE}: 14 rows" in out
    assert "Skills: 14 created, 0 updated, 0 deleted" in out
    assert "Careers: 4 created, 0 updated, 0 deleted" in out
    assert "Skill requirements: 12 created, 0 updated, 0 deleted" in out
    assert "Work styles: 4 created, 0 updated, 0 deleted" in out
    # 99-0001.00: 5 requirements on each of two training steps and its 2 knowledge areas on the
    # education step; 99-0002.00: 4 + 1; 99-0003.00: 3 + 1.
    assert "Learning step skills: 21 created, 0 updated, 0 deleted" in out
    # 14 skills + 4 careers + 12 requirements + 4 work styles + 7 steps + 21 step skills
    # + 5 alternate titles + 3 relations.
    assert out.rstrip().endswith("Imported 4 O*NET careers: 70 created, 0 updated, 0 deleted.")


@pytest.mark.django_db
def test_import_writes_in_bulk(django_assert_max_num_queries):
    # One read and one bulk write per table (per batch of 1,000), and one read of the new
    # skills', careers' and steps' ids, never a query per row: the fixture has 70 rows to create.
    with django_assert_max_num_queries(24):
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
    assert "Learning step skills: 21 created, 0 updated, 0 deleted" in out
    assert CatalogVersion.current() != version
    # The 21 links are one bulk insert, not one per step or per skill.
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
    assert ("Monitoring", TECHNICAL) not in requirements("99-0001.00")
    assert "Careers: 0 created, 1 updated, 0 deleted" in out
    assert "Skill requirements: 0 created, 0 updated, 1 deleted" in out
    # Both training steps stop building the skill the career no longer requires.
    assert "Learning step skills: 0 created, 0 updated, 2 deleted" in out
    assert step_skills("99-0001.00")["On-the-job training"][1] == {
        ("Quality Control Analysis", TECHNICAL), ("Programming", TECHNICAL), ("Mathematics", KNOWLEDGE),
        ("Mechanical", KNOWLEDGE),
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
    # The education step keeps building the career's one knowledge area.
    assert remaining.count() == (5 if dry_run else 1)


@pytest.mark.django_db
def test_dry_run_writes_nothing(release_dir):
    out = run(release_dir, "--dry-run")
    assert Career.objects.count() == 0 and Skill.objects.count() == 0
    assert "Dry run, nothing written. Would have: 70 created, 0 updated, 0 deleted." in out

    run(release_dir)
    before, version = dump(), CatalogVersion.current()
    edit(release_dir / onet.OCCUPATIONS, "Gadget Inspectors", "Gadget Testers")
    out = run(release_dir, "--dry-run")
    assert dump() == before and CatalogVersion.current() == version
    assert "Careers: 0 created, 1 updated, 0 deleted" in out


# -- the built-in guide catalog -----------------------------------------------------------------


@pytest.mark.django_db
def test_guide_careers_and_guide_skills_are_left_alone():
    # Guide skills that share a name with O*NET elements, one of them recording the O*NET
    # element that measures the same thing (the catalog's pointer), one with empty texts.
    detail = make_skill("Attention to Detail", kind=SOFT, external_id="1.C.5.b", description="Our own words.",
                        level_examples={"2": "Our own example."})
    monitoring = make_skill("monitoring", description="")
    guide = make_career(
        "Production Associate", slug="production-associate", onet_reference="99-0001.00",
        requirements=[(detail, "soft", 5, 3), (monitoring, "technical", 4, 2)],
    )
    guide_before = (
        list(Career.objects.filter(pk=guide.pk).values()), list(guide.requirements.values()),
        list(Skill.objects.filter(source=Source.GUIDE).values()),
    )

    run(FIXTURES)

    assert (
        list(Career.objects.filter(pk=guide.pk).values()), list(guide.requirements.values()),
        list(Skill.objects.filter(source=Source.GUIDE).values()),
    ) == guide_before
    # O*NET's elements are skills of their own, with O*NET's texts; the O*NET career asks for
    # those, never for the guide's.
    onet_detail = Skill.objects.get(source=Source.ONET, external_id="1.C.5.b")
    assert (onet_detail.name, onet_detail.kind) == ("Attention to Detail", STYLE)
    assert onet_detail.description == "Being careful and thorough with every part of a task."
    onet_monitoring = Skill.objects.get(source=Source.ONET, external_id="2.A.2.d")
    assert onet_monitoring.name == "Monitoring" and onet_monitoring.pk != monitoring.pk
    assert WorkStyle.objects.filter(career__onet_code="99-0001.00", skill=onet_detail).exists()
    onet_careers = Career.objects.filter(source=Career.Source.ONET)
    assert not SkillRequirement.objects.filter(career__in=onet_careers, skill__source=Source.GUIDE).exists()
    assert not WorkStyle.objects.filter(career__in=onet_careers, skill__source=Source.GUIDE).exists()
    assert Career.objects.filter(onet_code=guide.onet_reference).exists()


@pytest.mark.django_db
def test_an_onet_skill_edited_by_hand_gets_o_nets_texts_back(release_dir):
    run(release_dir)
    Skill.objects.filter(external_id="2.A.2.d").update(
        name="Watching", kind=SOFT, category="", description="Edited.", level_examples={"1": "Edited."}
    )
    edit(release_dir / onet.CONTENT_MODEL, "Watching how work is going", "Keeping an eye on how work is going")

    out = run(release_dir)

    monitoring = Skill.objects.get(source=Source.ONET, external_id="2.A.2.d")
    assert (monitoring.name, monitoring.kind, monitoring.category) == ("Monitoring", TECHNICAL, "Basic Skills")
    assert monitoring.description == "Keeping an eye on how work is going and correcting course."
    assert set(monitoring.level_examples) == {"2", "4", "6"}
    assert "Skills: 0 created, 1 updated, 0 deleted" in out


@pytest.mark.django_db
def test_an_onet_code_held_by_a_guide_career_stops_the_import():
    make_career("Widget Assemblers (guide)", onet_code="99-0001.00")
    before = dump()

    with pytest.raises(CommandError, match="99-0001.00 already belongs to a career"):
        run(FIXTURES)
    assert dump() == before


# -- a catalog imported by the earlier code ------------------------------------------------------


def guide_skills():
    """Guide skills that share names with O*NET elements: what the earlier import merged into."""
    return {
        "1.C.5.b": make_skill("Attention to Detail", kind=SOFT, description="Our own words."),
        "2.A.2.d": make_skill("monitoring"),
    }


def as_the_earlier_import_left_it(merged):
    """Rewrite a fresh import into what the import before O*NET's own scales wrote, as migration
    careers 0006 leaves it: elements merged into guide skills of the same name (the guide skill
    given the element id and any missing description), work styles as requirements at the level
    importance - 1, skill levels rescaled to 0-4 (scale_max 4), no knowledge, the old kinds and
    anchor keys, education steps building nothing, and the education chosen without suppressed rows."""
    onet_skills = Skill.objects.filter(source=Source.ONET)
    Skill.objects.filter(source=Source.ONET, kind=KNOWLEDGE).delete()
    for style in WorkStyle.objects.select_related("skill"):
        if style.importance >= Decimal("2.5"):
            level = ((style.importance - 1) * 4 / 4).quantize(Decimal("0.01"))
            SkillRequirement.objects.create(career=style.career, skill=style.skill, importance=style.importance,
                                            level=level, scale_max=4)
    WorkStyle.objects.all().delete()
    for requirement in SkillRequirement.objects.filter(career__source=Career.Source.ONET):
        if requirement.scale_max == 7:
            requirement.level = (requirement.level * 4 / 7).quantize(Decimal("0.01"))
            requirement.scale_max = 4
        requirement.save()
    for element_id, guide in merged.items():
        element = onet_skills.get(external_id=element_id)
        SkillRequirement.objects.filter(skill=element).update(skill=guide)
        guide.external_id = element_id
        guide.description = guide.description or element.description
        guide.save()
        element.delete()
    for skill in onet_skills:
        skill.kind = SOFT if skill.kind == STYLE else TECHNICAL
        skill.category = ""
        skill.level_examples = {str(round(int(k) * 4 / 7)): v for k, v in skill.level_examples.items()}
        skill.save()
    Link = LearningStep.skills.through
    Link.objects.all().delete()
    for step in LearningStep.objects.exclude(kind=LearningStep.Kind.EDUCATION):
        step.skills.set(step.career.requirements.values_list("skill", flat=True))
    Career.objects.filter(onet_code="99-0002.00").update(education_required=Education.ASSOCIATE)
    LearningStep.objects.filter(career__onet_code="99-0002.00", kind=LearningStep.Kind.EDUCATION).update(
        title="Associate's Degree (or other 2-year degree)", credential=Education.ASSOCIATE,
        description="The education most often required (30% of O*NET respondents): Associate's Degree.",
    )
    Career.objects.filter(source=Career.Source.ONET).update(
        attribution=onet.ATTRIBUTION, typical_education_uncertain=False, typical_education="Associate's Degree"
    )


def onet_catalog():
    """What the import writes for O*NET, by natural keys (no row ids), to compare two databases."""
    def skill_key(skill):
        return (skill.source, skill.external_id if skill.source == Source.ONET else skill.name)

    skills = {skill.pk: skill for skill in Skill.objects.all()}
    careers = Career.objects.filter(source=Career.Source.ONET)
    steps = {step.pk: step for step in LearningStep.objects.filter(career__in=careers).select_related("career")}
    return {
        "skills": sorted(
            (s.external_id, s.name, s.kind, s.category, s.description, json.dumps(s.level_examples, sort_keys=True))
            for s in skills.values() if s.source == Source.ONET
        ),
        "careers": sorted(careers.values_list(
            "onet_code", "title", "education_required", "typical_education", "typical_education_uncertain",
            "attribution",
        )),
        "requirements": sorted(
            (r.career.onet_code, skill_key(skills[r.skill_id]), r.importance, r.level, r.scale_max)
            for r in SkillRequirement.objects.filter(career__in=careers).select_related("career")
        ),
        "work styles": sorted(
            (w.career.onet_code, skill_key(skills[w.skill_id]), w.importance)
            for w in WorkStyle.objects.filter(career__in=careers).select_related("career")
        ),
        "steps": sorted(
            (s.career.onet_code, s.title, s.kind, s.description, s.months_min, s.months_max, s.credential)
            for s in steps.values()
        ),
        "step skills": sorted(
            (steps[step].career.onet_code, steps[step].title, skill_key(skills[skill]))
            for step, skill in LearningStep.skills.through.objects.filter(learningstep__in=steps)
            .values_list("learningstep_id", "skill_id")
        ),
    }


@pytest.mark.django_db
def test_a_catalog_imported_by_the_earlier_code_is_converted_in_one_run():
    merged = guide_skills()
    run(FIXTURES)
    fresh = onet_catalog()
    as_the_earlier_import_left_it(merged)
    onet_careers = Career.objects.filter(source=Career.Source.ONET)
    earlier = SkillRequirement.objects.filter(career__in=onet_careers)
    # The earlier state really is the earlier one.
    assert earlier.filter(skill__source=Source.GUIDE).exists()
    assert earlier.filter(skill__name="Dependability", scale_max=4).exists()
    assert not earlier.filter(scale_max=7).exists()
    guide_before = list(Skill.objects.filter(source=Source.GUIDE).values())

    out = run(FIXTURES)

    # What a fresh import gives: no requirement on a guide skill or a work style, all on 0-7.
    assert onet_catalog() == fresh
    requirements = SkillRequirement.objects.filter(career__in=onet_careers)
    assert not requirements.filter(skill__source=Source.GUIDE).exists()
    assert not requirements.filter(skill__kind=STYLE).exists()
    assert set(requirements.values_list("scale_max", flat=True)) == {7}
    assert not LearningStep.skills.through.objects.filter(skill__kind=STYLE).exists()
    # The guide skills the earlier import wrote into are left as they are now: the catalog's.
    assert list(Skill.objects.filter(source=Source.GUIDE).values()) == guide_before
    assert "Imported 4 O*NET careers: 0 created" not in out

    # And a second run writes nothing.
    before, version = dump(), CatalogVersion.current()
    out = run(FIXTURES)
    assert dump() == before and CatalogVersion.current() == version
    assert "Imported 4 O*NET careers: 0 created, 0 updated, 0 deleted." in out


@pytest.mark.django_db
def test_converting_an_earlier_catalog_is_one_transaction(monkeypatch):
    merged = guide_skills()
    run(FIXTURES)
    as_the_earlier_import_left_it(merged)
    before = dump()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # Skills, careers, requirements, work styles and steps are written before the titles fail.
    monkeypatch.setattr(AlternateTitle.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
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


def break_missing_knowledge(directory):
    (directory / onet.KNOWLEDGE).unlink()
    return f"{onet.KNOWLEDGE}: file not found"


def break_knowledge_without_not_relevant(directory):
    edit(directory / onet.KNOWLEDGE, "\tNot Relevant\t", "\tRelevant\t")
    return f"{onet.KNOWLEDGE}, line 1, column 'Not Relevant': column missing"


def break_knowledge_level_out_of_range(directory):
    path = directory / onet.KNOWLEDGE
    line = line_of(path, "Mechanical\tLV\t4.1400")
    edit(path, "Mechanical\tLV\t4.1400", "Mechanical\tLV\t41.4000")
    return f"{onet.KNOWLEDGE}, line {line}, column 'Data Value': 41.4000 is outside 0-7"


def break_knowledge_not_relevant_flag(directory):
    path = directory / onet.KNOWLEDGE
    line = line_of(path, "Customer and Personal Service\tLV\t0.0000")
    edit(path, "0.0000\t8\t0.1250\tn/a\tn/a\tN\tY\t", "0.0000\t8\t0.1250\tn/a\tn/a\tN\tyes\t")
    return f"{onet.KNOWLEDGE}, line {line}, column 'Not Relevant': 'yes' should be Y or N"


def break_skill_in_the_knowledge_file(directory):
    path = directory / onet.KNOWLEDGE
    line = line_of(path, "99-0003.00\t2.C.4.a\tMathematics\tIM")
    edit(path, "99-0003.00\t2.C.4.a\tMathematics\tIM", "99-0003.00\t2.A.1.e\tMathematics\tIM")
    return f"{onet.KNOWLEDGE}, line {line}, column 'Element ID': element 2.A.1.e is not under 2.C"


def break_work_style_in_the_skills_file(directory):
    path = directory / onet.SKILLS
    line = line_of(path, "99-0001.00\t2.A.1.c\tWriting\tIM")
    edit(path, "99-0001.00\t2.A.1.c\tWriting\tIM", "99-0001.00\t1.C.5.c\tWriting\tIM")
    return f"{onet.SKILLS}, line {line}, column 'Element ID': element 1.C.5.c is not under 2.A or 2.B"


def break_element_named_twice(directory):
    path = directory / onet.KNOWLEDGE
    line = line_of(path, "99-0002.00\t2.C.4.a\tMathematics\tIM")
    edit(path, "99-0002.00\t2.C.4.a\tMathematics\tIM", "99-0002.00\t2.C.4.a\tMaths\tIM")
    return f"{onet.KNOWLEDGE}, line {line}, column 'Element Name': element 2.C.4.a is called 'Mathematics' elsewhere"


def break_category_missing_from_the_content_model(directory):
    path = directory / onet.CONTENT_MODEL
    edit(path, "2.C\tKnowledge\tOrganised principles and facts that apply across a field.\n", "")
    return f"{onet.KNOWLEDGE}, line 2, column 'Element ID': the category of element 2.C.4.a is not in {onet.CONTENT_MODEL}"


def break_second_work_style_row(directory):
    path = directory / onet.WORK_STYLES
    with path.open("a", encoding="utf-8") as handle:
        handle.write("99-0002.00\t1.C.5.a\tDependability\tIM\t3.0000\t28\t0.1100\tn/a\tn/a\tN\t08/2023\tIncumbent\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    return f"{onet.WORK_STYLES}, line {line}, column 'Scale ID': a second IM row for 99-0002.00 1.C.5.a"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "breakage",
    [
        break_missing_file, break_missing_column, break_missing_optional_column_in_skills,
        break_non_numeric_value, break_importance_out_of_range, break_level_out_of_range,
        break_job_zone, break_unknown_occupation, break_unknown_related_occupation,
        break_short_row, break_unknown_category, break_suppress_flag,
        break_missing_knowledge, break_knowledge_without_not_relevant, break_knowledge_level_out_of_range,
        break_knowledge_not_relevant_flag, break_skill_in_the_knowledge_file, break_work_style_in_the_skills_file,
        break_element_named_twice, break_category_missing_from_the_content_model, break_second_work_style_row,
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
    # A name both define is two skills: the guide's, with the guide's words, asked by the guide
    # career, and O*NET's work style, which the O*NET careers value and never rate.
    guide_detail = Skill.objects.get(source=Source.GUIDE, name__iexact="attention to detail")
    onet_detail = Skill.objects.get(source=Source.ONET, external_id="1.C.5.b")
    assert guide_detail.description != onet_detail.description == "Being careful and thorough with every part of a task."
    assert "Production Associate" in guide_detail.requirements.values_list("career__title", flat=True)
    assert set(guide_detail.requirements.values_list("career__source", flat=True)) == {Source.GUIDE}
    assert not onet_detail.requirements.exists()
    assert set(onet_detail.work_styles.values_list("career__title", flat=True)) == {
        "Widget Assemblers", "Gadget Inspectors",
    }


@pytest.mark.django_db
def test_loading_a_dump_gives_the_catalog_a_new_version(tmp_path):
    """A dump carries the token of the catalog it was taken from, which may not be this one."""
    old = CatalogVersion.current()
    fixture = tmp_path / "catalog.json"
    fixture.write_text(json.dumps([{"model": "careers.catalogversion", "pk": 1, "fields": {"token": old}}]))
    call_command("loaddata", str(fixture), stdout=StringIO())
    assert CatalogVersion.current() not in ("", old)


def test_an_onet_step_says_its_time_is_onets_and_its_cost_unknown(db):
    call_command("import_onet", str(FIXTURES), stdout=StringIO())
    steps = LearningStep.objects.filter(career__source=Career.Source.ONET)
    assert steps.exists()
    assert set(steps.values_list("time_source", flat=True)) == {LearningStep.Figure.ONET}
    assert not steps.exclude(cost_min=None).exists()  # O*NET gives no cost, so the page says none is known
