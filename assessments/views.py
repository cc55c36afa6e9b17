from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careers.levels import LEVELS, MAX_LEVEL
from careers.models import Career

from . import matching, pdf, questionnaire, scoring
from .forms import GUIDE_TITLES, BackgroundForm, MatchFilterForm, RatingsForm, find_jobs
from .models import Assessment, SkillRating
from .questionnaire import STEP_KINDS, STEP_TITLES, STEPS
from .coaching import review_json
from .report import report_json

PDF_RETRY_SECONDS = 5


def start(request, slug):
    """Start a questionnaire for a career, or resume this visitor's draft for it."""
    career = get_object_or_404(Career, slug=slug)
    assessment = questionnaire.start_draft(career=career, user=request.user, session=request.session)
    return redirect("assessments:step", assessment.pk, assessment.current_step)


def step(request, pk, step):
    if step not in STEPS:
        raise Http404("No such step.")
    assessment = questionnaire.reachable(request.user, request.session).select_related("career").filter(pk=pk).first()
    if assessment is None:
        # Not this visitor's: someone logged out is asked to log in (as for a report), whether or not it exists.
        return not_viewable(request, pk)
    if assessment.is_submitted:
        messages.info(request, "This assessment is submitted, so its answers can no longer change. "
                               "To answer again, retake it from your report.")
        return redirect(assessment)
    if assessment.career is None:
        messages.error(request, "The career this draft was for is no longer in the catalog.")
        return redirect("careers:list")
    review_next = request.POST.get("return", request.GET.get("return")) == "review"
    next_step = "review" if review_next else questionnaire.step_after(step)
    handler = {"background": background_step, "review": review_step}.get(step, ratings_step)
    context = {
        "assessment": assessment,
        "career": assessment.career,
        "step": step,
        "steps": [(name, STEP_TITLES[name]) for name in STEPS],
        "step_title": STEP_TITLES[step],
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "previous_step": questionnaire.step_before(step),
        "return_to_review": review_next,
    }
    try:
        return handler(request, assessment, step, next_step, context)
    except questionnaire.NotADraft:
        messages.info(request, "This assessment was submitted meanwhile, so nothing more was saved.")
        return redirect(assessment)


def posted(request):
    # Not `request.POST or None`: an empty POST is still an answer, to be checked.
    return request.POST if request.method == "POST" else None


def background_step(request, assessment, step, next_step, context):
    if request.method == "POST" and "search_job" in request.POST:
        # A job search (the page works without a script): the step comes back with the careers
        # found to choose from and the answers typed so far; nothing is saved or checked yet.
        form = BackgroundForm(initial=request.POST.dict(), instance=assessment)
        text = request.POST.get("job_search", "")
        return render(request, "assessments/step_background.html", {
            **context, "form": form, "searched": text, "jobs": find_jobs(text),
        })
    form = BackgroundForm(posted(request), instance=assessment)
    if form.is_valid():
        answers = {name: value for name, value in form.cleaned_data.items() if name != "job_search"}
        if "job" not in request.POST:  # no job offered on the page: the one saved stays
            answers.pop("job")
        questionnaire.save_background(assessment=assessment, next_step=next_step, **answers)
        return redirect("assessments:step", assessment.pk, next_step)
    text = form["job_search"].value() or ""
    return render(request, "assessments/step_background.html", {
        **context, "form": form, "searched": text, "jobs": find_jobs(text) if form.is_bound else [],
    })


def ratings_step(request, assessment, step, next_step, context):
    requirements = list(questionnaire.asked_requirements(assessment.career, STEP_KINDS[step]))
    answers, stale = questionnaire.split_answers(questionnaire.saved_answers(assessment), requirements)
    # ?only=unanswered (from the matches page): just the skills this draft has no rating for yet.
    only_unanswered = request.GET.get("only") == "unanswered"
    if only_unanswered:
        requirements = [r for r in requirements if r.skill_id not in answers]
    form = RatingsForm(
        posted(request), requirements=requirements,
        levels={skill_id: rating.level for skill_id, rating in answers.items()},
        prefilled={skill_id for skill_id, rating in answers.items() if rating.origin == SkillRating.Origin.JOB},
    )
    if form.is_valid():
        questionnaire.save_ratings(assessment=assessment, levels=form.levels(), next_step=next_step)
        target = reverse("assessments:step", args=[assessment.pk, next_step])
        return redirect(f"{target}?only=unanswered" if only_unanswered and next_step != "review" else target)
    return render(request, "assessments/step_ratings.html", {
        **context, "form": form, "levels": LEVELS, "only_unanswered": only_unanswered,
        "stale_message": questionnaire.stale_message(stale),
    })


def answer_label(rating, scale_max):
    """An answer as the review lists it: the guide's level with its title, an O*NET level of its scale."""
    if rating is None:
        return ""
    if scale_max == MAX_LEVEL:
        return f"{rating.level}: {GUIDE_TITLES.get(rating.level, '')}"
    return f"Level {rating.level} of {scale_max}"


def review_step(request, assessment, step, next_step, context):
    submit_failed = False
    if request.method == "POST":
        try:
            submitted, first = questionnaire.submit_assessment(assessment=assessment)
        except questionnaire.IncompleteAssessment:
            submit_failed = True
        else:
            if first:
                messages.success(request, "Your assessment is submitted. Here is your gap report.")
            return redirect(submitted)
    requirements = list(questionnaire.asked_requirements(assessment.career))
    answers, stale = questionnaire.split_answers(questionnaire.saved_answers(assessment), requirements)
    groups = [
        (name, STEP_TITLES[name], [
            (r.skill, answers.get(r.skill_id), answer_label(answers.get(r.skill_id), r.scale_max))
            for r in requirements if r.skill.kind in STEP_KINDS[name]
        ])
        for name in ("technical", "soft")
    ]
    return render(request, "assessments/step_review.html", {
        **context,
        "groups": groups,
        "missing": sorted(r.skill.name for r in requirements if r.skill_id not in answers),
        "stale_message": questionnaire.stale_message(stale),
        "from_job": sum(1 for rating in answers.values() if rating.origin == SkillRating.Origin.JOB),
        "has_requirements": bool(requirements),
        "submit_failed": submit_failed,
    })


