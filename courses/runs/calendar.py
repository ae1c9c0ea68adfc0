"""iCalendar files for course runs (RFC 5545, through the icalendar library).

Each session is one VEVENT whose UID is stable for the life of the session
(run and session ids under the site's host), so importing the file again
updates the event instead of adding a second one. Times carry the site's
time zone with its VTIMEZONE, so a calendar in another zone shows the right
local time; DTSTAMP is when the file was made, in UTC.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from courses.runs.models import CourseRun, RunSession

PRODID = "-//Knowhow//Course runs//EN"


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "knowhow.invalid"


def session_uid(session: RunSession) -> str:
    return f"run-{session.run_id}-session-{session.pk}@{_host()}"


def _event(*, run: CourseRun, session: RunSession, number: int, total: int, with_link: bool, now):
    zone = timezone.get_current_timezone()
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    suffix = f" (session {number} of {total})" if total > 1 else ""
    event.add("summary", f"{run.course.title}: {run.title}{suffix}")
    lines = [f"Tutor-led session of the Knowhow course “{run.course.title}”."]
    if session.online_url and with_link:
        event.add("location", "Online")
        event.add("url", session.online_url)
        lines.append(f"Join online: {session.online_url}")
    elif session.online_url:
        event.add("location", "Online")
        lines.append("The joining link is shown to people with a confirmed place.")
    elif session.venue:
        event.add("location", " ".join(session.venue.split()))
    event.add("description", "\n".join(lines))
    return event


def run_calendar(*, run: CourseRun, sessions, with_link: bool, now=None) -> bytes:
    """The whole run, or one session when `sessions` holds just that one.

    `with_link` says whether the viewer may see online meeting links.
    """
    now = now or timezone.now()
    everything = list(run.sessions.all())
    everything.sort(key=lambda s: (s.starts_at, s.pk))
    numbers = {s.pk: n for n, s in enumerate(everything, start=1)}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for session in sessions:
        calendar.add_component(
            _event(
                run=run,
                session=session,
                number=numbers[session.pk],
                total=len(everything),
                with_link=with_link,
                now=now,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
