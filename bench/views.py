"""Reference views the benchmarks compare Knowhow's pages with. Never in config.urls.

- `floor`: the least a Django view can do behind the same middleware. Under
  gunicorn it is the framework floor the throughput figures are divided by.
- `bare_lesson`: a bare Wagtail page: the lesson found by Wagtail's own
  routing (site, then the page tree, as wagtail.views.serve does), its body
  StreamField rendered through a minimal template, with none of the course
  navigation, progress, access checks or site layout around it. The lesson
  page's time divided by this one's is what those cost.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.template import engines
from django.views.decorators.http import require_safe
from wagtail.models import Site

from courses.models import LessonPage

BARE_LESSON = engines["django"].from_string(
    "{% load wagtailcore_tags %}<!DOCTYPE html>"
    '<html lang="en-GB"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body><main><h1>{{ page.title }}</h1>"
    "{% for block in page.body %}{% include_block block %}{% endfor %}"
    "</main></body></html>"
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
