"""Build the comparable course in the wagtail-lms project and say how to request it.

    python manage.py peer_seed SPEC.json OUT.json

SPEC.json is bench/peer/course.py's spec(). Everything goes through
wagtail-lms's public models and URLs: a CoursePage with H5PLessonPage
children (rich-text "paragraph" blocks in their body), learners enrolled
through the package's own enrol URL (/lms/course/<id>/enroll/), and their
progress as H5PLessonCompletion rows, the package's record of a finished
lesson (it writes them itself when a lesson's H5P activities are done; these
lessons are rich text only, so the seed writes them as that step would).

Pages are added live without revisions, as Knowhow's bench/content.py does.
OUT.json gets the URLs, the learner's session cookie, the package versions,
the table sizes and, for each measured URL, the queries of one request
after three warm-up requests (transaction control left out, as in Knowhow's
bench/timing.py) and the bytes of the response.
"""

import json
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site
from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonCompletion, H5PLessonPage

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")
HOST = "127.0.0.1"
WARMUP = 3


def _client(user=None):
    client = Client(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)
    return client


def _enrol(user, course):
    """Enrol as a learner does: the package's enrol URL, signed in."""
    response = _client(user).get(reverse("wagtail_lms:enroll_course", args=[course.pk]))
    if response.status_code != 302:
        raise CommandError(f"enrolling {user}: HTTP {response.status_code}")
    if not CourseEnrollment.objects.filter(user=user, course=course).exists():
        raise CommandError(f"the enrol URL did not enrol {user}")


def _probe(client, url):
    for _ in range(WARMUP):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url}: HTTP {response.status_code}")
    sql = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    return {"queries": len(sql), "bytes": len(response.content), "sql": sql}


class Command(BaseCommand):
    help = "Seed the comparable course (bench/peer/course.py) and write how to request it."

    def add_arguments(self, parser):
        parser.add_argument("spec", type=Path)
        parser.add_argument("out", type=Path)

    def handle(self, *args, spec, out, **options):
        data = json.loads(spec.read_text())
        home = Site.objects.get(is_default_site=True).root_page
        course = CoursePage(
            title=data["course"]["title"],
            slug=data["course"]["slug"],
            description="<p>A course for reps about technology at work.</p>",
        )
        home.add_child(instance=course)
        lessons = []
        for lesson in data["lessons"]:
            page = H5PLessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                body=[{"type": "paragraph", "value": html} for html in lesson["blocks"]],
            )
            course.add_child(instance=page)
            lessons.append(page)

        User = get_user_model()
        made = []
        for person in [data["learner"], *data["others"]]:
            user = User.objects.create_user(
                username=person["email"], email=person["email"], first_name=person["name"]
            )
            _enrol(user, course)
            H5PLessonCompletion.objects.bulk_create(
                H5PLessonCompletion(user=user, lesson=lesson)
                for lesson in lessons[: person["done"]]
            )
            made.append(user)
        rep = made[0]

        measured = lessons[data["measured_lesson"] - 1]
        client = _client(rep)
        client.get(measured.url)
        urls = {
            "floor": reverse("bench_floor"),
            "lesson": measured.url,
            "course": course.url,
        }
        # The floor anonymously, as Knowhow's bench/throughput.py requests it.
        probes = {
            name: _probe(_client() if name == "floor" else client, url)
            for name, url in urls.items()
        }
        out.write_text(
            json.dumps(
                {
                    "urls": urls,
                    "cookie": f"{settings.SESSION_COOKIE_NAME}="
                    f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
                    "probes": probes,
                    "versions": {
                        name: version(name) for name in ("wagtail-lms", "wagtail", "Django")
                    },
                    "volumes": {
                        "users": User.objects.count(),
                        "lessons": H5PLessonPage.objects.count(),
                        "enrolments": CourseEnrollment.objects.count(),
                        "lesson_completions": H5PLessonCompletion.objects.count(),
                    },
                },
                indent=1,
            )
        )
