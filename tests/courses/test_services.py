"""courses.services: effects and non-effects."""

import pytest

from courses.models import Enrolment, LessonCompletion
from courses.selectors import course_progress
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
    assert course_progress(user=rep, course=course).total == 3

    second.unpublish()
    progress = course_progress(user=rep, course=course)
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
