from decimal import Decimal

from django.db import IntegrityError, transaction
from django.test import TestCase

from careers.models import AlternateTitle, Career, CareerLevel, LearningStep, Skill, SkillRequirement
from tests.factories import make_career, make_skill


class SkillRequirementConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.career = make_career(title="Welder")
        cls.skill = make_skill(name="Welding")

    def assert_refused(self, **fields):
        values = {"career": self.career, "skill": self.skill, "importance": 3, "level": 2, **fields}
        with self.assertRaises(IntegrityError), transaction.atomic():
            SkillRequirement.objects.create(**values)

    def test_importance_6_is_refused(self):
        self.assert_refused(importance=6)

    def test_importance_below_1_is_refused(self):
        self.assert_refused(importance=Decimal("0.5"))

    def test_level_5_is_refused(self):
        self.assert_refused(level=5)

    def test_negative_level_is_refused(self):
        self.assert_refused(level=-1)

    def test_same_skill_twice_for_one_career_is_refused(self):
        SkillRequirement.objects.create(career=self.career, skill=self.skill, importance=3, level=2)
        self.assert_refused(importance=4)

    def test_decimal_edges_are_accepted(self):
        requirement = SkillRequirement.objects.create(
            career=self.career, skill=self.skill, importance=Decimal("4.5"), level=Decimal("2.5")
        )
        requirement.refresh_from_db()
        self.assertEqual((requirement.importance, requirement.level), (Decimal("4.50"), Decimal("2.50")))


class LearningStepConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.career = make_career(title="Welder")

    def assert_refused(self, **fields):
        values = {"career": self.career, "kind": "course", "title": "Course", "months_min": 1, "months_max": 2}
        with self.assertRaises(IntegrityError), transaction.atomic():
            LearningStep.objects.create(**{**values, **fields})

    def test_cost_min_above_cost_max_is_refused(self):
        self.assert_refused(cost_min=500, cost_max=100)

    def test_half_a_cost_range_is_refused(self):
        self.assert_refused(cost_min=100, cost_max=None)

    def test_months_min_above_months_max_is_refused(self):
        self.assert_refused(months_min=6, months_max=3)

    def test_duplicate_title_for_one_career_is_refused(self):
        LearningStep.objects.create(career=self.career, kind="course", title="Course", months_max=1)
        self.assert_refused()

    def test_unknown_cost_is_allowed(self):
        step = LearningStep.objects.create(career=self.career, kind="training", title="On the job", months_max=3)
        self.assertIsNone(step.cost_min)


class CareerConstraintTests(TestCase):
    def test_job_zone_6_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Career.objects.create(slug="x", title="X", job_zone=6)

    def test_two_careers_cannot_share_an_onet_code(self):
        Career.objects.create(slug="a", title="A", onet_code="51-2092.00")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Career.objects.create(slug="b", title="B", onet_code="51-2092.00")

    def test_many_careers_may_have_no_onet_code(self):
        Career.objects.create(slug="a", title="A")
        Career.objects.create(slug="b", title="B")
        self.assertEqual(Career.objects.filter(onet_code="").count(), 2)

    def test_career_level_years_max_below_years_min_is_refused(self):
        career = make_career()
        with self.assertRaises(IntegrityError), transaction.atomic():
            CareerLevel.objects.create(career=career, position=1, title="Lead", years_min=4, years_max=2)

    def test_two_levels_cannot_share_a_position(self):
        career = make_career()
        CareerLevel.objects.create(career=career, position=1, title="One")
        with self.assertRaises(IntegrityError), transaction.atomic():
            CareerLevel.objects.create(career=career, position=1, title="Other")

    def test_duplicate_alternate_title_is_refused(self):
        career = make_career()
        AlternateTitle.objects.create(career=career, title="Assembler")
        with self.assertRaises(IntegrityError), transaction.atomic():
            AlternateTitle.objects.create(career=career, title="Assembler")

    def test_skill_names_are_unique_per_source_and_kind(self):
        Skill.objects.create(name="Mathematics", kind="technical", source="onet", external_id="2.A.1.e")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Skill.objects.create(name="Mathematics", kind="technical", source="onet", external_id="2.A.1.x")
        # "Mathematics" the knowledge area is another thing, and so is a guide skill of that name.
        Skill.objects.create(name="Mathematics", kind="knowledge", source="onet", external_id="2.C.4.a")
        Skill.objects.create(name="Mathematics", kind="technical", source="guide")

    def test_an_onet_element_is_one_skill(self):
        Skill.objects.create(name="Time Management", kind="technical", source="onet", external_id="2.B.5.a")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Skill.objects.create(name="Time management", kind="technical", source="onet", external_id="2.B.5.a")
        # A guide skill may point at the same element: it is a pointer, not the element.
        Skill.objects.create(name="Time Management", kind="soft", source="guide", external_id="2.B.5.a")

    def test_a_requirement_level_stays_within_its_scale(self):
        career = Career.objects.create(title="Welder", slug="welder")
        skill = Skill.objects.create(name="Welding", kind="technical")
        SkillRequirement.objects.create(career=career, skill=skill, importance=3, level="6.5", scale_max=7)
        other = Skill.objects.create(name="Cutting", kind="technical")
        with self.assertRaises(IntegrityError), transaction.atomic():
            SkillRequirement.objects.create(career=career, skill=other, importance=3, level="4.5", scale_max=4)
        with self.assertRaises(IntegrityError), transaction.atomic():
            SkillRequirement.objects.create(career=career, skill=other, importance=3, level=2, scale_max=5)


class CareerSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.associate = make_career(title="Production Associate", slug="production-associate")
        cls.team = make_career(title="Team Assemblers", slug="team-assemblers")
        AlternateTitle.objects.create(career=cls.team, title="Assembly Line Worker")
        AlternateTitle.objects.create(career=cls.team, title="Assembler")
        cls.nurse = make_career(title="Registered Nurse", slug="registered-nurse")

    def test_finds_by_title_ignoring_case(self):
        self.assertEqual(list(Career.objects.search("production ASSOCIATE")), [self.associate])

    def test_finds_by_alternate_title_once(self):
        self.assertEqual(list(Career.objects.search("assembl")), [self.team])

    def test_empty_search_lists_everything(self):
        self.assertEqual(Career.objects.search("  ").count(), 3)

    def test_percent_and_underscore_are_literal(self):
        self.assertEqual(list(Career.objects.search("%")), [])
        self.assertEqual(list(Career.objects.search("_")), [])

    def test_absolute_url_uses_the_slug(self):
        self.assertEqual(self.associate.get_absolute_url(), "/careers/production-associate/")
