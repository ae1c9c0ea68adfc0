from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.models import CoursePage
from demo.walkthrough import DEMO_PASSWORD, demo_account, work_through

DEMO_USERS = [
    # (email, display name, role, groups, superuser)
    ("rep@example.org", "Sam (demo rep)", "Rep", [], False),
    ("educator@example.org", "Eda (demo educator)", "Educator", ["Educators"], False),
    ("reviewer@example.org", "Rui (demo reviewer)", "Reviewer", ["Reviewers"], False),
    ("admin@example.org", "Ada (demo administrator)", "Administrator", [], True),
]

# The demo rep has finished one course (so has a certificate) and is part-way
# through two: (course slug, lessons done; None for all of them).
DEMO_PROGRESS = [
    ("data-rights-introductory", None),
    ("algorithms-ai-introductory", 1),
    ("procurement-introductory", 2),
]


class Command(BaseCommand):
    help = "Create the demo accounts (a rep, an educator, a reviewer, an administrator)."

    def handle(self, *args, **options):
        if settings.KNOWHOW_PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            accounts = {}
            for email, name, role, group_names, superuser in DEMO_USERS:
                user, created = demo_account(
                    email, name, is_superuser=superuser, is_staff=superuser
                )
                user.groups.add(*Group.objects.filter(name__in=group_names))
                accounts[email] = user
                self.stdout.write(f"  {role:<14} {email:<24} {'created' if created else 'exists'}")
            self._demo_progress(accounts["rep@example.org"])
        call_command("seed_demo_branch", stdout=self.stdout)
        call_command("seed_demo_runs", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready. Password for each: {DEMO_PASSWORD}")
        )
        self.stdout.write(
            "The educator, reviewer, administrator and officers are asked to set up two-factor "
            "authentication (an authenticator app) the first time they sign in."
        )

    def _demo_progress(self, rep):
        """Give the demo rep some history, once the starter catalogue is loaded."""
        for slug, done in DEMO_PROGRESS:
            course = CoursePage.objects.live().filter(slug=slug).first()
            if course is not None:
                work_through(rep, course, done)
