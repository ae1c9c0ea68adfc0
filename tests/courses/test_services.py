"""courses.services: effects and non-effects."""

import pytest

from courses.models import Enrolment, LessonCompletion
from courses.selectors import progress_by_course
from courses.services import (
    NotEnrolled,
    PrerequisitesNotMet,
    enrolment_start,
    lesson_complete,
)
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_enrolment_start_is_idempotent(rep):
    course = make_course()
    first = enrolment_start(user=rep, course=course)
    second = enrolment_start(user=rep, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.count() == 1


def test_enrolment_refused_until_prerequisites_are_complete(rep):
    intro = make_course(modules=1, lessons=1)
    advanced = make_course(prerequisites=[intro], level="advanced")
    with pytest.raises(PrerequisitesNotMet) as error:
        enrolment_start(user=rep, course=advanced)
    assert error.value.missing == [intro]
    assert not Enrolment.objects.filter(course=advanced).exists()

    enrolment_start(user=rep, course=intro)
    lesson_complete(user=rep, lesson=lessons_of(intro)[0])
    assert enrolment_start(user=rep, course=advanced).course == advanced


def test_lesson_complete_is_idempotent(rep):
    course = make_course()
    enrolment_start(user=rep, course=course)
    lesson = lessons_of(course)[0]
    first = lesson_complete(user=rep, lesson=lesson)
    second = lesson_complete(user=rep, lesson=lesson)
    assert first.created and not second.created
    assert LessonCompletion.objects.filter(user=rep, lesson=lesson).count() == 1
    enrolment = Enrolment.objects.get(user=rep, course=course)
    assert enrolment.last_lesson_id == lesson.pk
    assert enrolment.completed_at is None


def test_lesson_complete_without_enrolment_writes_nothing(rep):
    course = make_course()
    with pytest.raises(NotEnrolled):
        lesson_complete(user=rep, lesson=lessons_of(course)[0])
    assert not LessonCompletion.objects.exists()
    assert not Enrolment.objects.exists()


def test_last_lesson_completes_the_course_once(rep):
    course = make_course(modules=2, lessons=2)
    enrolment_start(user=rep, course=course)
    results = [lesson_complete(user=rep, lesson=lesson) for lesson in lessons_of(course)]
    assert [r.course_completed for r in results] == [False, False, False, True]
    completed_at = Enrolment.objects.get().completed_at
    assert completed_at is not None
    again = lesson_complete(user=rep, lesson=lessons_of(course)[0])
    assert not again.course_completed
    assert Enrolment.objects.get().completed_at == completed_at


def test_unpublished_lesson_drops_out_of_totals_but_history_stays(rep):
    course = make_course(modules=1, lessons=3)
    enrolment_start(user=rep, course=course)
    first, second, third = lessons_of(course)
    lesson_complete(user=rep, lesson=first)
    lesson_complete(user=rep, lesson=second)
    assert progress_by_course(user=rep, courses=[course])[course.pk].total == 3

    second.unpublish()
    progress = progress_by_course(user=rep, courses=[course])[course.pk]
    assert (progress.completed, progress.total) == (1, 2)
    assert LessonCompletion.objects.filter(user=rep, lesson=second).exists()

    # Finishing the remaining live lesson completes the course.
    assert lesson_complete(user=rep, lesson=third).course_completed


def test_course_with_no_live_lessons_is_never_complete(rep):
    course = make_course(modules=1, lessons=1)
    enrolment_start(user=rep, course=course)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    assert not lesson_complete(user=rep, lesson=lesson).course_completed


def test_all_quizzes_rule_needs_each_quiz_passed_now(rep):
    from courses.models import CompletionRule, LessonPage
    from tests.factories.assessments import make_question, make_quiz, pass_quiz

    course = make_course(modules=1, lessons=2)
    CoursePage = type(course)
    CoursePage.objects.filter(pk=course.pk).update(
        completion_rule=CompletionRule.ALL_LESSONS_AND_QUIZZES
    )
    course.refresh_from_db()
    first, second = lessons_of(course)
    enrolment_start(user=rep, course=course)
    # The first lesson was completed before it had a quiz.
    lesson_complete(user=rep, lesson=first)
    quiz = make_quiz([make_question()])
    LessonPage.objects.filter(pk=first.pk).update(quiz=quiz)
    assert not lesson_complete(user=rep, lesson=second).course_completed
    pass_quiz(user=rep, quiz=quiz)
    first.refresh_from_db()
    assert lesson_complete(user=rep, lesson=first).course_completed


def test_lesson_with_a_quiz_is_not_completed_without_passing(rep):
    from courses.models import LessonPage
    from courses.services import QuizNotPassed
    from tests.factories.assessments import make_question, make_quiz

    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    LessonPage.objects.filter(pk=lesson.pk).update(quiz=make_quiz([make_question()]))
    lesson.refresh_from_db()
    enrolment_start(user=rep, course=course)
    with pytest.raises(QuizNotPassed):
        lesson_complete(user=rep, lesson=lesson)
    assert not LessonCompletion.objects.exists()
