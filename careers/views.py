from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from .models import Career, CareerLevel, LearningStep, Skill, SkillRequirement, Source, WorkStyle

PER_PAGE = 20
MAX_QUERY = 200


def career_list(request):
    # Any text is a fair search: cut it to size and drop NUL, which PostgreSQL refuses.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    careers = Career.objects.search(query).only(
        "slug", "title", "summary", "source", "job_zone", "median_salary"
    )
    if query:
        # Best matches first: the exact title, then titles that start with or contain the
        # words, then careers found through an alternate title.
        careers = careers.annotate(rank=Case(
            When(title__iexact=query, then=Value(0)),
            When(title__istartswith=query, then=Value(1)),
            When(title__icontains=query, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )).order_by("rank", "title")
    page = Paginator(careers, PER_PAGE).get_page(request.GET.get("page"))
    filters = f"q={quote(query)}" if query else ""  # what the page links keep (includes/_pagination.html)
    return render(request, "careers/career_list.html", {"page": page, "query": query, "filters": filters})


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
