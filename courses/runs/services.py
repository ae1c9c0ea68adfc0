"""Writes for course runs: the run's side of an application (confirm a place,
withdraw, the waiting list), attendance and completing a run (issue #17).

Every change of an application's status goes through `transition`, which
checks the move is allowed from the status the row has *now* (read under a
row lock), writes it, puts it on the audit log (LOG-01: who, when, from and
to; never the rep's note or the reason text) and emails the people it
concerns. Emails are queued in the same transaction (ADR 0048).

Locks are always taken run first, then application, so two requests never
wait on each other in opposite orders.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from courses.certificates.services import certificate_issue, new_code
from courses.models import Enrolment, LessonCompletion
from courses.runs.models import (
    ApplicationStatus,
    CourseRun,
    RunApplication,
    RunAttendance,
    RunSession,
    RunStatus,
)
from courses.runs.permissions import may_manage

S = ApplicationStatus

# action: (statuses it may start from, the log action)
MOVES = {
    "approve": ({S.APPLIED}, "knowhow.run.approve"),
    "decline": ({S.APPLIED}, "knowhow.run.decline"),
    "confirm": ({S.BRANCH_APPROVED}, "knowhow.run.confirm"),
    "wait": ({S.BRANCH_APPROVED}, "knowhow.run.wait"),
    "promote": ({S.WAITING}, "knowhow.run.promote"),
    "withdraw": ({S.APPLIED, S.BRANCH_APPROVED, S.WAITING, S.CONFIRMED}, "knowhow.run.withdraw"),
    "cancel": ({S.APPLIED, S.BRANCH_APPROVED, S.WAITING, S.CONFIRMED}, "knowhow.run.cancel"),
}


class ApplicationRefused(Exception):
    """The move is not allowed: the message says why, for the person asking."""


def lock_run(run) -> CourseRun:
    return CourseRun.objects.select_for_update().get(pk=run.pk)


def lock_application(application) -> RunApplication:
    # of=self: the application row only. The joined rows are read, not
    # locked (the run has its own lock, taken first), and PostgreSQL cannot
    # lock the nullable side of the outer join to the tutor.
    return (
        RunApplication.objects.select_for_update(of=("self",))
        .select_related("run__course", "run__tutor", "user", "branch")
        .get(pk=application.pk)
    )


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def email(*, to, subject, lines, link=None) -> None:
    """One plain-text email to each address in `to` (queued, ADR 0048)."""
    body = render_to_string("runs/email/application.txt", {"lines": lines, "link": link})
    for address in dict.fromkeys(a for a in to if a):
        send_mail(f"[Knowhow] {subject}", body, None, [address])


def transition(*, application, to, move, by, now=None, **fields) -> RunApplication:
    """Move a locked application to status `to` by `move`; the caller holds
    the lock (lock_application) inside a transaction."""
    allowed, action = MOVES[move]
    if application.status not in allowed:
        raise ApplicationRefused(
            f"This application is {application.get_status_display().lower()}, so it cannot "
            "be changed that way. Reload the page to see where it stands."
        )
    before = application.status
    application.status = to
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean(exclude=["run", "user", "branch"])
    application.save()
    log(
        instance=application,
        action=action,
        user=by,
        data={"run": application.run_id, "from": before, "to": to},
    )
    return application


def _run_link(run) -> str:
    return base_url() + reverse("runs:run", args=[run.pk])


def _confirmed(run) -> int:
    return RunApplication.objects.filter(run=run, status=S.CONFIRMED).count()


def application_confirm(*, application: RunApplication, by) -> RunApplication:
    """The tutor or an educator confirms a branch-approved place. When the
    run is full the rep goes on the waiting list instead, in the order of
    that moment. Two confirmations for the last place give one place: the
    run row is locked while the places are counted."""
    now = timezone.now()
    with transaction.atomic():
        run = lock_run(application.run)
        if not may_manage(run=run, user=by):
            raise ApplicationRefused("Only the run's tutor or an educator can confirm places.")
        application = lock_application(application)
        if _confirmed(run) < run.places:
            application = transition(
                application=application,
                to=S.CONFIRMED,
                move="confirm",
                by=by,
                confirmed_at=now,
                evidence_code=application.evidence_code or new_code(),
            )
            _email_confirmed(application)
        else:
            application = transition(
                application=application, to=S.WAITING, move="wait", by=by, waiting_since=now
            )
            email(
                to=[application.user.email],
                subject=f"You are on the waiting list for {application.run.title}",
                lines=[
                    f"The run “{application.run.title}” of {application.run.course.title} is "
                    "full, so you are on its waiting list.",
                    "If a place comes free you will get it in the order you joined the list, "
                    "and we will email you.",
                ],
                link=_run_link(application.run),
            )
    return application


def _email_confirmed(application):
    email(
        to=[application.user.email],
        subject=f"Your place on {application.run.title} is confirmed",
        lines=[
            f"Your place on “{application.run.title}” ({application.run.course.title}) is "
            "confirmed.",
            "The run's page has the dates, the calendar file and the letter to your employer "
            "asking for paid time off.",
        ],
        link=_run_link(application.run),
    )


def fill_freed_places(*, run: CourseRun, by, now=None) -> list[RunApplication]:
    """Give free places to the waiting list, first come first served. The
    caller holds the run's lock."""
    now = now or timezone.now()
    free = run.places - _confirmed(run)
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        RunApplication.objects.select_for_update()
        .select_related("run__course", "user")
        .filter(run=run, status=S.WAITING)
        .order_by("waiting_since", "pk")[:free]
    )
    for application in waiting:
        promoted.append(
            transition(
                application=application,
                to=S.CONFIRMED,
                move="promote",
                by=by,
                confirmed_at=now,
                evidence_code=application.evidence_code or new_code(),
            )
        )
        _email_confirmed(application)
    return promoted


