from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from assessments.models import Assessment
from config import throttling

from .caseload import CannotShare, accept_invitation, stop_sharing
from .dashboard import career_histories
from .data import delete_account, personal_data
from .forms import DeleteAccountForm, PasswordChangeForm, SignUpForm, StopSharingForm
from .models import Invitation, Sharing


def signup(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SignUpForm(request.POST or None)
    # Counted like a log-in, as the form tells whether an address already has an account.
    if form.is_bound and throttling.sign_up(request, form.posted_address(), form.is_valid):
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "accounts:dashboard")
    if throttling.refused(request):
        return throttling.lockout(request)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def dashboard(request):
    assessments = Assessment.objects.for_user(request.user).select_related("career")
    return render(request, "accounts/dashboard.html", {
        "histories": career_histories(assessments), "sharings": Sharing.objects.for_person(request.user),
    })


def invitation(request, token):
    """A coach's invitation: who the coach is and what they will see; a logged-in person confirms (POST).

    Someone not logged in is offered sign-up and log-in, each coming back here. A made-up or expired
    link, or one the person has already accepted, gets a page that says so."""
    found = Invitation.objects.select_related("coach").filter(token=token).first()
    if found is None:
        return render(request, "accounts/invitation_invalid.html", {"reason": "unknown"}, status=404)
    if found.expired:
        return render(request, "accounts/invitation_invalid.html", {"reason": "expired", "invitation": found}, status=410)
    context = {"invitation": found, "coach": found.coach}
    if request.user.is_authenticated:
        sharing = Sharing.objects.filter(person=request.user, coach=found.coach).first()
        if request.method == "POST" and sharing is None:
            try:
                sharing, created = accept_invitation(invitation=found, person=request.user)
            except CannotShare as refused:
                return render(request, "accounts/invitation.html", {**context, "refused": str(refused)}, status=400)
            messages.success(request, f"You now share your submitted assessments with {found.coach}.")
            return redirect("accounts:dashboard")
        context |= {"sharing": sharing, "own": found.coach_id == request.user.pk}
    return render(request, "accounts/invitation.html", context)


@login_required
def sharing_stop(request, pk):
    """Stop sharing with a coach, at once; the person chooses whether the coach's notes and ratings stay."""
    sharing = get_object_or_404(Sharing.objects.for_person(request.user), pk=pk)
    form = StopSharingForm(request.POST if request.method == "POST" else None)  # an empty POST is an answer too
    if form.is_valid():
        stop_sharing(sharing=sharing, keep_coach_work=form.cleaned_data["keep"] == "keep")
        messages.success(request, f"You no longer share your assessments with {sharing.coach}.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/sharing_stop.html", {"form": form, "sharing": sharing})


@login_required
def data_export(request):
    response = JsonResponse(personal_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="skillgap-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request, request.POST or None)
    if form.is_valid():
        delete_account(user=request.user)
        logout(request)
        messages.success(request, "Your account, your assessments and your ratings have been deleted.")
        return redirect("home")
    if throttling.refused(request):
        return throttling.lockout(request)
    assessments = Assessment.objects.for_user(request.user).count()
    return render(request, "accounts/account_delete.html", {"form": form, "assessment_count": assessments})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the old password counted like a log-in (accounts.forms.PasswordChangeForm)."""

    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        if throttling.refused(self.request):
            return throttling.lockout(self.request)
        return super().form_invalid(form)
