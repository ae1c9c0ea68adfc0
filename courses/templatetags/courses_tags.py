import re
from urllib.parse import urlencode

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join

from courses.catalogue_format import MONTHS

register = template.Library()

LEVEL_COLOURS = {"introductory": "green", "intermediate": "blue", "advanced": "purple"}


@register.filter
def level_colour(level):
    return LEVEL_COLOURS.get(level, "grey")


@register.filter
def duration(minutes):
    """75 → "1 hour 15 minutes"; 40 → "40 minutes"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@register.filter
def urlencode_dict(params):
    return urlencode(params)


@register.filter
def breadcrumbs(page, request):
    """(title, url) for each ancestor from the home page down."""
    return [
        ("Home" if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request))
        for ancestor in page.get_ancestors().filter(depth__gte=2)
    ]


@register.filter
def course_facts(course):
    return [
        {"key": "Topic", "value": course.topic.name},
        {"key": "Level", "value": course.get_level_display()},
        {"key": "Time", "value": duration(course.estimated_minutes)},
        {"key": "Last reviewed", "value": date_format(course.last_reviewed, "j F Y")},
    ]


@register.filter
def breadcrumbs_with_self(page, request):
    """Breadcrumbs for pages under a lesson (its quiz): the lesson is a crumb too."""
    return breadcrumbs(page, request) + [(page.title, page.get_url(request))]


@register.filter
def quiz_facts(quiz, status):
    rows = [{"key": "Pass mark", "value": f"{quiz.pass_mark:.0f}%"}]
    if quiz.max_attempts:
        left = status.attempts_left
        rows.append({"key": "Attempts", "value": f"{quiz.max_attempts} allowed, {left} left"})
    else:
        rows.append({"key": "Attempts", "value": "As many as you like"})
    if quiz.time_limit_minutes:
        rows.append({"key": "Time limit", "value": duration(quiz.time_limit_minutes)})
    if quiz.minutes_between_attempts:
        rows.append(
            {"key": "Wait between attempts", "value": duration(quiz.minutes_between_attempts)}
        )
    if status.graded and status.graded.percent is not None:
        rows.append({"key": "Your grade", "value": f"{status.graded.percent:.0f}%"})
    return rows


@register.simple_tag
def task_list(items, id_prefix="task"):
    """Task list (GOV.UK "complete multiple tasks"): the lessons of a module and
    how far the learner has got. `items` are dicts with

    - title: the task's name;
    - href: optional; without it the task "Cannot start yet" and the title is text;
    - status: "Completed", "In progress", "Not yet started", "Cannot start yet"…;
    - status_colour: optional tag colour (components/tag.html); without it the
      status is plain text, as GOV.UK does for "Completed" and "Cannot start yet";
    - hint: optional one-line description under the title.

    `id_prefix` makes the ids unique when a page has two task lists.

    Built here rather than in a template: a course page lists up to a hundred
    lessons, and the template engine spent about 0.1 ms on each, the largest
    part of rendering the lesson and course pages (BENCHMARKS.md).
    """
    rows = []
    for n, item in enumerate(items, start=1):
        href, hint, colour = item.get("href"), item.get("hint"), item.get("status_colour")
        status_id, hint_id = f"{id_prefix}-{n}-status", f"{id_prefix}-{n}-hint"
        if href:
            described_by = f"{hint_id} {status_id}" if hint else status_id
            name = format_html(
                '<a class="kh-task-list__link" href="{}" aria-describedby="{}">{}</a>',
                href,
                described_by,
                item["title"],
            )
        else:
            name = format_html("<div>{}</div>", item["title"])
        if hint:
            name += format_html('<p class="kh-task-list__hint" id="{}">{}</p>', hint_id, hint)
        if colour:  # the markup of components/tag.html
            status = format_html(
                '<strong class="kh-tag kh-tag--{}">{}</strong>', colour, item["status"]
            )
        else:
            status = conditional_escape(item["status"])
        rows.append(
            format_html(
                '<li class="kh-task-list__item{}"><div class="kh-task-list__name-and-hint">{}</div>'
                '<div class="kh-task-list__status{}" id="{}">{}</div></li>',
                " kh-task-list__item--with-link" if href else "",
                name,
                "" if href else " kh-task-list__status--cannot-start-yet",
                status_id,
                status,
            )
        )
    return format_html(
        '<ul class="kh-task-list">{}</ul>', format_html_join("", "{}", ((row,) for row in rows))
    )


_NOTE_DATE = re.compile(r"^(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})$")


@register.filter
def change_note_entries(text):
    """CoursePage.change_notes as entries: [{"date", "iso", "changes"}] for a dated
    paragraph ("4 December 2026" then "- " lines, as the catalogue loader writes
    them), [{"text"}] for any other paragraph an editor wrote."""
    entries = []
    for paragraph in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        match = _NOTE_DATE.match(lines[0])
        changes = [line[1:].strip() for line in lines[1:] if line.startswith(("-", "•"))]
        if match and lines[1:] and len(changes) == len(lines) - 1:
            day, month, year = match.groups()
            iso = f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"
            entries.append({"date": lines[0], "iso": iso, "changes": changes})
        else:
            entries.append({"text": "\n".join(lines)})
    return entries
