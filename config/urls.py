from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import admin as accounts_admin

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("careers/", include("careers.urls")),
    path("assessments/", include("assessments.urls")),
    path("accounts/", include("accounts.urls")),
    # Before the admin's own: the same page, with the old password throttled (accounts.admin).
    path("admin/password_change/", admin.site.admin_view(accounts_admin.password_change)),
    path("admin/", admin.site.urls),
]
