"""Builders for the course page tree. Pages need a parent, so these are plain
functions rather than factory_boy factories."""

import datetime
import itertools

from courses.models import (
    CourseIndexPage,
    CourseLearningOutcome,
    CoursePage,
    LessonPage,
    ModulePage,
    Topic,
)
from courses.services import enrolment_start, lesson_complete

_numbers = itertools.count(1)


def catalogue():
    return CourseIndexPage.objects.get()


def topic(slug="data-rights"):
    return Topic.objects.get(slug=slug)


def lesson_body(text="A short lesson."):
    return [
        {"type": "rich_text", "value": f"<p>{text}</p>"},
        {"type": "key_point", "value": {"title": "Key point", "text": f"<p>{text}</p>"}},
    ]


def make_course(
    *,
    title=None,
    modules=2,
    lessons=3,
    level="introductory",
    topic_slug="data-rights",
    prerequisites=(),
    summary="A course for reps.",
    live=True,
):
    """A published course with `modules` modules of `lessons` lessons each."""
    n = next(_numbers)
    title = title or f"Course {n}"
    course = CoursePage(
        title=title,
        slug=f"course-{n}",
        topic=topic(topic_slug),
        level=level,
        summary=summary,
        estimated_minutes=30,
        last_reviewed=datetime.date(2026, 11, 1),
        change_notes="Checked against current ICO guidance.",
        live=live,
    )
    course.learning_outcomes = [CourseLearningOutcome(text="Explain your rights")]
    catalogue().add_child(instance=course)
    if prerequisites:
        course.prerequisites.set(prerequisites)
        if live:
            course.save_revision().publish()
        else:
            course.save()
    add_modules(course, modules=modules, lessons=lessons)
    return course


def add_modules(course, *, modules, lessons, body=lambda name: lesson_body(f"{name} text.")):
    """Live modules "Module m" under `course`, each of lessons "Lesson m.n";
    `body(name)` gives a lesson's body."""
    for m in range(1, modules + 1):
        module = ModulePage(title=f"Module {m}", slug=f"module-{m}", summary=f"Module {m}.")
        course.add_child(instance=module)
        for n in range(1, lessons + 1):
            module.add_child(
                instance=LessonPage(
                    title=f"Lesson {m}.{n}",
                    slug=f"lesson-{m}-{n}",
                    summary="What this lesson covers.",
                    estimated_minutes=5,
                    body=body(f"Lesson {m}.{n}"),
                )
            )


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def complete(user, course, n=None):
    """Enrol `user` on `course` and complete its first `n` live lessons (all of
    them by default) through the services, as a learner would."""
    enrolment_start(user=user, course=course)
    for lesson in lessons_of(course)[:n]:
        lesson_complete(user=user, lesson=lesson)
