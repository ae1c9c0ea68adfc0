"""Editorial rules: who may publish, the review workflow, protected history."""

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, LessonPage, Topic
from courses.services import enrolment_start, lesson_complete
from tests.factories import with_mfa
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_review_workflow_covers_every_page():
    course = make_course()
    workflow = course.get_workflow()
    assert workflow is not None
    assert workflow.name == "Reviewer approval"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Reviewers"]


def test_educators_cannot_publish_but_reviewers_can(educator, reviewer):
    course = make_course()
    assert course.permissions_for_user(educator).can_edit()
    assert not course.permissions_for_user(educator).can_publish()
    assert course.permissions_for_user(reviewer).can_publish()


def test_topics_are_snippets_editors_can_extend(client, superuser):
    with_mfa(superuser)
    client.force_login(superuser)
    response = client.get("/admin/snippets/courses/topic/")
    assert response.status_code == 200
    assert "Data rights" in response.content.decode()
    assert Topic.objects.count() == 3


def test_deleting_a_lesson_with_learner_records_is_refused(client, superuser, rep):
    course = make_course(modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    lesson = lessons_of(course)[0]
    lesson_complete(user=rep, lesson=lesson)
    with_mfa(superuser)
    client.force_login(superuser)
    response = client.post(f"/admin/pages/{lesson.pk}/delete/", follow=True)
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
    assert "cannot be deleted because learners have records" in response.content.decode()
    # The whole course is protected too, because it contains the lesson.
    client.post(f"/admin/pages/{course.pk}/delete/")
    assert Page.objects.filter(pk=course.pk).exists()


def test_pages_without_learner_records_can_be_deleted(client, superuser):
    course = make_course(modules=1, lessons=2)
    lesson = lessons_of(course)[1]
    with_mfa(superuser)
    client.force_login(superuser)
    client.post(f"/admin/pages/{lesson.pk}/delete/")
    assert not LessonPage.objects.filter(pk=lesson.pk).exists()


def test_bulk_delete_is_refused_for_pages_with_records(client, superuser, rep):
    course = make_course(modules=1, lessons=1)
    enrolment_start(user=rep, course=course)
    with_mfa(superuser)
    client.force_login(superuser)
    index = CourseIndexPage.objects.get()
    client.post(
        f"/admin/bulk/wagtailcore/page/delete/?id={course.pk}&childOf={index.pk}",
        {"id": [course.pk]},
    )
    assert Page.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("page_kind", ["course", "module", "lesson"])
def test_every_course_page_type_previews(page_kind):
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    page = {"course": course, "module": lesson.get_parent().specific, "lesson": lesson}[page_kind]
    response = page.make_preview_request()
    assert response.status_code == 200
    html = (
        response.render().content.decode()
        if hasattr(response, "render")
        else response.content.decode()
    )
    assert page.title in html
    assert "Mark as complete" not in html
