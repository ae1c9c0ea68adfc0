"""Racing requests on PostgreSQL: one completion row, one course completion."""

import pytest
from django.db import connection

from courses.models import Enrolment, LessonCompletion
from courses.services import enrolment_start, lesson_complete
from tests.concurrency import run_at_once
from tests.factories.courses import lessons_of, make_course

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def test_same_lesson_completed_by_ten_requests_at_once(rep):
    course = make_course(modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    lesson = lessons_of(course)[0]
    results = run_at_once(lambda _: lesson_complete(user=rep, lesson=lesson), range(10))
    assert LessonCompletion.objects.filter(user=rep, lesson=lesson).count() == 1
    assert sum(result.created for result in results) == 1


def test_last_two_lessons_completed_at_once_complete_the_course_once(rep):
    course = make_course(modules=1, lessons=4)
    enrolment_start(user=rep, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:2]:
        lesson_complete(user=rep, lesson=lesson)
    results = run_at_once(lambda lesson: lesson_complete(user=rep, lesson=lesson), lessons[2:])
    assert sum(result.course_completed for result in results) == 1
    assert Enrolment.objects.get().completed_at is not None
    assert LessonCompletion.objects.filter(user=rep).count() == 4


def test_double_click_on_start_course_makes_one_enrolment(rep):
    course = make_course(modules=1, lessons=1)
    run_at_once(lambda _: enrolment_start(user=rep, course=course), range(8))
    assert Enrolment.objects.filter(user=rep, course=course).count() == 1


def test_ten_final_completions_at_once_issue_one_certificate(rep):
    from courses.models import Certificate

    course = make_course(modules=2, lessons=5)
    enrolment_start(user=rep, course=course)
    results = run_at_once(
        lambda lesson: lesson_complete(user=rep, lesson=lesson), lessons_of(course)
    )
    assert sum(result.course_completed for result in results) == 1
    assert Certificate.objects.filter(user=rep, course=course).count() == 1


def test_the_same_last_lesson_ten_times_at_once_issues_one_certificate(rep):
    from courses.models import Certificate

    course = make_course(modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    first, last = lessons_of(course)
    lesson_complete(user=rep, lesson=first)
    run_at_once(lambda _: lesson_complete(user=rep, lesson=last), range(10))
    assert Certificate.objects.filter(user=rep, course=course).count() == 1
