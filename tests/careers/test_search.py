"""Career search: the ranking rules on small catalogs, and a table of job titles people type
checked against the full O*NET release (slow), on whichever database the tests run on."""

import os
import re
from io import StringIO
from pathlib import Path
from unittest import skipUnless

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from careers import onet, search
from careers.models import AlternateTitle, Career, _names_containing
from tests.factories import make_career

# (what a person types, the career they mean as a pattern on its title, within the top n).
# bench/bench_search.py times the same queries.
TABLE = [
    ("forklift", r"^Industrial Truck and Tractor Operators$", 1),
    ("nurse", r"^Registered Nurses$", 3),
    ("assembler", r"Assemblers\b", 3),
    ("welder", r"^Welders, Cutters, Solderers, and Brazers$", 1),
    ("cashier", r"^Cashiers$", 1),
    ("truck driver", r"^Heavy and Tractor-Trailer Truck Drivers$", 1),
    ("electrician", r"^Electricians$", 1),
    ("plumber", r"^Plumbers, Pipefitters, and Steamfitters$", 1),
    ("teacher", r"Teachers\b", 3),
    ("accountant", r"^Accountants and Auditors$", 1),
    ("software developer", r"^Software Developers$", 1),
    ("janitor", r"^Janitors and Cleaners, Except Maids and Housekeeping Cleaners$", 1),
    ("carpenter", r"^Carpenters$", 1),
    ("chef", r"^Chefs and Head Cooks$", 1),
    ("mechanic", r"Mechanics\b", 3),
    ("team assembler", r"^Team Assemblers$", 1),
    ("registered nurse", r"^Registered Nurses$", 1),
    ("forklift driver", r"^Industrial Truck and Tractor Operators$", 1),
    ("secretaries", r"^Secretaries and Administrative Assistants", 1),
    ("Production Associate", r"^Production Associate$", 1),
]
# A typo that finds nothing, and the start of a title it must suggest.
TYPOS = [("prodution", "Production"), ("electrcian", "Electrician"), ("truck drvier", "Truck")]


def onet_dir():
    return Path(os.environ.get("ONET_DIR") or Path(settings.BASE_DIR).parent / "shared" / "onet")


def titles(response):
    return [career.title for career in response.context["page"].object_list]


class WordTests(SimpleTestCase):
    def test_words_are_compared_in_the_singular(self):
        self.assertEqual(search.words("Registered Nurses"), ["registered", "nurse"])
        self.assertEqual(search.words("Secretaries, Legal"), ["secretary", "legal"])
        self.assertEqual(search.words("Glass Blowers"), ["glass", "blower"])
        self.assertEqual(search.words("Bus and Truck Mechanics"), ["bus", "and", "truck", "mechanic"])

    def test_fragments_find_singular_and_plural(self):
        self.assertEqual(search.fragments("secretaries"), [("secretar", False)])
        self.assertEqual(search.fragments("IT nurse"), [("it", True), ("nurse", False)])
        self.assertEqual(search.fragments("%_'; --🙂"), [])

    def test_corrections_replace_unknown_words_only(self):
        vocabulary = {"production", "reproduction", "worker", "truck", "driver"}
        self.assertEqual(search.corrections("prodution workers", vocabulary), "production worker")
        self.assertEqual(search.corrections("truck drvier", vocabulary), "truck driver")
        self.assertEqual(search.corrections("truck driver", vocabulary), "")
        self.assertEqual(search.corrections("astronaut", vocabulary), "")


