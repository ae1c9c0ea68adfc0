"""QZ-02: twenty submits at once on PostgreSQL grade one attempt once."""

import pytest
from django.db import connection

from assessments.models import Attempt, AttemptState
from assessments.services import AttemptError, attempt_start, attempt_submit
from tests.concurrency import run_at_once
from tests.factories.assessments import make_question, make_quiz

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def test_twenty_concurrent_submits_grade_exactly_once(rep):
    quiz = make_quiz([make_question()], max_attempts=1)
    attempt = attempt_start(user=rep, quiz=quiz)
    version = attempt.version
    outcomes = run_at_once(
        lambda _: attempt_submit(attempt=attempt, version=version),
        range(20),
        expected=(AttemptError,),
    )
    graded = [o for o in outcomes if isinstance(o, Attempt)]
    assert len(graded) == 1
    assert len(outcomes) == 20
    assert Attempt.objects.filter(state=AttemptState.SUBMITTED).count() == 1
    assert Attempt.objects.get().version == version + 1


def test_twenty_concurrent_starts_make_one_attempt(rep):
    quiz = make_quiz([make_question()], max_attempts=1)
    outcomes = run_at_once(
        lambda _: attempt_start(user=rep, quiz=quiz), range(20), expected=(AttemptError,)
    )
    assert {o.pk for o in outcomes if isinstance(o, Attempt)} == {Attempt.objects.get().pk}
