"""A demo region with two branches, officers and about 30 members whose progress
and consent choices vary, so the officer dashboard has something real to show.

Run by seed_demo (and so by `make run`). Idempotent: a second run finds the
demo branch and changes nothing. Refuses production settings.
"""

import contextlib
import datetime
import io
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from branches.models import Branch, BranchOfficer, Membership, Region, RegionOfficer
from branches.services import membership_join, notice_create, recommendation_create
from courses.models import CoursePage, Enrolment, LessonCompletion
from demo.walkthrough import demo_account, work_through

OFFICER = ("officer@example.org", "Olu (demo branch officer)")
REGION_OFFICER = ("region@example.org", "Rhi (demo region officer)")
REGION = ("Yorkshire and the Humber", "yorkshire-humber")
BRANCH = ("Northshire Health Branch", "northshire-health", "Northshire NHS Foundation Trust")
SECOND_BRANCH = ("Northshire Council Branch", "northshire-council", "Northshire County Council")

FIRST_NAMES = [
    "Aisha", "Ben", "Carys", "Dev", "Eilidh", "Femi", "Grace", "Hamza", "Ione", "Jake",
    "Kiran", "Leah", "Marek", "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sanjay", "Tegan",
    "Uma", "Victor", "Wen", "Xander", "Yasmin", "Zofia", "Alun", "Bea", "Cormac", "Dina",
]  # fmt: skip
SURNAMES = ["Ahmed", "Brown", "Chen", "Davies", "Evans", "Fraser", "Griffiths", "Hughes"]

# The starter courses members work through, intro first (so prerequisites hold).
COURSE_PATHS = [
    ["data-rights-introductory", "data-rights-intermediate"],
    ["algorithms-ai-introductory", "algorithms-ai-intermediate"],
    ["procurement-introductory"],
]


class Command(BaseCommand):
    help = "Create the demo region, branches, officers and members."

    def handle(self, *args, **options):
        if settings.KNOWHOW_PRODUCTION:
            raise CommandError("seed_demo_branch refuses to run with production settings.")
        if Branch.objects.filter(slug=BRANCH[1]).exists():
            self.stdout.write("  Demo branch       exists")
            return
        # Thirty demo members earn certificates. The console email backend
        # (development's default) would print every one of those emails and
        # bury the demo sign-ins, so what it writes while the branch is seeded
        # (the emails go out as the transaction commits) is set aside. The
        # command's own output goes to self.stdout, which is not redirected.
        with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
            self._seed()
        members = Membership.objects.filter(branch__slug=BRANCH[1])
        self.stdout.write(
            f"  Branch officer    {OFFICER[0]:<24} created\n"
            f"  Region officer    {REGION_OFFICER[0]:<24} created\n"
            f"  Demo branch       {BRANCH[0]}: {members.count()} members, "
            f"{members.sharing().count()} sharing their progress"
        )

    def _account(self, email, name):
        return demo_account(email, name)[0]

    def _seed(self):
        region = Region.objects.create(name=REGION[0], slug=REGION[1])
        branch = Branch.objects.create(
            name=BRANCH[0], slug=BRANCH[1], employer=BRANCH[2], region=region
        )
        second = Branch.objects.create(
            name=SECOND_BRANCH[0], slug=SECOND_BRANCH[1], employer=SECOND_BRANCH[2], region=region
        )
        officer = self._account(*OFFICER)
        BranchOfficer.objects.create(branch=branch, user=officer)
        RegionOfficer.objects.create(region=region, user=self._account(*REGION_OFFICER))
        membership_join(user=officer, branch=branch, shares_progress=True)

        rep = User.objects.filter(email="rep@example.org").first()
        if rep is not None:
            membership_join(user=rep, branch=branch, shares_progress=True)

        courses = {course.slug: course for course in CoursePage.objects.live()}
        chance = random.Random(2026)  # noqa: S311 - demo data, not security
        for n, first in enumerate(FIRST_NAMES):
            name = f"{first} {SURNAMES[n % len(SURNAMES)]}"
            member = self._account(f"member{n + 1:02d}@example.org", name)
            # Every fourth member keeps their progress to themselves.
            membership_join(user=member, branch=branch, shares_progress=n % 4 != 3)
            self._progress(member, courses, chance)
        for n in range(8):
            member = self._account(f"council{n + 1:02d}@example.org", f"Council member {n + 1}")
            membership_join(user=member, branch=second, shares_progress=n % 2 == 0)
            self._progress(member, courses, chance)

        notice_create(
            branch=branch,
            body=(
                "<p><b>Branch training evening:</b> we are going through the "
                "<i>Your data rights at work</i> course together on Thursday at 6pm, "
                "in the staff canteen.</p><ul><li>Bring your phone</li>"
                "<li>Food provided</li></ul>"
            ),
            show_until=None,
            by=officer,
        )
        if "data-rights-introductory" in courses:
            recommendation_create(
                branch=branch,
                course=courses["data-rights-introductory"],
                due_on=timezone.localdate() + datetime.timedelta(days=30),
                recipients=[],
                for_everyone=True,
                by=officer,
            )

    def _progress(self, member, courses, chance):
        """Work through some courses, then spread the dates over the past year
        so the dashboard's chart over time has a shape."""
        for path in COURSE_PATHS:
            if chance.random() < 0.35:
                continue
            for step, slug in enumerate(path):
                course = courses.get(slug)
                if course is None:
                    break
                finished = chance.random() < 0.6
                work_through(member, course, None if finished else chance.randint(1, 3))
                if not finished or step + 1 == len(path) or chance.random() < 0.5:
                    break
        days_ago = datetime.timedelta(days=chance.randint(3, 330))
        now = timezone.now()
        for completion in LessonCompletion.objects.filter(user=member):
            completion.completed_at = (
                now - days_ago + datetime.timedelta(hours=chance.randint(0, 48))
            )
            completion.save(update_fields=["completed_at"])
        for enrolment in Enrolment.objects.filter(user=member):
            enrolment.started_at = now - days_ago
            if enrolment.completed_at:
                enrolment.completed_at = now - days_ago + datetime.timedelta(days=2)
            enrolment.save(update_fields=["started_at", "completed_at"])
