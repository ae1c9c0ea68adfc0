"""Knowhow's side of the side-by-side benchmark: the comparable course in its database.

The course of bench/peer/course.py as Knowhow models it: a course page with
one module of 7 lessons (bench/content.py's add_course, then each lesson's
body replaced by the spec's rich-text blocks), the learner and the 40 others
enrolled and their lessons completed through Knowhow's own services.
Runs in-process, with the cache the server will use (Redis when it answers),
so the cache tokens written while seeding are the ones gunicorn reads.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.content import add_course, lessons_of
from bench.throughput import _session_cookie
from bench.timing import TRANSACTION_CONTROL, WARMUP
from courses.services import enrolment_start, lesson_complete


@dataclass
class Side:
    urls: dict
    cookie: str
    probes: dict


def _user(person):
    return get_user_model().objects.create_user(
        email=person["email"], password=None, display_name=person["name"]
    )


def _probe(client, url):
    for _ in range(WARMUP):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    sql = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    return {"queries": len(sql), "bytes": len(response.content), "sql": sql}


def seed(spec):
    course = add_course(
        slug=spec["course"]["slug"], title=spec["course"]["title"], modules=1, lessons=7
    )
    lessons = lessons_of(course)
    if len(lessons) != len(spec["lessons"]):
        raise RuntimeError("the course should have as many lessons as the spec")
    for lesson, data in zip(lessons, spec["lessons"], strict=True):
        lesson.title = data["title"]
        lesson.body = [{"type": "rich_text", "value": html} for html in data["blocks"]]
        lesson.save()

    people = [spec["learner"], *spec["others"]]
    users = []
    for person in people:
        user = _user(person)
        enrolment_start(user=user, course=course)
        for lesson in lessons[: person["done"]]:
            lesson_complete(user=user, lesson=lesson, course=course)
        users.append(user)
    rep = users[0]

    measured = lessons[spec["measured_lesson"] - 1]
    urls = {"floor": reverse("bench_floor"), "lesson": measured.url, "course": course.url}
    client = Client()
    client.force_login(rep)
    client.get(measured.url)
    # The floor is requested anonymously, as bench/throughput.py does.
    probes = {
        name: _probe(Client() if name == "floor" else client, url) for name, url in urls.items()
    }
    return Side(urls=urls, cookie=_session_cookie(rep, measured.url), probes=probes)
