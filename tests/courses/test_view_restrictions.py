"""Course pages find Wagtail's view restrictions in one query, with Wagtail's answer."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from courses.models import LessonPage
from courses.services import enrolment_start
from tests.factories.courses import catalogue, lessons_of, make_course

pytestmark = pytest.mark.django_db


def wagtails(page):
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page):
    with CaptureQueriesContext(connection) as captured:
        found = set(page.get_view_restrictions().values_list("pk", flat=True))
    assert len(captured.captured_queries) == 1
    return found


def test_the_same_restrictions_as_wagtail_for_every_page_alias_or_not():
    plain, private = make_course(modules=2, lessons=2), make_course(modules=2, lessons=2)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    module = lessons_of(plain)[2].get_parent()
    by_group = PageViewRestriction.objects.create(page=module, restriction_type="groups")
    by_group.groups.set([Group.objects.get(name="Educators")])
    alias = private.create_alias(parent=catalogue(), update_slug="private-alias", recursive=True)
    pages = [catalogue(), plain, private, alias]
    for course in pages[1:]:
        for page in course.get_descendants().specific():
            pages.append(page)
    assert any(page.alias_of_id for page in pages[4:])  # the alias has aliased lessons
    for page in pages:
        assert ours(page) == wagtails(page), page.url_path
    assert ours(lessons_of(private)[0]) and ours(
        LessonPage.objects.filter(alias_of__isnull=False).first()
    )
    assert ours(lessons_of(plain)[2]) == {by_group.pk}
    assert not ours(lessons_of(plain)[0])


def test_a_course_for_signed_in_people_sends_visitors_to_sign_in(client):
    course = make_course(modules=1, lessons=1)
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    response = client.get(course.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={course.url}"


def test_a_lesson_limited_to_a_group_is_closed_to_enrolled_reps_outside_it(client, rep):
    from tests.factories import UserFactory

    pilot = Group.objects.create(name="Pilot reps")
    insider = UserFactory()
    insider.groups.add(pilot)
    course = make_course(modules=1, lessons=2)
    lesson = lessons_of(course)[0]
    for user in (rep, insider):
        enrolment_start(user=user, course=course)
    restriction = PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type="groups"
    )
    restriction.groups.set([pilot])
    client.force_login(rep)
    assert client.get(lesson.url).status_code == 302
    client.force_login(insider)
    assert "Lesson 1.1 text." in client.get(lesson.url).content.decode()


def test_editors_are_not_offered_a_shared_password():
    from wagtail.admin.forms.pages import PageViewRestrictionForm

    course = make_course(modules=1, lessons=1)
    for page in (catalogue().get_parent().specific, catalogue(), course, lessons_of(course)[0]):
        form = PageViewRestrictionForm(private_page_options=page.private_page_options)
        offered = {value for value, _ in form.fields["restriction_type"].choices}
        assert PageViewRestriction.PASSWORD not in offered
        assert PageViewRestriction.LOGIN in offered
