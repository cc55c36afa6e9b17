from decimal import Decimal
from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from careers.catalog import DEFAULT_PATH, load_catalog, read_catalog
from careers.models import AlternateTitle, Career, LearningStep, Skill
from careers.templatetags.careers_format import cost_range, duration_range, level_words
from tests.factories import make_career, make_user


def load_the_catalog():
    load_catalog(read_catalog(DEFAULT_PATH))


class HomePageTests(TestCase):
    def test_says_what_skillgap_does_and_starts_the_journey(self):
        response = self.client.get("/")
        self.assertContains(response, "<h1", count=1)
        self.assertContains(response, "gap report")
        self.assertContains(
            response,
            f'href="{reverse("assessments:start", args=["production-associate"])}">Start with Production Associate</a>',
            html=False,
        )
        self.assertContains(response, f'href="{reverse("careers:list")}">Browse careers</a>')


class CareerListViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_the_catalog()

    def test_lists_the_catalog_with_summary_and_source(self):
        response = self.client.get(reverse("careers:list"))
        self.assertContains(response, "5 careers.")
        self.assertContains(response, 'href="/careers/production-lead/">Production Lead</a>')
        self.assertContains(response, "Median salary $38,430")
        self.assertContains(response, "Source: Skillgap career guide")

    def test_search_by_title(self):
        response = self.client.get(reverse("careers:list"), {"q": "lead"})
        self.assertContains(response, "1 career match “<bdi>lead</bdi>”")
        self.assertContains(response, "Production Lead")
        self.assertNotContains(response, "Production Manager")

    def test_search_by_alternate_title(self):
        response = self.client.get(reverse("careers:list"), {"q": "assembler"})
        self.assertContains(response, 'href="/careers/production-associate/"')
        self.assertNotContains(response, 'href="/careers/production-manager/"')

    def test_best_matches_come_first(self):
        other = make_career(title="Assembly Technician", slug="assembly-technician")
        AlternateTitle.objects.create(career=other, title="Production Associate Trainee")
        response = self.client.get(reverse("careers:list"), {"q": "production associate"})
        self.assertEqual([career.title for career in response.context["page"]],
                         ["Production Associate", "Senior Production Associate",  # titles first
                          "Assembly Technician", "Production Lead"])  # then alternate titles

    def test_a_career_found_by_several_titles_is_listed_once(self):
        career = make_career(title="Line Operator", slug="line-operator")
        for title in ("Operator I", "Operator II", "Machine Operator"):
            AlternateTitle.objects.create(career=career, title=title)
        response = self.client.get(reverse("careers:list"), {"q": "operator"})
        self.assertEqual([c.title for c in response.context["page"]].count("Line Operator"), 1)
        self.assertEqual(response.context["page"].paginator.count, len(response.context["page"]))

    @skipUnless(connection.vendor == "postgresql", "trigram indexes are PostgreSQL's")
    def test_search_has_trigram_indexes_on_postgresql(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'careers_%%_title_trgm'")
            definitions = sorted(row[0] for row in cursor.fetchall())
        self.assertEqual(len(definitions), 2)
        for definition in definitions:  # the same expression as icontains, or PostgreSQL cannot use it
            self.assertIn("gin (upper((title)::text) gin_trgm_ops)", definition)

    def test_no_match_says_so_and_offers_the_whole_list(self):
        response = self.client.get(reverse("careers:list"), {"q": "astronaut"})
        self.assertContains(response, "No career matches “<bdi>astronaut</bdi>”")
        self.assertContains(response, "browse all careers")

    def test_empty_catalog_says_so(self):
        Career.objects.all().delete()
        self.assertContains(self.client.get(reverse("careers:list")), "No careers yet")

    def test_any_search_text_gives_a_page(self):
        for text in ['"', "'", "%", "_", "%%'", "' OR 1=1 --", "\\", "<script>alert(1)</script>",
                     "x" * 2000, "\x00", "a\x00b", "🙂", "   ", "ü" * 300]:
            with self.subTest(text=text[:20]):
                response = self.client.get(reverse("careers:list"), {"q": text})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)</script>")

    def test_script_is_shown_as_text(self):
        response = self.client.get(reverse("careers:list"), {"q": "<script>x</script>"})
        self.assertContains(response, "&lt;script&gt;x&lt;/script&gt;")

    def test_bad_page_numbers_give_a_page(self):
        for page in ["0", "-1", "abc", "999", "1.5"]:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(reverse("careers:list"), {"page": page}).status_code, 200)

    def test_pages_of_twenty_keep_the_search(self):
        for number in range(45):
            make_career(title=f"Production Tester {number:02}")
        response = self.client.get(reverse("careers:list"), {"q": "tester"})
        self.assertContains(response, "45 careers match")
        self.assertContains(response, "Page 1 of 3")
        self.assertContains(response, 'href="?q=tester&amp;page=2"')
        second = self.client.get(reverse("careers:list"), {"q": "tester", "page": 3})
        self.assertContains(second, "Production Tester 44")
        self.assertNotContains(second, "Production Tester 39")

    def test_query_count_does_not_grow_with_the_catalog(self):
        with self.assertNumQueries(2):
            self.client.get(reverse("careers:list"))
        for number in range(30):
            career = make_career(title=f"Assembler {number}")
            AlternateTitle.objects.create(career=career, title=f"Line worker {number}")
        with self.assertNumQueries(2):
            self.client.get(reverse("careers:list"), {"q": "line worker"})


class CareerDetailViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_the_catalog()
        cls.url = reverse("careers:detail", args=["production-associate"])

    def test_shows_all_20_skills_with_importance_and_level(self):
        response = self.client.get(self.url)
        career = response.context["career"]
        for requirement in career.requirements.select_related("skill"):
            self.assertContains(response, f'<th scope="row">{requirement.skill.name}</th>')
        self.assertContains(response, '<th scope="row">', count=20)
        self.assertContains(response, "Technical skills")
        self.assertContains(response, "Soft skills")
        self.assertInHTML(
            '<tr><th scope="row">Quality Inspection and Measuring Tools</th>'
            '<td class="text-nowrap">4.5 of 5<br><span class="small">essential</span></td>'
            '<td>level 2 of 4<br><span class="small">Can do it with help</span></td>'
            f'<td class="small">{Skill.objects.get(name="Quality Inspection and Measuring Tools").description}</td></tr>',
            response.content.decode(),
        )
        self.assertContains(response, "level 2.5 of 4")
        self.assertContains(response, "between “Can do it with help” and “Can do it on my own”")

    def test_shows_key_facts(self):
        response = self.client.get(self.url)
        self.assertContains(response, "$38,430 a year")
        self.assertContains(response, "about 133,000 a year")
        self.assertContains(response, "5%, as fast as average")
        self.assertContains(response, "Manufacturing, Food production, Automotive, Electronics")
        self.assertContains(response, "High school diploma or equivalent")

    def test_shows_next_steps_with_cost_and_time(self):
        response = self.client.get(self.url)
        text = response.content.decode()
        self.assertIn("$3,000–$15,000", text)
        self.assertIn("6–24 months", text)
        self.assertIn("a few days to 6 weeks", text)  # paid in-house training
        self.assertIn("Free to $300", text)  # online courses
        self.assertEqual(text.count('class="card mb-3"'), 10)

    def test_shows_the_path_linking_each_level(self):
        response = self.client.get(self.url)
        for slug in ["senior-production-associate", "production-lead", "production-supervisor", "production-manager"]:
            self.assertContains(response, f'href="/careers/{slug}/"')
        self.assertContains(response, '<span aria-current="page">Production Associate</span>')
        self.assertContains(response, "12+ years of experience, 3+ years in a supervisory role")
        self.assertContains(response, "median $80,000, average $85,000 a year")

    def test_start_button_links_to_the_questionnaire(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{reverse("assessments:start", args=["production-associate"])}"')

    def test_guide_attribution_in_the_footer(self):
        response = self.client.get(self.url)
        footer = response.content.decode().split("<footer", 1)[1]
        self.assertIn("Complete Production Associate Career Guide", footer)
        self.assertNotIn("rescaled", footer)

    def test_links_to_the_matching_onet_career(self):
        make_career(title="Team Assemblers", slug="team-assemblers-51-2092-00", onet_code="51-2092.00",
                    source=Career.Source.ONET)
        response = self.client.get(self.url)
        self.assertContains(
            response, 'Linked to O*NET 51-2092.00 <a href="/careers/team-assemblers-51-2092-00/"><bdi>Team Assemblers</bdi></a>'
        )

    def test_onet_career_links_back_to_the_guide_career(self):
        onet = make_career(title="Team Assemblers", slug="team-assemblers-51-2092-00", onet_code="51-2092.00",
                           source=Career.Source.ONET)
        with self.assertNumQueries(7):
            response = self.client.get(onet.get_absolute_url())
        self.assertContains(
            response,
            'career guide <a href="/careers/production-associate/"><bdi>Production Associate</bdi></a> is linked to this occupation',
        )

    def test_no_onet_line_without_an_imported_match(self):
        self.assertNotContains(self.client.get(self.url), "Linked to O*NET")

    def test_onet_career_shows_its_extras_and_attribution(self):
        career = make_career(
            title="Team Assemblers", slug="team-assemblers", onet_code="51-2092.00", source=Career.Source.ONET,
            job_zone=2, technologies=["Microsoft Excel", "SAP software"],
            attribution="This page includes information from O*NET 29.3 (CC BY 4.0).",
            requirements=[("Monitoring", Skill.Kind.TECHNICAL, Decimal("3.25"), Decimal("2.29")),
                          ("Mechanical", Skill.Kind.KNOWLEDGE, 3, 2)],
        )
        AlternateTitle.objects.create(career=career, title="Line Assembler")
        career.related.add(Career.objects.get(slug="production-associate"))
        LearningStep.objects.create(career=career, kind="training", title="On-the-job training",
                                    months_min=1, months_max=6)
        response = self.client.get(career.get_absolute_url())
        self.assertContains(response, "Also called: <bdi>Line Assembler</bdi>")
        self.assertContains(response, "Job zone</dt><dd class=\"col-sm-8\">2 of 5")
        self.assertContains(response, "<li>SAP software</li>")
        self.assertContains(response, 'href="/careers/production-associate/">Production Associate</a>')
        self.assertContains(response, "Knowledge skills")
        self.assertContains(response, "3.25 of 5")
        self.assertContains(response, "Cost not known")
        footer = response.content.decode().split("<footer", 1)[1]
        self.assertIn("O*NET 29.3 (CC BY 4.0)", footer)
        self.assertIn("rescaled from O*NET's 0–7 scale to Skillgap's 0–4 scale", footer.replace("&#x27;", "'"))

    def test_unknown_slug_gives_the_sites_404_page(self):
        response = self.client.get(reverse("careers:detail", args=["no-such-career"]))
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, 'href="/careers/">Careers</a>', status_code=404)  # site navigation

    def test_query_count_does_not_grow_with_the_career(self):
        with self.assertNumQueries(8):
            self.client.get(self.url)
        career = Career.objects.get(slug="production-associate")
        for number in range(10):
            skill = Skill.objects.create(name=f"Extra skill {number}", kind=Skill.Kind.KNOWLEDGE)
            career.requirements.create(skill=skill, importance=2, level=1)
            step = LearningStep.objects.create(career=career, kind="course", title=f"Extra course {number}",
                                               months_min=1, months_max=2)
            step.skills.add(skill)
            AlternateTitle.objects.create(career=career, title=f"Extra title {number}")
            career.related.add(make_career())
        with self.assertNumQueries(8):
            response = self.client.get(self.url)
        self.assertContains(response, "Extra course 9")
        with self.assertNumQueries(7):  # no O*NET reference to look up
            self.client.get(reverse("careers:detail", args=["production-manager"]))


