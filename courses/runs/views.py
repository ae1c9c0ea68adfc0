"""Calendar files for published course runs (issue #17).

Signed-in people only: online meeting links are for people with a place,
and the rest of the file says no more than the course page does.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from courses.runs import calendar, selectors


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def run_ics(request, run_id):
    run = selectors.run_for_calendar(run_id=run_id)
    if run is None:
        raise Http404
    sessions = sorted(run.sessions.all(), key=lambda s: (s.starts_at, s.pk))
    content = calendar.run_calendar(
        run=run, sessions=sessions, with_link=selectors.may_see_link(run=run, user=request.user)
    )
    return _ics(content, f"course-run-{run.pk}.ics")


@require_safe
def session_ics(request, run_id, session_id):
    run = selectors.run_for_calendar(run_id=run_id)
    session = next((s for s in run.sessions.all() if s.pk == session_id), None) if run else None
    if session is None:
        raise Http404
    content = calendar.run_calendar(
        run=run, sessions=[session], with_link=selectors.may_see_link(run=run, user=request.user)
    )
    return _ics(content, f"course-run-{run.pk}-session-{session.pk}.ics")