def viewable(request):
    """The reports this visitor may open: their own (an anonymous visitor's, their session's), or a coach's."""
    visitor = "" if request.user.is_authenticated else questionnaire.visitor(request.session)
    return Assessment.objects.visible_to(request.user, visitor=visitor).submitted().select_related("owner")


def not_viewable(request, pk):
    """Report pk is not this visitor's to open. Someone not logged in is asked to, unless it is an
    anonymous result (another session's: no log-in opens it); anyone else gets a 404."""
    if request.user.is_authenticated or Assessment.objects.filter(pk=pk, owner__isnull=True).exists():
        raise Http404("No such report.")
    return redirect_to_login(request.get_full_path())


def own_draft_redirect(request, pk):
    """A report asked for a draft of one's own (or one's session's): send them back to the questionnaire."""
    draft = questionnaire.reachable(request.user, request.session).drafts().filter(pk=pk).first()
    if draft is None:
        return not_viewable(request, pk)
    messages.info(request, "This assessment is not submitted yet; here is where you left off.")
    return redirect("assessments:step", draft.pk, draft.current_step)


def report(request, pk):
    assessment = viewable(request).defer("report", "steps_snapshot").filter(pk=pk).first()
    if assessment is None:
        return own_draft_redirect(request, pk)
    return render(request, "assessments/report.html", {"assessment": assessment})


def report_json_view(request, pk):
    assessment = viewable(request).defer("report_html", "steps_snapshot").filter(pk=pk).first()
    if assessment is None:
        return not_viewable(request, pk)
    # The coach ratings are read live beside the stored document, which never changes.
    return JsonResponse(report_json(assessment.report) | review_json(assessment))


def report_pdf(request, pk):
    # The document is read only if the PDF has to be drawn; a stored one or a "try again" needs none of it.
    assessment = viewable(request).defer("report", "report_html", "steps_snapshot").filter(pk=pk).first()
    if assessment is None:
        return not_viewable(request, pk)
    try:
        content = pdf.pdf_for(assessment, user=request.user, visitor=questionnaire.visitor(request.session))
    except pdf.Busy as busy:
        response = render(request, "assessments/pdf_busy.html", {
            "assessment": assessment, "mine": busy.mine, "retry": PDF_RETRY_SECONDS,
        }, status=429 if busy.mine else 503)
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skillgap-report-{assessment.pk}.pdf"'
    return response


@login_required
@require_POST
def retake(request, pk):
    assessment = get_object_or_404(Assessment.objects.for_user(request.user).submitted(), pk=pk)
    if assessment.career_id is None:
        messages.error(request, "This career is no longer in the catalog, so it cannot be retaken.")
        return redirect(assessment)
    draft = questionnaire.retake_assessment(assessment=assessment)
    messages.info(request, "Your previous answers are filled in. Change what has changed and submit again.")
    return redirect("assessments:step", draft.pk, "background")


@login_required
def delete(request, pk):
    assessment = get_object_or_404(Assessment.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        questionnaire.delete_assessment(assessment=assessment)
        messages.success(request, f"Your assessment for {assessment.career_title or 'this career'} was deleted.")
        return redirect("accounts:dashboard")
    return render(request, "assessments/assessment_confirm_delete.html", {
        "assessment": assessment, "cancel_url": reverse("accounts:dashboard"),
    })


def matches(request, pk):
    """Every career this report's answers cover enough of; POST career=<slug> starts its questionnaire."""
    # Live matching from the ratings: the stored report is not read here.
    assessment = viewable(request).defer("report", "report_html", "steps_snapshot").filter(pk=pk).first()
    if assessment is None:
        return own_draft_redirect(request, pk)
    if request.method == "POST":
        if not request.user.is_authenticated:  # an anonymous result: starting from it needs an account
            return redirect_to_login(request.path)
        if assessment.owner_id != request.user.pk:
            raise Http404("Only the owner can start a questionnaire from these answers.")
        # A NUL in a posted field never gets here (config.middleware.RequestGuardMiddleware: 400).
        career = get_object_or_404(Career.objects.exclude(pk=assessment.career_id), slug=request.POST.get("career", ""))
        draft, steps = questionnaire.start_from_match(
            assessment=assessment, career=career, user=request.user, session=request.session
        )
        messages.info(request, f"Your answers to the questions of \u201c{career.title}\u201d that your "
                               f"\u201c{assessment.career_title}\u201d questionnaire also asked are filled in; "
                               "rate the rest and submit.")
        if not steps:
            return redirect("assessments:step", draft.pk, "review")
        target = reverse("assessments:step", args=[draft.pk, steps[0]]) + "?only=unanswered"
        return redirect(target + "&return=review" if len(steps) == 1 else target)
    form = MatchFilterForm(request.GET)
    filtered = form.filters()
    result = matching.find_matches(matching.assessment_levels(assessment), exclude={assessment.career_id}, **filtered)
    page = Paginator(result.matches, 25).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "assessments/matches.html", {
        "assessment": assessment, "form": form, "result": result, "page": page, "filters": filters.urlencode(),
        "filtered": bool(filtered),
        "onet_shown": any(match.source == Career.Source.ONET for match in page),
        "min_share": round(100 * scoring.MIN_WEIGHT_SHARE), "min_compared": scoring.MIN_COMPARED,
    })
