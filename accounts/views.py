from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from assessments.models import Assessment

from .forms import SignUpForm


def signup(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "accounts:dashboard")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def dashboard(request):
    assessments = Assessment.objects.for_user(request.user).select_related("career")
    return render(request, "accounts/dashboard.html", {"assessments": assessments})
