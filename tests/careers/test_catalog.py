import copy
import json
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

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

    def test_reuses_a_skill_an_import_created_with_other_case(self):
        existing = Skill.objects.create(name="attention to detail", kind="soft", external_id="1.C.5.b")
        load()
        skill = Skill.objects.get(pk=existing.pk)
        self.assertEqual((skill.name, skill.external_id), ("Attention to Detail", "1.C.5.b"))
        self.assertEqual(Skill.objects.filter(name__iexact="attention to detail").count(), 1)

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

    def test_broken_file_on_an_empty_database_writes_nothing(self):
        for model in CAREERS_MODELS:
            model.objects.all().delete()

        def change(d):
            d["careers"][4]["requirements"][0]["importance"] = 0
        with self.assertRaisesMessage(CommandError, "careers[4].requirements[0]: importance 0 is outside 1-5"):
            load(str(self.write(self.broken(change))))
        self.assertEqual(Career.objects.count() + Skill.objects.count(), 0)
