from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, render

from .models import Career, CareerLevel, LearningStep, Skill

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


def career_detail(request, slug):
    career = get_object_or_404(
        Career.objects.prefetch_related(
            "alternate_titles",
            Prefetch("related", queryset=Career.objects.only("slug", "title")),
            Prefetch("path", queryset=CareerLevel.objects.select_related("profile").order_by("position")),
            Prefetch("learning_steps", queryset=LearningStep.objects.order_by("position", "title").prefetch_related(
                Prefetch("skills", queryset=Skill.objects.only("name"))
            )),
        ),
        slug=slug,
    )
    requirements = career.requirements.select_related("skill")
    groups = [
        (kind, label, [r for r in requirements if r.skill.kind == kind]) for kind, label in Skill.Kind.choices
    ]
    # A guide career names the O*NET occupation it matches; link the two pages both ways.
    onet_match = guide_match = None
    if career.onet_reference:
        onet_match = (
            Career.objects.filter(onet_code=career.onet_reference).exclude(pk=career.pk)
            .only("slug", "title", "onet_code").first()
        )
    elif career.onet_code:
        guide_match = (
            Career.objects.filter(onet_reference=career.onet_code, source=Career.Source.GUIDE)
            .only("slug", "title").first()
        )
    return render(request, "careers/career_detail.html", {
        "career": career,
        "skill_groups": [group for group in groups if group[2]],
        "requirement_count": len(requirements),
        "onet_match": onet_match,
        "guide_match": guide_match,
    })
