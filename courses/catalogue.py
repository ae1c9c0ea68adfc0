"""Load the starter catalogue (courses/catalogue/*.yaml) into Wagtail.

The files are the source of truth for the starter courses; the format is in
docs/catalogue-format.md. Loading creates what is missing and leaves what is
there alone, so running it twice changes nothing and never overwrites an
educator's edits. Pages are created and published the way the admin does it:
added to the tree, then a revision saved and published.

Each lesson's quiz becomes an assessments Quiz with its questions in the
question bank (matched by their `key`), tagged with the course's slug.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents.models import Document

from assessments.models import Question, QuestionKind, Quiz, QuizSlot, ReviewOption
from assessments.services import question_create
from core.sanitise import sanitise_html
from courses.models import (
    CourseIndexPage,
    CourseLearningOutcome,
    CoursePage,
    LessonPage,
    Level,
    ModulePage,
    Topic,
)

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
BLOCK_TYPES = {
    "text",
    "key_point",
    "case_study",
    "questions",
    "checklist",
    "definition",
    "quote",
    "table",
    "template",
    "sources",
}


class CatalogueError(Exception):
    """A course file that cannot be loaded, with where the problem is."""


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    quizzes: int = 0


def read_course_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML ({exc})") from exc
    _check_course(path.name, data)
    return data


def _require(where, data, *keys):
    missing = [key for key in keys if key not in data or data[key] in (None, "")]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")


def _check_course(name, data):
    if not isinstance(data, dict):
        raise CatalogueError(f"{name}: expected a course mapping at the top")
    _require(name, data, "slug", "title", "topic", "level", "summary", "modules")
    if data["level"] not in Level.values:
        raise CatalogueError(f"{name}: level must be one of {', '.join(Level.values)}")
    if not data["modules"]:
        raise CatalogueError(f"{name}: a course needs at least one module")
    for m, module in enumerate(data["modules"], start=1):
        where = f"{name} module {m}"
        _require(where, module, "title", "lessons")
        for n, lesson in enumerate(module["lessons"], start=1):
            lesson_where = f"{where} lesson {n}"
            _require(lesson_where, lesson, "title", "slug", "body")
            for b, block in enumerate(lesson["body"], start=1):
                if block.get("type") not in BLOCK_TYPES:
                    raise CatalogueError(
                        f"{lesson_where} block {b}: unknown type {block.get('type')!r}"
                    )


def _block(block, *, course_title):
    """One YAML block → (StreamField block name, value)."""
    kind = block["type"]
    if kind == "text":
        return "rich_text", sanitise_html(block["text"])
    if kind == "key_point":
        return "key_point", {
            "title": block.get("title") or "Key point",
            "text": sanitise_html(block["text"]),
        }
    if kind == "case_study":
        return "case_study", {
            "title": block["title"],
            "text": sanitise_html(block["text"]),
            "source": block["source"],
        }
    if kind == "questions":
        return "questions", {
            "title": block.get("title") or "Questions to ask management",
            "intro": block.get("intro", ""),
            "items": list(block["items"]),
        }
    if kind == "checklist":
        return "checklist", {"title": block["title"], "items": list(block["items"])}
    if kind == "definition":
        return "definition", {"term": block["term"], "definition": block["definition"]}
    if kind == "quote":
        return "quote", {
            "text": block["text"],
            "attribution": block["attribution"],
            "source": block.get("source", ""),
        }
    if kind == "table":
        return "table", {
            "caption": block["caption"],
            "headers": list(block["headers"]),
            "rows": [list(map(str, row)) for row in block["rows"]],
        }
    if kind == "template":
        return "template", {
            "title": block["title"],
            "description": block["description"],
            "document": _template_document(block, course_title=course_title).pk,
        }
    if kind == "sources":
        return "sources", {
            "items": [
                {"label": item["label"], "url": item.get("url") or ""} for item in block["items"]
            ]
        }
    raise CatalogueError(f"unknown block type {kind!r}")  # pragma: no cover - checked above


def _template_document(block, *, course_title):
    filename = block["filename"]
    title = f"{block['title']} ({course_title})"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title)
    document.file.save(filename, ContentFile(block["content"].encode("utf-8")), save=False)
    document.save()
    return document


def _question(data, *, tags):
    """The bank question with this key, created from the file if it is new."""
    existing = Question.objects.filter(key=data["key"]).first()
    if existing:
        return existing
    kind = data["type"]
    if kind not in QuestionKind.values:
        raise CatalogueError(f"{data['key']}: unknown question type {kind!r}")
    return question_create(
        key=data["key"],
        kind=kind,
        title=data.get("title") or data["stem"][:120],
        stem=data["stem"],
        marks=Decimal(str(data.get("marks", 1))),
        general_feedback=data.get("general_feedback", ""),
        explanation=data.get("explanation", ""),
        options=data.get("options", []) if kind in ("single", "multiple") else [],
        true_is_correct=bool(data["answer"]) if kind == "true_false" else None,
        feedback_if_true=data.get("feedback_true", ""),
        feedback_if_false=data.get("feedback_false", ""),
        accepted=data.get("accepted", []),
        items=data.get("items", []),
        pairs=data.get("pairs", []),
        tags=tags,
    )


def _quiz(data, *, lesson_title, tags):
    quiz = Quiz(
        title=data.get("title") or f"Quiz: {lesson_title}",
        instructions=data.get(
            "instructions",
            "Answer every question, then check your answers before you submit. "
            "You can try again if you do not pass.",
        ),
        pass_mark=Decimal(str(data.get("pass_mark", 70))),
        shuffle_options=True,
        review=ReviewOption.AFTER_EACH,
    )
    quiz.slots = [
        QuizSlot(question=_question(question, tags=tags), sort_order=n)
        for n, question in enumerate(data["questions"])
    ]
    quiz.save()
    return quiz


def _publish(page):
    page.save_revision().publish()


def _create_course(data, *, catalogue):
    topic, _ = Topic.objects.get_or_create(
        name=data["topic"], defaults={"slug": slugify(data["topic"])}
    )
    course = CoursePage(
        title=data["title"],
        slug=data["slug"],
        topic=topic,
        level=data["level"],
        summary=data["summary"],
        estimated_minutes=data.get("estimated_minutes") or 1,
        last_reviewed=data.get("last_reviewed") or datetime.date.today(),
        change_notes=data.get("change_notes", ""),
    )
    course.learning_outcomes = [
        CourseLearningOutcome(text=text, sort_order=n)
        for n, text in enumerate(data.get("learning_outcomes", []))
    ]
    catalogue.add_child(instance=course)
    _publish(course)
    quizzes = 0
    for m, module_data in enumerate(data["modules"], start=1):
        module = ModulePage(
            title=module_data["title"],
            slug=module_data.get("slug") or f"module-{m}",
            summary=module_data.get("summary", ""),
        )
        course.add_child(instance=module)
        _publish(module)
        for lesson_data in module_data["lessons"]:
            body = [
                {"type": kind, "value": value}
                for kind, value in (
                    _block(block, course_title=data["title"]) for block in lesson_data["body"]
                )
            ]
            quiz = None
            if lesson_data.get("quiz"):
                quiz = _quiz(
                    lesson_data["quiz"], lesson_title=lesson_data["title"], tags=[data["slug"]]
                )
                quizzes += 1
            lesson = LessonPage(
                title=lesson_data["title"],
                slug=lesson_data["slug"],
                summary=lesson_data.get("summary", ""),
                estimated_minutes=lesson_data.get("estimated_minutes") or 1,
                body=body,
                quiz=quiz,
            )
            module.add_child(instance=lesson)
            _publish(lesson)
    return course, quizzes


def catalogue_load(*, directory: Path = CATALOGUE_DIR) -> LoadReport:
    """Create the courses in `directory` that are not in the catalogue yet."""
    files = sorted(directory.glob("*.yaml"))
    courses = [read_course_file(path) for path in files]  # check every file first
    catalogue = CourseIndexPage.objects.get()
    report = LoadReport()
    with transaction.atomic():
        existing = set(CoursePage.objects.child_of(catalogue).values_list("slug", flat=True))
        for data in courses:
            if data["slug"] in existing:
                report.unchanged.append(data["slug"])
                continue
            _, quizzes = _create_course(data, catalogue=catalogue)
            report.created.append(data["slug"])
            report.quizzes += quizzes
        by_slug = {page.slug: page for page in CoursePage.objects.child_of(catalogue)}
        for data in courses:
            if data["slug"] not in report.created:
                continue
            wanted = data.get("prerequisites") or []
            unknown = [slug for slug in wanted if slug not in by_slug]
            if unknown:
                raise CatalogueError(f"{data['slug']}: unknown prerequisites {unknown}")
            if wanted:
                course = by_slug[data["slug"]]
                course.prerequisites.set([by_slug[slug] for slug in wanted])
                _publish(course)
    return report
