"""Submitting a quiz costs a constant number of queries (≤ 25 for 20 questions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import LessonPage
from courses.services import enrolment_start
from tests.factories.assessments import full_marks, make_question, make_quiz
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db

KINDS = ["single", "multiple", "true_false", "short_text", "ordering", "matching"]


def submit_queries(client, user, count):
    from assessments.services import attempt_save, attempt_start

    course = make_course(modules=1, lessons=2)
    lesson = lessons_of(course)[0]
    quiz = make_quiz([make_question(KINDS[n % len(KINDS)]) for n in range(count)])
    LessonPage.objects.filter(pk=lesson.pk).update(quiz=quiz)
    enrolment_start(user=user, course=course)
    attempt = attempt_start(user=user, quiz=quiz)
    attempt = attempt_save(attempt=attempt, version=attempt.version, responses=full_marks(attempt))
    client.force_login(user)
    client.get(lesson.url)  # the first request after sign-in starts the session clock
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"{lesson.url}quiz/attempt/1/check/", {"version": attempt.version})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed
    # SAVEPOINT and RELEASE are the test's transaction, not work: in
    # production each atomic block is a plain BEGIN/COMMIT.
    return sum(
        1
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


def test_submitting_twenty_questions_costs_the_same_as_two(client, rep):
    from tests.factories import UserFactory

    small = submit_queries(client, rep, 2)
    large = submit_queries(client, UserFactory(), 20)
    assert large == small
    assert large <= 25, large
