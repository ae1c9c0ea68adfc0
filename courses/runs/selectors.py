"""Reads about course runs (issue #17). Each makes a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from courses.runs.models import CourseRun, RunSession, RunStatus


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


def upcoming_runs(*, course, now=None) -> list[RunSummary]:
    """Published runs of `course` whose last session has not ended, soonest
    first, with their dates and places left: one query, however many runs."""
    now = now or timezone.now()
    runs = (
        _published()
        .filter(course=course)
        .annotate(
            first_starts_at=Min("sessions__starts_at"),
            last_ends_at=Max("sessions__ends_at"),
            session_count=Count("sessions", distinct=True),
        )
        .filter(last_ends_at__gt=now)
        .select_related(None)
        .order_by("first_starts_at", "pk")
    )
    return [
        RunSummary(
            run=run,
            first_starts_at=run.first_starts_at,
            last_ends_at=run.last_ends_at,
            session_count=run.session_count,
            places_left=max(run.places - places_taken(run), 0),
            applications_open=run.applications_close_at > now,
        )
        for run in runs
    ]


def places_taken(run) -> int:
    return getattr(run, "confirmed_count", 0)


def run_for_calendar(*, run_id: int) -> CourseRun | None:
    """A published run with its course and sessions, for its calendar file."""
    return (
        _published().filter(pk=run_id).select_related("course").prefetch_related("sessions").first()
    )


def sessions_of(run) -> QuerySet[RunSession]:
    return run.sessions.order_by("starts_at", "pk")


def may_see_link(*, run, user) -> bool:
    """Online meeting links are for the tutor and the run's editors (and,
    with applications, people with a confirmed place)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return run.tutor_id == user.pk or user.has_perm("courses.change_courserun")
