"""Lesson and module pages are created through the admin's own form, without
a browser: the form data Wagtail's editor would post, from Wagtail's helpers."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage, ModulePage
from tests.factories import UserFactory, with_mfa
from tests.factories.courses import make_course


class TestEducatorsCreatePagesInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        self.course = make_course(modules=1, lessons=1)
        self.module = self.course.get_children().specific().get()
        educator = UserFactory(groups=["Educators"])
        with_mfa(educator)  # the admin requires it (AUTH-04)
        self.client.force_login(educator)

    def lesson_data(self, **fields):
        return nested_form_data(
            {
                "title": "What your employer can see",
                "summary": "A first look.",
                "estimated_minutes": "10",
                "body": streamfield(
                    [
                        ("rich_text", rich_text("<p>Monitoring must be proportionate.</p>")),
                        (
                            "key_point",
                            {
                                "title": "Remember",
                                "text": rich_text("<p>You can ask what is collected.</p>"),
                            },
                        ),
                    ]
                ),
                **fields,
            }
        )

    def test_a_module_holds_a_new_lesson_with_a_body(self):
        # Educators save drafts; only reviewers publish.
        self.assertCanCreate(self.module, LessonPage, self.lesson_data(), publish=False)
        lesson = LessonPage.objects.get(title="What your employer can see")
        assert lesson.get_parent().specific == self.module
        assert lesson.slug == "what-your-employer-can-see"
        assert not lesson.live
        draft = lesson.get_latest_revision_as_object()
        assert [block.block_type for block in draft.body] == ["rich_text", "key_point"]
        assert "Monitoring must be proportionate." in str(draft.body[0].value)
        assert draft.body[1].value["title"] == "Remember"
        assert "You can ask what is collected." in str(draft.body[1].value["text"])
        assert draft.estimated_minutes == 10

    def test_a_lesson_sent_for_review_with_an_empty_key_point_is_refused(self):
        # A draft may be incomplete (Wagtail defers required fields); sending it
        # to the reviewers checks everything, and a refusal writes nothing.
        # An empty Draftail editor posts "null".
        data = self.lesson_data(
            body=streamfield([("key_point", {"title": "Remember", "text": "null"})])
        )
        pages = Page.objects.count()
        url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", self.module.pk])
        post = {**data, "slug": "empty-key-point", "action-submit": "1"}
        response = self.client.post(url, post)
        assert response.status_code == 200
        assert "body" in response.context["form"].errors
        assert Page.objects.count() == pages

    def test_a_course_holds_a_new_module(self):
        self.assertCanCreate(
            self.course,
            ModulePage,
            nested_form_data({"title": "Cameras and keystrokes", "summary": "What is watched."}),
            publish=False,
        )
        module = ModulePage.objects.get(title="Cameras and keystrokes")
        assert module.get_parent().specific == self.course
