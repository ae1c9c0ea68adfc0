"""Catalogue → course → module → lesson pages, and the learner's record of them.

Facts that are queried (topic, level, minutes, prerequisites) are fields;
only the lesson body is a StreamField. Learner records store each fact once:
one enrolment per learner and course, one completion per learner and lesson.
Percentages are computed by selectors, never stored.

The pages hold no HTTP code: their routes hand the request to courses/views/.
Those modules import these models, so each route imports its view when called.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from courses.blocks import LessonStreamBlock

# The certificate model lives with the rest of certificates (courses/certificates/);
# imported here, Django registers it as one of this app's models.
from courses.certificates.models import Certificate, CertificateStatus  # noqa: F401


@register_snippet
class Topic(index.Indexed, models.Model):
    """A subject area of the catalogue, e.g. "Data rights". Editors can add more."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class TreeViewRestrictions:
    """Wagtail's view-restriction lookup in one query instead of two.

    The restrictions on a page are those on it and its ancestors, an alias
    answering for its source. Wagtail reads the ancestors, then their
    restrictions; but an ancestor's path is a prefix of the page's own, so
    one query finds both the restrictions on those paths and those on the
    sources of any aliases among them. Every lesson page view runs this.

    Editors may limit a page to signed-in people or to groups, not put it
    behind a shared password: learners are signed in already, and a password
    passed round a branch is no secret (docs/decisions.md).
    """

    private_page_options = ["login", "groups"]

    def get_view_restrictions(self):
        paths = [self.path[: self.steplen * depth] for depth in range(1, self.depth + 1)]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(
            models.Q(page__path__in=paths, page__alias_of__isnull=True) | models.Q(page__in=sources)
        )


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", "Introductory"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class CompletionRule(models.TextChoices):
    ALL_LESSONS = "all_lessons", "Every lesson complete"
    ALL_LESSONS_AND_QUIZZES = (
        "all_lessons_and_quizzes",
        "Every lesson complete and every quiz passed",
    )


class CourseIndexPage(TreeViewRestrictions, Page):
    """The catalogue at /courses/: filter by topic and level, search by text."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    template = "courses/course_index_page.html"

    # Course → module → lesson: the deepest page a URL below the catalogue can name.
    MAX_DEPTH_BELOW = 3

    def route(self, request, path_components):
        """Find the page a URL names below the catalogue in one query.

        Wagtail's default walks down one level at a time, two queries a
        level; on a quiz submit that was a third of all queries. The page
        found still does its own routing (live check, sub-routes, 404s).
        """
        if not path_components:
            return super().route(request, path_components)
        depth = min(len(path_components), self.MAX_DEPTH_BELOW)
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/" for n in range(1, depth + 1)
        ]
        page = (
            Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
            .order_by("-depth")
            .first()
        )
        if page is None:
            raise Http404
        return page.specific.route(request, path_components[page.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_page

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_page(index=self, params=request.GET, user=request.user))
        return context


class CoursePage(TreeViewRestrictions, RoutablePageMixin, Page):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses")
    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    summary = models.TextField(help_text="One to three sentences for the catalogue card.")
    estimated_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(6000)],
        help_text="Roughly how long the whole course takes, quizzes included.",
    )
    prerequisites = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )
    last_reviewed = models.DateField(
        default=timezone.localdate, help_text="When an educator last checked the course."
    )
    change_notes = models.TextField(
        blank=True,
        help_text="What changed at each review, newest first: the date on a line of its own "
        "(4 December 2026), then one line per change starting with “- ”, and a blank line "
        "between reviews. Learners see it on the course page.",
    )
    completion_rule = models.CharField(
        max_length=40, choices=CompletionRule.choices, default=CompletionRule.ALL_LESSONS
    )
    valid_for_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="For refresher training: certificates expire after this many months. "
        "Leave blank if they never expire.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("topic", widget=forms.Select),
                FieldPanel("level"),
                FieldPanel("estimated_minutes"),
            ],
            heading="Catalogue",
        ),
        FieldPanel("summary"),
        InlinePanel("learning_outcomes", heading="Learning outcomes", min_num=1),
        FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("change_notes")], heading="Review"
        ),
        FieldPanel("completion_rule"),
        FieldPanel("valid_for_months"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("level"),
        index.FilterField("topic_id"),
        index.RelatedFields("topic", [index.SearchField("name")]),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/course_page.html"

    @property
    def estimated_hours(self):
        return round(self.estimated_minutes / 60, 1)

    @path("")
    def overview(self, request):
        from courses.views import learner

        return learner.course_page(request, self)

    @path("retake/")
    def retake(self, request):
        from courses.views import learner

        return learner.course_retake_view(request, self)

    @path("start/")
    def start(self, request):
        from courses.views import learner

        return learner.course_start(request, self)


class CourseLearningOutcome(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="learning_outcomes")
    text = models.CharField(max_length=250)

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


class ModulePage(TreeViewRestrictions, Page):
    summary = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/module_page.html"

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import module_overview

        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        context.update(module_overview(module=self, user=user, request=request))
        return context


class LessonPage(TreeViewRestrictions, RoutablePageMixin, Page):
    summary = models.TextField(blank=True, help_text="One sentence: what this lesson covers.")
    estimated_minutes = models.PositiveIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    body = StreamField(LessonStreamBlock(), use_json_field=True)
    quiz = models.ForeignKey(
        "assessments.Quiz",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        help_text="Optional. Passing the quiz completes the lesson.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("quiz"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    @path("")
    def lesson(self, request):
        from courses.views import learner

        return learner.lesson_page(request, self)

    @path("complete/")
    def complete(self, request):
        from courses.views import learner

        return learner.lesson_complete_view(request, self)

    @path("quiz/", name="quiz")
    def quiz_overview(self, request):
        from courses.views import quiz

        return quiz.overview(request, self)

    @path("quiz/start/", name="quiz_start")
    def quiz_start(self, request):
        from courses.views import quiz

        return quiz.start(request, self)

    @path("quiz/attempt/<int:number>/", name="quiz_attempt")
    def quiz_attempt(self, request, number):
        from courses.views import quiz

        return quiz.answer(request, self, number)

    @path("quiz/attempt/<int:number>/check/", name="quiz_check")
    def quiz_check(self, request, number):
        from courses.views import quiz

        return quiz.check(request, self, number)

    @path("quiz/attempt/<int:number>/result/", name="quiz_result")
    def quiz_result(self, request, number):
        from courses.views import quiz

        return quiz.result(request, self, number)

    def serve_preview(self, request, mode_name):
        from courses.views import learner

        return learner.lesson_preview(request, self)


class Enrolment(models.Model):
    """A learner has started a course. Completion is stamped when the rule is met."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrolments")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Replaced whenever the learner's completions in the course change; stamps
    # their outline in the cache (courses/page_cache.py).
    progress_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.user} in {self.course}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_completion_per_lesson")
        ]

    def __str__(self):
        return f"{self.user} completed {self.lesson}"


# The catalogue loader's record of what it wrote (courses/catalogue.py).
from courses.catalogue_records import CatalogueRecord  # noqa: E402, F401

# Tutor-led runs of courses (courses/runs/, issue #17).
from courses.runs.models import (  # noqa: E402, F401
    CourseRun,
    RunApplication,
    RunAttendance,
    RunSession,
)
