"""Reference views the benchmarks compare Knowhow's pages with. Never in config.urls.

- `floor`: the least a Django view can do behind the same middleware. Under
  gunicorn it is the framework floor the throughput figures are divided by.
- `bare_lesson`: a bare Wagtail page: the lesson found by Wagtail's own
  routing (site, then the page tree, as wagtail.views.serve does), its body
  StreamField rendered through a minimal template, with none of the course
  navigation, progress, access checks or site layout around it. The lesson
  page's time divided by this one's is what those cost.
- `plain_lesson`: a plain Wagtail page as any page of this site is served:
  the same routing, then Wagtail's `before_serve_page` hooks (its
  view-restriction check) as wagtail.views.serve runs them, then the same
  body in the site's own layout (base.html: header, footer, messages). The
  lesson page's time divided by this one's is what Knowhow's course
  machinery (outline, progress, access, task list) costs on top of a page.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.template import engines
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.models import Site

from courses.models import LessonPage

BARE_LESSON = engines["django"].from_string(
    "{% load wagtailcore_tags %}<!DOCTYPE html>"
    '<html lang="en-GB"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body><main><h1>{{ page.title }}</h1>"
    "{% for block in page.body %}{% include_block block %}{% endfor %}"
    "</main></body></html>"
)


PLAIN_LESSON = engines["django"].from_string(
    '{% extends "base.html" %}{% load wagtailcore_tags %}'
    "{% block title %}{{ page.title }}{% endblock %}"
    '{% block content %}<h1 class="kh-heading-xl">{{ page.title }}</h1>'
    '<div class="kh-lesson__body">'
    "{% for block in page.body %}{% include_block block %}{% endfor %}"
    "</div>{% endblock %}"
)


@login_not_required
@require_safe
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


@require_safe
def bare_lesson(request, lesson_path):
    site = Site.find_for_request(request)
    components = [part for part in lesson_path.split("/") if part]
    page = site.root_page.localized.specific.route(request, components)[0]
    if not isinstance(page, LessonPage) or not page.live:
        raise Http404
    return HttpResponse(BARE_LESSON.render({"page": page}, request))


def _route(request, lesson_path):
    site = Site.find_for_request(request)
    components = [part for part in lesson_path.split("/") if part]
    page, args, kwargs = site.root_page.localized.specific.route(request, components)
    if not isinstance(page, LessonPage) or not page.live:
        raise Http404
    return page, args, kwargs


@require_safe
def plain_lesson(request, lesson_path):
    page, args, kwargs = _route(request, lesson_path)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return HttpResponse(PLAIN_LESSON.render({"page": page}, request))
