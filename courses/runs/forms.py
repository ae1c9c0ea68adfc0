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


class RoleForm(forms.Form):
    """Which right the time-off letter relies on (a GET form: it changes nothing)."""

    role = forms.ChoiceField(label="What is your union role?", widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = choices
