from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts import admin as accounts_admin

# Browsers ask for /favicon.ico whatever the page links; a 2 KB file read once, at start-up.
FAVICON = (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    return HttpResponse(FAVICON, content_type="image/x-icon")


urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("careers/", include("careers.urls")),
    path("assessments/", include("assessments.urls")),
    path("accounts/", include("accounts.urls")),
    # Before the admin's own: the same page, with the old password throttled (accounts.admin).
    path("admin/password_change/", admin.site.admin_view(accounts_admin.password_change)),
    path("admin/", admin.site.urls),
]
