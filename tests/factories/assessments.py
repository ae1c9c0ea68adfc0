"""Builders for questions and quizzes."""

from decimal import Decimal

from assessments.grading import full_marks_response
from assessments.models import (
    Question,
    QuestionAcceptedAnswer,
    QuestionOption,
    QuestionOrderingItem,
    QuestionPair,
    Quiz,
    QuizDraw,
    QuizFeedbackBand,
    QuizSlot,
)


def make_question(kind="single", *, title=None, tags=(), marks="1", **extra):
    question = Question(
        title=title or f"A {kind} question",
        kind=kind,
        stem=extra.pop("stem", f"Which is right ({kind})?"),
        marks=Decimal(marks),
        general_feedback=extra.pop("general_feedback", "General feedback."),
        explanation=extra.pop("explanation", "UK GDPR Article 15."),
    )
    if kind in ("single", "multiple"):
        options = extra.pop(
            "options",
            [("Right answer", True, "Yes."), ("Wrong answer", False, "No.")]
            if kind == "single"
            else [
                ("Right one", True, "Yes."),
                ("Right two", True, "Yes."),
                ("Wrong one", False, "No."),
                ("Wrong two", False, "No."),
            ],
        )
        question.options = [
            QuestionOption(text=text, is_correct=correct, feedback=feedback)
            for text, correct, feedback in options
        ]
    elif kind == "true_false":
        question.true_is_correct = extra.pop("true_is_correct", True)
        question.feedback_if_true = extra.pop("feedback_if_true", "Yes, true.")
        question.feedback_if_false = extra.pop("feedback_if_false", "No, it is true.")
    elif kind == "short_text":
        question.accepted_answers = [
            QuestionAcceptedAnswer(text=text)
            for text in extra.pop("accepted", ["subject access request", "SAR"])
        ]
    elif kind == "ordering":
        question.ordering_items = [
            QuestionOrderingItem(text=text)
            for text in extra.pop("items", ["First", "Second", "Third"])
        ]
    elif kind == "matching":
        question.pairs = [
            QuestionPair(left=left, right=right)
            for left, right in extra.pop(
                "pairs", [("Art 15", "Access"), ("Art 17", "Erasure"), ("Art 21", "Objection")]
            )
        ]
    question.save()
    if tags:
        question.tags.add(*tags)
        question.save()  # cluster tags are written on save
    return question


def make_quiz(questions=(), *, draws=(), bands=(), **options):
    quiz = Quiz(title=options.pop("title", "Check your understanding"), **options)
    quiz.slots = [QuizSlot(question=question, sort_order=n) for n, question in enumerate(questions)]
    quiz.draws = [
        QuizDraw(tag=tag, count=count, sort_order=n) for n, (tag, count) in enumerate(draws)
    ]
    quiz.feedback_bands = [
        QuizFeedbackBand(min_percent=Decimal(low), text=text) for low, text in bands
    ]
    quiz.save()
    return quiz


def full_marks(attempt):
    """The full-marks response for every question of an attempt, by position."""
    return {row.position: full_marks_response(row.snapshot) for row in attempt.questions.all()}


def pass_quiz(*, user, quiz, since=None):
    from assessments.services import attempt_start, attempt_submit

    attempt = attempt_start(user=user, quiz=quiz, since=since)
    return attempt_submit(attempt=attempt, version=attempt.version, responses=full_marks(attempt))
