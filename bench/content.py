"""Course pages for the benchmarks and the scale dataset.

Pages are added to the tree as live pages without revisions, as the test
factories do: publishing a revision per page would make the 50-course scale
dataset take minutes for no difference in what the learner pages read.
Slugs are given, so a second run can find what the first one made.
"""

import datetime

from courses.models import (
    CourseIndexPage,
    CourseLearningOutcome,
    CoursePage,
    LessonPage,
    Topic,
)
from tests.factories.courses import add_modules

PARAGRAPH = (
    "An algorithm at work is a set of rules a computer follows to decide something "
    "about you: which shifts you are offered, how fast you are expected to pick, "
    "whether your absence looks suspicious. Your employer chose to use it, so your "
    "employer must be able to explain it."
)


def lesson_body(label):
    """A lesson body like the starter catalogue's: about 6 KB of HTML, most block kinds."""
    return [
        {"type": "rich_text", "value": f"<h2>{label}</h2><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"},
        {"type": "key_point", "value": {"title": "Key point", "text": f"<p>{PARAGRAPH}</p>"}},
        {
            "type": "case_study",
            "value": {
                "title": "A warehouse rota",
                "text": f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>",
                "source": "A composite of reps' accounts.",
            },
        },
        {
            "type": "questions",
            "value": {
                "title": "Questions to ask management",
                "intro": "Ask these in writing and keep the answers.",
                "items": [
                    "What decisions does the system make or suggest?",
                    "What data about workers does it use, and where does it come from?",
                    "Who can overrule it, and how often do they?",
                    "When was it last checked for bias, and by whom?",
                ],
            },
        },
        {
            "type": "definition",
            "value": {"term": "Automated decision", "definition": PARAGRAPH},
        },
        {
            "type": "checklist",
            "value": {
                "title": "Before the meeting",
                "items": ["Read the policy", "Talk to members", "Write down questions"],
            },
        },
        {
            "type": "quote",
            "value": {
                "text": "We were never told the system scored us.",
                "attribution": "A warehouse worker",
                "source": "",
            },
        },
        {
            "type": "table",
            "value": {
                "caption": "Who decides what",
                "headers": ["Decision", "Made by", "Can be challenged"],
                "rows": [
                    ["Shift offers", "Scheduling system", "Yes, with the manager"],
                    ["Pick rate targets", "Warehouse software", "Through the union"],
                    ["Absence flags", "HR analytics", "Yes, under Article 22"],
                ],
            },
        },
        {"type": "rich_text", "value": f"<h2>What to do next</h2><p>{PARAGRAPH}</p>"},
    ]


def catalogue():
    return CourseIndexPage.objects.get()


def find_course(slug):
    return CoursePage.objects.filter(slug=slug).first()


def add_course(*, slug, title, modules, lessons, topic=None, level="introductory"):
    """A live course of `modules` modules with `lessons` lessons each."""
    course = CoursePage(
        title=title,
        slug=slug,
        topic=topic or Topic.objects.order_by("pk").first(),
        level=level,
        summary="A course for reps about technology at work.",
        estimated_minutes=max(1, modules * lessons * 5),
        last_reviewed=datetime.date(2026, 11, 1),
        change_notes="Checked against current guidance.",
    )
    course.learning_outcomes = [CourseLearningOutcome(text="Explain your rights")]
    catalogue().add_child(instance=course)
    add_modules(course, modules=modules, lessons=lessons, body=lesson_body)
    return course


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))
