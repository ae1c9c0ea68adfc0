"""What assessments holds about a person (core.privacy): quiz attempts and
the answers in them. Registered from AssessmentsConfig.ready."""

from assessments.models import Attempt, AttemptQuestion, AttemptState
from core import privacy
from core.privacy import Erasure


def _attempts(subject):
    return Attempt.objects.filter(user_id=subject.user_id)


def _attempt_export(subject):
    attempts = list(_attempts(subject).select_related("quiz").order_by("started_at", "pk"))
    answers = {}
    rows = AttemptQuestion.objects.filter(attempt__in=[a.pk for a in attempts]).order_by(
        "attempt_id", "position"
    )
    for row in rows.values("attempt_id", "position", "snapshot", "response", "marks_awarded"):
        snapshot = row["snapshot"] or {}
        answers.setdefault(row["attempt_id"], []).append(
            {
                "question": snapshot.get("stem", ""),
                "your_answer": row["response"],
                "marks": row["marks_awarded"],
            }
        )
    for attempt in attempts:
        yield {
            "quiz": attempt.quiz.title,
            "attempt": attempt.number,
            "state": attempt.get_state_display(),
            "started": attempt.started_at,
            "finished": attempt.finished_at,
            "marks": attempt.marks_awarded,
            "out_of": attempt.marks_available,
            "percent": attempt.percent,
            "passed": attempt.passed,
            "answers": answers.get(attempt.pk, []),
        }


def _attempt_erase(subject):
    attempts = _attempts(subject)
    # Unfinished attempts count in no statistics.
    attempts.filter(state=AttemptState.IN_PROGRESS).delete()
    # A short answer is text the learner typed: it goes. Its marks stay, and
    # item analysis counts choices and marks only, so the report is unchanged.
    typed = AttemptQuestion.objects.filter(attempt__in=attempts, response__has_key="text")
    typed.update(response={"text": ""})
    attempts.update(user=None)


def register():
    privacy.register(
        Attempt,
        section="quiz_attempts",
        title="Quiz attempts and your answers",
        export=_attempt_export,
        erase=_attempt_erase,
        erasure=Erasure.ANONYMISE,
        reason="Answers and marks stay, unlinked from the learner and without typed text, "
        "so educators' item analysis of each question stays right.",
        about=lambda subject: _attempts(subject).values_list("pk", flat=True),
    )
    privacy.covered_by(
        AttemptQuestion,
        Attempt,
        reason="Each answer is exported and anonymised with its attempt.",
    )
    for label, reason in [
        ("assessments.Question", "A question in the bank, written by educators."),
        ("assessments.QuestionOption", "A question's option, written by educators."),
        ("assessments.QuestionAcceptedAnswer", "An accepted answer, written by educators."),
        ("assessments.QuestionOrderingItem", "An item to put in order, written by educators."),
        ("assessments.QuestionPair", "A matching pair, written by educators."),
        ("assessments.QuestionTag", "A tag on a question."),
        ("assessments.Quiz", "A quiz's settings."),
        ("assessments.QuizFeedbackBand", "Feedback written by educators."),
    ]:
        privacy.not_personal(label, reason=reason)
