"""Two tutor-led runs of the demo courses with applications in every state
(issue #17), so `make run` shows the whole flow: an online cohort that is
coming up (full, with a waiting list) and a day school that has happened
(its register kept: two members through to the certificate, one absent).

Run by seed_demo after seed_demo_branch; goes through the real services.
Idempotent, and refuses production settings.
"""

import contextlib
import datetime
import io

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from branches.applications import application_apply, application_approve, application_decline
from branches.models import Branch
from courses.models import CoursePage
from courses.runs import services
from courses.runs.models import CourseRun, RunKind, RunSession, RunStatus

ONLINE = ("algorithms-ai-introductory", "Online cohort: AI at work (spring)")
DAY_SCHOOL = ("procurement-introductory", "Northshire day school: procurement")
CONTACT = "Olu, branch education officer: officer@example.org"


class Command(BaseCommand):
    help = "Create two demo course runs with applications in each state."

    def handle(self, *args, **options):
        if settings.KNOWHOW_PRODUCTION:
            raise CommandError("seed_demo_runs refuses to run with production settings.")
        if CourseRun.objects.filter(title__in=[ONLINE[1], DAY_SCHOOL[1]]).exists():
            self.stdout.write("  Demo course runs  exist")
            return
        tutor = User.objects.filter(email="educator@example.org").first()
        officer = User.objects.filter(email="officer@example.org").first()
        branch = Branch.objects.filter(slug="northshire-health").first()
        courses = {c.slug: c for c in CoursePage.objects.live()}
        if not (tutor and officer and branch and ONLINE[0] in courses and DAY_SCHOOL[0] in courses):
            self.stdout.write("  Demo course runs  skipped (no demo branch or catalogue)")
            return
        members = list(
            User.objects.filter(
                branch_memberships__branch=branch, email__startswith="member"
            ).order_by("email")
        )
        rep = User.objects.filter(email="rep@example.org", branch_memberships__branch=branch)
        # The emails each step sends would bury the sign-ins in the console.
        with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
            self._online(courses[ONLINE[0]], tutor, officer, branch, members, rep.first())
            self._day_school(courses[DAY_SCHOOL[0]], tutor, officer, branch, members)
        self.stdout.write("  Demo course runs  2 created (an online cohort and a day school)")

    def _run(self, course, title, kind, tutor, *, places, first, sessions, hours):
        run = CourseRun.objects.create(
            course=course,
            title=title,
            kind=kind,
            tutor=tutor,
            places=places,
            applications_close_at=first - datetime.timedelta(days=3),
            status=RunStatus.OPEN,
            union_contact=CONTACT,
        )
        for n in range(sessions):
            starts = first + datetime.timedelta(days=7 * n)
            RunSession.objects.create(
                run=run,
                sort_order=n,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
                online_url="https://meet.example.org/knowhow-demo"
                if kind == RunKind.ONLINE
                else "",
                venue="" if kind == RunKind.ONLINE else "Unity Hall, 12 Market Street, Northshire",
            )
        return run

    def _approved(self, run, branch, officer, user, note=""):
        application = application_apply(user=user, run=run, branch=branch, note=note)
        return application_approve(application=application, by=officer)

    def _online(self, course, tutor, officer, branch, members, rep):
        first = (timezone.now() + datetime.timedelta(days=21)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
        run = self._run(
            course, ONLINE[1], RunKind.ONLINE, tutor, places=3, first=first, sessions=3, hours=2
        )
        confirmed = [rep] if rep else []
        confirmed += members[: 3 - len(confirmed)]
        for user in confirmed:
            services.application_confirm(
                application=self._approved(run, branch, officer, user), by=tutor
            )
        waiting, approved, applied, declined, withdrawn = members[3:8]
        services.application_confirm(
            application=self._approved(run, branch, officer, waiting), by=tutor
        )
        self._approved(run, branch, officer, approved)
        application_apply(
            user=applied, run=run, branch=branch, note="I sit on our new-technology committee."
        )
        application_decline(
            application=application_apply(user=declined, run=run, branch=branch),
            by=officer,
            reason="You are booked on the day school already; let a colleague go first.",
        )
        services.application_withdraw(
            application=application_apply(user=withdrawn, run=run, branch=branch), by=withdrawn
        )

    def _day_school(self, course, tutor, officer, branch, members):
        first = (timezone.now() + datetime.timedelta(days=10)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        run = self._run(
            course, DAY_SCHOOL[1], RunKind.DAY_SCHOOL, tutor, places=12, first=first,
            sessions=1, hours=6,
        )  # fmt: skip
        attendees = members[8:11]
        places = [
            services.application_confirm(
                application=self._approved(run, branch, officer, user), by=tutor
            )
            for user in attendees
        ]
        # The day school has happened: move it into the past, then keep the register.
        session = run.sessions.get()
        session.starts_at -= datetime.timedelta(days=24)
        session.ends_at -= datetime.timedelta(days=24)
        session.save()
        run.applications_close_at -= datetime.timedelta(days=24)
        run.save(update_fields=["applications_close_at"])
        services.attendance_record(
            session=session, present_ids={p.pk for p in places[:2]}, by=tutor
        )
