"""The lesson page keeps its outline and prerequisite check in the cache
(courses.page_cache): whatever changes them must show on the next page view."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import page_cache
from courses.models import Enrolment, LessonCompletion
from courses.services import enrolment_start, lesson_complete
from tests.factories import UserFactory
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def outline(client, lesson):
    """(progress text, [(lesson title, status)]) as the lesson page shows them."""
    response = client.get(lesson.url)
    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    progress = re.search(r'<p class="kh-progress__text">(\d+ of \d+)', html).group(1)
    aside = html[html.index('id="outline-title"') :]
    items = re.findall(
        r'class="kh-task-list__link"[^>]*>([^<]*)</a>.*?kh-task-list__status[^>]*>\s*(?:<strong[^>]*>)?([^<]*)',
        aside,
        flags=re.S,
    )
    return progress, [(title, status.strip()) for title, status in items]


@pytest.fixture
def enrolled(client, rep):
    course = make_course(modules=2, lessons=3)
    enrolment_start(user=rep, course=course)
    client.force_login(rep)
    return course


def test_a_completion_shows_on_the_next_lesson_page(client, rep, enrolled):
    first, second = lessons_of(enrolled)[:2]
    assert outline(client, second)[0] == "0 of 6"
    lesson_complete(user=rep, lesson=first)
    progress, items = outline(client, second)
    assert progress == "1 of 6"
    assert items[0] == ("Lesson 1.1", "Completed")


def test_learners_never_see_each_others_ticks(client, rep, enrolled):
    other = UserFactory()
    enrolment_start(user=other, course=enrolled)
    lessons = lessons_of(enrolled)
    for lesson in lessons[:3]:
        lesson_complete(user=other, lesson=lesson)
    assert outline(client, lessons[1])[0] == "0 of 6"
    client.force_login(other)
    assert outline(client, lessons[1])[0] == "3 of 6"
    client.force_login(rep)
    assert outline(client, lessons[1])[0] == "0 of 6"


def test_an_editor_publishing_a_new_title_shows_at_once(client, enrolled):
    lessons = lessons_of(enrolled)
    outline(client, lessons[0])
    lessons[1].title = "What the employer must tell you"
    lessons[1].save_revision().publish()
    assert outline(client, lessons[0])[1][1][0] == "What the employer must tell you"


def test_an_unpublished_lesson_leaves_the_outline_and_the_count(client, enrolled):
    lessons = lessons_of(enrolled)
    assert outline(client, lessons[0])[0] == "0 of 6"
    lessons[2].unpublish()
    progress, items = outline(client, lessons[0])
    assert progress == "0 of 5"
    assert [title for title, _ in items] == ["Lesson 1.1", "Lesson 1.2"]


def test_a_moved_lesson_moves_in_the_outline(client, enrolled):
    lessons = lessons_of(enrolled)
    outline(client, lessons[0])
    lessons[0].move(lessons[2], pos="right")
    titles = [title for title, _ in outline(client, lessons[1])[1]]
    assert titles == ["Lesson 1.2", "Lesson 1.3", "Lesson 1.1"]


def test_a_deleted_lesson_leaves_the_outline(client, enrolled):
    lessons = lessons_of(enrolled)
    assert outline(client, lessons[0])[0] == "0 of 6"
    lessons[1].delete()
    assert outline(client, lessons[0])[0] == "0 of 5"


def test_a_prerequisite_added_after_a_visit_applies_on_the_next(client, rep, enrolled):
    lesson = lessons_of(enrolled)[0]
    outline(client, lesson)  # "no prerequisites" is now kept
    needed = make_course(title="Data protection basics")
    enrolled.prerequisites.set([needed])
    enrolled.save_revision().publish()
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"] == enrolled.url


def test_a_new_account_with_a_deleted_accounts_id_starts_afresh(client, enrolled):
    lessons = lessons_of(enrolled)
    first = UserFactory()
    enrolment_start(user=first, course=enrolled)
    lesson_complete(user=first, lesson=lessons[0])
    client.force_login(first)
    assert outline(client, lessons[1])[0] == "1 of 6"
    old_id = first.pk
    first.delete()
    again = UserFactory(id=old_id)  # SQLite reuses the highest id
    Enrolment.objects.create(user=again, course=enrolled)
    client.force_login(again)
    assert outline(client, lessons[1])[0] == "0 of 6"


def test_a_repeat_visit_reads_the_outline_from_the_cache(client, enrolled):
    lesson = lessons_of(enrolled)[1]
    client.get(lesson.url)  # warms Wagtail's own caches and records the visit
    page_cache.pages_changed()
    with CaptureQueriesContext(connection) as first:
        client.get(lesson.url)
    with CaptureQueriesContext(connection) as again:
        client.get(lesson.url)
    outline_sql = [q for q in first.captured_queries if "courses_lessoncompletion" in q["sql"]]
    assert len(outline_sql) == 1
    assert not [q for q in again.captured_queries if "courses_lessoncompletion" in q["sql"]]
    # Kept: the course, whether it has prerequisites, and the outline.
    assert len(again.captured_queries) == len(first.captured_queries) - 3


def test_a_token_is_replaced_again_when_the_transaction_commits(
    rep, django_capture_on_commit_callbacks
):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    with django_capture_on_commit_callbacks(execute=True):
        page_cache.progress_changed(rep.pk)
        # A page view between the write and its commit reads the old rows...
        assert page_cache.get_or_compute("x", compute, learner_id=rep.pk) == 1
        assert page_cache.get_or_compute("x", compute, learner_id=rep.pk) == 1
    # ...and the token replaced on commit stops them being used.
    assert page_cache.get_or_compute("x", compute, learner_id=rep.pk) == 2


def test_a_completion_written_outside_the_services_still_replaces_the_token(client, rep, enrolled):
    lessons = lessons_of(enrolled)
    outline(client, lessons[1])
    LessonCompletion.objects.create(user=rep, lesson=lessons[0])
    assert outline(client, lessons[1])[0] == "1 of 6"
