"""The course file format (docs/catalogue-format.md): reading, checking, and what each part becomes.

Reading a file checks all of it and raises CatalogueError naming the file and
the place of the first problem. The functions below turn the parts of a file
into the field values the loader writes; the loader (courses/catalogue.py)
writes them and the digests (courses/catalogue_digests.py) fingerprint them,
so what is written and what is fingerprinted cannot drift apart. Nothing here
touches the database.
"""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from assessments.models import QuestionKind, ReviewOption
from core.sanitise import sanitise_html
from courses.models import Level

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

# What each block type needs (optional fields are read with defaults).
BLOCK_FIELDS = {
    "text": ("text",),
    "key_point": ("text",),
    "case_study": ("title", "text", "source"),
    "questions": ("items",),
    "checklist": ("title", "items"),
    "definition": ("term", "definition"),
    "quote": ("text", "attribution"),
    "table": ("caption", "headers", "rows"),
    "template": ("title", "description", "filename", "content"),
    "sources": ("items",),
}
BLOCK_TYPES = set(BLOCK_FIELDS)
QUESTION_FIELDS = {
    "single": ("options",),
    "multiple": ("options",),
    "true_false": ("answer",),
    "short_text": ("accepted",),
    "ordering": ("items",),
    "matching": ("pairs",),
}
DEFAULT_INSTRUCTIONS = (
    "Answer every question, then check your answers before you submit. "
    "You can try again if you do not pass."
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class CatalogueError(Exception):
    """A course file that cannot be loaded, with where the problem is."""


# Reading and checking ------------------------------------------------------


def read_course_file(path: Path) -> dict:
    return read_course_text(path.name, path.read_text(encoding="utf-8"))


def read_course_text(name: str, text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{name}: not valid YAML ({exc})") from exc
    except ValueError as exc:  # a date that does not exist, such as 2026-11-31
        raise CatalogueError(f"{name}: not valid YAML ({exc})") from exc
    _check_course(name, data)
    return data


def _require(where, data, *keys):
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: expected a mapping of fields")
    missing = [key for key in keys if key not in data or data[key] in (None, "")]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")


def _list(where, value, what):
    if not isinstance(value, list) or not value:
        raise CatalogueError(f"{where}: {what} must be a list with at least one item")
    return value


def _date(where, value):
    # YAML reads 2026-12-04 as a date; anything else (a typo, quotes) is a string.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise CatalogueError(f"{where}: {value!r} is not a date written like 2026-12-04")
    return value


def _check_course(name, data):
    if not isinstance(data, dict):
        raise CatalogueError(f"{name}: expected a course mapping at the top")
    _require(name, data, "slug", "title", "topic", "level", "summary", "modules", "last_reviewed")
    if data["level"] not in Level.values:
        raise CatalogueError(f"{name}: level must be one of {', '.join(Level.values)}")
    _date(f"{name} last_reviewed", data["last_reviewed"])
    _check_change_notes(name, data)
    if not isinstance(data["modules"], list) or not data["modules"]:
        raise CatalogueError(f"{name}: a course needs at least one module")
    module_slugs, lesson_slugs = set(), set()
    for m, module in enumerate(data["modules"], start=1):
        where = f"{name} module {m}"
        _require(where, module, "title", "lessons")
        slug = module_slug(module, m)
        if slug in module_slugs:
            raise CatalogueError(f"{where}: slug {slug!r} is used by another module")
        module_slugs.add(slug)
        for n, lesson in enumerate(_list(where, module["lessons"], "lessons"), start=1):
            lesson_where = f"{where} lesson {n}"
            _require(lesson_where, lesson, "title", "slug", "body")
            if lesson["slug"] in lesson_slugs:
                raise CatalogueError(
                    f"{lesson_where}: slug {lesson['slug']!r} is used by another lesson"
                )
            lesson_slugs.add(lesson["slug"])
            for b, block in enumerate(_list(lesson_where, lesson["body"], "body"), start=1):
                block_where = f"{lesson_where} block {b}"
                if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
                    kind = block.get("type") if isinstance(block, dict) else block
                    raise CatalogueError(f"{block_where}: unknown type {kind!r}")
                _require(f"{block_where} ({block['type']})", block, *BLOCK_FIELDS[block["type"]])
            if lesson.get("quiz"):
                _check_quiz(f"{lesson_where} quiz", lesson["quiz"])


def _check_quiz(where, quiz):
    _require(where, quiz, "questions")
    try:
        Decimal(str(quiz.get("pass_mark", 70)))
    except InvalidOperation as exc:
        raise CatalogueError(f"{where}: pass_mark must be a number") from exc
    for q, question in enumerate(_list(where, quiz["questions"], "questions"), start=1):
        question_where = f"{where} question {q}"
        _require(question_where, question, "key", "type", "stem")
        kind = question["type"]
        if kind not in QuestionKind.values:
            raise CatalogueError(f"{question['key']}: unknown question type {kind!r}")
        needed = QUESTION_FIELDS[kind]
        if kind == "true_false":
            if not isinstance(question.get("answer"), bool):
                raise CatalogueError(f"{question['key']}: answer must be true or false")
        else:
            _require(question["key"], question, *needed)
            values = _list(question["key"], question[needed[0]], needed[0])
            fields = {"options": ("text",), "pairs": ("left", "right")}.get(needed[0])
            for v, value in enumerate(values, start=1):
                if fields:
                    _require(f"{question['key']} {needed[0]} {v}", value, *fields)
                elif not isinstance(value, (str, int, float)):
                    raise CatalogueError(f"{question['key']} {needed[0]} {v}: expected text")


def _check_change_notes(name, data):
    """`change_notes`: the old single string, or dated entries newest first (the first
    entry's date is `last_reviewed`), each a list of one-line changes."""
    notes = data.get("change_notes")
    if notes is None or isinstance(notes, str):
        return
    where = f"{name} change_notes"
    if not isinstance(notes, list) or not notes:
        raise CatalogueError(
            f"{where}: expected a list of entries, each with a date and its changes "
            "(or a single line of text)"
        )
    previous = None
    for n, entry in enumerate(notes, start=1):
        entry_where = f"{where} entry {n}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{entry_where}: expected a date and its changes")
        unknown = sorted(set(entry) - {"date", "changes"})
        if unknown:
            raise CatalogueError(f"{entry_where}: unknown field {', '.join(unknown)}")
        _require(entry_where, entry, "date", "changes")
        date = _date(f"{entry_where} date", entry["date"])
        changes = entry["changes"]
        if not isinstance(changes, list) or not changes:
            raise CatalogueError(f"{entry_where}: changes must be a list of lines")
        for line in changes:
            if not isinstance(line, str) or not line.strip():
                raise CatalogueError(
                    f"{entry_where}: each change is one line of text, got {line!r} "
                    "(put a line that contains ': ' in quotes)"
                )
        if previous is not None and date > previous:
            raise CatalogueError(
                f"{entry_where}: {date.isoformat()} is newer than the entry before it "
                "(newest first)"
            )
        previous = date
    if notes[0]["date"] != data["last_reviewed"]:
        raise CatalogueError(
            f"{where}: the newest entry ({notes[0]['date'].isoformat()}) must have the "
            f"last_reviewed date ({data['last_reviewed'].isoformat()})"
        )


# What the parts become ----------------------------------------------------


def long_date(date: datetime.date) -> str:
    """4 December 2026, whatever the locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def change_notes_text(notes) -> str:
    """The change notes as CoursePage.change_notes holds them.

    The old single string is kept as it is. Dated entries become a paragraph
    each: the date on its own line, then "- " and one change a line (a change
    written over several lines is joined into one).
    """
    if notes is None:
        return ""
    if isinstance(notes, str):
        return notes
    return "\n\n".join(
        "\n".join(
            [long_date(entry["date"])]
            + [f"- {' '.join(line.split())}" for line in entry["changes"]]
        )
        for entry in notes
    )


def module_slug(module: dict, position: int) -> str:
    return module.get("slug") or f"module-{position}"


def course_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data["summary"],
        "level": data["level"],
        "estimated_minutes": data.get("estimated_minutes") or 1,
        "last_reviewed": data["last_reviewed"],
        "change_notes": change_notes_text(data.get("change_notes")),
    }


def learning_outcomes(data: dict) -> list[str]:
    return [str(text) for text in data.get("learning_outcomes") or []]


def module_fields(module: dict) -> dict:
    return {"title": module["title"], "summary": module.get("summary", "")}


def lesson_fields(lesson: dict) -> dict:
    return {
        "title": lesson["title"],
        "summary": lesson.get("summary", ""),
        "estimated_minutes": lesson.get("estimated_minutes") or 1,
    }


def template_blocks(lesson: dict) -> list[dict]:
    return [block for block in lesson["body"] if block["type"] == "template"]


def template_fields(block: dict, *, course_title: str) -> dict:
    """The document a template block downloads: its title, file name and bytes."""
    return {
        "title": f"{block['title']} ({course_title})",
        "filename": block["filename"],
        "content": str(block["content"]).encode("utf-8"),
    }


def content_sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def body_raw(lesson: dict, *, documents=None) -> list[dict]:
    """The lesson body as StreamField data. `documents`: the document pk for each
    template block in order (None: leave the document out, for digests)."""
    documents = list(documents or [])
    body = []
    templates = 0
    for block in lesson["body"]:
        document = None
        if block["type"] == "template":
            document = documents[templates] if templates < len(documents) else None
            templates += 1
        kind, value = _block(block, document=document)
        body.append({"type": kind, "value": value})
    return body


def _block(block, *, document):
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
            "document": document,
        }
    if kind == "sources":
        return "sources", {
            "items": [
                {"label": item["label"], "url": item.get("url") or ""} for item in block["items"]
            ]
        }
    raise CatalogueError(f"unknown block type {kind!r}")  # pragma: no cover - checked above


def question_fields(data: dict) -> dict:
    """The keyword arguments of assessments.services.question_create for a file question
    (key and tags apart), with the same cuts to length the bank's fields make."""
    kind = data["type"]
    return {
        "kind": kind,
        "title": (data.get("title") or data["stem"][:120])[:200],
        "stem": data["stem"],
        "marks": Decimal(str(data.get("marks", 1))),
        "general_feedback": data.get("general_feedback", ""),
        "explanation": data.get("explanation", ""),
        "options": [
            {
                "text": option["text"][:500],
                "correct": bool(option.get("correct")),
                "feedback": option.get("feedback", ""),
            }
            for option in (data.get("options", []) if kind in ("single", "multiple") else [])
        ],
        "true_is_correct": bool(data["answer"]) if kind == "true_false" else None,
        "feedback_if_true": data.get("feedback_true", ""),
        "feedback_if_false": data.get("feedback_false", ""),
        "accepted": [str(text)[:200] for text in data.get("accepted", [])],
        "items": [str(text)[:300] for text in data.get("items", [])],
        "pairs": [
            {"left": pair["left"][:300], "right": pair["right"][:300]}
            for pair in data.get("pairs", [])
        ],
    }


def quiz_fields(data: dict, *, lesson_title: str) -> dict:
    return {
        "title": data.get("title") or f"Quiz: {lesson_title}",
        "instructions": data.get("instructions", DEFAULT_INSTRUCTIONS),
        "pass_mark": Decimal(str(data.get("pass_mark", 70))),
        "shuffle_options": True,
        "review": ReviewOption.AFTER_EACH,
    }


def quiz_question_keys(data: dict) -> list[str]:
    return [question["key"] for question in data["questions"]]
