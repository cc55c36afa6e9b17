import copy
import csv
import json
import os
import re
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from careers.catalog import DEFAULT_PATH
from careers.models import (
    AlternateTitle, CatalogVersion, Career, CareerLevel, Education, LearningStep, Skill, SkillRequirement,
)

CAREERS_MODELS = [Skill, Career, AlternateTitle, SkillRequirement, LearningStep, CareerLevel]


def dump():
    """Every row of the careers tables (ids included), to compare before and after a load."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in CAREERS_MODELS}
    rows["step skills"] = list(LearningStep.skills.through.objects.order_by("pk").values())
    rows["related"] = list(Career.related.through.objects.order_by("pk").values())
    return rows


def load(*args):
    out = StringIO()
    call_command("load_catalog", *args, stdout=out)
    return out.getvalue()


def the_data():
    return json.loads(DEFAULT_PATH.read_text())


def onet_table(name, key, value):
    """{key: value} from a file of the O*NET release the tests read (../shared/onet, or ONET_DIR)."""
    directory = Path(os.environ.get("ONET_DIR") or Path(settings.BASE_DIR).parent / "shared" / "onet")
    with (directory / name).open(encoding="utf-8-sig", newline="") as handle:
        return {row[key]: row[value] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


CATALOG_MD = " ".join((DEFAULT_PATH.parent / "CATALOG.md").read_text().split())  # lines joined


class CatalogContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load()
        cls.associate = Career.objects.get(slug="production-associate")

    def test_five_careers_are_loaded(self):
        self.assertEqual(
            list(Career.objects.order_by("median_salary").values_list("title", flat=True)),
            ["Production Associate", "Senior Production Associate", "Production Lead",
             "Production Supervisor", "Production Manager"],
        )

    def test_production_associate_has_12_technical_and_8_soft_skills(self):
        kinds = list(self.associate.requirements.values_list("skill__kind", flat=True))
        self.assertEqual(len(kinds), 20)
        self.assertEqual(kinds.count("technical"), 12)
        self.assertEqual(kinds.count("soft"), 8)

    def test_soft_skills_follow_the_guides_words(self):
        wanted = {
            "Attention to Detail": (5, 3), "Adherence to Safety Protocols": (5, 3), "Reliability": (5, 3),
            "Physical Stamina": (4.5, 2.5), "Teamwork and Collaboration": (4.5, 2.5),
            "Adaptability": (4, 2), "Problem-Solving": (4, 2), "Time Management": (4, 2),
        }
        soft = {
            r.skill.name: (float(r.importance), float(r.level))
            for r in self.associate.requirements.filter(skill__kind="soft").select_related("skill")
        }
        self.assertEqual(soft, wanted)

    def test_key_facts(self):
        career = self.associate
        self.assertEqual(career.median_salary, 38430)
        self.assertEqual(career.annual_openings, 133000)
        self.assertIn("5%", career.growth_outlook)
        self.assertEqual(career.top_industries, ["Manufacturing", "Food production", "Automotive", "Electronics"])
        self.assertEqual(career.education_required, Education.HIGH_SCHOOL)
        self.assertEqual(career.onet_reference, "51-2092.00")
        self.assertEqual(career.source, Career.Source.GUIDE)
        self.assertIn("Complete Production Associate Career Guide", career.attribution)

    def test_vocational_programme_keeps_the_guides_figures(self):
        step = self.associate.learning_steps.get(title__startswith="Vocational")
        self.assertEqual((step.cost_min, step.cost_max), (3000, 15000))
        self.assertEqual((step.months_min, step.months_max), (Decimal("6"), Decimal("24")))

    def test_in_house_training_is_paid_and_short(self):
        step = self.associate.learning_steps.get(kind="training")
        self.assertEqual((step.cost_min, step.cost_max), (0, 0))
        self.assertLess(step.months_min, 1)

    def test_every_option_the_guide_names_is_a_step(self):
        titles = " | ".join(self.associate.learning_steps.values_list("title", flat=True))
        for name in ["GED", "Vocational", "in-house", "Online", "Apprenticeship", "OSHA 10",
                     "Forklift", "Lean Six Sigma", "Welding"]:
            self.assertIn(name, titles)

    def test_every_step_builds_at_least_one_skill(self):
        self.assertFalse(LearningStep.objects.filter(skills__isnull=True).exists())

    def test_every_career_has_the_five_level_path_with_profiles(self):
        for career in Career.objects.all():
            path = list(career.path.select_related("profile"))
            self.assertEqual(
                [(level.title, level.years_min, level.years_max, level.salary_median, level.salary_average,
                  level.profile.title) for level in path],
                [("Production Associate", 0, 2, 36000, 38000, "Production Associate"),
                 ("Senior Production Associate", 2, 4, 43000, 45000, "Senior Production Associate"),
                 ("Production Lead", 4, 7, 50000, 52000, "Production Lead"),
                 ("Production Supervisor", 7, 12, 62000, 65000, "Production Supervisor"),
                 ("Production Manager", 12, None, 80000, 85000, "Production Manager")],
            )
        self.assertEqual(
            CareerLevel.objects.get(career=self.associate, position=5).experience_note,
            "3+ years in a supervisory role",
        )

    def test_higher_levels_add_leadership_skills(self):
        manager = Career.objects.get(slug="production-manager")
        names = set(manager.requirements.values_list("skill__name", flat=True))
        self.assertTrue({"Budgeting and Resource Allocation", "Production Planning and Forecasting"} <= names)
        self.assertNotIn("Budgeting and Resource Allocation",
                         set(self.associate.requirements.values_list("skill__name", flat=True)))

    def test_guide_skills_point_at_the_onet_elements_catalog_md_names(self):
        elements = onet_table("Content Model Reference.txt", "Element ID", "Element Name")
        pointers = dict(Skill.objects.exclude(external_id="").values_list("name", "external_id"))
        self.assertEqual(len(pointers), 13)
        self.assertEqual(pointers["Troubleshooting Production Line Issues"], "2.B.3.k")
        self.assertEqual(pointers["Reliability"], "1.C.5.a")
        for name, element in pointers.items():
            with self.subTest(skill=name):
                # The element exists in O*NET, and CATALOG.md's table gives the same id and name.
                self.assertIn(element, elements)
                self.assertIn(f"| {name} | {element} {elements[element]}", CATALOG_MD)
        for name in Skill.objects.filter(external_id="").values_list("name", flat=True):
            with self.subTest(without=name):
                self.assertIn(f"**{name}**", CATALOG_MD)  # why it has none
        # A pointer, not a scale: the guide skills stay the guide's, on 0-4.
        self.assertEqual(set(Skill.objects.values_list("source", "category")), {("guide", "")})
        self.assertEqual(set(SkillRequirement.objects.values_list("scale_max", flat=True)), {4})

    def test_related_careers_from_the_guide_with_their_onet_occupations(self):
        titles = onet_table("Occupation Data.txt", "O*NET-SOC Code", "Title")
        related = {item["title"]: item["onet_code"] for item in self.associate.related_occupations}
        self.assertEqual(set(related), {
            "Assembly Operator", "Manufacturing Associate", "Production Operator", "Production Technician",
            "Production Worker", "Assembler", "Machine Operator", "Quality Control Technician", "Maintenance Assistant",
        })
        self.assertEqual(related["Machine Operator"], "51-4081.00")
        for title, code in related.items():
            with self.subTest(title=title):
                self.assertIn(f"| {title} | {code} {titles[code]} |", CATALOG_MD)
        self.assertEqual(list(self.associate.related_occupations[0]), ["title", "onet_code"])  # no notes stored
        # Other jobs, not other names.
        self.assertFalse(self.associate.alternate_titles.exists())

    def test_alternate_titles_are_only_the_guides(self):
        titles = dict.fromkeys(Career.objects.values_list("slug", flat=True), [])
        for slug, title in AlternateTitle.objects.values_list("career__slug", "title"):
            titles[slug] = titles[slug] + [title]
        self.assertEqual(titles, {
            "production-associate": [], "senior-production-associate": [],
            "production-lead": ["Lead Production Associate", "Team Leader"],
            "production-supervisor": ["Supervisor"], "production-manager": [],
        })
        guide = Path(settings.BASE_DIR).parent / "shared" / "seed" / "production-associate-career-guide.txt"
        if guide.is_file():
            for title in AlternateTitle.objects.values_list("title", flat=True):
                self.assertIn(title, guide.read_text())

    def test_each_step_says_whose_cost_and_time_it_is(self):
        steps = {step.title.split(" ")[0]: (step.cost_source, step.time_source)
                 for step in self.associate.learning_steps.all()}
        self.assertEqual(steps["Vocational"], ("guide", "guide"))
        self.assertEqual(steps["Paid"], ("guide", "estimate"))  # "several weeks" read as six is ours
        self.assertEqual(steps["Online"], ("estimate", "estimate"))  # "a few hundred" read as $300 is ours
        sources = [source for pair in steps.values() for source in pair]
        self.assertEqual((sources.count("guide"), sources.count("estimate")), (3, 17))
        experience = LearningStep.objects.get(career__slug="production-lead", title__startswith="Four or more")
        self.assertEqual((experience.cost_source, experience.time_source), ("estimate", "guide"))
        manager = LearningStep.objects.get(career__slug="production-manager", title__startswith="Three or more")
        self.assertEqual(manager.time_source, "estimate")  # the 60-month upper end is ours

    def test_catalog_md_no_longer_credits_the_guide_with_what_it_does_not_name(self):
        guide = (Path(settings.BASE_DIR).parent / "shared" / "seed" / "production-associate-career-guide.txt")
        text = guide.read_text()
        for name in ["OSHA 30", "Yellow Belt", "Green Belt", "AWS", "American Welding Society", "supervisor training"]:
            self.assertIsNone(re.search(rf"\b{name}\b", text, re.IGNORECASE), f"the guide names {name}")
        self.assertIn("The guide does **not** name an OSHA 30-hour card, Yellow or Green Belts", CATALOG_MD)
        self.assertNotIn("the guide names these without figures", CATALOG_MD)
        for slug in ["osha-30", "leadership"]:
            step = next(item for item in the_data()["learning_steps"] if item["key"] == slug)
            self.assertIn("our suggestion", step["description"])

    def test_every_skill_has_a_description_and_level_examples(self):
        for skill in Skill.objects.all():
            self.assertTrue(skill.description, skill.name)
            self.assertEqual(sorted(skill.level_examples), ["0", "1", "2", "3", "4"], skill.name)


class LoadCatalogCommandTests(TestCase):
    def test_first_run_creates_and_says_so(self):
        output = load()
        self.assertIn("5 careers", output)
        self.assertNotIn(" 0 changed", output)
        self.assertEqual(Career.objects.count(), 5)

    def test_second_run_changes_nothing(self):
        load()
        before, version = dump(), CatalogVersion.current()
        output = load()  # as `make run` does at every start
        self.assertIn("0 changed (0 created, 0 updated, 0 deleted)", output)
        self.assertEqual(dump(), before)
        self.assertEqual(CatalogVersion.current(), version)  # so matching tables stay valid

    def test_reload_repairs_an_edited_row(self):
        load()
        requirement = SkillRequirement.objects.get(career__slug="production-associate", skill__name="Reliability")
        requirement.importance = 1
        requirement.save()
        before_ids = dump()["SkillRequirement"]
        output = load()
        self.assertIn("1 changed (0 created, 1 updated, 0 deleted)", output)
        requirement.refresh_from_db()
        self.assertEqual(requirement.importance, 5)
        self.assertEqual([row["id"] for row in dump()["SkillRequirement"]], [row["id"] for row in before_ids])

    def test_reload_removes_rows_the_file_no_longer_lists(self):
        load()
        career = Career.objects.get(slug="production-associate")
        extra = Skill.objects.create(name="Juggling", kind="soft")
        SkillRequirement.objects.create(career=career, skill=extra, importance=2, level=1)
        LearningStep.objects.create(career=career, kind="course", title="Juggling class", months_max=1)
        version = CatalogVersion.current()
        with CaptureQueriesContext(connection) as queries:
            output = load()
        self.assertIn("2 deleted", output)
        self.assertNotEqual(CatalogVersion.current(), version)
        # One token write for the whole load, not one per row written.
        self.assertEqual(sum('UPDATE "careers_catalogversion"' in q["sql"] for q in queries), 1)
        self.assertEqual(career.requirements.count(), 20)
        self.assertTrue(Skill.objects.filter(name="Juggling").exists())  # skills are shared: kept

    def test_relinked_step_skills_count_as_a_change(self):
        load()
        step = LearningStep.objects.get(career__slug="production-associate", title__startswith="Forklift")
        step.skills.clear()
        self.assertIn("1 changed (0 created, 1 updated", load())
        self.assertEqual(step.skills.count(), 2)

    def test_dry_run_writes_nothing(self):
        output = load("--dry-run")
        self.assertIn("Dry run", output)
        self.assertIn("would change", output)
        self.assertEqual(dump(), {name: [] for name in dump()})

    def test_other_careers_are_left_alone(self):
        other = Career.objects.create(slug="team-assemblers-51-2092-00", title="Team Assemblers",
                                      onet_code="51-2092.00", source=Career.Source.ONET)
        load()
        self.assertEqual(Career.objects.get(pk=other.pk).title, "Team Assemblers")

    def test_reuses_a_guide_skill_saved_with_other_case(self):
        existing = Skill.objects.create(name="attention to detail", kind="soft")
        load()
        skill = Skill.objects.get(pk=existing.pk)
        self.assertEqual((skill.name, skill.external_id), ("Attention to Detail", "1.C.5.b"))
        self.assertEqual(Skill.objects.filter(name__iexact="attention to detail").count(), 1)

    def test_leaves_an_onet_element_of_the_same_name_alone(self):
        onet = Skill.objects.create(name="Time Management", kind="soft", source="onet", category="Resource Management Skills",
                                    external_id="2.B.5.a", description="Managing one's own time and the time of others.")
        load()
        onet.refresh_from_db()
        self.assertEqual((onet.source, onet.description), ("onet", "Managing one's own time and the time of others."))
        guide = Skill.objects.get(source="guide", name="Time Management")
        self.assertNotEqual(guide.pk, onet.pk)
        self.assertIn("quotas", guide.description)
        self.assertEqual(guide.external_id, "2.B.5.a")  # a pointer to the element, not the element
        self.assertFalse(onet.requirements.exists())

    def test_database_error_part_way_leaves_nothing_behind(self):
        load()
        Career.objects.filter(slug="production-lead").update(title="Edited")
        before = dump()
        with mock.patch("careers.catalog._write_path", side_effect=DatabaseError("disk full")):
            with self.assertRaisesMessage(CommandError, "disk full"):
                load()
        self.assertEqual(dump(), before)


class BrokenCatalogTests(TestCase):
    """A broken file names the wrong entry and leaves the database as it was."""

    def write(self, data):
        path = self.tmp / "catalog.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return path

    @classmethod
    def setUpTestData(cls):
        load()
        # Make the database differ from the file, so a partial write would show.
        Career.objects.filter(slug="production-associate").update(median_salary=1)

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.tmp = Path(directory.name)
        self.before = dump()

    def assert_refused(self, data, message):
        with self.assertRaises(CommandError) as caught:
            load(str(self.write(data)))
        self.assertIn(message, str(caught.exception))
        self.assertEqual(dump(), self.before)

    def broken(self, change):
        data = copy.deepcopy(the_data())
        change(data)
        return data

    def test_bad_json(self):
        self.assert_refused('{"skills": [', "catalog.json: not valid JSON (line 1")

    def test_missing_file(self):
        with self.assertRaisesMessage(CommandError, "no such file"):
            load(str(self.tmp / "missing.json"))

    def test_missing_key(self):
        data = self.broken(lambda d: d["careers"][1].pop("title"))
        self.assert_refused(data, "careers[1]: missing key 'title'")

    def test_importance_7(self):
        def change(d):
            d["careers"][0]["requirements"][3]["importance"] = 7
        self.assert_refused(self.broken(change), "careers[0].requirements[3]: importance 7 is outside 1-5")

    def test_level_out_of_range(self):
        def change(d):
            d["careers"][2]["requirements"][0]["level"] = 4.5
        self.assert_refused(self.broken(change), "careers[2].requirements[0]: level 4.5 is outside 0-4")

    def test_unknown_skill_kind(self):
        def change(d):
            d["skills"][4]["kind"] = "hard"
        self.assert_refused(self.broken(change), "skills[4].kind: unknown kind 'hard'")

    def test_unknown_skill_in_requirement(self):
        def change(d):
            d["careers"][0]["requirements"][1]["skill"] = "Juggling"
        self.assert_refused(self.broken(change), "careers[0].requirements[1].skill: unknown skill 'Juggling'")

    def test_same_skill_twice(self):
        def change(d):
            d["careers"][0]["requirements"].append(dict(d["careers"][0]["requirements"][0]))
        self.assert_refused(self.broken(change), "careers[0].requirements[20].skill")

    def test_cost_range_upside_down(self):
        def change(d):
            d["learning_steps"][1]["cost_min"] = 20000
        self.assert_refused(self.broken(change), "learning_steps[1]: cost_min 20000 is more than cost_max 15000")

    def test_text_where_a_number_belongs(self):
        def change(d):
            d["careers"][0]["median_salary"] = "38k"
        self.assert_refused(self.broken(change), "careers[0].median_salary: expected a whole number")

    def test_three_decimal_places(self):
        def change(d):
            d["careers"][0]["requirements"][0]["level"] = 2.125
        self.assert_refused(self.broken(change), "careers[0].requirements[0]: level 2.125 has more than 2 decimal")

    def test_misspelt_key(self):
        def change(d):
            d["careers"][0]["sumary"] = "typo"
        self.assert_refused(self.broken(change), "careers[0]: unknown key 'sumary'")

    def test_unknown_path_profile(self):
        def change(d):
            d["paths"]["production"][2]["profile"] = "astronaut"
        self.assert_refused(self.broken(change), "paths.production[2].profile: unknown career 'astronaut'")

    def test_unknown_education(self):
        def change(d):
            d["careers"][0]["education_required"] = "PHD"
        self.assert_refused(self.broken(change), "careers[0].education_required: unknown education 'PHD'")

    def test_pointer_outside_the_onet_groups_we_import(self):
        def change(d):
            d["skills"][0]["external_id"] = "1.A.3.b.1"
        self.assert_refused(self.broken(change), "skills[0].external_id: '1.A.3.b.1' is not an O*NET skill, knowledge")

    def test_pointer_that_is_not_an_element_id(self):
        def change(d):
            d["skills"][1]["external_id"] = "Operation and Control"
        self.assert_refused(self.broken(change), "skills[1].external_id: 'Operation and Control' is not an O*NET")

    def test_two_guide_skills_pointing_at_one_element(self):
        def change(d):
            d["skills"][1]["external_id"] = d["skills"][0]["external_id"]
        self.assert_refused(self.broken(change),
                            "skills[1].external_id: O*NET element 2.B.3.h is already the pointer of 'Operating Manufacturing Machinery'")

    def test_a_guide_skill_cannot_be_a_work_style(self):
        def change(d):
            d["skills"][12]["kind"] = "style"
        self.assert_refused(self.broken(change), "skills[12].kind: a guide skill is rated, so it cannot be a work style")

    def test_related_occupation_with_a_bad_code(self):
        def change(d):
            d["careers"][0]["related_occupations"][6]["onet_code"] = "51-4081"
        self.assert_refused(self.broken(change),
                            "careers[0].related_occupations[6].onet_code: '51-4081' is not an O*NET-SOC code")

    def test_related_occupation_missing_its_title(self):
        def change(d):
            d["careers"][0]["related_occupations"][2].pop("title")
        self.assert_refused(self.broken(change), "careers[0].related_occupations[2]: missing key 'title'")

    def test_related_occupation_that_is_also_an_alternate_title(self):
        def change(d):
            d["careers"][0]["alternate_titles"] = ["Assembler"]
        self.assert_refused(self.broken(change), "careers[0].related_occupations[5]: 'Assembler' is also an alternate title")

    def test_related_occupation_listed_twice(self):
        def change(d):
            d["careers"][0]["related_occupations"].append(dict(d["careers"][0]["related_occupations"][0]))
        self.assert_refused(self.broken(change), "careers[0].related_occupations[9].title: 'Assembly Operator' is listed twice")

    def test_related_occupation_with_an_unknown_key(self):
        def change(d):
            d["careers"][0]["related_occupations"][0]["onet_title"] = "Team Assemblers"
        self.assert_refused(self.broken(change), "careers[0].related_occupations[0]: unknown key 'onet_title'")

    def test_onet_reference_that_is_not_a_code(self):
        def change(d):
            d["careers"][0]["onet_reference"] = "51-2092"
        self.assert_refused(self.broken(change), "careers[0].onet_reference: '51-2092' is not an O*NET-SOC code")

    def test_step_without_the_source_of_its_cost(self):
        def change(d):
            d["learning_steps"][3].pop("cost_source")
        self.assert_refused(self.broken(change), "learning_steps[3]: missing key 'cost_source'")

    def test_step_with_an_unknown_source_of_its_time(self):
        def change(d):
            d["learning_steps"][1]["time_source"] = "the guide"
        self.assert_refused(self.broken(change), "learning_steps[1].time_source: unknown source 'the guide'")

    def test_broken_file_on_an_empty_database_writes_nothing(self):
        for model in CAREERS_MODELS:
            model.objects.all().delete()

        def change(d):
            d["careers"][4]["requirements"][0]["importance"] = 0
        with self.assertRaisesMessage(CommandError, "careers[4].requirements[0]: importance 0 is outside 1-5"):
            load(str(self.write(self.broken(change))))
        self.assertEqual(Career.objects.count() + Skill.objects.count(), 0)
