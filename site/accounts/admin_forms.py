"""Wagtail admin forms for the email-only user model.

Passwords are never set here: people set their own through the sign-in
pages (one path, AUTH-05), so WAGTAILUSERS_PASSWORD_ENABLED is off.
"""

from django import forms
from wagtail.users import forms as wagtail_forms

from accounts.models import User


class UserCreationForm(wagtail_forms.UserCreationForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label="Display name", max_length=80)

    class Meta(wagtail_forms.UserCreationForm.Meta):
        model = User
        fields = {"email", "display_name", "is_superuser", "groups"}


class UserEditForm(wagtail_forms.UserEditForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label="Display name", max_length=80)

    class Meta(wagtail_forms.UserEditForm.Meta):
        model = User
        fields = {"email", "display_name", "is_active", "is_superuser", "groups"}
