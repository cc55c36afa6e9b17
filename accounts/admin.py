from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html

from assessments.models import VIEW_ALL
from careers.admin import CraftedInputMixin

from .forms import AdminPasswordChangeForm
from .models import Invitation, Sharing, User
from .views import PasswordChangeView

# Ours, not "Django administration" (no custom AdminSite: the default one's titles).
admin.site.site_header = "Skillgap coaching"
admin.site.site_title = "Skillgap coaching"
admin.site.index_title = "Your caseload, careers and invitations"
# The pages' own width goes to the lists (the assessment list fits 1280 px); the index links every model.
admin.site.enable_nav_sidebar = False


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
    # Everyone logs in with their e-mail address (it is the username), here as on the site.
    username = UsernameField(
        label="E-mail address", max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()


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


def sees_everyone(user):
    return user.has_perm(VIEW_ALL)


@admin.register(Invitation)
class InvitationAdmin(CraftedInputMixin, admin.ModelAdmin):
    """A coach's invitation links: a coach sees and makes their own; a centre's manager sees every coach's."""

    list_select_related = ["coach"]

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("coach")
        return found if sees_everyone(request.user) else found.filter(coach=request.user)

    def link_column(self, request):
        """The invitation's whole link, as this request reaches the site: a column made once per request
        (kept on the request, as the admin is shared by every request)."""
        if hasattr(request, "_invitation_link"):
            return request._invitation_link

        @admin.display(description="invitation link")
        def link(obj):
            if obj is None or obj.pk is None:
                return "Made when you save: then copy it here and send it to the person you coach."
            url = request.build_absolute_uri(obj.get_absolute_url())
            return format_html('<a href="{}">{}</a>{}', url, url, " (expired)" if obj.expired else "")

        request._invitation_link = link
        return link

    def get_list_display(self, request):
        columns = ["created_at", self.link_column(request), "expires_at"]
        return columns + ["coach"] if sees_everyone(request.user) else columns

    def get_fields(self, request, obj=None):
        return [self.link_column(request), "expires_at"]

    def get_readonly_fields(self, request, obj=None):
        return [self.get_fields(request, obj)[0]]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.coach = request.user
        super().save_model(request, obj, form, change)


@admin.register(Sharing)
class SharingAdmin(CraftedInputMixin, admin.ModelAdmin):
    """Who shares with a coach: their caseload, read-only (only the person stops sharing)."""

    list_display = ["person_name", "since", "coach"]
    list_select_related = ["person", "coach"]
    search_fields = ["person__first_name__unaccent", "person__last_name__unaccent", "person__email__unaccent"]
    fields = ["person", "coach", "since"]
    readonly_fields = fields

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("person", "coach")
        return found if sees_everyone(request.user) else found.filter(coach=request.user)

    def get_search_results(self, request, queryset, search_term):
        from .apps import unaccent

        return super().get_search_results(request, queryset, unaccent(search_term))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="person", ordering="person__email")
    def person_name(self, obj):
        return format_html("<bdi>{}</bdi> &lt;<bdi>{}</bdi>&gt;", obj.person.get_full_name() or "—", obj.person.email)

    @admin.display(description="sharing since", ordering="created_at")
    def since(self, obj):
        return obj.created_at
