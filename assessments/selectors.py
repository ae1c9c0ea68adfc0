"""Reads about quizzes and attempts, for learners and for educators."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from assessments.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    GradingMethod,
    Question,
    QuestionOption,
    Quiz,
    ReviewOption,
)


def graded_attempt(*, submitted: list[Attempt], method: str) -> Attempt | None:
    """The submitted attempt that counts, by the quiz's grading method:
    the latest, or the highest (the later of two equal ones). `submitted` is
    in attempt order."""
    if not submitted:
        return None
    if method == GradingMethod.LATEST:
        return submitted[-1]
    return max(submitted, key=lambda a: (a.percent or 0, a.number))


@dataclass
class QuizStatus:
    attempts: list = field(default_factory=list)  # finished attempts, oldest first
    in_progress: Attempt | None = None
    graded: Attempt | None = None  # the attempt that counts, by the quiz's grading method
    attempts_left: int | None = None  # None: unlimited
    next_allowed_at: object = None

    @property
    def passed(self):
        return bool(self.graded and self.graded.passed)

    @property
    def ever_passed(self):
        return any(attempt.passed for attempt in self.attempts)


def quiz_status(*, user, quiz, now=None, since=None) -> QuizStatus:
    """Where a learner stands with a quiz: one query for all their attempts.

    `since` counts only attempts started from then on: a refresher course
    taken again starts the quiz afresh. An in-progress attempt whose time ran
    out is reported as finished; the next write to it records that it was
    abandoned.
    """
    now = now or timezone.now()
    attempts = Attempt.objects.filter(user=user, quiz=quiz).order_by("number")
    if since is not None:
        attempts = attempts.filter(started_at__gte=since)
    attempts = list(attempts)
    status = QuizStatus()
    for attempt in attempts:
        if attempt.state == AttemptState.IN_PROGRESS and not attempt.is_past_deadline(now):
            status.in_progress = attempt
            continue
        status.attempts.append(attempt)
    submitted = [a for a in status.attempts if a.state == AttemptState.SUBMITTED]
    status.graded = graded_attempt(submitted=submitted, method=quiz.grading_method)
    if quiz.max_attempts is not None:
        used = len(attempts)
        status.attempts_left = max(0, quiz.max_attempts - used)
    if status.attempts and quiz.minutes_between_attempts:
        last = status.attempts[-1]
        finished = last.finished_at or last.deadline or last.started_at
        status.next_allowed_at = finished + timedelta(minutes=quiz.minutes_between_attempts)
        if status.next_allowed_at <= now:
            status.next_allowed_at = None
    return status


def can_review(*, quiz, status: QuizStatus) -> bool:
    """May the learner see correct answers and feedback for finished attempts?"""
    if quiz.review == ReviewOption.NEVER:
        return False
    if quiz.review == ReviewOption.AFTER_EACH:
        return True
    if quiz.review == ReviewOption.ONCE_PASSED:
        return status.ever_passed
    return status.attempts_left == 0 and status.in_progress is None


def passed_quiz_ids(*, user, quiz_ids, since=None) -> set[int]:
    """Which of these quizzes the user has passed now, by each quiz's grading
    method. Two queries, however many quizzes."""
    quizzes = Quiz.objects.in_bulk(list(quiz_ids))
    attempts = Attempt.objects.filter(
        user=user, quiz_id__in=list(quiz_ids), state=AttemptState.SUBMITTED
    ).order_by("number")
    if since is not None:
        attempts = attempts.filter(started_at__gte=since)
    by_quiz = {}
    for attempt in attempts:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    passed = set()
    for quiz_id, submitted in by_quiz.items():
        if graded_attempt(submitted=submitted, method=quizzes[quiz_id].grading_method).passed:
            passed.add(quiz_id)
    return passed


def quiz_item_analysis(*, quiz) -> dict:
    """How a quiz's questions performed: a fixed number of queries, however
    many attempts (aggregates in the database, one pass over responses)."""
    submitted = Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED)
    totals = submitted.aggregate(
        attempts=Count("id"), passed=Count("id", filter=Q(passed=True)), mean=Avg("percent")
    )
    rows = (
        AttemptQuestion.objects.filter(attempt__in=submitted)
        .values("question_id")
        .annotate(
            answered=Count("id"),
            correct=Count("id", filter=Q(fraction=1)),
            mean=Avg("fraction"),
        )
        .order_by("question_id")
    )
    rows = list(rows)
    ids = [row["question_id"] for row in rows if row["question_id"]]
    questions = Question.objects.in_bulk(ids)
    option_texts = {
        f"o{pk}": text
        for pk, text in QuestionOption.objects.filter(question_id__in=ids).values_list("pk", "text")
    }
    option_texts.update({"true": "True", "false": "False"})
    picked = {}  # question id → option id → how many chose it
    responses = AttemptQuestion.objects.filter(attempt__in=submitted).values_list(
        "question_id", "response"
    )
    for question_id, response in responses.iterator():
        counts = picked.setdefault(question_id, {})
        picks = []
        if isinstance(response, dict):
            if "option" in response:
                picks = [response["option"]]
            elif "options" in response:
                picks = list(response["options"])
        if response is None:
            picks = ["(no answer)"]
        for pick in picks:
            counts[pick] = counts.get(pick, 0) + 1
    # An option removed from the bank since (the catalogue loader drops options a
    # corrected file no longer has) is named from the snapshots of the attempts that
    # showed it; the query runs only when there is such an option.
    gone = {
        question_id
        for question_id, counts in picked.items()
        if any(pick.startswith("o") and pick not in option_texts for pick in counts)
    }
    if gone:
        snapshots = AttemptQuestion.objects.filter(
            attempt__in=submitted, question_id__in=[pk for pk in gone if pk]
        ).values_list("snapshot", flat=True)
        for snapshot in snapshots.iterator():
            for option in snapshot.get("options", []):
                option_texts.setdefault(option["id"], option["text"])
    chosen = {}
    for question_id, counts in picked.items():
        labels = chosen.setdefault(question_id, {})
        for pick, count in counts.items():
            label = option_texts.get(pick, pick)
            labels[label] = labels.get(label, 0) + count
    attempts = totals["attempts"] or 0
    return {
        "attempts": attempts,
        "pass_rate": round(100 * totals["passed"] / attempts) if attempts else None,
        "mean_percent": round(totals["mean"]) if totals["mean"] is not None else None,
        "questions": [
            {
                "question": questions.get(row["question_id"]),
                "title": (
                    questions[row["question_id"]].title
                    if row["question_id"] in questions
                    else "(question deleted from the bank)"
                ),
                "answered": row["answered"],
                "correct_percent": round(100 * row["correct"] / row["answered"]),
                "mean_score_percent": round(100 * (row["mean"] or 0)),
                "choices": sorted(
                    chosen.get(row["question_id"], {}).items(), key=lambda item: -item[1]
                ),
            }
            for row in rows
        ],
    }
