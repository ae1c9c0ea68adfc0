"""Forms for members and officers. Each names exactly the fields a person may
set: the branch, the member and the role always come from the URL and the
signed-in user, never from the request body (AC-05)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from branches.consent import current_wording
from branches.services import notice_html

MAX_INVITES = 50
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "For example, 27/3/2027."


def consent_hint(wording=None):
    wording = wording or current_wording()
    return format_html(
        "<p>They will see:</p><ul class='kh-list kh-list--bullet'>{}</ul>"
        "<p>They will not see:</p><ul class='kh-list kh-list--bullet'>{}</ul><p>{}</p>",
        format_html_join("", "<li>{}</li>", ((item,) for item in wording.shared)),
        format_html_join("", "<li>{}</li>", ((item,) for item in wording.not_shared)),
        wording.withdraw,
    )


class JoinForm(forms.Form):
    share_progress = forms.BooleanField(required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["share_progress"]
        field.label = current_wording().question.format(branch=branch.name)
        field.help_text = consent_hint()


class ConsentForm(forms.Form):
    share_progress = forms.TypedChoiceField(
        label="Do you want to share your progress with the branch officers?",
        choices=[("yes", "Yes, share my progress"), ("no", "No, do not share it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to share your progress"},
    )

    def __init__(self, *args, prefix_id, **kwargs):
        super().__init__(*args, auto_id=f"{prefix_id}_%s", **kwargs)
        self.fields["share_progress"].help_text = consent_hint()


def _future_date(value):
    if value and value < timezone.localdate():
        raise ValidationError("The date must be today or in the future")
    return value


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        help_text=(
            f"Up to {MAX_INVITES}, separated by commas or on separate lines. Each person gets "
            "an email with the branch's invitation link."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        max_length=MAX_INVITES * 260,
        error_messages={"required": "Enter at least one email address"},
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"]
        emails = list(dict.fromkeys(e.strip() for e in re.split(r"[,;\s]+", raw) if e.strip()))
        if len(emails) > MAX_INVITES:
            raise ValidationError(f"Enter no more than {MAX_INVITES} email addresses at a time")
        bad = []
        for email in emails:
            try:
                validate_email(email)
                # Django's validator lets through domains that cannot be sent to,
                # such as one ending in a right-to-left override.
                email.rpartition("@")[2].encode("idna")
            except (ValidationError, UnicodeError):
                bad.append(email)
        if bad:
            shown = ", ".join(bad[:3]) + (" and others" if len(bad) > 3 else "")
            raise ValidationError(
                f"Enter email addresses in the right format, like name@example.org. Check: {shown}"
            )
        if not emails:
            raise ValidationError("Enter at least one email address")
        return emails


class _ShortIds:
    """An id longer than any database integer is not a choice, rather than a
    crash (SQLite raises OverflowError on it)."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(v, str) and len(v) > 18 for v in values):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super().clean(value)


class _CourseChoiceField(_ShortIds, forms.ModelChoiceField):
    pass


class _MemberChoiceField(_ShortIds, forms.ModelMultipleChoiceField):
    pass


class RecommendForm(forms.Form):
    course = _CourseChoiceField(
        queryset=None,
        label="Course",
        empty_label="Choose a course",
        error_messages={"required": "Choose a course", "invalid_choice": "Choose a course"},
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=[
            ("everyone", "Everyone in the branch"),
            ("chosen", "Members I choose from those who share their progress"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the course is for"},
    )
    members = _MemberChoiceField(
        queryset=None,
        required=False,
        label="Members",
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you chose “Members I choose”.",
        error_messages={"invalid_choice": "Choose members from the list"},
    )
    due_on = forms.DateField(
        required=False,
        label="Complete by",
        help_text=DATE_HINT + " Members get a reminder email a week before.",
        input_formats=DATE_FORMATS,
        validators=[_future_date],
        error_messages={"invalid": "Enter a real date, for example 27/3/2027"},
    )

    def __init__(self, *args, courses, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda user: user.display_name or "Member"

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("audience") == "chosen"
        # An invalid choice already has its own message.
        if chosen and not cleaned.get("members") and "members" not in self.errors:
            self.add_error("members", "Choose at least one member, or choose everyone")
        return cleaned


class NoticeForm(forms.Form):
    body = forms.CharField(
        label="Notice",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Plain text, with a blank line between paragraphs. You can also use "
            "&lt;b&gt;bold&lt;/b&gt;, &lt;i&gt;italic&lt;/i&gt;, lists (&lt;ul&gt;&lt;li&gt;) "
            "and links (&lt;a href=&quot;https://…&quot;&gt;). Anything else is removed."
        ),
        error_messages={
            "required": "Enter the notice",
            "max_length": "The notice must be 2,000 characters or fewer",
        },
    )
    show_until = forms.DateField(
        required=False,
        label="Show until",
        help_text=DATE_HINT + " Leave empty to show it until you remove it.",
        input_formats=DATE_FORMATS,
        validators=[_future_date],
        error_messages={"invalid": "Enter a real date, for example 27/3/2027"},
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if "\x00" in body:
            raise ValidationError("The notice contains characters that cannot be saved")
        if not notice_html(body).strip() or not _text_of(notice_html(body)):
            raise ValidationError("Enter the notice")
        return body


def _text_of(html):
    return re.sub(r"<[^>]+>", "", html).strip()


class ApplyForm(forms.Form):
    """Applying for a course run (issue #17): the run and the person come from
    the URL and the session; only the branch (one of the rep's own) and the
    note are posted (AC-05)."""

    branch = forms.ModelChoiceField(
        queryset=None,
        label="Which branch should approve your application?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the branch that should approve your application",
            "invalid_choice": "Select one of your own branches",
        },
    )
    note = forms.CharField(
        label="A note for your branch officers",
        help_text="For example, why the course would help you as a rep. Your branch officers "
        "and the tutor see it.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep the note to 1000 characters or fewer"},
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the application"), ("decline", "Decline it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or decline"},
    )
    reason = forms.CharField(
        label="Reason (if you decline)",
        help_text="The member sees it in their email and on the run's page.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the reason to 1000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason for declining, for the member")
        return cleaned
