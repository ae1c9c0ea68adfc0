from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from core.models import HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage


class TestCoursePageTree(WagtailPageTestCase):
    def test_catalogue_sits_under_the_home_page_and_holds_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_holds_modules(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_module_holds_lessons(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})

    def test_lessons_are_leaves(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_no_course_page_can_be_made_at_the_root(self):
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)

    def test_migration_made_one_catalogue_at_courses(self):
        catalogue = CourseIndexPage.objects.get()
        assert catalogue.url == "/courses/"
        assert CourseIndexPage.max_count == 1
