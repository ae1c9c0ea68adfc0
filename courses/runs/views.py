"""Pages for course runs (issue #17): a run as a rep sees it, its calendar
files, withdrawing, and the tutor's page for confirming places.

Applying goes through a branch, so that view is in branches.views. Every
view here starts from a selector that checks the viewer (404 otherwise).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from courses.certificates.views import verify_rate_limited
from courses.runs import calendar, evidence, selectors, services
from courses.runs.forms import RegisterForm, RoleForm


def _private(response):
    # Run pages name people or their plans: never kept by a browser or proxy.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@require_safe
def run(request, run_id):
    context = selectors.run_page(run_id=run_id, user=request.user)
    return _private(render(request, "runs/run.html", context))


@require_safe
def run_ics(request, run_id):
    run = selectors.run_for_calendar(run_id=run_id)
    if run is None:
        raise Http404
    sessions = sorted(run.sessions.all(), key=lambda s: (s.starts_at, s.pk))
    content = calendar.run_calendar(
        run=run, sessions=sessions, with_link=selectors.may_see_link(run=run, user=request.user)
    )
    return _ics(content, f"course-run-{run.pk}.ics")


@require_safe
def session_ics(request, run_id, session_id):
    run = selectors.run_for_calendar(run_id=run_id)
    session = next((s for s in run.sessions.all() if s.pk == session_id), None) if run else None
    if session is None:
        raise Http404
    content = calendar.run_calendar(
        run=run, sessions=[session], with_link=selectors.may_see_link(run=run, user=request.user)
    )
    return _ics(content, f"course-run-{run.pk}-session-{session.pk}.ics")


@require_POST
def withdraw(request, application_id):
    application = selectors.application_of_user(application_id=application_id, user=request.user)
    try:
        services.application_withdraw(application=application, by=request.user)
    except services.ApplicationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"You have withdrawn from “{application.run.title}”.")
    return redirect("runs:run", run_id=application.run_id)


@require_safe
def manage(request, run_id):
    context = selectors.run_for_manager(run_id=run_id, user=request.user)
    return _private(render(request, "runs/manage.html", context))


@require_POST
def fill_waiting_list(request, run_id):
    run = selectors.run_for_manager(run_id=run_id, user=request.user)["run"]
    promoted = services.waiting_list_fill(run=run, by=request.user)
    messages.success(
        request,
        f"{len(promoted)} place{'s' if len(promoted) != 1 else ''} given from the waiting list.",
    )
    return redirect("runs:manage", run_id=run.pk)


@require_POST
def confirm(request, application_id):
    application = selectors.application_for_manager(
        application_id=application_id, user=request.user
    )
    try:
        application = services.application_confirm(application=application, by=request.user)
    except services.ApplicationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        name = application.user.display_name or "The member"
        if application.status == "confirmed":
            messages.success(request, f"{name}'s place is confirmed.")
        else:
            messages.info(request, f"The run is full: {name} is on the waiting list.")
    return redirect("runs:manage", run_id=application.run_id)


def register(request, run_id, session_id):
    """The tutor marks who attended a session."""
    context = selectors.session_register(run_id=run_id, session_id=session_id, user=request.user)
    posted = request.POST if request.method == "POST" else None
    form = RegisterForm(
        posted, places=context["places"], initial={"present": list(context["present_ids"])}
    )
    if posted is not None and form.is_valid():
        try:
            completed = services.attendance_record(
                session=context["session"],
                present_ids=set(form.cleaned_data["present"]),
                by=request.user,
            )
        except services.ApplicationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            note = f" {len(completed)} completed the run." if completed else ""
            messages.success(request, "The register is saved." + note)
            return redirect("runs:manage", run_id=run_id)
    return _private(render(request, "runs/register.html", {**context, "form": form}))


# The evidence pack ------------------------------------------------------------------


def _evidence(request, application_id):
    application = selectors.application_of_user(application_id=application_id, user=request.user)
    if not evidence.may_have_letter(application):
        raise Http404
    return evidence.evidence_for(application=application, base_url=services.base_url())


@require_safe
def evidence_pack(request, application_id):
    pack = _evidence(request, application_id)
    role = evidence.Role.of(request.GET.get("role"))
    context = {
        "pack": pack,
        "application": pack.application,
        "run": pack.application.run,
        "role": role,
        "role_form": RoleForm({"role": role}, choices=evidence.Role.CHOICES, auto_id="letter-%s"),
        "letter": evidence.letter_text(evidence=pack, role=role),
        "attendance": evidence.attendance_text(evidence=pack)
        if evidence.may_have_attendance(pack)
        else None,
    }
    return _private(render(request, "runs/evidence.html", context))


def _download(content, *, filename, kind):
    response = HttpResponse(
        content,
        content_type="application/pdf" if kind == "pdf" else "text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return _private(response)


@require_safe
def letter_download(request, application_id, kind):
    pack = _evidence(request, application_id)
    text = evidence.letter_text(evidence=pack, role=request.GET.get("role"))
    code = pack.application.evidence_code
    content = (
        evidence.text_pdf(
            title="Request for paid time off for union training", text=text, code=code
        )
        if kind == "pdf"
        else text + "\n"
    )
    return _download(content, filename=f"time-off-request-{code[:8]}", kind=kind)


@require_safe
def attendance_download(request, application_id, kind):
    pack = _evidence(request, application_id)
    if not evidence.may_have_attendance(pack):
        raise Http404
    text = evidence.attendance_text(evidence=pack)
    code = pack.application.evidence_code
    content = (
        evidence.text_pdf(title="Certificate of attendance", text=text, code=code)
        if kind == "pdf"
        else text + "\n"
    )
    return _download(content, filename=f"attendance-{code[:8]}", kind=kind)


CODE = re.compile(r"[0-9a-f]{32}")


@login_not_required
@require_safe
def verify(request, code):
    """Anyone (an employer) checks a letter or a certificate of attendance.
    It names no one: whoever holds the paper knows who gave it to them."""
    if verify_rate_limited(request, scope="run-evidence-verify"):
        response = render(request, "certificates/too_many.html", status=429)
        response["Retry-After"] = "60"
        return response
    application = selectors.application_by_code(code=code) if CODE.fullmatch(code) else None
    pack = (
        evidence.evidence_for(application=application, base_url=services.base_url())
        if application
        else None
    )
    response = render(request, "runs/verify.html", {"pack": pack, "application": application})
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True)
    return response
