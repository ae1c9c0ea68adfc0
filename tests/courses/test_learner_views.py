"""Who can open what: anonymous, signed in, enrolled, prerequisites met."""

import pytest

from courses.models import Enrolment, LessonCompletion, LessonPage
from courses.services import enrolment_start, lesson_complete
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_catalogue_and_course_overview_are_public(client):
    course = make_course(title="Your data rights")
    assert "Your data rights" in client.get("/courses/").content.decode()
    html = client.get(course.url).content.decode()
    assert "Your data rights" in html
    assert "Sign in" in html and "to start this course" in html
    assert "Start course" not in html


def test_anonymous_visitor_is_sent_to_sign_in_from_a_lesson(client):
    lesson = lessons_of(make_course())[0]
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"


def test_signed_in_but_not_enrolled_is_sent_to_the_course(client, rep):
    course = make_course()
    client.force_login(rep)
    response = client.get(lessons_of(course)[0].url)
    assert response.status_code == 302
    assert response["Location"] == course.url


def test_start_course_enrols_once_and_opens_the_first_lesson(client, rep):
    course = make_course()
    client.force_login(rep)
    assert "Start course" in client.get(course.url).content.decode()
    first = lessons_of(course)[0]
    for _ in range(2):
        response = client.post(course.url + "start/")
        assert response["Location"] == first.url
    assert Enrolment.objects.filter(user=rep, course=course).count() == 1
    assert client.get(first.url).status_code == 200


def test_start_course_needs_post_and_sign_in(client, rep):
    course = make_course()
    assert client.post(course.url + "start/")["Location"].startswith("/accounts/login/")
    client.force_login(rep)
    assert client.get(course.url + "start/")["Location"] == course.url
    assert not Enrolment.objects.exists()


def test_mark_complete_moves_to_the_next_lesson_and_records_it_once(client, rep):
    course = make_course(modules=2, lessons=2)
    lessons = lessons_of(course)
    client.force_login(rep)
    client.post(course.url + "start/")
    response = client.post(lessons[1].url + "complete/")
    assert response["Location"] == lessons[0].url  # the first incomplete lesson
    response = client.post(lessons[0].url + "complete/")
    assert response["Location"] == lessons[2].url  # crosses into module 2
    client.post(lessons[0].url + "complete/")
    assert LessonCompletion.objects.filter(user=rep).count() == 2


def test_completing_the_last_lesson_says_so_on_the_course_page(client, rep):
    course = make_course(modules=1, lessons=1)
    client.force_login(rep)
    client.post(course.url + "start/")
    response = client.post(lessons_of(course)[0].url + "complete/", follow=True)
    html = response.content.decode()
    assert "You have completed" in html
    assert "Course complete" in html


def test_mark_complete_refused_without_enrolment(client, rep):
    course = make_course()
    client.force_login(rep)
    response = client.post(lessons_of(course)[0].url + "complete/")
    assert response["Location"] == course.url
    assert not LessonCompletion.objects.exists()


def test_mark_complete_by_get_does_nothing(client, rep):
    course = make_course()
    enrolment_start(user=rep, course=course)
    client.force_login(rep)
    lesson = lessons_of(course)[0]
    assert client.get(lesson.url + "complete/")["Location"] == lesson.url
    assert not LessonCompletion.objects.exists()


def test_prerequisites_lock_the_course_and_its_lessons(client, rep):
    intro = make_course(title="Introduction", modules=1, lessons=1)
    advanced = make_course(title="Advanced", prerequisites=[intro], level="advanced")
    client.force_login(rep)
    html = client.get(advanced.url).content.decode()
    assert "Cannot start yet" in html
    assert "Introduction" in html
    assert "Start course" not in html
    assert client.post(advanced.url + "start/")["Location"] == advanced.url
    assert not Enrolment.objects.filter(course=advanced).exists()

    # Enrolled earlier by other means, the lessons still stay shut.
    Enrolment.objects.create(user=rep, course=advanced)
    assert client.get(lessons_of(advanced)[0].url)["Location"] == advanced.url

    enrolment_start(user=rep, course=intro)
    lesson_complete(user=rep, lesson=lessons_of(intro)[0])
    assert client.get(lessons_of(advanced)[0].url).status_code == 200


