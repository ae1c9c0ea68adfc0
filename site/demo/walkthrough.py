"""What the demo commands share: the printed password, the demo accounts and
a learner working through a course the way a rep would."""

from allauth.account.models import EmailAddress

from accounts.models import User
from assessments.grading import full_marks_response
from assessments.services import attempt_start, attempt_submit
from courses.models import CoursePage
from courses.selectors import course_structure
from courses.services import enrolment_start, lesson_complete

DEMO_PASSWORD = "knowhow-demo-password"  # noqa: S105 - printed for local demos only


def demo_account(email: str, name: str, **defaults) -> tuple[User, bool]:
    """The demo account for `email`, created with the demo password and a
    verified address if it is new: (user, created)."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, **defaults}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def work_through(user: User, course: CoursePage, done: int | None = None) -> None:
    """Complete the first `done` lessons of `course` (all when None) as a rep
    would: lessons that end in a quiz are completed by passing it."""
    enrolment = enrolment_start(user=user, course=course)
    lessons = [lesson for outline in course_structure(course=course) for lesson in outline.lessons]
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
