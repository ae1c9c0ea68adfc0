from urllib.parse import urlencode

from django import template
from django.utils.formats import date_format

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
