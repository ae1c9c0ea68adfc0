"""Admin rules for course pages.

Learner records point at course and lesson pages, so a page that someone has
started or completed cannot be deleted: an educator unpublishes it instead,
which drops it from totals and keeps everyone's history (see docs/decisions.md).
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.models import Page

import courses.certificates.wagtail_hooks  # noqa: F401 - registers the certificate hooks
from courses.models import Enrolment, LessonCompletion

BLOCKED = (
    "“{title}” cannot be deleted because learners have records of it. "
    "Unpublish it instead: it disappears from the catalogue and from progress totals, "
    "and nobody's history is lost."
)


def pages_with_learner_records(pages):
    """Those of `pages` that are, or contain, a course or lesson with learner records."""
    blocked = []
    for page in pages:
        tree = Page.objects.descendant_of(page, inclusive=True)
        if (
            Enrolment.objects.filter(course__in=tree).exists()
            or LessonCompletion.objects.filter(lesson__in=tree).exists()
        ):
            blocked.append(page)
    return blocked


@hooks.register("before_delete_page")
def refuse_to_delete_pages_with_learner_records(request, page):
    if pages_with_learner_records([page]):
        messages.error(request, BLOCKED.format(title=page.get_admin_display_title()))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_to_bulk_delete_pages_with_learner_records(request, action_type, objects, action):
    if action_type != "delete":
        return None
    blocked = pages_with_learner_records([obj for obj in objects if isinstance(obj, Page)])
    if blocked:
        for page in blocked:
            messages.error(request, BLOCKED.format(title=page.get_admin_display_title()))
        return redirect("wagtailadmin_explore", blocked[0].get_parent().pk)
    return None


@hooks.register("register_admin_viewset")
def register_course_runs_admin():
    from courses.runs.admin_views import CourseRunViewSet

    return CourseRunViewSet("course_runs")


@hooks.register("register_log_actions")
def register_course_run_actions(actions):
    for action, label, message in [
        ("knowhow.run.apply", "Apply for a run", "Applied for a place on a course run"),
        ("knowhow.run.approve", "Approve application", "Branch approved a run application"),
        ("knowhow.run.decline", "Decline application", "Branch declined a run application"),
        ("knowhow.run.confirm", "Confirm place", "Tutor confirmed a place on a run"),
        ("knowhow.run.wait", "Waiting list", "Run full: put on the waiting list"),
        ("knowhow.run.promote", "Place from waiting list", "Given a place freed on a run"),
        ("knowhow.run.withdraw", "Withdraw application", "Withdrew a run application"),
        ("knowhow.run.cancel", "Run cancelled", "Closed an application: the run was cancelled"),
        ("knowhow.run.attendance", "Record attendance", "Tutor recorded a session's register"),
        ("knowhow.run.complete", "Complete a run", "Attended every session of a run"),
    ]:
        actions.register_action(action, label, message)