class RankingTests(TestCase):
    """The tiers of careers.search on a catalog small enough to read."""

    @classmethod
    def setUpTestData(cls):
        onet = Career.Source.ONET
        cls.registered = make_career(title="Registered Nurses", source=onet, onet_code="29-1141.00")
        cls.midwives = make_career(title="Nurse Midwives", source=onet, onet_code="29-1161.00")
        cls.nursery = make_career(title="Farmworkers and Laborers, Crop, Nursery, and Greenhouse",
                                  source=onet, onet_code="45-2092.00")
        cls.trucks = make_career(title="Industrial Truck and Tractor Operators", source=onet, onet_code="53-7051.00")
        cls.mining = make_career(title="Continuous Mining Machine Operators", source=onet, onet_code="47-5041.00")
        cls.engineers = make_career(title="Mechanical Engineers", source=onet, onet_code="17-2141.00")
        cls.mechanics = make_career(title="Bus and Truck Mechanics", source=onet, onet_code="49-3031.00")
        for career, names in [
            (cls.registered, ["Nurse", "Staff Nurse", "Charge Nurse", "School Nurse", "RN (Registered Nurse)"]),
            (cls.midwives, ["Certified Nurse Midwife"]),
            (cls.trucks, ["Forklift Driver", "Forklift Operator", "Forklift Truck Operator"]),
            (cls.mining, ["Forklift Operator", "Miner"]),
            (cls.mechanics, ["Mechanic", "Diesel Mechanic"]),
            (cls.engineers, ["Design Engineer"]),
        ]:
            AlternateTitle.objects.bulk_create([AlternateTitle(career=career, title=name) for name in names])

    def search(self, text):
        return self.client.get(reverse("careers:list"), {"q": text})

    def test_an_alternate_title_that_is_the_query_ranks_with_titles_that_start_with_it(self):
        # Registered Nurses is also called "Nurse" and has more names that say nurse.
        self.assertEqual(titles(self.search("nurse")), [
            "Registered Nurses", "Nurse Midwives", "Farmworkers and Laborers, Crop, Nursery, and Greenhouse",
        ])

    def test_more_names_that_start_with_the_query_rank_first(self):
        response = self.search("forklift")
        self.assertEqual(titles(response), ["Industrial Truck and Tractor Operators", "Continuous Mining Machine Operators"])
        self.assertContains(response, "also called: <bdi>Forklift Driver</bdi>", html=False)

    def test_a_word_is_not_the_start_of_a_longer_word(self):
        # "mechanic" is a word of "Bus and Truck Mechanics" and only the start of "Mechanical".
        self.assertEqual(titles(self.search("mechanic")), ["Bus and Truck Mechanics", "Mechanical Engineers"])

    def test_the_title_itself_says_nothing_more(self):
        response = self.search("Registered Nurse")
        self.assertEqual(titles(response)[0], "Registered Nurses")
        self.assertNotContains(response, "also called: <bdi>RN (Registered Nurse)</bdi>", html=False)

    def test_a_partial_match_names_the_title_it_was_found_by(self):
        response = self.search("diesel")
        self.assertEqual(titles(response), ["Bus and Truck Mechanics"])
        self.assertContains(response, "also called: <bdi>Diesel Mechanic</bdi>", html=False)

    def test_short_words_match_whole_words(self):
        AlternateTitle.objects.create(career=self.engineers, title="IT Engineer")
        AlternateTitle.objects.create(career=self.mining, title="Item Picker")
        self.assertEqual(titles(self.search("it")), ["Mechanical Engineers"])

    def test_the_guide_comes_first_among_equals(self):
        guide = make_career(title="Production Associate", slug="production-associate")
        AlternateTitle.objects.create(career=guide, title="Forklift Operator")
        self.assertEqual(titles(self.search("forklift"))[0], "Production Associate")

    def test_filters_apply_to_the_search(self):
        response = self.client.get(reverse("careers:list"), {"q": "forklift", "family": "53"})
        self.assertEqual(titles(response), ["Industrial Truck and Tractor Operators"])
        self.assertContains(response, "1 career matches “<bdi>forklift</bdi>” within these filters")

    def test_a_typo_suggests_the_closest_titles(self):
        response = self.search("forklit")
        self.assertEqual(titles(response), [])
        self.assertContains(response, "No career matches “<bdi>forklit</bdi>”")
        suggested = response.context["suggestions"]
        self.assertEqual(suggested[0].title, "Industrial Truck and Tractor Operators")
        self.assertContains(response, "Did you mean")
        self.assertContains(response, f'href="{self.trucks.get_absolute_url()}"')

    def test_nothing_close_suggests_nothing(self):
        response = self.search("zzzzqqq")
        self.assertEqual(response.context["suggestions"], [])
        self.assertNotContains(response, "Did you mean")

    def test_any_text_gives_a_page(self):
        for text in ["", " ", "%", "_", "%_%", "' OR 1=1 --", "'; DROP TABLE careers_career; --", "🙂",
                     "nurse 🙂", "x" * 2000, "a\x00b", "\\", "a b c d e f g h i j k l", "ü" * 300, "(", "c++"]:
            with self.subTest(text=text[:20]):
                response = self.search(text)
                self.assertEqual(response.status_code, 200)
        self.assertEqual(Career.objects.count(), 7)

    def test_one_search_costs_the_same_queries_whatever_it_finds(self):
        # The names, then the page's careers; PostgreSQL adds the planner setting (CareerQuerySet._read).
        expected = 2 + (connection.vendor == "postgresql")
        with self.assertNumQueries(expected):
            self.search("forklift")
        for number in range(30):
            career = make_career(title=f"Forklift Mechanic {number}")
            AlternateTitle.objects.create(career=career, title=f"Forklift Technician {number}")
        with self.assertNumQueries(expected):
            self.search("forklift")


@pytest.mark.slow
class FullCatalogSearchTests(TestCase):
    """The table above against the whole O*NET 29.3 release and the guide."""

    @classmethod
    def setUpTestData(cls):
        directory = onet_dir()
        if not (directory / onet.OCCUPATIONS).is_file():
            message = f"The O*NET 29.3 copy is not at {directory} (set ONET_DIR to point at it)."
            if os.environ.get("CI") == "true":
                raise AssertionError(message)
            raise pytest.skip.Exception(message)
        call_command("load_catalog", stdout=StringIO())
        call_command("import_onet", str(directory), stdout=StringIO())

    def test_the_table(self):
        for text, pattern, top in TABLE:
            with self.subTest(text=text):
                found = titles(self.client.get(reverse("careers:list"), {"q": text}))[:top]
                self.assertTrue(any(re.search(pattern, title) for title in found),
                                f"{text!r}: {pattern} not in the first {top}: {found}")

    def test_typos_suggest_titles(self):
        for text, start in TYPOS:
            with self.subTest(text=text):
                response = self.client.get(reverse("careers:list"), {"q": text})
                self.assertEqual(titles(response), [])
                suggested = [match.title + " " + match.also_called for match in response.context["suggestions"]]
                self.assertTrue(any(start.casefold() in words.casefold() for words in suggested), suggested)
                self.assertContains(response, "Did you mean")

    def test_forklift_says_which_title_matched(self):
        response = self.client.get(reverse("careers:list"), {"q": "forklift"})
        self.assertContains(response, "also called: <bdi>Forklift Driver</bdi>", html=False)

    @skipUnless(connection.vendor == "postgresql", "the trigram index is PostgreSQL's")
    def test_the_search_reads_alternate_titles_through_the_trigram_index(self):
        names = Career.objects.all()._names(lambda: _names_containing("title", "nurse"), "nurse")
        sql, params = names.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")  # as CareerQuerySet._read does
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("careers_alternatetitle_title_trgm", plan)
