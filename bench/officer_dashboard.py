"""Officer dashboard and member export for a large branch (issue #6, #8 item 4).

Builds, with bulk inserts, a branch of 2,000 members who share their progress
across 20 courses (each member enrolled in 10, half of those completed, with
lesson completions) and 50 tutor-led runs with 20 applications each in every
state, with registers (issue #17 item 7), and a branch of 200 built the same
way with 5 runs. Measures the
dashboard's median server time and queries (target: under 300 ms on
PostgreSQL, queries the same for 200 and 2,000), and the CSV and XLSX exports:
the median time to produce the whole file (target, issue #18: CSV under
150 ms and XLSX under 600 ms on PostgreSQL), and peak Python memory while
producing it (tracemalloc, in a separate download: tracing slows Python
down several times). The exports stream, so the peak should not grow with
the branch.

    .venv/bin/python -m bench --only officer_dashboard
"""

import datetime
import os
import random
import statistics
import time
import tracemalloc

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.timing import Request, time_requests

BIG, SMALL = 2000, 200
COURSES = 20
RUNS = {BIG: 50, SMALL: 5}
APPLICATIONS_PER_RUN = 20
DASHBOARD_TARGET_MS = 300
EXPORT_RUNS = 5
EXPORT_TARGET_MS = {"CSV": 150, "XLSX": 600}
SECTION = "officer dashboard"


