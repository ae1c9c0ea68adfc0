"""A course and its lessons as a learner uses them. CoursePage and LessonPage
route here (courses/models.py); each function takes the request and the page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from courses.models import CoursePage, LessonPage
from courses.selectors import (
    Access,
    course_overview,
    lesson_access,
    lesson_context,
    next_lesson_for,
)
from courses.services import (
    CannotRetake,
    PrerequisitesNotMet,
    QuizNotPassed,
    course_retake,
    enrolment_start,
    lesson_complete,
    lesson_visit,
)


def course_page(request, course: CoursePage) -> HttpResponse:
    context = course.get_context(request)
    context.update(course_overview(course=course, user=request.user, request=request))
    return TemplateResponse(request, course.template, context)


def _to_next_lesson(request, course: CoursePage):
    lesson = next_lesson_for(user=request.user, course=course)
    return redirect(lesson.get_url(request) if lesson else course.get_url(request))


def course_start(request, course: CoursePage) -> HttpResponse:
    if request.method != "POST":
        return redirect(course.url)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    try:
        enrolment_start(user=request.user, course=course)
    except PrerequisitesNotMet:
        messages.error(request, "You need to finish the courses listed first.")
        return redirect(course.url)
    return _to_next_lesson(request, course)


def course_retake_view(request, course: CoursePage) -> HttpResponse:
    if request.method != "POST" or not request.user.is_authenticated:
        return redirect(course.get_url(request))
    try:
        course_retake(user=request.user, course=course)
    except CannotRetake:
        return redirect(course.get_url(request))
    messages.success(
        request, "Your progress starts again from the first lesson. Your old certificate stays."
    )
    return _to_next_lesson(request, course)


def learner_gate(request, lesson: LessonPage) -> tuple[Access | None, HttpResponse | None]:
    """(access, None) for an enrolled learner; otherwise (None, the response to send).

    Every learner route under a lesson starts here: signed in, course
    published, prerequisites met, enrolled.
    """
    if not request.user.is_authenticated:
        return None, redirect_to_login(lesson.get_url(request))
    access = lesson_access(user=request.user, lesson=lesson)
    if not access.course.live:
        raise Http404
    if not access.allowed:
        messages.info(request, access.reason)
        return None, redirect(access.course.get_url(request))
    return access, None


def lesson_page(request, lesson: LessonPage) -> HttpResponse:
    access, refusal = learner_gate(request, lesson)
    if refusal:
        return refusal
    lesson_visit(enrolment=access.enrolment, lesson=lesson)
    context = lesson.get_context(request)
    context.update(lesson_context(user=request.user, lesson=lesson, access=access, request=request))
    return TemplateResponse(request, lesson.template, context)


def lesson_complete_view(request, lesson: LessonPage) -> HttpResponse:
    if request.method != "POST":
        return redirect(lesson.get_url(request))
    access, refusal = learner_gate(request, lesson)
    if refusal:
        return refusal
    try:
        result = lesson_complete(user=request.user, lesson=lesson)
    except QuizNotPassed:
        messages.info(request, "Pass the quiz to complete this lesson.")
        return redirect(lesson.get_url(request) + lesson.reverse_subpage("quiz"))
    course_url = access.course.get_url(request)
    if result.course_completed:
        messages.success(request, f"You have completed {access.course.title}.")
        return redirect(course_url)
    following = next_lesson_for(user=request.user, course=access.course)
    return redirect(following.get_url(request) if following else course_url)


def lesson_preview(request, lesson: LessonPage) -> HttpResponse:
    """The lesson as an editor previews it: no learner, nothing recorded."""
    context = lesson.get_context(request)
    context.update(lesson_context(user=None, lesson=lesson, request=request))
    return TemplateResponse(request, lesson.template, context)
