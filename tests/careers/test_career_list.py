"""The career list: the guide's careers first, O*NET's by job family and job zone, filters in
the URL, careers with no questionnaire marked, and one page's queries whatever its size."""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from careers.models import JOB_FAMILIES, Career
from tests.factories import make_career

ONET = Career.Source.ONET
URL = reverse("careers:list")


def onet_career(title, code, job_zone=None, rated=True):
    requirements = [("Monitoring", "technical", Decimal("3.5"), Decimal("3.0"))] if rated else []
    return make_career(title=title, source=ONET, onet_code=code, job_zone=job_zone, requirements=requirements)


def titles(response):
    return [career.title for career in response.context["page"].object_list]


class CareerListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.guide = make_career(title="Production Associate", slug="production-associate",
                                onet_reference="51-2092.00",
                                requirements=[("Hand and Power Tools", "technical", 4, 2)])
        cls.assemblers = onet_career("Team Assemblers", "51-2092.00", job_zone=2)
        cls.machinists = onet_career("Machinists", "51-4041.00", job_zone=3)
        cls.bakers = onet_career("Bakers", "51-3011.00", job_zone=2)
        cls.nurses = onet_career("Registered Nurses", "29-1141.00", job_zone=3)
        cls.unrated = onet_career("Nurse Anesthetists", "29-1151.00", job_zone=5, rated=False)

    def test_the_guide_first_then_families_then_job_zones(self):
        response = self.client.get(URL)
        # 29 Healthcare Practitioners before 51 Production; within 51, zone 2 before zone 3.
        self.assertEqual(titles(response), [
            "Production Associate", "Registered Nurses", "Nurse Anesthetists", "Bakers", "Team Assemblers", "Machinists",
        ])
        html = response.content.decode()
        headings = ["Skillgap career guide", "Healthcare Practitioners and Technical Occupations",
                    "Production Occupations"]
        self.assertEqual([html.index(f">{heading}</h2>") for heading in headings],
                         sorted(html.index(f">{heading}</h2>") for heading in headings))
        self.assertContains(response, "Job zone 2 of 5: Some preparation needed</h3>", count=1)
        self.assertContains(response, "6 careers.")

    def test_a_guide_career_shows_its_onet_family(self):
        response = self.client.get(URL, {"family": "51"})
        self.assertEqual(titles(response), ["Production Associate", "Bakers", "Team Assemblers", "Machinists"])
        self.assertContains(response, "4 careers match these filters.")

    def test_filters_combine_and_stay_in_the_page_links(self):
        for number in range(25):
            onet_career(f"Operator {number:02}", f"51-9{number:03}.00", job_zone=2)
        response = self.client.get(URL, {"family": "51", "job_zone": "2", "source": "onet"})
        self.assertContains(response, "27 careers match these filters.")
        self.assertNotIn("Machinists", titles(response))
        self.assertNotIn("Production Associate", titles(response))
        self.assertContains(response, 'href="?family=51&amp;job_zone=2&amp;source=onet&amp;page=2"')
        second = self.client.get(URL, {"family": "51", "job_zone": "2", "source": "onet", "page": "2"})
        self.assertEqual(len(titles(second)), 7)
        self.assertContains(second, '<option value="51" selected>Production Occupations</option>', html=True)

    def test_one_career_matches_in_the_singular(self):
        response = self.client.get(URL, {"source": "guide"})
        self.assertContains(response, "1 career matches these filters.")

    def test_bad_filters_are_named_and_filter_nothing(self):
        response = self.client.get(URL, {"family": "99", "job_zone": "9", "source": "moon", "page": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a job family from the list.")
        self.assertContains(response, "Choose a job zone from 1 to 5, or any.")
        self.assertContains(response, "Choose the career guide, O*NET or any source.")
        self.assertEqual(len(titles(response)), 6)
        # A good filter beside a bad one still applies.
        self.assertEqual(titles(self.client.get(URL, {"family": "29", "job_zone": "abc"})),
                         ["Registered Nurses", "Nurse Anesthetists"])

    def test_any_filter_value_gives_a_page(self):
        for value in ["", "%", "' OR 1=1 --", "🙂", "x" * 3000, "51\x00", "-1", "1.5", "5" * 40]:
            with self.subTest(value=value[:20]):
                response = self.client.get(URL, {"family": value, "job_zone": value, "source": value, "page": value})
                self.assertEqual(response.status_code, 200)

    def test_no_career_matches_the_filters(self):
        response = self.client.get(URL, {"family": "55"})
        self.assertContains(response, "No career matches these filters")
        self.assertContains(response, f'href="{URL}">browse all careers</a>')

    def test_careers_without_ratings_offer_no_questionnaire(self):
        response = self.client.get(URL, {"family": "29"})
        self.assertContains(response, "No ratings in O*NET: no questionnaire", count=1)
        self.assertContains(response, f'href="{reverse("assessments:start", args=[self.nurses.slug])}"')
        self.assertNotContains(response, reverse("assessments:start", args=[self.unrated.slug]))

    def test_a_guide_career_without_requirements_says_so(self):
        make_career(title="Production Lead", slug="production-lead")
        response = self.client.get(URL, {"source": "guide"})
        self.assertContains(response, "No skill ratings yet: no questionnaire")

    def test_each_career_names_its_family_and_job_zone_in_search_results(self):
        response = self.client.get(URL, {"q": "assemblers"})
        self.assertContains(response, "Production Occupations · ")
        self.assertContains(response, "Job zone 2 of 5 · ")

    def test_onet_attribution_only_when_onet_careers_are_shown(self):
        self.assertContains(self.client.get(URL), 'data-attribution="onet"', count=1)
        self.assertNotContains(self.client.get(URL, {"source": "guide"}), 'data-attribution="onet"')

    def test_every_family_is_a_filter(self):
        response = self.client.get(URL)
        self.assertEqual(len(JOB_FAMILIES), 23)
        for code, name in JOB_FAMILIES.items():
            self.assertContains(response, f'<option value="{code}">{name}</option>', html=True)

    def test_empty_catalog_says_so(self):
        Career.objects.all().delete()
        self.assertContains(self.client.get(URL), "No careers yet")

    def test_query_count_does_not_grow_with_the_page(self):
        with self.assertNumQueries(2):  # the count, the page's careers (with family and questionnaire)
            small = self.client.get(URL)
        for number in range(40):
            onet_career(f"Operator {number:02}", f"51-9{number:03}.00", job_zone=2, rated=number % 2 == 0)
        with self.assertNumQueries(2):
            large = self.client.get(URL, {"family": "51", "page": "2"})
        self.assertEqual(len(titles(small)), 6)
        self.assertEqual(len(titles(large)), 20)
