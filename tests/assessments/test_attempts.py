"""assessments.services: starting, saving and submitting attempts."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Attempt, AttemptQuestion, AttemptState
from assessments.selectors import quiz_status
from assessments.services import (
    NoAttemptsLeft,
    NotInProgress,
    QuizEmpty,
    StaleAttempt,
    TimeExpired,
    TooSoon,
    attempt_save,
    attempt_start,
    attempt_submit,
)
from tests.factories.assessments import full_marks, make_question, make_quiz

pytestmark = pytest.mark.django_db

KINDS = ["single", "multiple", "true_false", "short_text", "ordering", "matching"]


def test_start_snapshots_every_question_and_hides_nothing_from_grading(rep):
    quiz = make_quiz([make_question(kind) for kind in KINDS])
    attempt = attempt_start(user=rep, quiz=quiz)
    assert attempt.number == 1
    assert attempt.state == AttemptState.IN_PROGRESS
    rows = list(attempt.questions.order_by("position"))
    assert [row.snapshot["kind"] for row in rows] == KINDS
    ordering = next(row for row in rows if row.snapshot["kind"] == "ordering")
    assert ordering.display_order != [item["id"] for item in ordering.snapshot["items"]]


def test_starting_twice_returns_the_attempt_in_progress(rep):
    quiz = make_quiz([make_question()])
    assert attempt_start(user=rep, quiz=quiz).pk == attempt_start(user=rep, quiz=quiz).pk
    assert Attempt.objects.count() == 1


def test_submit_with_right_answers_passes(rep):
    quiz = make_quiz([make_question(kind) for kind in KINDS])
    attempt = attempt_start(user=rep, quiz=quiz)
    attempt = attempt_submit(
        attempt=attempt, version=attempt.version, responses=full_marks(attempt)
    )
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.percent == Decimal("100.00")
    assert attempt.passed is True
    assert quiz_status(user=rep, quiz=quiz).passed


def test_unanswered_attempt_scores_zero_and_fails(rep):
    quiz = make_quiz([make_question(), make_question("true_false")])
    attempt = attempt_start(user=rep, quiz=quiz)
    attempt = attempt_submit(attempt=attempt, version=attempt.version)
    assert attempt.percent == Decimal("0.00")
    assert attempt.passed is False


def test_an_attempt_is_graded_once(rep):
    quiz = make_quiz([make_question()])
    attempt = attempt_start(user=rep, quiz=quiz)
    version = attempt.version
    attempt_submit(attempt=attempt, version=version)
    with pytest.raises(NotInProgress):
        attempt_submit(attempt=attempt, version=version)
    with pytest.raises(NotInProgress):
        attempt_save(attempt=attempt, version=version, responses={1: None})


def test_stale_tab_is_refused_and_stores_nothing(rep):
    quiz = make_quiz([make_question("short_text")])
    attempt = attempt_start(user=rep, quiz=quiz)
    first_version = attempt.version
    attempt_save(attempt=attempt, version=first_version, responses={1: {"text": "from tab one"}})
    with pytest.raises(StaleAttempt):
        attempt_save(
            attempt=attempt, version=first_version, responses={1: {"text": "from tab two"}}
        )
    with pytest.raises(StaleAttempt):
        attempt_submit(attempt=attempt, version=first_version)
    row = AttemptQuestion.objects.get(attempt=attempt)
    assert row.response == {"text": "from tab one"}
    assert Attempt.objects.get().state == AttemptState.IN_PROGRESS


def test_time_limit_is_enforced_on_the_server(rep):
    quiz = make_quiz([make_question()], time_limit_minutes=10)
    start = timezone.now()
    attempt = attempt_start(user=rep, quiz=quiz, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    late = start + timedelta(minutes=11)
    answer = full_marks(attempt)
    with pytest.raises(TimeExpired):
        attempt_submit(attempt=attempt, version=attempt.version, responses=answer, now=late)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.ABANDONED
    assert attempt.percent is None
    assert AttemptQuestion.objects.get().response is None


def test_answers_just_inside_the_grace_period_count(rep):
    quiz = make_quiz([make_question()], time_limit_minutes=10)
    start = timezone.now()
    attempt = attempt_start(user=rep, quiz=quiz, now=start)
    just_late = start + timedelta(minutes=10, seconds=20)
    attempt = attempt_submit(
        attempt=attempt, version=attempt.version, responses=full_marks(attempt), now=just_late
    )
    assert attempt.passed


def test_attempt_limit(rep):
    quiz = make_quiz([make_question()], max_attempts=2)
    for _ in range(2):
        attempt = attempt_start(user=rep, quiz=quiz)
        attempt_submit(attempt=attempt, version=attempt.version)
    with pytest.raises(NoAttemptsLeft):
        attempt_start(user=rep, quiz=quiz)
    assert Attempt.objects.count() == 2
    assert quiz_status(user=rep, quiz=quiz).attempts_left == 0


def test_minimum_delay_between_attempts(rep):
    quiz = make_quiz([make_question()], minutes_between_attempts=60)
    now = timezone.now()
    attempt = attempt_start(user=rep, quiz=quiz, now=now)
    attempt_submit(attempt=attempt, version=attempt.version, now=now)
    with pytest.raises(TooSoon):
        attempt_start(user=rep, quiz=quiz, now=now + timedelta(minutes=59))
    second = attempt_start(user=rep, quiz=quiz, now=now + timedelta(minutes=61))
    assert second.number == 2


def test_grading_by_highest_or_latest(rep):
    question = make_question()
    for method, expected in [("highest", True), ("latest", False)]:
        quiz = make_quiz([question], grading_method=method)
        good = attempt_start(user=rep, quiz=quiz)
        attempt_submit(attempt=good, version=good.version, responses=full_marks(good))
        bad = attempt_start(user=rep, quiz=quiz)
        attempt_submit(attempt=bad, version=bad.version)
        assert quiz_status(user=rep, quiz=quiz).passed is expected, method


def test_editing_the_bank_never_changes_a_past_attempt(rep):
    question = make_question(stem="Original wording")
    quiz = make_quiz([question])
    attempt = attempt_start(user=rep, quiz=quiz)
    attempt = attempt_submit(
        attempt=attempt, version=attempt.version, responses=full_marks(attempt)
    )
    option = question.options.get(is_correct=True)
    option.is_correct = False
    option.save()
    question.stem = "New wording"
    question.save()
    row = AttemptQuestion.objects.get(attempt=attempt)
    assert row.snapshot["stem"] == "Original wording"
    assert Attempt.objects.get(pk=attempt.pk).percent == Decimal("100.00")


def test_random_draw_picks_distinct_questions_with_the_tag(rep):
    tagged = [make_question(title=f"Tagged {n}", tags=["rights"]) for n in range(5)]
    make_question(title="Untagged")
    quiz = make_quiz(draws=[("rights", 3)])
    attempt = attempt_start(user=rep, quiz=quiz, rng=random.Random(7))
    picked = list(attempt.questions.values_list("question_id", flat=True))
    assert len(picked) == len(set(picked)) == 3
    assert set(picked) <= {q.pk for q in tagged}


def test_a_quiz_with_no_questions_cannot_start(rep):
    with pytest.raises(QuizEmpty):
        attempt_start(user=rep, quiz=make_quiz())
    assert not Attempt.objects.exists()


def test_database_allows_one_attempt_in_progress():
    from django.db import IntegrityError, transaction

    from tests.factories import UserFactory

    user = UserFactory()
    quiz = make_quiz([make_question()])
    Attempt.objects.create(user=user, quiz=quiz, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=user, quiz=quiz, number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=user, quiz=quiz, number=1, state=AttemptState.SUBMITTED)
