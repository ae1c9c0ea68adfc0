"""Builders for tutor-led course runs (issue #17)."""

import datetime

from django.utils import timezone

from courses.runs.models import CourseRun, RunKind, RunSession, RunStatus
from tests.factories import UserFactory, with_mfa


def make_tutor(*, mfa=True, **fields):
    """An educator who tutors runs, with an authenticator app (AUTH-04)."""
    fields.setdefault("display_name", "Tam Tutor")
    user = UserFactory(groups=["Educators"], **fields)
    if mfa:
        with_mfa(user)
    return user


def make_run(
    course,
    *,
    tutor=None,
    kind=RunKind.ONLINE,
    places=10,
    sessions=2,
    starts_in=datetime.timedelta(days=14),
    status=RunStatus.OPEN,
    title=None,
    closes_before=datetime.timedelta(days=7),
) -> CourseRun:
    """A run of `course` with `sessions` two-hour sessions a week apart."""
    first = (timezone.now() + starts_in).replace(hour=10, minute=0, second=0, microsecond=0)
    run = CourseRun.objects.create(
        course=course,
        title=title or f"{course.title} {kind}",
        kind=kind,
        tutor=tutor or make_tutor(),
        places=places,
        applications_close_at=first - closes_before,
        status=status,
        union_contact="Branch education officer, education@example.org",
    )
    for n in range(sessions):
        starts = first + datetime.timedelta(days=7 * n)
        RunSession.objects.create(
            run=run,
            sort_order=n,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            online_url="https://meet.example.org/room-1" if kind == RunKind.ONLINE else "",
            venue="" if kind == RunKind.ONLINE else "Unity Hall, 1 Market Street, Leeds",
        )
    return run
