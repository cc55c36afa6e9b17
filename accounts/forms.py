from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm as DjangoAdminPasswordChangeForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm

from config import throttling


class SignUpForm(UserCreationForm):
    # The address also becomes the username, and User.username holds 150 characters.
    email = forms.EmailField(label="E-mail address", max_length=150)
    first_name = forms.CharField(label="Your name", max_length=150, required=False)

    class Meta:
        model = get_user_model()
        fields = ["email", "first_name"]

    def posted_address(self):
        """The address this sign-up is for, as clean_email reads it, or None if it is no address:
        what the throttle counts it under before the form says anything about it."""
        try:
            return self.fields["email"].clean(self.data.get("email", "")).strip().lower()
        except forms.ValidationError:
            return None

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists. Log in instead.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct e-mail address and password. The password is case-sensitive.",
    }
    username = forms.CharField(
        label="E-mail address", max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for the password again, so a borrowed session cannot do it;
    the guesses are counted like log-ins (config.throttling.password_again)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not throttling.password_again(self.request, self.user, password):
            raise forms.ValidationError("That is not your password. Nothing has been deleted.")
        return password


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's, with the old password counted like a log-in, so a borrowed session cannot guess it."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not throttling.password_again(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class AdminPasswordChangeForm(PasswordChangeForm):
    required_css_class = DjangoAdminPasswordChangeForm.required_css_class


class StopSharingForm(forms.Form):
    keep = forms.ChoiceField(
        label="What the coach recorded about your assessments",
        choices=[
            ("keep", "Keep the coach's ratings on my reports (the coach can no longer see them)"),
            ("delete", "Delete the coach's notes and ratings on my assessments"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to keep the coach's ratings or delete them.",
                        "invalid_choice": "Choose one of the two options."},
    )
