"""The tutor's register form (issue #17). The people listed are those with a
confirmed place; anything else posted is refused (AC-05)."""

from django import forms


class RegisterForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label="Who attended this session?",
        help_text="Tick everyone who was there. Anyone not ticked is recorded as absent.",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick only people with a confirmed place"},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (a.pk, a.user.display_name or a.user.email) for a in places
        ]