class FormatTests(SimpleTestCase):
    def test_costs(self):
        for low, high, text in [(None, None, "Cost not known"), (0, 0, "Free"), (0, 300, "Free to $300"),
                                (150, 150, "$150"), (3000, 15000, "$3,000–$15,000")]:
            self.assertEqual(cost_range(low, high), text)

    def test_durations(self):
        for low, high, text in [(6, 24, "6–24 months"), (0.1, 1.4, "a few days to 6 weeks"),
                                (0.03, 0.1, "a few days"), (0.25, 3, "1 week to 3 months"),
                                (12, 48, "1–4 years"), (1, 1, "1 month"), (0, 0, "Time not known"),
                                (0.5, 0.75, "2–3 weeks"), (3, 12, "3–12 months")]:
            with self.subTest(low=low, high=high):
                self.assertEqual(duration_range(Decimal(str(low)), Decimal(str(high))), text)

    def test_level_words(self):
        self.assertEqual(level_words(Decimal("4.00")), "Could teach it")
        self.assertEqual(level_words(Decimal("0.5")), "between “Never done it” and “Beginner”")


class CareerAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_the_catalog()
        cls.admin = make_user(is_staff=True, is_superuser=True)
        cls.associate = Career.objects.get(slug="production-associate")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_career_list_shows_counts_in_constant_queries(self):
        url = reverse("admin:careers_career_changelist")
        response = self.client.get(url)
        self.assertContains(response, "Production Associate")
        self.assertContains(response, '<td class="field-skill_count">20</td>', html=True)
        for number in range(30):
            make_career(requirements=[(f"Skill {number}", "technical", 3, 2)])
        # session, user, two counts and the page of careers with their counts (the job zone
        # filter lists Career.JobZone's choices, with no query)
        with self.assertNumQueries(5):
            self.client.get(url)

    def test_career_change_page_queries_do_not_grow_with_requirements_or_steps(self):
        url = reverse("admin:careers_career_change", args=[self.associate.pk])
        response = self.client.get(url)
        self.assertContains(response, "Operating Manufacturing Machinery")
        self.assertContains(response, 'name="requirements-TOTAL_FORMS" value="20"')
        self.assertContains(response, 'name="learning_steps-TOTAL_FORMS" value="10"')
        self.assertContains(response, 'name="path-TOTAL_FORMS" value="5"')
        before = count_queries(self.client, url)
        for number in range(10):
            skill = Skill.objects.create(name=f"Extra {number}", kind="knowledge")
            self.associate.requirements.create(skill=skill, importance=2, level=1)
            step = LearningStep.objects.create(career=self.associate, kind="course", title=f"Course {number}",
                                               months_max=1)
            step.skills.add(skill)
        self.assertEqual(count_queries(self.client, url), before)

    def test_admin_refuses_importance_6_with_a_message(self):
        url = reverse("admin:careers_career_change", args=[self.associate.pk])
        data = admin_form_data(self.client.get(url))
        data["requirements-0-importance"] = "6"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please correct the error")
        self.assertFalse(self.associate.requirements.filter(importance__gt=5).exists())

    def test_skill_search(self):
        response = self.client.get(reverse("admin:careers_skill_changelist"), {"q": "stamina"})
        self.assertContains(response, "Physical Stamina")
        self.assertNotContains(response, "Reliability")

    def test_coach_can_view_but_not_change(self):
        from django.contrib.auth.models import Group

        coach = make_user(is_staff=True)
        coach.groups.add(Group.objects.get(name="Coaches"))
        self.client.force_login(coach)
        url = reverse("admin:careers_career_change", args=[self.associate.pk])
        response = self.client.get(url)
        self.assertContains(response, "Operating Manufacturing Machinery")
        self.assertNotContains(response, 'name="_save"')
        self.assertEqual(self.client.post(url, admin_form_data(response)).status_code, 403)
        self.assertNotContains(self.client.get(reverse("admin:careers_career_changelist")), "Add career")

    def test_job_seekers_are_sent_to_log_in(self):
        self.client.force_login(make_user())
        response = self.client.get(reverse("admin:careers_career_changelist"))
        self.assertEqual(response.status_code, 302)


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def admin_form_data(response):
    """The values of a rendered admin form, as the browser would post them."""
    form = response.context["adminform"].form
    data = {name: value for name, value in _initial(form).items()}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{name}": value for name, value in _initial(management).items()})
        for inline_form in formset.formset.forms:
            data.update({f"{inline_form.prefix}-{name}": value for name, value in _initial(inline_form).items()})
    return data


def _initial(form):
    values = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, (dict,)):
            import json
            value = json.dumps(value)
        values[name] = value
    return values
