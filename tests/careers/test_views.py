from decimal import Decimal
from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils.text import slugify

from careers.catalog import DEFAULT_PATH, load_catalog, read_catalog
from careers.models import AlternateTitle, Career, LearningStep, Skill, SkillRequirement, WorkStyle
from careers.templatetags.careers_format import cost_range, duration_range, level_words, shown_level
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
        self.assertContains(response, "1 career matches “<bdi>lead</bdi>”")
        self.assertContains(response, "Production Lead")
        self.assertNotContains(response, "Production Manager")

    def test_search_by_alternate_title(self):
        response = self.client.get(reverse("careers:list"), {"q": "team leader"})
        self.assertContains(response, 'href="/careers/production-lead/"')
        self.assertNotContains(response, 'href="/careers/production-manager/"')

    def test_best_matches_come_first(self):
        other = make_career(title="Assembly Technician", slug="assembly-technician")
        AlternateTitle.objects.create(career=other, title="Production Associate Trainee")
        response = self.client.get(reverse("careers:list"), {"q": "production associate"})
        self.assertEqual([career.title for career in response.context["page"]],
                         ["Production Associate",  # the title itself
                          "Assembly Technician",  # an alternate title starting with the words
                          "Senior Production Associate", "Production Lead"])  # then partial matches

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
        # On PostgreSQL the search first tells the planner to read the trigram index (SET LOCAL).
        with self.assertNumQueries(3 if connection.vendor == "postgresql" else 2):
            self.client.get(reverse("careers:list"), {"q": "line worker"})


ANCHORS = {"2": "Take a customer's order.", "4": "Answer inquiries from clients about a product.",
           "6": "Serve as a judge in a complex legal disagreement."}


def onet_skill(name, element, category, kind=Skill.Kind.TECHNICAL, **fields):
    fields.setdefault("description", f"O*NET's own words for {name}.")
    return Skill.objects.create(name=name, kind=kind, source="onet", category=category, external_id=element, **fields)


def onet_career(title="Team Assemblers", code="51-2092.00", **fields):
    return make_career(title=title, slug=f"{slugify(title)}-{code.replace('.', '-')}",
                       onet_code=code, source=Career.Source.ONET, **fields)


class CareerDetailViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_the_catalog()
        cls.url = reverse("careers:detail", args=["production-associate"])

    def test_shows_all_20_skills_on_the_guides_scale_in_its_words(self):
        response = self.client.get(self.url)
        career = response.context["career"]
        for requirement in career.requirements.select_related("skill"):
            self.assertContains(response, f'<th scope="row">{requirement.skill.name}</th>')
        self.assertContains(response, '<th scope="row">', count=20)
        self.assertContains(response, "Technical skills")
        self.assertContains(response, "Soft skills")
        self.assertInHTML(
            '<tr><th scope="row">Following SOPs and Work Instructions</th>'
            '<td>5 of 5<br><span class="small">essential</span></td>'
            '<td>level 3 of 4<br><span class="small">Can do it on my own</span></td>'
            f'<td class="small">{Skill.objects.get(name="Following SOPs and Work Instructions").description}</td></tr>',
            response.content.decode(),
        )
        self.assertContains(response, "Skillgap's 0 to 4, from 0 (never done it) to 4 (could teach it)", html=False)
        # A half level is shown as the guide sets it, between two of its levels.
        self.assertContains(response, "level 2.5 of 4<br><span class=\"small\">between “Can do it with help” and “Can do it on my own”")
        self.assertNotContains(response, "of 7")
        self.assertNotContains(response, "O*NET's example")

    def test_shows_key_facts(self):
        response = self.client.get(self.url)
        self.assertContains(response, "$38,430 a year")
        self.assertContains(response, "about 133,000 a year")
        self.assertContains(response, "5%, as fast as average")
        self.assertContains(response, "Manufacturing, Food production, Automotive, Electronics")
        self.assertContains(response, "High school diploma or equivalent")
        self.assertNotContains(response, "uncertain")

    def test_shows_next_steps_with_cost_and_time(self):
        response = self.client.get(self.url)
        text = response.content.decode()
        self.assertIn("$3,000–$15,000", text)
        self.assertIn("6–24 months", text)
        self.assertIn("a few days to 6 weeks", text)  # paid in-house training
        self.assertIn("Free to $300", text)  # online courses
        self.assertEqual(text.count('class="card mb-3"'), 10)

    def test_every_cost_and_time_says_whose_figure_it_is(self):
        response = self.client.get(self.url)
        text = response.content.decode().replace("&#x27;", "'")
        self.assertNotIn("come from the guide", text)
        self.assertIn("Each cost and time says whose figure it is", text)
        # The vocational programme is the guide's figure both ways; paid in-house training costs
        # nothing by the guide, and "several weeks" read as six is ours; online courses are ours.
        self.assertIn("$3,000–$15,000 <span class=\"figure-source\">(the guide's figure)</span>", text)
        self.assertIn("6–24 months <span class=\"figure-source\">(the guide's figure)</span>", text)
        self.assertIn("Free <span class=\"figure-source\">(the guide's figure)</span>", text)
        self.assertIn("a few days to 6 weeks <span class=\"figure-source\">(our estimate)</span>", text)
        self.assertIn("Free to $300 <span class=\"figure-source\">(our estimate)</span>", text)
        # 10 steps, each with a cost and a time: 20 labels, 3 of them the guide's.
        self.assertEqual(text.count('class="figure-source"'), 20)
        self.assertEqual(text.count("(the guide's figure)"), 3)
        self.assertEqual(text.count("(our estimate)"), 17)

    def test_a_step_with_no_known_cost_carries_no_label_for_it(self):
        career = onet_career(requirements=[("Monitoring", Skill.Kind.TECHNICAL, 3, 2)])
        LearningStep.objects.create(career=career, kind="training", title="On-the-job training",
                                    months_min=1, months_max=6, time_source=LearningStep.Figure.ONET)
        text = self.client.get(career.get_absolute_url()).content.decode().replace("&#x27;", "'")
        self.assertIn("Cost not known</dd>", text)
        self.assertIn("1–6 months <span class=\"figure-source\">(O*NET's figure)</span>", text)
        self.assertIn("Each cost and time says whose figure it is: O*NET's, or our estimate.", text)

    def test_shows_the_path_linking_each_level(self):
        response = self.client.get(self.url)
        for slug in ["senior-production-associate", "production-lead", "production-supervisor", "production-manager"]:
            self.assertContains(response, f'href="/careers/{slug}/"')
        self.assertContains(response, '<span aria-current="page">Production Associate</span>')
        self.assertContains(response, "12+ years of experience, 3+ years in a supervisory role")
        self.assertContains(response, "median $80,000, average $85,000 a year")

    def test_start_button_links_to_the_questionnaire(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{reverse("assessments:start", args=["production-associate"])}"', count=2)

    def test_a_career_without_requirements_says_so_and_offers_no_questionnaire(self):
        career = onet_career("Production Workers, All Other", "51-9199.00")
        response = self.client.get(career.get_absolute_url())
        self.assertContains(response, "No skill requirements are recorded for this career, so there is no questionnaire")
        self.assertNotContains(response, reverse("assessments:start", args=[career.slug]))
        self.assertNotContains(response, "Start the questionnaire")

    def test_guide_attribution_in_the_footer(self):
        response = self.client.get(self.url)
        footer = response.content.decode().split("<footer", 1)[1]
        self.assertIn("Complete Production Associate Career Guide", footer)
        self.assertIn("every other cost and time is Skillgap&#x27;s estimate", footer)
        self.assertNotIn("rescaled", footer)

    def test_a_guide_career_showing_onet_occupations_carries_onets_attribution(self):
        footer = self.client.get(self.url).content.decode().split("<footer", 1)[1]
        self.assertIn("O*NET 29.3 Database", footer)
        self.assertIn("has not approved, endorsed, or tested these modifications", footer)
        self.assertIn('href="https://creativecommons.org/licenses/by/4.0/"', footer)
        # Production Manager names no O*NET occupation: the guide's attribution only.
        manager = self.client.get(reverse("careers:detail", args=["production-manager"])).content.decode()
        self.assertNotIn("O*NET 29.3 Database", manager.split("<footer", 1)[1])

    def test_related_careers_from_the_guide_without_onet_imported(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Related careers from the guide")
        for title, code in [("Assembly Operator", "51-2092.00"), ("Production Technician", "17-3026.00"),
                            ("Machine Operator", "51-4081.00"), ("Quality Control Technician", "51-9061.00"),
                            ("Maintenance Assistant", "49-9098.00")]:
            self.assertContains(response, f"<li><bdi>{title}</bdi>: O*NET {code}</li>", html=True)
        self.assertNotContains(response, "Also called")  # they are other jobs, not other names

    def test_related_careers_from_the_guide_link_the_imported_onet_careers(self):
        assemblers = onet_career("Team Assemblers", "51-2092.00")
        machines = onet_career("Multiple Machine Tool Setters", "51-4081.00")
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f'<li><bdi>Machine Operator</bdi>: <a href="{machines.get_absolute_url()}"><bdi>Multiple Machine Tool Setters</bdi></a> (O*NET 51-4081.00)</li>',
            html=True,
        )
        self.assertContains(response, f'href="{assemblers.get_absolute_url()}"', count=5)  # 4 related and the O*NET link
        self.assertContains(response, "<li><bdi>Maintenance Assistant</bdi>: O*NET 49-9098.00</li>", html=True)

    def test_links_to_the_matching_onet_career(self):
        onet_career("Team Assemblers", "51-2092.00")
        response = self.client.get(self.url)
        self.assertContains(
            response, 'Linked to O*NET 51-2092.00 <a href="/careers/team-assemblers-51-2092-00/"><bdi>Team Assemblers</bdi></a>'
        )

    def test_onet_career_links_back_to_the_guide_career(self):
        onet = onet_career("Team Assemblers", "51-2092.00")
        with self.assertNumQueries(8):  # no steps, so no query for their skills
            response = self.client.get(onet.get_absolute_url())
        self.assertContains(
            response,
            'career guide <a href="/careers/production-associate/"><bdi>Production Associate</bdi></a> is linked to this occupation',
        )

    def test_no_onet_line_without_an_imported_match(self):
        self.assertNotContains(self.client.get(self.url), "Linked to O*NET")

    def test_alternate_titles_are_the_guides_own(self):
        lead = self.client.get(reverse("careers:detail", args=["production-lead"]))
        self.assertContains(lead, "Also called: <bdi>Lead Production Associate</bdi>, <bdi>Team Leader</bdi>")
        senior = self.client.get(reverse("careers:detail", args=["senior-production-associate"]))
        self.assertNotContains(senior, "Also called")

    def test_unknown_slug_gives_the_sites_404_page(self):
        response = self.client.get(reverse("careers:detail", args=["no-such-career"]))
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, 'href="/careers/">Careers</a>', status_code=404)  # site navigation

    def test_query_count_does_not_grow_with_the_career(self):
        # career, alternate titles, related, path, steps, their skills, requirements, work
        # styles, and the O*NET careers the page names
        with self.assertNumQueries(9):
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
            onet_career(f"Related {number}", f"51-9{number:03}.00")
        career.related_occupations = [{"title": f"Related {n}", "onet_code": f"51-9{n:03}.00"} for n in range(10)]
        career.save()
        with self.assertNumQueries(9):
            response = self.client.get(self.url)
        self.assertContains(response, "Extra course 9")
        self.assertContains(response, "(O*NET 51-9009.00)")
        with self.assertNumQueries(8):  # no O*NET occupation to look up
            self.client.get(reverse("careers:detail", args=["production-manager"]))


