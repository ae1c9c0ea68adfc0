"""Fill a PostgreSQL database with a synthetic national dataset for the benchmarks.

    python -m bench seed-scale [--scale 0.01] [--force]

At --scale 1: 200,000 users, 50 courses of 4 modules x 5 lessons with a
10-question quiz on each course's last lesson, 400,000 enrolments (two per
user), 5,000,000 lesson completions (25 per user; one user in ten finishes a
course and holds its signed certificate), 500,000 submitted quiz attempts
(2 or 3 per user, without their per-question rows) and, when the branches
1,000 branches in 12 regions with every user a member of one (three in four
share their progress). --scale multiplies every
count (courses: at least 5).

Pages are created once through the page tree (bench.content); everything a
learner writes goes in with COPY. Run it on an empty database after
`migrate`: it refuses a database that already has scale users. It refuses
production settings unless --force, and any database but PostgreSQL.

It lives with the benchmarks, not in an app's management commands: it builds
its questions with the test factories, which a deployment does not ship.
bench/__main__.py sets Django up before it imports this module.
"""

import argparse
import datetime
import random
import sys
import time
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from bench.content import add_course, lessons_of
from branches.consent import CURRENT_VERSION
from branches.models import Branch, Region
from courses.certificates import signing
from courses.certificates.services import new_code
from courses.models import Certificate, LessonPage, Topic
from tests.factories.assessments import make_question, make_quiz

USERS = 200_000
COURSES = 50
MODULES, LESSONS = 4, 5
QUESTIONS = 10
BRANCHES, REGIONS = 1_000, 12
EMAIL = "scale-user-{n}@example.org"


