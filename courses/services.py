"""Writes to the learner's record. Views call these; nothing else writes."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.selectors import passed_quiz_ids, quiz_status
from courses.models import CompletionRule, CoursePage, Enrolment, LessonCompletion, LessonPage
from courses.selectors import course_for_lesson, course_structure, missing_prerequisites


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


def lesson_complete(*, user, lesson: LessonPage) -> LessonCompleteResult:
    """Record that a learner finished a lesson; complete the course if that was the last.

    Idempotent, and safe when two requests race: the enrolment row is locked
    while the completion is written and the course rule is checked.
    """
    if lesson.quiz_id and not quiz_status(user=user, quiz=lesson.quiz).passed:
        raise QuizNotPassed(lesson.title)
    course = course_for_lesson(lesson)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        if enrolment is None:
            raise NotEnrolled(course.title)
        completion, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
        enrolment.last_lesson = lesson
        course_completed = False
        if enrolment.completed_at is None and _rule_met(user=user, course=course):
            enrolment.completed_at = timezone.now()
            course_completed = True
        enrolment.save(update_fields=["last_lesson", "completed_at"])
    return LessonCompleteResult(completion, created, course_completed)


def _rule_met(*, user, course: CoursePage) -> bool:
    """The course's completion rule: every live lesson complete, and for
    "all quizzes passed", every live lesson's quiz passed now (a lesson
    completed before its quiz was added does not count for that)."""
    lessons = [lesson for outline in course_structure(course) for lesson in outline.lessons]
    if not lessons:
        return False
    lesson_ids = [lesson.pk for lesson in lessons]
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).count()
    if done != len(lesson_ids):
        return False
    if course.completion_rule == CompletionRule.ALL_LESSONS_AND_QUIZZES:
        quiz_ids = {lesson.quiz_id for lesson in lessons if lesson.quiz_id}
        return quiz_ids <= passed_quiz_ids(user=user, quiz_ids=quiz_ids)
    return True
