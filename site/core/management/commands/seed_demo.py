from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "knowhow-demo-password"  # noqa: S105 - printed for local demos only

DEMO_USERS = [
    # (email, display name, role, groups, superuser)
    ("rep@example.org", "Sam (demo rep)", "Rep", [], False),
    ("educator@example.org", "Eda (demo educator)", "Educator", ["Educators"], False),
    ("reviewer@example.org", "Rui (demo reviewer)", "Reviewer", ["Reviewers"], False),
    ("admin@example.org", "Ada (demo administrator)", "Administrator", [], True),
]


# The demo rep is part-way through two courses: (course slug, lessons done).
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
            for email, name, role, group_names, superuser in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    email=email,
                    defaults={
                        "display_name": name,
                        "is_superuser": superuser,
                        "is_staff": superuser,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                user.groups.add(*Group.objects.filter(name__in=group_names))
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                self.stdout.write(f"  {role:<14} {email:<24} {'created' if created else 'exists'}")
            self._demo_progress(User.objects.get(email="rep@example.org"))
        # The demo branch lives in the branches app, which builds on this command.
        call_command("seed_demo_branch", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready. Password for each: {DEMO_PASSWORD}")
        )
        self.stdout.write(
            "The educator, reviewer, administrator and officers are asked to set up two-factor "
            "authentication (an authenticator app) the first time they sign in."
        )

    def _demo_progress(self, rep):
        """Give the demo rep some history, once the starter catalogue is loaded."""
        from courses.models import CoursePage

        for slug, done in DEMO_PROGRESS:
            course = CoursePage.objects.live().filter(slug=slug).first()
            if course is not None:
                work_through(rep, course, done)


def work_through(user, course, done=None):
    """Complete the first `done` lessons of `course` (all when None) as a rep
    would: lessons that end in a quiz are completed by passing it."""
    from assessments.grading import full_marks_response
    from assessments.services import attempt_start, attempt_submit
    from courses.selectors import course_structure
    from courses.services import enrolment_start, lesson_complete

    enrolment = enrolment_start(user=user, course=course)
    lessons = [lesson for outline in course_structure(course) for lesson in outline.lessons]
    for lesson in lessons[:done]:
        attempt = None
        if lesson.quiz_id:
            attempt = attempt_start(user=user, quiz=lesson.quiz, since=enrolment.started_at)
            if attempt.is_in_progress:
                answers = {
                    row.position: full_marks_response(row.snapshot)
                    for row in attempt.questions.all()
                }
                attempt = attempt_submit(
                    attempt=attempt, version=attempt.version, responses=answers
                )
        lesson_complete(user=user, lesson=lesson, attempt=attempt)