class Refused(Exception):
    """Why the dataset was not written, in words for the person running it."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench seed-scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
    parser.add_argument("--force", action="store_true", help="run even with production settings")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be above 0 and at most 1")
    try:
        Seeder().run(scale=args.scale, force=args.force)
    except Refused as refusal:
        print(f"seed-scale: {refusal}", file=sys.stderr)
        return 1
    return 0


class Seeder:
    def write(self, line):
        print(line, flush=True)

    def run(self, *, scale, force=False):
        if settings.KNOWHOW_PRODUCTION and not force:
            raise Refused("it writes 5 million made-up rows: not on production.")
        if connection.vendor != "postgresql":
            raise Refused("it needs PostgreSQL (set DATABASE_URL).")
        if User.objects.filter(email__startswith="scale-user-").exists():
            raise Refused("this database already has the scale dataset.")
        self.rng = random.Random(8)  # noqa: S311 - made-up data, the same every time
        self.now = timezone.now()
        started = time.perf_counter()
        users = max(100, round(USERS * scale))
        courses = self._step("courses", lambda: self._courses(max(5, round(COURSES * scale))))
        user_ids = self._step("users", lambda: self._users(users))
        done = self._step("enrolments and completions", lambda: self._learning(user_ids, courses))
        self._step("certificates", lambda: self._certificates(done))
        self._step("quiz attempts", lambda: self._attempts(user_ids, courses))
        branch_ids = self._step(
            "branches", lambda: self._branches(max(10, round(BRANCHES * scale)))
        )
        self._step("memberships", lambda: self._memberships(user_ids, branch_ids))
        self._step("ANALYZE", self._analyze)
        self.write(f"Done in {time.perf_counter() - started:.0f} s (scale {scale}).")

    def _step(self, name, work):
        started = time.perf_counter()
        result = work()
        counted = f": {result:,}" if isinstance(result, int) else ""
        self.write(f"{name}{counted} in {time.perf_counter() - started:.1f} s")
        return result

    def _copy(self, table, columns, rows):
        connection.ensure_connection()
        count = 0
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _when(self, days=365):
        return self.now - datetime.timedelta(seconds=self.rng.randrange(days * 86400))

    def _courses(self, count):
        questions = [make_question("single", title=f"Scale question {n}") for n in range(QUESTIONS)]
        topics = list(Topic.objects.all())
        made = []
        with transaction.atomic():
            for n in range(1, count + 1):
                course = add_course(
                    slug=f"scale-course-{n:02d}",
                    title=f"Scale course {n:02d}",
                    modules=MODULES,
                    lessons=LESSONS,
                    topic=topics[n % len(topics)],
                    level=["introductory", "intermediate", "advanced"][n % 3],
                )
                lessons = [lesson.pk for lesson in lessons_of(course)]
                quiz = make_quiz(questions, title=f"Scale quiz {n:02d}")
                LessonPage.objects.filter(pk=lessons[-1]).update(quiz=quiz)
                made.append({"course": course, "lessons": lessons, "quiz": quiz})
        return made

    def _users(self, count):
        password = make_password(None)  # unusable: nobody signs in as these
        batch = 5_000
        for start in range(0, count, batch):
            User.objects.bulk_create(
                User(
                    email=EMAIL.format(n=n),
                    display_name=f"Rep {n}",
                    password=password,
                    date_joined=self._when(),
                )
                for n in range(start, min(start + batch, count))
            )
        return list(
            User.objects.filter(email__startswith="scale-user-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def _learning(self, user_ids, courses):
        """Two enrolments a user, 25 completions: 13 + 12, or a finished course + 5."""
        enrolments, completions, finished = [], [], []
        for i, user_id in enumerate(user_ids):
            first = courses[i % len(courses)]
            second = courses[(i * 7 + 3) % len(courses)]
            if second is first:
                second = courses[(i + 1) % len(courses)]
            finishes = i % 10 == 0
            counts = (len(first["lessons"]), 5) if finishes else (13, 12)
            started = self._when()
            for course, done in zip((first, second), counts, strict=True):
                enrolments.append(
                    (
                        user_id,
                        course["course"].pk,
                        started,
                        started + datetime.timedelta(days=30)
                        if done == len(course["lessons"])
                        else None,
                        course["lessons"][done - 1],
                        uuid.uuid4(),
                    )
                )
                for lesson_id in course["lessons"][:done]:
                    completions.append((user_id, lesson_id, started))
            if finishes:
                finished.append((user_id, first["course"], started + datetime.timedelta(days=30)))
        self._copy(
            "courses_enrolment",
            [
                "user_id",
                "course_id",
                "started_at",
                "completed_at",
                "last_lesson_id",
                "progress_token",
            ],
            enrolments,
        )
        self.write(f"enrolments: {len(enrolments):,}")
        self._copy(
            "courses_lessoncompletion", ["user_id", "lesson_id", "completed_at"], completions
        )
        self.write(f"lesson completions: {len(completions):,}")
        return finished

    def _certificates(self, finished):
        users = dict(
            User.objects.filter(pk__in=[user_id for user_id, _, _ in finished]).values_list(
                "pk", "display_name"
            )
        )
        certificates = []
        for user_id, course, issued_at in finished:
            certificate = Certificate(
                code=new_code(),
                user_id=user_id,
                course=course,
                holder_name=users[user_id],
                course_title=course.title,
                course_level=course.get_level_display(),
                hours=(Decimal(course.estimated_minutes) / 60).quantize(Decimal("0.1")),
                issued_at=issued_at,
            )
            certificate.signature = signing.sign(certificate)
            certificates.append(certificate)
        Certificate.objects.bulk_create(certificates, batch_size=5_000)
        return len(certificates)

    def _attempts(self, user_ids, courses):
        """2 or 3 submitted attempts a user at the quiz of their first course."""
        marks = Decimal(QUESTIONS)

        def rows():
            for i, user_id in enumerate(user_ids):
                quiz = courses[i % len(courses)]["quiz"]
                for number in range(1, 3 + i % 2):
                    started = self._when()
                    awarded = Decimal(self.rng.randrange(QUESTIONS + 1))
                    percent = awarded * 100 / marks
                    yield (
                        quiz.pk,
                        user_id,
                        number,
                        "submitted",
                        started,
                        started + datetime.timedelta(minutes=8),
                        2,
                        marks,
                        awarded,
                        percent,
                        percent >= quiz.pass_mark,
                    )

        return self._copy(
            "assessments_attempt",
            [
                "quiz_id",
                "user_id",
                "number",
                "state",
                "started_at",
                "finished_at",
                "version",
                "marks_available",
                "marks_awarded",
                "percent",
                "passed",
            ],
            rows(),
        )

    def _branches(self, count):
        regions = [
            Region.objects.get_or_create(
                slug=f"scale-region-{n}", defaults={"name": f"Region {n}"}
            )[0]
            for n in range(1, REGIONS + 1)
        ]
        made = Branch.objects.bulk_create(
            (
                Branch(
                    name=f"Scale branch {n}",
                    slug=f"scale-branch-{n}",
                    region=regions[n % REGIONS],
                    employer=f"Employer {n}",
                )
                for n in range(1, count + 1)
            ),
            batch_size=1_000,
        )
        return [branch.pk for branch in made]

    def _memberships(self, user_ids, branch_ids):
        """Every user in one branch; three in four share their progress."""

        def rows():
            for i, user_id in enumerate(user_ids):
                shares = i % 4 != 3
                joined = self._when()
                yield (
                    user_id,
                    branch_ids[i % len(branch_ids)],
                    joined,
                    shares,
                    CURRENT_VERSION,
                    joined,
                )

        return self._copy(
            "branches_membership",
            [
                "user_id",
                "branch_id",
                "joined_at",
                "shares_progress",
                "consent_version",
                "consent_changed_at",
            ],
            rows(),
        )

    def _analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
