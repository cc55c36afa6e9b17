from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField

from .models import User

admin.site.register(User, UserAdmin)


class AdminLoginForm(AdminAuthenticationForm):
    # Django's log-in form shows a length limit without checking it, so an over-long name reached
    # django-axes, whose failure record holds 255 characters (a server error on PostgreSQL).
    username = UsernameField(max_length=254, widget=forms.TextInput(attrs={"autofocus": True}))


admin.site.login_form = AdminLoginForm
