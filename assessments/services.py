"""Writes to quiz attempts. Every write locks the attempt row, so double
submits, stale tabs and late answers cannot store anything twice (QZ-02..05).
Scores come only from grading.py applied to the attempt's own snapshots."""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from assessments.gift import GiftError, GiftResult, ParsedQuestion
from assessments.grading import grade_attempt
from assessments.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionAcceptedAnswer,
    QuestionKind,
    QuestionOption,
    QuestionOrderingItem,
    QuestionPair,
    Quiz,
)
from assessments.selectors import quiz_status


class AttemptError(Exception):
    """Why an attempt action was refused, in words for the learner."""

    message = "That did not work."

    def __init__(self, message=None):
        super().__init__(message or self.message)
        self.message = message or self.message


class NoAttemptsLeft(AttemptError):
    message = "You have used all your attempts at this quiz."


class TooSoon(AttemptError):
    def __init__(self, until):
        self.until = until
        local = timezone.localtime(until)
        super().__init__(f"You can try again from {local:%H:%M on %-d %B}.")


class NotInProgress(AttemptError):
    message = "This attempt has already been submitted."


class StaleAttempt(AttemptError):
    message = (
        "These answers were not saved because the quiz was changed in another tab or "
        "window since you opened this page. Check your answers below."
    )


class TimeExpired(AttemptError):
    message = "Time ran out for this attempt, so these answers could not be saved."


class QuizEmpty(AttemptError):
    message = "This quiz has no questions yet."


def _questions_for(quiz: Quiz, rng: random.Random):
    """(question, marks) pairs for a new attempt: fixed slots, then random draws."""
    chosen = []
    slots = quiz.slots.select_related("question").order_by("sort_order", "pk")
    for slot in slots:
        chosen.append((slot.question, slot.marks))
    taken = {question.pk for question, _ in chosen}
    for draw in quiz.draws.order_by("sort_order", "pk"):
        pool = list(
            Question.objects.filter(tags__name=draw.tag)
            .exclude(pk__in=taken)
            .values_list("pk", flat=True)
            .distinct()
        )
        picked = rng.sample(pool, min(draw.count, len(pool)))
        taken.update(picked)
        chosen.extend((pk, draw.marks) for pk in picked)
    ids = [q if isinstance(q, int) else q.pk for q, _ in chosen]
    loaded = Question.objects.prefetch_related(
        "options", "accepted_answers", "ordering_items", "pairs"
    ).in_bulk(ids)
    return [(loaded[q if isinstance(q, int) else q.pk], marks) for q, marks in chosen]


def _display_order(snapshot, *, shuffle_options, rng):
    kind = snapshot["kind"]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        ids = [option["id"] for option in snapshot["options"]]
        if shuffle_options:
            rng.shuffle(ids)
        return ids
    if kind == QuestionKind.ORDERING:
        ids = [item["id"] for item in snapshot["items"]]
        correct = list(ids)
        for _ in range(10):  # showing them already in order would give it away
            rng.shuffle(ids)
            if ids != correct or len(ids) < 2:
                break
        return ids
    if kind == QuestionKind.MATCHING:
        ids = [pair["id"] for pair in snapshot["pairs"]]
        rng.shuffle(ids)
        return ids
    return []


