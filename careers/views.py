from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from .forms import CareerFilterForm
from .models import JOB_FAMILIES, Career, CareerLevel, LearningStep, Skill, SkillRequirement, Source, WorkStyle

PER_PAGE = 20
LISTED = ("slug", "title", "summary", "source", "job_zone", "median_salary", "onet_code", "onet_reference")


def career_list(request):
    """The catalog: the guide's careers, then O*NET's by job family and job zone; or a search."""
    form = CareerFilterForm(request.GET)
    filters = form.filters()
    careers = form.apply(Career.objects.all())
    query = filters.get("q", "")
    listed = careers.with_family().with_questionnaire().only(*LISTED)
    suggestions = []
    if query:
        matches = careers.ranked_search(query)
        page = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
        found = listed.in_bulk([match.career_id for match in page])
        page.object_list = [_shown(found[match.career_id], match.also_called) for match in page]
        if not matches:
            suggestions = careers.suggestions(query)
    else:
        page = Paginator(listed.in_browse_order(), PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = [_shown(career) for career in page]
    links = QueryDict(mutable=True)
    links.update(filters)  # what the page links keep (includes/_pagination.html)
    return render(request, "careers/career_list.html", {
        "form": form, "page": page, "query": query, "filters": links.urlencode(),
        "filtered": any(name != "q" for name in filters), "suggestions": suggestions,
        "onet_shown": any(career.source == Career.Source.ONET for career in page.object_list)
        or any(not match.guide for match in suggestions),
    })


def _shown(career, also_called=""):
    career.family_name = JOB_FAMILIES.get(career.family, "")
    career.group = "guide" if career.source == Career.Source.GUIDE else career.family
    career.also_called = also_called
    return career


WORK_STYLES_SHOWN = 8  # the career page's work styles, the most important first


def career_detail(request, slug):
    career = get_object_or_404(
        Career.objects.prefetch_related(
            "alternate_titles",
            Prefetch("related", queryset=Career.objects.only("slug", "title")),
            Prefetch("path", queryset=CareerLevel.objects.select_related("profile").order_by("position")),
            Prefetch("learning_steps", queryset=LearningStep.objects.order_by("position", "title").prefetch_related(
                Prefetch("skills", queryset=Skill.objects.only("name"))
            )),
            Prefetch("requirements", queryset=SkillRequirement.objects.select_related("skill")),
            # O*NET rates 16 work styles per career; the page shows what the job values most.
            Prefetch("work_styles", queryset=WorkStyle.objects.select_related("skill")[:WORK_STYLES_SHOWN],
                     to_attr="top_work_styles"),
        ),
        slug=slug,
    )
    requirements = career.requirements.all()
    # The O*NET careers this page names, in one query: a guide career's own O*NET occupation and
    # the occupations of the related careers the guide names; an O*NET career's guide career.
    codes = ({item["onet_code"] for item in career.related_occupations} | {career.onet_reference}) - {""}
    in_catalog = {}
    if codes:
        found = Career.objects.filter(onet_code__in=codes, source=Source.ONET).exclude(pk=career.pk)
        in_catalog = {other.onet_code: other for other in found.only("slug", "title", "onet_code")}
    guide_match = None
    if career.onet_code and not career.onet_reference:
        guide_match = (
            Career.objects.filter(onet_reference=career.onet_code, source=Source.GUIDE).only("slug", "title").first()
        )
    return render(request, "careers/career_detail.html", {
        "career": career,
        "skill_groups": requirement_groups(career, requirements),
        "requirement_count": len(requirements),
        "scales": sorted({requirement.scale_max for requirement in requirements}),
        "onet_match": in_catalog.get(career.onet_reference),
        "guide_match": guide_match,
        "related_occupations": [
            {**item, "career": in_catalog.get(item["onet_code"])} for item in career.related_occupations
        ],
    })


def requirement_groups(career, requirements):
    """[(key, heading, requirements)]: an O*NET career's by O*NET's own categories ("Basic Skills",
    "Knowledge", ...) in the content model's order; a guide career's by the guide's kinds."""
    if career.source == Source.ONET:
        groups = {}
        for requirement in requirements:
            skill = requirement.skill
            groups.setdefault(skill.category or skill.get_kind_display(), []).append(requirement)
        ordered = sorted(groups.items(), key=lambda item: min(r.skill.external_id for r in item[1]))
        return [(slugify(name), name, rows) for name, rows in ordered]
    headings = {Skill.Kind.TECHNICAL: "Technical skills", Skill.Kind.SOFT: "Soft skills",
                Skill.Kind.KNOWLEDGE: "Knowledge"}
    groups = [(kind, heading, [r for r in requirements if r.skill.kind == kind]) for kind, heading in headings.items()]
    return [group for group in groups if group[2]]