class OnetCareerPageTests(TestCase):
    """An O*NET career on O*NET's own scale and in O*NET's own words."""

    @classmethod
    def setUpTestData(cls):
        load_the_catalog()
        cls.career = onet_career(
            job_zone=2, technologies=["Microsoft Excel", "SAP software"], typical_education="High school diploma",
        )
        listening = onet_skill("Active Listening", "2.A.1.b", "Basic Skills", Skill.Kind.SOFT,
                               description="Giving full attention to what other people are saying.",
                               level_examples=ANCHORS)
        monitoring = onet_skill("Operations Monitoring", "2.B.3.g", "Technical Skills",
                                level_examples={"2": "Monitor a machine's gauges.", "4": "Watch a line's dials.",
                                                "6": "Run a power plant's control room."})
        mechanical = onet_skill("Mechanical", "2.C.3.e", "Knowledge", Skill.Kind.KNOWLEDGE,
                                level_examples={"2": "Replace a lawn mower's filter.", "4": "Fix a car's brakes.",
                                                "6": "Design a jet engine."})
        # O*NET's Time Management beside the guide's skill of the same name: two skills.
        cls.time = onet_skill("Time Management", "2.B.5.a", "Resource Management Skills", Skill.Kind.SOFT,
                              description="Managing one's own time and the time of others.",
                              level_examples={"2": "Keep a monthly calendar.", "4": "Allocate the time of staff.",
                                              "6": "Plan a large project's schedule."})
        for skill, importance, level in [(listening, "3.25", "3.12"), (monitoring, "3.62", "3.62"),
                                         (mechanical, "2.88", "2.25"), (cls.time, "3.00", "5.00")]:
            SkillRequirement.objects.create(career=cls.career, skill=skill, importance=Decimal(importance),
                                            level=Decimal(level), scale_max=7)
        for number, (name, importance) in enumerate([
            ("Dependability", "4.71"), ("Integrity", "4.50"), ("Attention to Detail", "4.40"),
            ("Cooperation", "4.20"), ("Self-Control", "4.00"), ("Stress Tolerance", "3.90"),
            ("Initiative", "3.80"), ("Persistence", "3.70"), ("Innovation", "3.10"), ("Leadership", "2.90"),
        ]):
            style = onet_skill(name, f"1.C.9.{number}", "Work Styles", Skill.Kind.STYLE,
                               description=f"Job requires {name.lower()}.")
            WorkStyle.objects.create(career=cls.career, skill=style, importance=Decimal(importance))
        LearningStep.objects.create(career=cls.career, kind="training", title="On-the-job training", months_max=3,
                                    time_source=LearningStep.Figure.ONET).skills.add(monitoring)
        cls.url = cls.career.get_absolute_url()

    def test_levels_read_on_onets_scale_with_the_nearest_anchor(self):
        response = self.client.get(self.url)
        text = response.content.decode().replace("&#x27;", "'")
        # 3.12 of 7 is asked at level 3; the nearest of O*NET's examples is the one at 4.
        self.assertInHTML(
            '<tr><th scope="row">Active Listening</th><td>3.2 of 5<br><span class="small">important</span></td>'
            "<td>level 3 of 7<br><span class=\"small\">O*NET's example at level 4: Answer inquiries from clients about a product.</span></td>"
            '<td class="small">Giving full attention to what other people are saying.</td></tr>',
            text,
        )
        self.assertIn("level 4 of 7<br><span class=\"small\">O*NET's example at level 4: Watch a line's dials.", text)
        self.assertIn("level 2 of 7<br><span class=\"small\">O*NET's example at level 2: Replace a lawn mower's filter.", text)
        self.assertIn("level 5 of 7<br><span class=\"small\">O*NET's example at level 6: Plan a large project's schedule.", text)
        self.assertIn("O*NET's 0 to 7, how demanding the work is", text)
        for wrong in ["3.12", "3.62", "of 4", "1.78", "Can do it"]:
            self.assertNotIn(wrong, text.split("<main", 1)[1].split("</main>", 1)[0])

    def test_groups_by_onets_own_categories_in_its_order(self):
        response = self.client.get(self.url)
        self.assertEqual([heading for _, heading, _ in response.context["skill_groups"]],
                         ["Basic Skills", "Technical Skills", "Resource Management Skills", "Knowledge"])
        self.assertContains(response, '<h3 id="skills-basic-skills">Basic Skills', html=False)
        self.assertNotContains(response, "Soft skills")

    def test_shows_onets_description_not_the_guides(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Managing one&#x27;s own time and the time of others.")
        guide = Skill.objects.get(source="guide", name="Time Management")
        self.assertNotContains(response, guide.description)

    def test_work_styles_section_shows_the_eight_most_important_unscored(self):
        response = self.client.get(self.url)
        text = response.content.decode()
        section = text.split('id="styles-heading"', 1)[1].split("</section>", 1)[0]
        self.assertIn("not rated in the questionnaire and not part of readiness", section)
        self.assertIn('<span class="fw-semibold">Dependability</span>: essential (4.7 of 5)', section)
        self.assertIn('<span class="fw-semibold">Persistence</span>: important (3.7 of 5)', section)
        self.assertEqual(section.count("<li>"), 8)
        self.assertNotIn("Innovation", section)
        self.assertNotIn("Leadership", section)
        # Work styles are not requirements: no row, no level.
        self.assertNotIn('<th scope="row">Dependability</th>', text)

    def test_a_guide_career_has_no_work_styles_section(self):
        self.assertNotContains(self.client.get(reverse("careers:detail", args=["production-associate"])), "Work styles")

    def test_uncertain_typical_education_says_so(self):
        self.assertNotContains(self.client.get(self.url), "uncertain")
        Career.objects.filter(pk=self.career.pk).update(typical_education_uncertain=True)
        self.assertContains(self.client.get(self.url), "O*NET marks this figure as uncertain")

    def test_onet_career_shows_its_extras_and_attribution(self):
        AlternateTitle.objects.create(career=self.career, title="Line Assembler")
        self.career.related.add(Career.objects.get(slug="production-associate"))
        response = self.client.get(self.url)
        self.assertContains(response, "Also called: <bdi>Line Assembler</bdi>")
        self.assertContains(response, "Job zone</dt><dd class=\"col-sm-8\">2 of 5")
        self.assertContains(response, "<li>SAP software</li>")
        self.assertContains(response, 'href="/careers/production-associate/">Production Associate</a>')
        footer = response.content.decode().split("<footer", 1)[1]
        self.assertIn("O*NET 29.3 Database", footer)
        self.assertIn("O*NET® is a trademark", footer)
        self.assertIn("has not approved, endorsed, or tested these modifications", footer)
        self.assertNotIn("rescaled", footer)

    def test_query_count_does_not_grow_with_requirements_and_styles(self):
        before = count_queries(self.client, self.url)
        for number in range(10):
            skill = onet_skill(f"Element {number}", f"2.B.9.{number}", "Systems Skills", level_examples=ANCHORS)
            SkillRequirement.objects.create(career=self.career, skill=skill, importance=3, level=4, scale_max=7)
            style = onet_skill(f"Style {number}", f"1.C.8.{number}", "Work Styles", Skill.Kind.STYLE)
            WorkStyle.objects.create(career=self.career, skill=style, importance=5)
            LearningStep.objects.create(career=self.career, kind="training", title=f"Step {number}", months_max=1)
        self.assertEqual(count_queries(self.client, self.url), before)
        self.assertContains(self.client.get(self.url), "Element 9")


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

    def test_levels_on_their_own_scale(self):
        examples = {"2": "two", "4": "four", "6": "six"}
        for level, scale, label, words, example_level in [
            ("3", 4, "level 3 of 4", "Can do it on my own", None),
            ("2.5", 4, "level 2.5 of 4", "between “Can do it with help” and “Can do it on my own”", None),
            ("3.62", 7, "level 4 of 7", "", 4),
            ("3.00", 7, "level 3 of 7", "", 4),  # halfway between two anchors: the higher, as halves go up
            ("2.99", 7, "level 3 of 7", "", 2),
            ("0.40", 7, "level 0 of 7", "", 2),
            ("6.80", 7, "level 7 of 7", "", 6),
        ]:
            with self.subTest(level=level, scale=scale):
                shown = shown_level(Decimal(level), scale, examples)
                self.assertEqual((shown.label, shown.words, shown.example_level), (label, words, example_level))
        self.assertEqual(shown_level(Decimal("3.62"), 7, {}).example, "")  # no anchors: the level alone


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