def attempt_start(*, user, quiz: Quiz, now=None, rng=None, since=None) -> Attempt:
    """Start an attempt, or return the one already in progress. `since`: see
    quiz_status (limits and waiting times count attempts from then on)."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    status = quiz_status(user=user, quiz=quiz, now=now, since=since)
    if status.in_progress:
        return status.in_progress
    if status.attempts_left == 0:
        raise NoAttemptsLeft()
    if status.next_allowed_at and status.next_allowed_at > now:
        raise TooSoon(status.next_allowed_at)
    questions = _questions_for(quiz, rng)
    if not questions:
        raise QuizEmpty()
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    number = (Attempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"] or 0) + 1
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz, user=user, number=number, started_at=now, deadline=deadline
            )
            rows = []
            for position, (question, marks) in enumerate(questions, start=1):
                snapshot = question.snapshot(marks=marks)
                rows.append(
                    AttemptQuestion(
                        attempt=attempt,
                        position=position,
                        question=question,
                        snapshot=snapshot,
                        display_order=_display_order(
                            snapshot, shuffle_options=quiz.shuffle_options, rng=rng
                        ),
                    )
                )
            AttemptQuestion.objects.bulk_create(rows)
    except IntegrityError:
        # Another request (a double click) started one a moment ago.
        return Attempt.objects.get(user=user, quiz=quiz, state=AttemptState.IN_PROGRESS)
    return attempt


def _locked(attempt, *, version, now):
    """The attempt row, locked, after the checks every write needs."""
    locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if locked.state != AttemptState.IN_PROGRESS:
        raise NotInProgress()
    if version is not None and int(version) != locked.version:
        raise StaleAttempt()
    if locked.is_past_deadline(now):
        raise TimeExpired()
    return locked


def _abandon(attempt):
    """Record that time ran out. Outside the failed write's transaction, so
    it sticks; conditional, so it never overwrites a submitted attempt."""
    Attempt.objects.filter(pk=attempt.pk, state=AttemptState.IN_PROGRESS).update(
        state=AttemptState.ABANDONED, finished_at=attempt.deadline
    )
    attempt.refresh_from_db()


def _store_responses(attempt, responses):
    if not responses:
        return
    rows = list(attempt.questions.filter(position__in=responses))
    for row in rows:
        row.response = responses[row.position]
    AttemptQuestion.objects.bulk_update(rows, ["response"])


def attempt_save(*, attempt: Attempt, version, responses: dict, now=None) -> Attempt:
    """Store answers (already validated by assessments.forms) without grading."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(attempt, version=version, now=now)
            _store_responses(locked, responses)
            locked.version += 1
            locked.save(update_fields=["version"])
    except TimeExpired:
        _abandon(attempt)
        raise
    return locked


