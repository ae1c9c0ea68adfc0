from django import forms


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
        if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
            raise forms.ValidationError("Display name must not contain control characters.")
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
