"""Reads about course runs (issue #17). Each makes a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Func, IntegerField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from courses.runs.models import (
    ACTIVE_STATUSES,
    ApplicationStatus,
    CourseRun,
    RunApplication,
    RunSession,
    RunStatus,
)
from courses.runs.permissions import may_manage


@dataclass(frozen=True)
class RunSummary:
    run: CourseRun
    first_starts_at: datetime
    last_ends_at: datetime
    session_count: int
    places_left: int
    applications_open: bool


def _published():
    return CourseRun.objects.filter(status=RunStatus.OPEN, course__live=True)


def _confirmed_count():
    """Confirmed places on each run, as a correlated count (no GROUP BY
    across the sessions join)."""
    counted = (
        RunApplication.objects.filter(run=OuterRef("pk"), status=ApplicationStatus.CONFIRMED)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def upcoming_runs(*, course, now=None) -> list[RunSummary]:
    """Published runs of `course` whose last session has not ended, soonest
    first, with their dates and places left: one query, however many runs."""
    now = now or timezone.now()
    runs = (
        _published()
        .filter(course=course)
        .annotate(
            confirmed_count=_confirmed_count(),
            first_starts_at=Min("sessions__starts_at"),
            last_ends_at=Max("sessions__ends_at"),
            session_count=Count("sessions", distinct=True),
        )
        .filter(last_ends_at__gt=now)
        .order_by("first_starts_at", "pk")
    )
    return [
        RunSummary(
            run=run,
            first_starts_at=run.first_starts_at,
            last_ends_at=run.last_ends_at,
            session_count=run.session_count,
            places_left=max(run.places - run.confirmed_count, 0),
            applications_open=run.applications_close_at > now,
        )
        for run in runs
    ]


def run_for_calendar(*, run_id: int) -> CourseRun | None:
    """A published run with its course and sessions, for its calendar file."""
    return (
        _published().filter(pk=run_id).select_related("course").prefetch_related("sessions").first()
    )


def sessions_of(run) -> QuerySet[RunSession]:
    return run.sessions.order_by("starts_at", "pk")


def may_see_link(*, run, user) -> bool:
    """Online meeting links are for people with a confirmed place, the tutor
    and the educators who edit runs."""
    if not (user.is_authenticated and user.is_active):
        return False
    return may_manage(run=run, user=user) or (
        RunApplication.objects.filter(
            run=run, user=user, status=ApplicationStatus.CONFIRMED
        ).exists()
    )


def _own_application(*, run, user) -> RunApplication | None:
    """The rep's open application for the run, else their latest closed one."""
    mine = list(RunApplication.objects.filter(run=run, user=user).order_by("-applied_at", "-pk"))
    return next((a for a in mine if a.status in ACTIVE_STATUSES), mine[0] if mine else None)


def run_page(*, run_id: int, user) -> dict:
    """A published run as a rep sees it: sessions, places left, their own
    application. A 404 for drafts and cancelled runs."""
    now = timezone.now()
    run = (
        CourseRun.objects.filter(
            pk=run_id, status__in=[RunStatus.OPEN, RunStatus.CANCELLED], course__live=True
        )
        .annotate(confirmed_count=_confirmed_count())
        .select_related("course", "tutor")
        .first()
    )
    if run is None:
        raise Http404
    application = _own_application(run=run, user=user)
    cancelled = run.status == RunStatus.CANCELLED
    if cancelled and application is None and not may_manage(run=run, user=user):
        # Only those it concerned are told it was cancelled; to others it is gone.
        raise Http404
    sessions = list(run.sessions.order_by("starts_at", "pk").prefetch_related("required_lessons"))
    confirmed = application is not None and application.status == ApplicationStatus.CONFIRMED
    open_for_applications = run.applications_close_at > now and not cancelled
    return {
        "run": run,
        "cancelled": cancelled,
        "sessions": sessions,
        "places_left": max(run.places - run.confirmed_count, 0),
        "application": application,
        "applications_open": open_for_applications,
        "may_apply": open_for_applications
        and (application is None or application.status not in ACTIVE_STATUSES),
        "with_link": confirmed or may_manage(run=run, user=user),
        "may_manage": may_manage(run=run, user=user),
    }


def applications_of(*, user) -> list[RunApplication]:
    """The rep's own applications, newest first, for their dashboard."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(
        RunApplication.objects.filter(user=user)
        .select_related("run__course", "branch")
        .annotate(first_starts_at=Min("run__sessions__starts_at"))
        .order_by("-applied_at", "-pk")[:50]
    )


def run_for_manager(*, run_id: int, user) -> dict:
    """A run and its applications for its tutor or an educator; else 404."""
    run = CourseRun.objects.filter(pk=run_id).select_related("course", "tutor").first()
    if run is None or not may_manage(run=run, user=user):
        raise Http404
    applications = list(
        run.applications.select_related("user", "branch").order_by("applied_at", "pk")
    )
    by_status = {status: [] for status in ApplicationStatus.values}
    for application in applications:
        by_status[application.status].append(application)
    by_status[ApplicationStatus.WAITING].sort(key=lambda a: (a.waiting_since, a.pk))
    confirmed = len(by_status[ApplicationStatus.CONFIRMED])
    return {
        "run": run,
        "sessions": list(run.sessions.order_by("starts_at", "pk")),
        "by_status": by_status,
        "places_left": max(run.places - confirmed, 0),
    }


def application_of_user(*, application_id: int, user) -> RunApplication:
    """The rep's own application; anyone else's is a 404."""
    application = (
        RunApplication.objects.filter(pk=application_id, user=user)
        .select_related("run__course", "run__tutor", "branch", "user")
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_for_manager(*, application_id: int, user) -> RunApplication:
    application = (
        RunApplication.objects.filter(pk=application_id).select_related("run", "user").first()
    )
    if application is None or not may_manage(run=application.run, user=user):
        raise Http404
    return application


def session_register(*, run_id: int, session_id: int, user) -> dict:
    """One session's register for the run's tutor or an educator; else 404."""
    run = CourseRun.objects.filter(pk=run_id).select_related("course").first()
    if run is None or not may_manage(run=run, user=user):
        raise Http404
    session = run.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    places = list(
        run.applications.filter(status=ApplicationStatus.CONFIRMED)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    present = set(session.attendance.filter(present=True).values_list("user_id", flat=True))
    recorded = session.attendance.exists()
    return {
        "run": run,
        "session": session,
        "places": places,
        "present_ids": {a.pk for a in places if a.user_id in present},
        "recorded": recorded,
        "started": session.starts_at <= timezone.now(),
    }


def application_by_code(*, code: str) -> RunApplication | None:
    """For the public check of a letter or certificate of attendance."""
    return RunApplication.objects.filter(evidence_code=code).select_related("run__course").first()
