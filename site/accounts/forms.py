import unicodedata

from allauth.core import ratelimit
from django import forms

# Characters that reorder the text around them, which can make a name on an
# officer's list display as something else. Joiners used in Persian and
# Indic scripts (U+200C, U+200D) stay allowed.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds email and password."""

    display_name = forms.CharField(
        label="Display name",
        max_length=80,
        help_text=(
            "How Knowhow greets you. It can be a nickname; nobody else sees it unless you choose."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Enter a display name.")
        if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in name):
            raise forms.ValidationError(
                "Display name must not contain control or text-direction characters."
            )
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ConfirmPasswordForm(forms.Form):
    """Deleting an account asks for the password again, so a session left
    open on a shared computer cannot do it."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user

    def clean_password(self):
        password = self.cleaned_data["password"]
        # allauth's limit for asking a signed-in person their password again:
        # an open session must not become a way to guess it (AUTH-02).
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError("Too many tries. Wait a minute, then try again.")
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right. Enter your current password.")
        return password
