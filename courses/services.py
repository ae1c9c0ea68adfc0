"""Writes to the learner's record. Views call these; nothing else writes."""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.selectors import passed_quiz_ids, quiz_status
from courses import page_cache
from courses.certificates.selectors import certificate_current
from courses.certificates.services import certificate_issue
from courses.models import CompletionRule, CoursePage, Enrolment, LessonCompletion, LessonPage
from courses.runs.services import run_completions_for
from courses.selectors import course_for_lesson, live_lesson_ids, missing_prerequisites


class PrerequisitesNotMet(Exception):
    def __init__(self, missing):
        self.missing = missing
        super().__init__(", ".join(course.title for course in missing))


class NotEnrolled(Exception):
    pass


class QuizNotPassed(Exception):
    """A lesson with a quiz is completed by passing the quiz, not by a button."""


def enrolment_start(*, user, course: CoursePage) -> Enrolment:
    """Enrol in a course. Idempotent: starting twice returns the same enrolment."""
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        raise PrerequisitesNotMet(missing)
    try:
        with transaction.atomic():
            enrolment, _ = Enrolment.objects.get_or_create(user=user, course=course)
    except IntegrityError:
        # Another request enrolled the same person a moment ago.
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


def lesson_visit(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson a learner is on, for the course page's "In progress"."""
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson


@dataclass
class LessonCompleteResult:
    completion: LessonCompletion
    created: bool
    course_completed: bool


def lesson_complete(*, user, lesson: LessonPage, course=None, attempt=None) -> LessonCompleteResult:
    """Record that a learner finished a lesson; complete the course if that was the last.

    Idempotent, and safe when two requests race: the enrolment row is locked
    while the completion is written and the course rule is checked. A lesson
    with a quiz needs the quiz passed: `attempt`, a passing attempt at it the
    caller has just graded, says so without asking the database again (with
    either grading method, a passing latest attempt means the quiz is passed).
    """
    course = course or course_for_lesson(lesson=lesson)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        if enrolment is None:
            raise NotEnrolled(course.title)
        if lesson.quiz_id and not _quiz_passed(
            user=user, lesson=lesson, attempt=attempt, since=enrolment.started_at
        ):
            raise QuizNotPassed(lesson.title)
        # The enrolment lock serialises writers, so check-then-insert is safe;
        # the unique constraint is the backstop.
        completion = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
        created = completion is None
        if created:
            completion = LessonCompletion.objects.create(user=user, lesson=lesson)
        enrolment.last_lesson = lesson
        course_completed = False
        if enrolment.completed_at is None and _rule_met(
            user=user, course=course, since=enrolment.started_at
        ):
            enrolment.completed_at = timezone.now()
            course_completed = True
        fields = ["last_lesson", "completed_at"]
        if created:
            # The learner's outline in the cache is stamped with it (page_cache).
            enrolment.progress_token = uuid.uuid4()
            fields.append("progress_token")
        enrolment.save(update_fields=fields)
        if course_completed:
            # Issued in the same transaction as the completion (CERT-01).
            certificate_issue(enrolment=enrolment)
    if created:
        # The lesson may be the last thing a tutor-led run was waiting on
        # (issue #17). After the enrolment's lock is released: the run's
        # check takes the application's lock before the enrolment's, as the
        # tutor's register does, so the two never wait on each other.
        run_completions_for(user=user, course=course)
    return LessonCompleteResult(completion, created, course_completed)


def _quiz_passed(*, user, lesson, attempt, since):
    if (
        attempt is not None
        and attempt.passed
        and attempt.quiz_id == lesson.quiz_id
        and attempt.user_id == user.pk
        and attempt.started_at >= since
    ):
        return True
    return quiz_status(user=user, quiz=lesson.quiz, since=since).passed


def _rule_met(*, user, course: CoursePage, since) -> bool:
    """The course's completion rule: every live lesson complete, and for
    "all quizzes passed", every live lesson's quiz passed now (a lesson
    completed before its quiz was added does not count for that)."""
    lesson_ids = live_lesson_ids(course=course)
    if not lesson_ids:
        return False
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).count()
    if done != len(lesson_ids):
        return False
    if course.completion_rule == CompletionRule.ALL_LESSONS_AND_QUIZZES:
        quiz_ids = set(
            LessonPage.objects.filter(pk__in=lesson_ids, quiz__isnull=False).values_list(
                "quiz_id", flat=True
            )
        )
        return quiz_ids <= passed_quiz_ids(user=user, quiz_ids=quiz_ids, since=since)
    return True


class CannotRetake(Exception):
    """Only a course whose certificate has expired is taken again."""


def course_retake(*, user, course: CoursePage) -> Enrolment:
    """Start a refresher: progress and quiz attempts count afresh from now.

    The expired certificate stays as history; completing the course again
    issues a new one. Lesson completions of the earlier round are removed so
    progress starts from zero (the certificate records that round).
    """
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        certificate = certificate_current(user=user, course=course)
        if enrolment is None or certificate is None or certificate.public_status != "expired":
            raise CannotRetake(course.title)
        lessons = LessonPage.objects.descendant_of(course).values_list("pk", flat=True)
        LessonCompletion.objects.filter(user=user, lesson_id__in=list(lessons)).delete()
        page_cache.progress_changed(user.pk)
        enrolment.started_at = timezone.now()
        enrolment.completed_at = None
        enrolment.last_lesson = None
        enrolment.progress_token = uuid.uuid4()
        enrolment.save(
            update_fields=["started_at", "completed_at", "last_lesson", "progress_token"]
        )
    return enrolment