def test_lesson_page_shows_outline_progress_and_neighbours(client, rep):
    course = make_course(modules=2, lessons=2)
    lessons = lessons_of(course)
    enrolment_start(user=rep, course=course)
    lesson_complete(user=rep, lesson=lessons[0])
    client.force_login(rep)
    response = client.get(lessons[1].url)
    html = response.content.decode()
    assert "Lesson 2 of 4" in html
    assert "1 of 4" in html  # progress bar text
    assert "Previous lesson" in html and "Next lesson" in html
    assert "In this module" in html
    assert "Mark as complete and continue" in html
    assert 'aria-label="Breadcrumb"' in html
    assert response.context["progress"].completed == 1


def test_course_page_continue_goes_to_first_incomplete_lesson(client, rep):
    course = make_course(modules=1, lessons=3)
    lessons = lessons_of(course)
    enrolment_start(user=rep, course=course)
    lesson_complete(user=rep, lesson=lessons[0])
    lesson_complete(user=rep, lesson=lessons[1])
    client.force_login(rep)
    html = client.get(course.url).content.decode()
    assert "Continue where you left off" in html
    assert f'href="{lessons[2].url}"' in html
    assert "Completed" in html


def test_unpublished_course_lessons_are_not_served(client, rep):
    course = make_course()
    lesson = lessons_of(course)[0]
    enrolment_start(user=rep, course=course)
    course.unpublish()
    client.force_login(rep)
    assert client.get(lesson.url).status_code == 404
    assert client.get(course.url).status_code == 404


def test_dashboard_lists_progress_completed_and_recommendations(client, rep):
    intro = make_course(title="Data rights: introduction", modules=1, lessons=1)
    next_up = make_course(
        title="Data rights: intermediate", prerequisites=[intro], level="intermediate"
    )
    started = make_course(title="Procurement basics", topic_slug="procurement")
    enrolment_start(user=rep, course=intro)
    lesson_complete(user=rep, lesson=lessons_of(intro)[0])
    enrolment_start(user=rep, course=started)
    client.force_login(rep)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    context = response.context
    assert [row["course"] for row in context["in_progress"]] == [started]
    assert context["in_progress"][0]["next_lesson"] == lessons_of(started)[0]
    assert [row["course"] for row in context["completed"]] == [intro]
    assert next_up in context["recommended"]


def test_dashboard_requires_sign_in(client):
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_catalogue_routing_finds_pages_and_404s_the_rest(client, rep):
    course = make_course(modules=1, lessons=2)
    first, second = lessons_of(course)
    enrolment_start(user=rep, course=course)
    client.force_login(rep)
    assert client.get(first.url).status_code == 200
    assert client.get(first.get_parent().url).status_code == 200
    for path in [
        course.url + "no-such-module/",
        first.get_parent().url + "no-such-lesson/",
        first.url + "no-such-route/",
        first.url + "a/b/c/d/",
        "/courses/no-such-course/module-1/lesson-1-1/",
    ]:
        assert client.get(path).status_code == 404, path
    second.unpublish()
    assert client.get(second.url).status_code == 404


def test_lesson_page_links_are_the_ones_wagtail_would_make(client, rep):
    """The outline's URLs are worked out from the course's, not asked of each page."""
    course = make_course(modules=2, lessons=2)
    lessons = lessons_of(course)
    module = lessons[0].get_parent()
    module.add_child(
        instance=LessonPage(title="Ünïcode", slug="ünïcode", estimated_minutes=5, body=[])
    )
    lessons[3].get_parent().specific.unpublish()  # its lessons leave the outline
    enrolment_start(user=rep, course=course)
    client.force_login(rep)
    response = client.get(lessons[1].url)
    html = response.content.decode()
    in_module = list(LessonPage.objects.live().child_of(module).order_by("path"))
    assert [item["href"] for item in response.context["module_outline"].items] == [
        lesson.url for lesson in in_module
    ]
    assert "/%C3%BCn%C3%AFcode/" in in_module[-1].url
    assert response.context["next_lesson"].url == in_module[2].url
    assert response.context["lesson_count"] == 3
    assert response.context["breadcrumbs"] == [
        ("Home" if page.depth == 2 else page.title, page.url)
        for page in lessons[1].get_ancestors().filter(depth__gte=2)
    ]
    assert f'href="{lessons[0].url}" rel="prev"' in html