def waiting_list_fill(*, run: CourseRun, by) -> list[RunApplication]:
    """The tutor gives free places (say, after raising the run's places in
    the admin) to the waiting list, in order."""
    with transaction.atomic():
        run = lock_run(run)
        if not may_manage(run=run, user=by):
            raise ApplicationRefused("Only the run's tutor or an educator can do that.")
        return fill_freed_places(run=run, by=by)


def application_withdraw(*, application: RunApplication, by) -> RunApplication:
    """The rep withdraws. A confirmed place that is given up goes to the
    first person on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        run = lock_run(application.run)
        application = lock_application(application)
        if application.user_id != by.pk:
            raise ApplicationRefused("Only the person who applied can withdraw an application.")
        held_place = application.status == S.CONFIRMED
        application = transition(
            application=application, to=S.WITHDRAWN, move="withdraw", by=by, closed_at=now
        )
        if held_place:
            email(
                to=[run.tutor.email if run.tutor else ""],
                subject=f"A place on {run.title} was given up",
                lines=[f"Someone with a confirmed place on “{run.title}” has withdrawn."],
                link=base_url() + reverse("runs:manage", args=[run.pk]),
            )
            fill_freed_places(run=run, by=None, now=now)
    return application


# Attendance and completion -----------------------------------------------------------


def run_cancel(*, run: CourseRun, by, now=None) -> list[RunApplication]:
    """An educator has cancelled `run`: close every open application (each
    move on the audit log) and tell each applicant, once. Returns the
    applications closed; none the second time."""
    now = now or timezone.now()
    with transaction.atomic():
        run = lock_run(run)
        if run.status != RunStatus.CANCELLED:
            CourseRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED)
        open_ones = (
            RunApplication.objects.select_for_update(of=("self",))
            .filter(run=run, status__in=list(MOVES["cancel"][0]))
            .select_related("run", "user")
            .order_by("pk")
        )
        closed = [
            transition(
                application=application,
                to=S.RUN_CANCELLED,
                move="cancel",
                by=by,
                now=now,
                closed_at=now,
            )
            for application in open_ones
        ]
        for application in closed:
            email(
                to=[application.user.email],
                subject=f"{run.title} has been cancelled",
                lines=[
                    f"The course run “{run.title}” ({run.course.title}) has been cancelled, "
                    "so your application for it is closed.",
                    "If you had asked your employer for time off for it, let them know. The "
                    "course page lists any other runs you can apply for.",
                ],
                link=base_url() + run.course.url,
            )
    return closed


def attendance_record(*, session: RunSession, present_ids: set[int], by) -> list[RunApplication]:
    """The tutor's register for one session: everyone with a confirmed place
    is marked present (their application's id is in `present_ids`) or
    absent. Returns the applications whose run this completed.

    A session is registered once it has started; marking it again corrects it.
    """
    now = timezone.now()
    run = session.run
    if not may_manage(run=run, user=by):
        raise ApplicationRefused("Only the run's tutor or an educator can keep the register.")
    if session.starts_at > now:
        raise ApplicationRefused("You can record attendance once the session has started.")
    completed = []
    with transaction.atomic():
        lock_run(run)
        places = list(
            RunApplication.objects.select_for_update()
            .filter(run=run, status=S.CONFIRMED)
            .select_related("user", "run__course")
        )
        unknown = set(present_ids) - {a.pk for a in places}
        if unknown:
            raise ApplicationRefused("Mark only people with a confirmed place on this run.")
        existing = {row.user_id: row for row in RunAttendance.objects.filter(session=session)}
        for application in places:
            present = application.pk in present_ids
            row = existing.get(application.user_id)
            if row is None:
                RunAttendance.objects.create(
                    session=session,
                    user=application.user,
                    present=present,
                    recorded_by=by,
                    recorded_at=now,
                )
            elif row.present != present:
                row.present, row.recorded_by, row.recorded_at = present, by, now
                row.save(update_fields=["present", "recorded_by", "recorded_at"])
        log(
            instance=run,
            action="knowhow.run.attendance",
            user=by,
            data={"session": session.pk, "present": len(present_ids), "places": len(places)},
        )
        for application in places:
            if application.pk in present_ids and run_completion_check(application=application):
                completed.append(application)
    return completed


def _required_lesson_ids(run) -> set[int]:
    return set(
        RunSession.required_lessons.through.objects.filter(runsession__run=run).values_list(
            "lessonpage_id", flat=True
        )
    )


def run_completion_check(*, application: RunApplication) -> bool:
    """Complete the run for a confirmed rep who attended every session and
    finished every lesson the sessions need (a lesson with a quiz is
    finished by passing it), and issue the course certificate through the
    certificate service. True the first time it completes; idempotent."""
    with transaction.atomic():
        application = lock_application(application)
        if application.status != S.CONFIRMED or application.completed_at is not None:
            return False
        run = application.run
        sessions = set(run.sessions.values_list("pk", flat=True))
        attended = set(
            RunAttendance.objects.filter(
                session__run=run, user=application.user, present=True
            ).values_list("session_id", flat=True)
        )
        if not sessions or attended != sessions:
            return False
        required = _required_lesson_ids(run)
        done = set(
            LessonCompletion.objects.filter(
                user=application.user, lesson_id__in=required
            ).values_list("lesson_id", flat=True)
        )
        if done != required:
            return False
        now = timezone.now()
        application.completed_at = now
        application.save(update_fields=["completed_at"])
        log(
            instance=application,
            action="knowhow.run.complete",
            user=application.user,
            data={"run": run.pk},
        )
        enrolment, _ = Enrolment.objects.get_or_create(user=application.user, course=run.course)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.completed_at is None:
            enrolment.completed_at = now
            enrolment.save(update_fields=["completed_at"])
        # The course certificate, as if the course were finished online (CERT-01:
        # issued with the completion, once).
        certificate_issue(enrolment=enrolment)
    return True


def run_completions_for(*, user, course) -> int:
    """After a lesson is completed: complete any run of `course` the rep
    has attended in full and was waiting only on lessons. One query when
    there is none (the usual case)."""
    pending = list(
        RunApplication.objects.filter(
            user=user, run__course=course, status=S.CONFIRMED, completed_at__isnull=True
        )
    )
    return sum(run_completion_check(application=application) for application in pending)
