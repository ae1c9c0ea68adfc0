"""Queries per page do not grow with the number of modules, lessons or courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import enrolment_start, lesson_complete
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def learner_with(client, user, *, courses, modules, lessons):
    made = [make_course(modules=modules, lessons=lessons) for _ in range(courses)]
    make_course(modules=1, lessons=1, title="Not started")  # something to recommend
    for course in made:
        enrolment_start(user=user, course=course)
        for lesson in lessons_of(course)[:2]:
            lesson_complete(user=user, lesson=lesson)
    client.force_login(user)
    return made


@pytest.mark.parametrize("page", ["catalogue", "course", "lesson", "dashboard", "module"])
def test_small_and_large_courses_cost_the_same_queries(client, rep, django_user_model, page):
    from tests.factories import UserFactory

    small = learner_with(client, rep, courses=1, modules=1, lessons=3)[0]
    urls = {
        "catalogue": lambda c: "/courses/",
        "course": lambda c: c.url,
        "lesson": lambda c: lessons_of(c)[1].url,
        "dashboard": lambda c: "/dashboard/",
        "module": lambda c: lessons_of(c)[0].get_parent().url,
    }
    small_count = count_queries(client, urls[page](small))

    other = UserFactory()
    large = learner_with(client, other, courses=10, modules=5, lessons=6)[0]
    large_count = count_queries(client, urls[page](large))
    assert large_count == small_count, (page, small_count, large_count)


# Session, user, "needs MFA / may open the admin", site, Wagtail's routing (5),
# view restrictions (1, courses.models.TreeViewRestrictions), enrolment with
# its course. The outline (with
# completions and breadcrumbs) and "has prerequisites" come from the cache
# after the first visit (courses.page_cache; test_page_cache.py checks what
# they cost when they do not). The bare Wagtail page benchmarked beside it costs 9.
LESSON_PAGE_QUERIES = 11


def test_lesson_page_queries_are_pinned(client, rep):
    course = learner_with(client, rep, courses=1, modules=2, lessons=3)[0]
    url = lessons_of(course)[1].url
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) == LESSON_PAGE_QUERIES, "\n".join(queries)
