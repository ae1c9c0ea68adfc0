"""A member's own data rights (issue #16): see and download everything
Knowhow holds about them, and delete their account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts import services
from accounts.forms import ConfirmPasswordForm
from core import privacy

FORMAT = "knowhow-personal-data/1"


def _private(response):
    # Never kept by a browser cache or a proxy (EXP-01).
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def your_data(request):
    """Everything about the member, as a page they can read and print."""
    subject = privacy.subject_for(request.user)
    sections = [(section, list(section.records)) for section in privacy.export_sections(subject)]
    return _private(
        render(
            request,
            "accounts/your_data.html",
            {"sections": sections, "generated_at": timezone.now()},
        )
    )


def json_lines(subject, generated_at):
    """The JSON document in pieces: one section's query at a time, each
    record written as it is read, so a long history never sits in memory."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=None)
    yield "{" + f'"format": "{FORMAT}", "generated_at": "{generated_at.isoformat()}"'
    yield ', "sections": {'
    for index, section in enumerate(privacy.export_sections(subject)):
        head = {"title": section.title, "description": section.description}
        yield ("" if index == 0 else ", ") + encoder.encode(section.key) + ": "
        yield encoder.encode(head)[:-1] + ', "records": ['
        for number, record in enumerate(section.records):
            yield ("" if number == 0 else ", ") + encoder.encode(record)
        yield "]}"
    yield "}}\n"


@require_safe
def your_data_download(request):
    """Article 20: the same data, machine-readable, streamed."""
    subject = privacy.subject_for(request.user)
    now = timezone.now()
    services.account_export_audit(user=request.user, by=request.user)
    response = StreamingHttpResponse(
        json_lines(subject, now), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="knowhow-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return _private(response)


def account_delete(request):
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        services.account_erase(user=request.user)
        logout(request)
        messages.success(
            request, "Your account and everything Knowhow held about you have been deleted."
        )
        return redirect("/")
    return _private(render(request, "accounts/delete.html", {"form": form}))
