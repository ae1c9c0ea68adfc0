"""Data requests in the Wagtail admin (issue #16; superusers only, behind
the admin's two-factor requirement): export or erase a member who asked by
letter, phone or in person, with the reason on the audit record."""

import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from accounts import services
from accounts.views import json_lines
from core import privacy


class DataRequestForm(forms.Form):
    EXPORT, ERASE = "export", "erase"

    email = forms.EmailField(
        label="The member's email address",
        max_length=254,
        error_messages={
            "required": "Enter the member's email address.",
            "invalid": "Enter an email address, like name@example.org.",
        },
    )
    action = forms.ChoiceField(
        label="What they asked for",
        choices=[
            (EXPORT, "A copy of their data (downloads a JSON file)"),
            (ERASE, "Erase their account and data (cannot be undone)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the member asked for."},
    )
    reason = forms.CharField(
        label="Reason, for the audit log",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the request came and how you checked who they are, for example "
        '"Letter of 3 May, identity checked by the branch secretary". Do not write the '
        "member's name or email address here: the entry must not identify them once erased.",
        error_messages={"required": "Give the reason for this request."},
    )

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Give the reason for this request.")
        if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in reason):
            raise forms.ValidationError("The reason must not contain control characters.")
        return reason

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            user = (
                get_user_model()
                .objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
                .distinct()
                .first()
            )
            if user is None:
                self.add_error("email", "No account has this email address.")
            elif user.pk == self.admin.pk and cleaned.get("action") == self.ERASE:
                self.add_error(
                    "email", "To erase your own account, use Delete your account on the site."
                )
            cleaned["user"] = user
        return cleaned


def data_requests(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = DataRequestForm(request.POST if request.method == "POST" else None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        user, reason = form.cleaned_data["user"], form.cleaned_data["reason"]
        if form.cleaned_data["action"] == form.EXPORT:
            subject = privacy.subject_for(user)
            services.account_export_audit(user=user, by=request.user, reason=reason)
            response = StreamingHttpResponse(
                json_lines(subject, timezone.now()), content_type="application/json; charset=utf-8"
            )
            stamp = f"{timezone.localdate():%Y-%m-%d}"
            response["Content-Disposition"] = (
                f'attachment; filename="knowhow-member-{user.pk}-data-{stamp}.json"'
            )
            patch_cache_control(response, private=True, no_store=True)
            return response
        services.account_erase(user=user, by=request.user, reason=reason)
        messages.success(request, "The account and its personal data have been erased.")
        return redirect("account_data_requests")
    title = "Data requests"
    response = TemplateResponse(
        request,
        "accounts/admin/data_requests.html",
        {"header_title": title, "page_title": title, "header_icon": "user", "form": form},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
