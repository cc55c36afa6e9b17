from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.urls import reverse

from careers.admin import CraftedInputMixin

from .forms import AdminPasswordChangeForm
from .models import User
from .views import PasswordChangeView


@admin.register(User)
class SkillgapUserAdmin(CraftedInputMixin, UserAdmin):
    pass


# The admins other apps register get the same guard against crafted filters: the axes ones
# list addresses and the names people typed at log-in.
for model, model_admin in [(Group, GroupAdmin), (AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                           (AccessFailureLog, AccessFailureLogAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        guarded = type(model_admin.__name__, (CraftedInputMixin, model_admin), {"__module__": __name__})
        admin.site.register(model, guarded)


class AdminLoginForm(AdminAuthenticationForm):
    # Django's log-in form shows a length limit without checking it, so an over-long name reached
    # django-axes, whose failure record holds 255 characters (a server error on PostgreSQL).
    username = UsernameField(max_length=254, widget=forms.TextInput(attrs={"autofocus": True}))


admin.site.login_form = AdminLoginForm


def password_change(request):
    """The admin's "Change password", with the old password counted like a log-in as on the
    site (the admin's own view has no way to take another form); config.urls routes it."""
    request.current_app = admin.site.name
    return PasswordChangeView.as_view(
        form_class=AdminPasswordChangeForm,
        success_url=reverse("admin:password_change_done"),
        extra_context=admin.site.each_context(request),
    )(request)