def attempt_submit(*, attempt: Attempt, version, responses=None, now=None) -> Attempt:
    """Store any last answers, grade the attempt and close it. Exactly once."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = _locked(attempt, version=version, now=now)
            _store_responses(locked, responses or {})
            rows = list(locked.questions.order_by("position"))
            items = [(row.snapshot, row.response) for row in rows]
            result = grade_attempt(items=items)
            for row, question_grade in zip(rows, result.questions, strict=True):
                row.fraction = Decimal(question_grade.fraction.numerator) / Decimal(
                    question_grade.fraction.denominator
                )
                row.marks_awarded = question_grade.marks_awarded
            AttemptQuestion.objects.bulk_update(rows, ["fraction", "marks_awarded"])
            locked.state = AttemptState.SUBMITTED
            locked.finished_at = now
            locked.version += 1
            locked.marks_available = result.marks_available
            locked.marks_awarded = result.marks_awarded
            locked.percent = result.percent
            locked.passed = result.passed(locked.quiz.pass_mark)
            locked.save()
    except TimeExpired:
        _abandon(attempt)
        raise
    return locked


def _question_build(
    *,
    kind: str,
    title: str,
    stem: str,
    options=(),
    true_is_correct=None,
    feedback_if_true="",
    feedback_if_false="",
    accepted=(),
    items=(),
    pairs=(),
    marks=Decimal("1"),
    general_feedback="",
    explanation="",
    key=None,
) -> Question:
    """An unsaved question with its options, answers, items and pairs."""
    question = Question(
        key=key,
        title=title,
        kind=kind,
        stem=stem,
        marks=marks,
        general_feedback=general_feedback,
        explanation=explanation,
        true_is_correct=true_is_correct,
        feedback_if_true=feedback_if_true,
        feedback_if_false=feedback_if_false,
    )
    question.options = [
        QuestionOption(
            text=option["text"],
            is_correct=bool(option.get("correct")),
            feedback=option.get("feedback", ""),
            sort_order=n,
        )
        for n, option in enumerate(options)
    ]
    question.accepted_answers = [
        QuestionAcceptedAnswer(text=str(text), sort_order=n) for n, text in enumerate(accepted)
    ]
    question.ordering_items = [
        QuestionOrderingItem(text=str(text), sort_order=n) for n, text in enumerate(items)
    ]
    question.pairs = [
        QuestionPair(left=pair["left"], right=pair["right"], sort_order=n)
        for n, pair in enumerate(pairs)
    ]
    return question


# How each part of a question is named in an error message.
_PARTS = {
    "options": "option",
    "accepted_answers": "accepted answer",
    "ordering_items": "item",
    "pairs": "pair",
}


def _question_errors(question: Question) -> list[str]:
    """Every field that would not pass the bank's own validation (lengths,
    ranges, a unique key), as "field: message" lines; empty if it may be saved."""
    errors = []
    try:
        question.full_clean()
    except ValidationError as error:
        errors += [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
    for relation, part in _PARTS.items():
        for n, child in enumerate(getattr(question, relation).all(), start=1):
            try:
                child.full_clean(exclude=["question"])
            except ValidationError as error:
                errors += [
                    f"{part} {n} ({field.replace('_', ' ')}): {m}"
                    for field, ms in error.message_dict.items()
                    for m in ms
                ]
    return errors


def question_create(
    *,
    kind: str,
    title: str,
    stem: str,
    options=(),
    true_is_correct=None,
    feedback_if_true="",
    feedback_if_false="",
    accepted=(),
    items=(),
    pairs=(),
    marks=Decimal("1"),
    general_feedback="",
    explanation="",
    key=None,
    tags=(),
) -> Question:
    """Add a question to the bank. `options` are {text, correct, feedback};
    `pairs` are {left, right}; the callers (GIFT import, the catalogue
    loader) have already checked that the question can be marked. Every field
    is validated as the bank's models define it (full_clean): a question that
    fails raises ValidationError and nothing is written."""
    question = _question_build(
        kind=kind,
        title=title,
        stem=stem,
        options=options,
        true_is_correct=true_is_correct,
        feedback_if_true=feedback_if_true,
        feedback_if_false=feedback_if_false,
        accepted=accepted,
        items=items,
        pairs=pairs,
        marks=marks,
        general_feedback=general_feedback,
        explanation=explanation,
        key=key,
    )
    errors = _question_errors(question)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        question.save()
        names = [tag for tag in tags if tag]
        if names:
            question.tags.add(*names)
            question.save()  # cluster tags are written on save
    return question


def _gift_fields(item: ParsedQuestion) -> dict:
    """question_create's fields for a question read from GIFT."""
    fields = {
        "kind": item.kind,
        "title": item.title,
        "stem": item.stem,
        "general_feedback": item.general_feedback,
    }
    if item.kind == QuestionKind.TRUE_FALSE:
        by_text = {option["text"]: option for option in item.options}
        fields |= {
            "true_is_correct": by_text["True"]["correct"],
            "feedback_if_true": by_text["True"].get("feedback", ""),
            "feedback_if_false": by_text["False"].get("feedback", ""),
        }
    else:
        fields |= {"options": item.options, "accepted": item.accepted, "pairs": item.pairs}
    return fields


def questions_check(*, result: GiftResult) -> GiftResult:
    """The parsed GIFT file with the questions the bank would refuse (a title
    or answer too long for it, say) moved among the errors, each with why."""
    checked = GiftResult(errors=list(result.errors))
    for item in result.questions:
        problems = _question_errors(_question_build(**_gift_fields(item)))
        if problems:
            checked.errors.append(GiftError(item.line, f"Line {item.line}: " + "; ".join(problems)))
        else:
            checked.questions.append(item)
    checked.errors.sort(key=lambda error: error.line)
    return checked


def questions_import(*, parsed, tags=()) -> list[Question]:
    """Create bank questions from parsed GIFT questions, in one transaction.

    The parser has already set aside the questions it could not read, and
    questions_check those the bank would refuse; should one still fail
    validation, ValidationError is raised and none is created. Moodle
    categories become tags.
    """
    created = []
    with transaction.atomic():
        for item in parsed:
            names = list(tags)
            if item.category:
                names.append(slugify(item.category.split("/")[-1])[:100])
            created.append(question_create(tags=names, **_gift_fields(item)))
    return created
