from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Career


def career_list(request):
    query = request.GET.get("q", "")[:200]
    careers = Career.objects.search(query).only("slug", "title", "summary", "source", "job_zone")
    page = Paginator(careers, 25).get_page(request.GET.get("page"))
    return render(request, "careers/career_list.html", {"page": page, "query": query})


def career_detail(request, slug):
    career = get_object_or_404(Career, slug=slug)
    requirements = career.requirements.select_related("skill")
    return render(request, "careers/career_detail.html", {"career": career, "requirements": requirements})
