"""The branch's side of applications for course runs (issue #17): a rep
applies through one of their branches, and that branch's officers approve or
decline. The run's side (confirming places, withdrawing, the waiting list)
is in courses.runs.services; every status change goes through its
`transition`, under a row lock and on the audit log.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from branches.models import Branch, BranchOfficer, Membership
from courses.runs import services as run_services
from courses.runs.models import ApplicationStatus, CourseRun, RunApplication, RunStatus
from courses.runs.services import ApplicationRefused

S = ApplicationStatus
MAX_TEXT = 1000


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text or len(text) > MAX_TEXT:
        raise ApplicationRefused(f"Keep it to {MAX_TEXT} characters of plain text.")
    return text


def _officer_emails(branch):
    return list(
        BranchOfficer.objects.filter(branch=branch, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def application_apply(*, user, run: CourseRun, branch: Branch, note: str = "") -> RunApplication:
    """Apply for a place on `run`, for `branch`'s officers to decide."""
    now = timezone.now()
    note = _clean_text(note)
    if run.status != RunStatus.OPEN or not run.course.live:
        raise ApplicationRefused("This run is not open for applications.")
    if run.applications_close_at <= now:
        raise ApplicationRefused("Applications for this run have closed.")
    if not Membership.objects.filter(user=user, branch=branch).exists():
        raise ApplicationRefused("Choose one of your own branches.")
    try:
        with transaction.atomic():
            application = RunApplication.objects.create(
                run=run, user=user, branch=branch, note=note, applied_at=now
            )
            application.run = run
            application.branch = branch
            log(
                instance=application,
                action="knowhow.run.apply",
                user=user,
                data={"run": run.pk, "branch": branch.slug, "to": S.APPLIED},
            )
            run_services.email(
                to=_officer_emails(branch),
                subject=f"A member of {branch.name} has applied for a course run",
                lines=[
                    f"A member of {branch.name} has applied for a place on “{run.title}” "
                    f"({run.course.title}). It is waiting for a branch officer's decision.",
                ],
                link=run_services.base_url()
                + reverse("branches:application", args=[branch.slug, application.pk]),
            )
    except IntegrityError as error:
        raise ApplicationRefused("You have already applied for this run.") from error
    return application


def _is_officer(*, branch, user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and BranchOfficer.objects.filter(branch=branch, user=user).exists()
    )


def application_approve(*, application: RunApplication, by) -> RunApplication:
    with transaction.atomic():
        application = run_services.lock_application(application)
        if not _is_officer(branch=application.branch, user=by):
            raise ApplicationRefused("Only an officer of the rep's branch can decide.")
        application = run_services.transition(
            application=application,
            to=S.BRANCH_APPROVED,
            move="approve",
            by=by,
            decided_at=timezone.now(),
        )
        run = application.run
        run_services.email(
            to=[application.user.email],
            subject=f"{application.branch.name} has approved your application",
            lines=[
                f"{application.branch.name} has approved your application for “{run.title}” "
                f"({run.course.title}). The tutor will now confirm your place.",
            ],
            link=run_services.base_url() + reverse("runs:run", args=[run.pk]),
        )
        run_services.email(
            to=[run.tutor.email if run.tutor else ""],
            subject=f"An application for {run.title} is ready to confirm",
            lines=[f"A branch has approved an application for “{run.title}”."],
            link=run_services.base_url() + reverse("runs:manage", args=[run.pk]),
        )
    return application


def application_decline(*, application: RunApplication, by, reason: str) -> RunApplication:
    reason = _clean_text(reason)
    if not reason:
        raise ApplicationRefused("Give the reason, for the member.")
    with transaction.atomic():
        application = run_services.lock_application(application)
        if not _is_officer(branch=application.branch, user=by):
            raise ApplicationRefused("Only an officer of the rep's branch can decide.")
        now = timezone.now()
        application = run_services.transition(
            application=application,
            to=S.DECLINED,
            move="decline",
            by=by,
            decided_at=now,
            closed_at=now,
            reason=reason,
        )
        run = application.run
        run_services.email(
            to=[application.user.email],
            subject=f"{application.branch.name} has declined your application",
            lines=[
                f"{application.branch.name} has declined your application for “{run.title}” "
                f"({run.course.title}).",
                f"The reason given: {reason}",
            ],
            link=run_services.base_url() + reverse("runs:run", args=[run.pk]),
        )
    return application