def _build(size, courses, lessons_by_course, officer, label):
    from accounts.models import User
    from branches.models import Branch, BranchOfficer, Membership, Region
    from courses.models import Certificate, Enrolment, LessonCompletion

    slug = f"bench-{label}"
    branch = Branch.objects.filter(slug=slug).first()
    if branch is not None:
        return branch
    region, _ = Region.objects.get_or_create(slug="bench-region", defaults={"name": "Bench"})
    branch = Branch.objects.create(name=f"Bench {label}", slug=slug, region=region)
    BranchOfficer.objects.create(branch=branch, user=officer)
    users = User.objects.bulk_create(
        [
            User(email=f"{slug}-{n}@bench.invalid", display_name=f"Member {n}", password="!")  # noqa: S106 - unusable
            for n in range(size)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(
                user=u, branch=branch, shares_progress=True, consent_version=1, joined_at=now
            )
            for u in users
        ],
        batch_size=1000,
    )
    chance = random.Random(size)  # noqa: S311 - benchmark data
    enrolments, completions, certificates = [], [], []
    for user in users:
        for course in chance.sample(courses, COURSES // 2):
            lessons = lessons_by_course[course.pk]
            done = chance.random() < 0.5
            when = now - datetime.timedelta(days=chance.randint(0, 360))
            enrolments.append(
                Enrolment(
                    user=user, course=course, started_at=when, completed_at=when if done else None
                )
            )
            for lesson in lessons if done else lessons[:1]:
                completions.append(LessonCompletion(user=user, lesson=lesson, completed_at=when))
            if done:
                certificates.append(
                    Certificate(
                        code=f"{user.pk:016x}{course.pk:016x}",
                        user=user,
                        course=course,
                        holder_name=user.display_name,
                        course_title=course.title,
                        course_level=course.level,
                        hours=1,
                        issued_at=when,
                        signature="bench",
                    )
                )
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    LessonCompletion.objects.bulk_create(completions, batch_size=2000)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    _runs(branch, courses, users, officer, RUNS[size], chance)
    return branch


def _runs(branch, courses, users, tutor, count, chance):
    """Tutor-led runs with applications from the branch in every state, and
    registers for the sessions already held (issue #17)."""
    from courses.runs.models import (
        ApplicationStatus,
        CourseRun,
        RunApplication,
        RunAttendance,
        RunSession,
    )

    now = timezone.now()
    states = list(ApplicationStatus.values)
    runs, sessions, applications, attendance = [], [], [], []
    for n in range(count):
        first = now + datetime.timedelta(days=chance.randint(-60, 60))
        runs.append(
            CourseRun(
                course=courses[n % len(courses)],
                title=f"Bench run {n + 1}",
                kind="online" if n % 2 else "day_school",
                tutor=tutor,
                places=12,
                applications_close_at=first - datetime.timedelta(days=7),
                status="open",
            )
        )
    CourseRun.objects.bulk_create(runs)
    for run in runs:
        first = run.applications_close_at + datetime.timedelta(days=7)
        for k in range(3):
            starts = first + datetime.timedelta(days=7 * k)
            sessions.append(
                RunSession(
                    run=run,
                    sort_order=k,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    venue="Bench hall",
                )
            )
        for k, user in enumerate(chance.sample(users, APPLICATIONS_PER_RUN)):
            status = states[k % len(states)]
            applications.append(
                RunApplication(
                    run=run,
                    user=user,
                    branch=branch,
                    status=status,
                    applied_at=run.applications_close_at - datetime.timedelta(days=14),
                    confirmed_at=now if status == ApplicationStatus.CONFIRMED else None,
                    waiting_since=now if status == ApplicationStatus.WAITING else None,
                )
            )
    RunSession.objects.bulk_create(sessions, batch_size=2000)
    RunApplication.objects.bulk_create(applications, batch_size=2000)
    confirmed = {}
    for application in applications:
        if application.status == ApplicationStatus.CONFIRMED:
            confirmed.setdefault(application.run_id, []).append(application.user_id)
    for session in sessions:
        if session.starts_at < now:
            for user_id in confirmed.get(session.run_id, []):
                attendance.append(
                    RunAttendance(
                        session=session,
                        user_id=user_id,
                        present=chance.random() < 0.9,
                        recorded_by=tutor,
                        recorded_at=now,
                    )
                )
    RunAttendance.objects.bulk_create(attendance, batch_size=2000)


def _courses():
    from courses.models import CoursePage, LessonPage
    from tests.factories.courses import make_course

    existing = list(CoursePage.objects.filter(slug__startswith="bench-officer-"))
    while len(existing) < COURSES:
        course = make_course(
            title=f"Bench officer course {len(existing) + 1}", modules=1, lessons=3
        )
        course.slug = f"bench-officer-{len(existing) + 1}"
        course.save(update_fields=["slug"])
        existing.append(course)
    lessons = {
        course.pk: list(LessonPage.objects.live().descendant_of(course).order_by("path"))
        for course in existing
    }
    return existing, lessons


def _download(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(b"".join(response))


def _export(client, url, runs=EXPORT_RUNS):
    """Median seconds to receive the whole file, its size, and the peak traced
    memory in bytes. Memory is traced in a separate download: tracemalloc
    slows Python down several times, so a traced download's time says more
    about tracemalloc than about the export."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        size = _download(client, url)
        seconds.append(time.perf_counter() - started)
    if os.environ.get("BENCH_PROFILE_EXPORT"):
        import cProfile

        cProfile.runctx("_download(client, url)", globals(), locals(), sort="cumtime")
    tracemalloc.start()
    try:
        _download(client, url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return statistics.median(seconds), peak, size


def run(ctx):
    from accounts.models import User
    from tests.factories.branches import with_mfa

    officer = User.objects.filter(email="bench-officer@bench.invalid").first()
    if officer is None:
        officer = User.objects.create_user(
            email="bench-officer@bench.invalid", display_name="Bench officer", password=None
        )
        with_mfa(officer)
    courses, lessons = _courses()
    big = _build(BIG, courses, lessons, officer, "big")
    small = _build(SMALL, courses, lessons, officer, "small")
    if connection.vendor == "postgresql":
        # Fresh planner statistics after the bulk load, as autovacuum would
        # gather on a live server; without them PostgreSQL picks nested loops
        # over 2,000 x 100 rows and the dashboard takes 0.7 s instead of 0.08 s.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(officer)

    def url(branch, name="branches:dashboard"):
        return reverse(name, args=[branch.slug])

    on_postgresql = connection.vendor == "postgresql"
    big_page, small_page = time_requests(
        [Request(client, url(big)), Request(client, url(small))], runs=max(ctx.runs // 4, 10)
    )
    rows = [
        {
            "section": SECTION,
            "measure": f"Officer dashboard, {BIG:,} sharing members x {COURSES} courses, "
            f"{RUNS[BIG]} course runs",
            "median_ms": big_page.median_ms,
            "p95_ms": round(big_page.p95_ms, 1),
            "queries": big_page.queries,
            # The time target is issue #6's, for PostgreSQL (production);
            # on SQLite only the queries are held to it.
            "target": (
                f"< {DASHBOARD_TARGET_MS} ms; queries as for {SMALL}"
                if on_postgresql
                else f"queries as for {SMALL} (time: PostgreSQL only)"
            ),
            "ok": (big_page.median_ms < DASHBOARD_TARGET_MS or not on_postgresql)
            and big_page.queries == small_page.queries,
        },
        {
            "section": SECTION,
            "measure": f"Officer dashboard, {SMALL} sharing members, {RUNS[SMALL]} course runs",
            "median_ms": small_page.median_ms,
            "p95_ms": round(small_page.p95_ms, 1),
            "queries": small_page.queries,
        },
    ]
    for name, label in [("branches:export_csv", "CSV"), ("branches:export_xlsx", "XLSX")]:
        _export(client, url(small, name), runs=1)  # warm-up
        big_seconds, big_peak, big_size = _export(client, url(big, name))
        small_seconds, small_peak, _ = _export(client, url(small, name))
        flat = big_peak <= small_peak * 2
        limit_ms = EXPORT_TARGET_MS[label]
        fast = big_seconds * 1000 < limit_ms or not on_postgresql
        rows.append(
            {
                "section": SECTION,
                "measure": f"{label} export, {BIG:,} members: peak memory {big_peak / 1e6:.1f} MB "
                f"({SMALL}: {small_peak / 1e6:.1f} MB)",
                "median_ms": round(big_seconds * 1000, 1),
                "bytes": big_size,
                "ratio": round(big_peak / small_peak, 2) if small_peak else None,
                # Issue #18 item 4: the times are for PostgreSQL (production).
                "target": f"< {limit_ms} ms (PostgreSQL); memory <= 2x the {SMALL}-member one",
                "ok": flat and fast,
            }
        )
    return rows
