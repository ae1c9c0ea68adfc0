"""A lesson's quiz, under the lesson's URL: overview, start, answer, check
your answers, submit, result. Courses orchestrates; assessments keeps the
attempt, grades it and says how each question is shown. Passing completes
the lesson. LessonPage routes here (courses/models.py); each view takes the
request, the lesson and, for an attempt, its number."""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from assessments.forms import TamperedResponse, parse_responses
from assessments.grading import overall_feedback
from assessments.models import Attempt, AttemptState
from assessments.presentation import question_for_display, question_for_review
from assessments.selectors import can_review, quiz_status
from assessments.services import (
    AttemptError,
    StaleAttempt,
    attempt_save,
    attempt_start,
    attempt_submit,
)
from courses.services import lesson_complete
from courses.views.learner import learner_gate

TEMPLATES = "courses/quiz/"


def _quiz_page(view):
    """Only under a lesson that has a quiz, and only for its enrolled learners:
    the view gets the learner's access to the lesson as well."""

    @wraps(view)
    def page(request, lesson, *args):
        if lesson.quiz_id is None:
            raise Http404
        access, refusal = learner_gate(request, lesson)
        if refusal:
            return refusal
        return view(request, lesson, access, *args)

    return page


def _url(lesson, request, name, *args):
    return lesson.get_url(request) + lesson.reverse_subpage(name, args=args)


def _context(lesson, request, access, **extra):
    context = lesson.get_context(request)
    context.update({"course": access.course, "quiz": lesson.quiz, **extra})
    return context


def _attempt(lesson, request, number):
    try:
        return Attempt.objects.select_related("quiz").get(
            user=request.user, quiz_id=lesson.quiz_id, number=number
        )
    except Attempt.DoesNotExist:
        raise Http404 from None


@_quiz_page
def overview(request, lesson, access):
    status = quiz_status(user=request.user, quiz=lesson.quiz, since=access.enrolment.started_at)
    return TemplateResponse(
        request,
        TEMPLATES + "overview.html",
        _context(
            lesson,
            request,
            access,
            status=status,
            review=can_review(quiz=lesson.quiz, status=status),
        ),
    )


@_quiz_page
def start(request, lesson, access):
    if request.method != "POST":
        return redirect(_url(lesson, request, "quiz"))
    try:
        attempt = attempt_start(
            user=request.user, quiz=lesson.quiz, since=access.enrolment.started_at
        )
    except AttemptError as error:
        messages.error(request, error.message)
        return redirect(_url(lesson, request, "quiz"))
    return redirect(_url(lesson, request, "quiz_attempt", attempt.number))


def _answer_page(lesson, request, access, attempt, *, responses=None, errors=None, status=200):
    rows = list(attempt.questions.order_by("position"))
    responses = responses or {}
    questions = [question_for_display(row, response=responses.get(row.position)) for row in rows]
    for question in questions:
        question["error"] = (errors or {}).get(question["position"])
    return TemplateResponse(
        request,
        TEMPLATES + "attempt.html",
        _context(lesson, request, access, attempt=attempt, questions=questions, errors=errors),
        status=status,
    )


@_quiz_page
def answer(request, lesson, access, number):
    attempt = _attempt(lesson, request, number)
    if not attempt.is_in_progress:
        return redirect(_url(lesson, request, "quiz_result", attempt.number))
    if request.method != "POST":
        return _answer_page(lesson, request, access, attempt)
    rows = list(attempt.questions.order_by("position"))
    try:
        responses, errors = parse_responses(rows, request.POST)
    except TamperedResponse:
        return HttpResponseBadRequest("These answers do not belong to this quiz.")
    if errors:
        return _answer_page(
            lesson, request, access, attempt, responses=responses, errors=errors, status=200
        )
    try:
        attempt_save(attempt=attempt, version=request.POST.get("version"), responses=responses)
    except StaleAttempt as error:
        messages.error(request, error.message)
        return redirect(_url(lesson, request, "quiz_attempt", attempt.number))
    except AttemptError as error:
        messages.error(request, error.message)
        return redirect(_url(lesson, request, "quiz"))
    return redirect(_url(lesson, request, "quiz_check", attempt.number))


@_quiz_page
def check(request, lesson, access, number):
    attempt = _attempt(lesson, request, number)
    if not attempt.is_in_progress:
        return redirect(_url(lesson, request, "quiz_result", attempt.number))
    if request.method == "POST":
        try:
            # One transaction: a pass and the lesson it completes (and the
            # course, and its certificate) are saved together or not at all.
            # Apart, a database lost between them left a passed quiz whose
            # lesson was never completed, and a retry found nothing to do.
            with transaction.atomic():
                attempt = attempt_submit(attempt=attempt, version=request.POST.get("version"))
                if attempt.passed:
                    lesson_complete(
                        user=request.user, lesson=lesson, course=access.course, attempt=attempt
                    )
        except StaleAttempt as error:
            messages.error(request, error.message)
            return redirect(_url(lesson, request, "quiz_check", attempt.number))
        except AttemptError as error:
            messages.error(request, error.message)
            return redirect(_url(lesson, request, "quiz"))
        return redirect(_url(lesson, request, "quiz_result", attempt.number))
    rows = list(attempt.questions.order_by("position"))
    unanswered = [row.position for row in rows if row.response is None]
    return TemplateResponse(
        request,
        TEMPLATES + "check.html",
        _context(
            lesson,
            request,
            access,
            attempt=attempt,
            questions=[question_for_display(row) for row in rows],
            unanswered=unanswered,
        ),
    )


@_quiz_page
def result(request, lesson, access, number):
    attempt = _attempt(lesson, request, number)
    if attempt.is_in_progress:
        return redirect(_url(lesson, request, "quiz_attempt", attempt.number))
    status = quiz_status(user=request.user, quiz=lesson.quiz, since=access.enrolment.started_at)
    review = attempt.state == AttemptState.SUBMITTED and can_review(quiz=lesson.quiz, status=status)
    rows = list(attempt.questions.order_by("position")) if review else []

    bands = [
        {"min_percent": band.min_percent, "text": band.text}
        for band in lesson.quiz.feedback_bands.all()
    ]
    feedback = (
        overall_feedback(percent=attempt.percent, bands=bands)
        if attempt.percent is not None
        else ""
    )
    return TemplateResponse(
        request,
        TEMPLATES + "result.html",
        _context(
            lesson,
            request,
            access,
            attempt=attempt,
            status=status,
            review=review,
            reviewed=[question_for_review(row) for row in rows],
            overall_feedback=feedback,
        ),
    )
