"""Fingerprints of the catalogue's content, the same whether read from a file or the database.

Every item the loader writes has a kind and a key:

    course    <course slug>
    module    <course slug>/<module slug>
    lesson    <course slug>/<lesson slug>
    quiz      <course slug>/<lesson slug>        (the lesson's quiz)
    question  <question key>
    template  <course slug>/<lesson slug>/<n>    (the lesson's n-th template document)

and a *state*: the plain data of just the fields the loader writes, with
database ids left out (block ids, the document a template block points to,
option ids). The digest is a hash of the state. `file_items` computes states
from a course file and `*_state` from the database; an item whose database
digest is one the loader wrote (CatalogueRecord) or one of a released version
of the files (HISTORY_FILE, for databases made before the records existed)
still holds the loader's text.

Change a state's shape only with care: the same content must keep the same
digest, or every item loaded before looks edited (and is then left alone,
never overwritten). A new field must be left out of the state when empty.
"""

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from courses import catalogue_format as fmt

SCHEME = 1
HISTORY_FILE = Path(__file__).resolve().parent / "catalogue_digests.json"
CATALOGUE_PATH = "courses/catalogue"


@dataclass(frozen=True)
class FileItem:
    kind: str
    key: str
    state: dict

    @property
    def digest(self):
        return digest(self.state)


def digest(state) -> str:
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# The same shape from both sides ----------------------------------------------


def _money(value) -> str:
    return f"{value:.2f}"


def _plain(value):
    """StreamField data without what the database adds: block ids, and ListBlock's
    {"type": "item", "value": ...} wrappers."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if value.get("type") == "item" and set(value) <= {"type", "value", "id"}:
            return _plain(value["value"])
        return {key: _plain(item) for key, item in value.items() if key != "id"}
    return value


def body_state(body) -> list:
    """A lesson body (StreamField data or a StreamValue) in plain form, the documents of
    template blocks left out (they are items of their own)."""
    from courses.models import LessonPage

    block = LessonPage._meta.get_field("body").stream_block
    value = block.to_python(body) if isinstance(body, list) else body
    list(value)  # every child as a block value, so all are written out the same way
    plain = _plain(block.get_prep_value(value))
    for child in plain:
        if child["type"] == "template":
            child["value"]["document"] = None
    return plain


def _course_state(fields, *, topic, outcomes, prerequisites):
    return {
        "title": fields["title"],
        "topic": topic,
        "level": fields["level"],
        "summary": fields["summary"],
        "estimated_minutes": fields["estimated_minutes"],
        "last_reviewed": fields["last_reviewed"].isoformat(),
        "change_notes": fields["change_notes"],
        "learning_outcomes": list(outcomes),
        "prerequisites": sorted(prerequisites),
    }


def _lesson_state(fields, *, body, has_quiz):
    return {**fields, "body": body, "quiz": has_quiz}


def _quiz_state(fields, *, questions):
    return {
        "title": fields["title"],
        "instructions": fields["instructions"],
        "pass_mark": _money(fields["pass_mark"]),
        "shuffle_options": fields["shuffle_options"],
        "review": str(fields["review"]),
        "questions": questions,
    }


def question_fields_state(fields):
    return {
        **fields,
        "marks": _money(fields["marks"]),
        "options": [[o["text"], o["correct"], o["feedback"]] for o in fields["options"]],
        "pairs": [[p["left"], p["right"]] for p in fields["pairs"]],
    }


def _template_state(*, title, sha):
    return {"title": title, "sha256": sha}


# From a file ----------------------------------------------------------------


def file_items(data: dict) -> list[FileItem]:
    """Every item one course file describes, with its state."""
    slug = data["slug"]
    items = [
        FileItem(
            "course",
            slug,
            _course_state(
                fmt.course_fields(data),
                topic=data["topic"],
                outcomes=fmt.learning_outcomes(data),
                prerequisites=data.get("prerequisites") or [],
            ),
        )
    ]
    for m, module in enumerate(data["modules"], start=1):
        items.append(
            FileItem("module", f"{slug}/{fmt.module_slug(module, m)}", fmt.module_fields(module))
        )
        for lesson in module["lessons"]:
            key = f"{slug}/{lesson['slug']}"
            items.append(
                FileItem(
                    "lesson",
                    key,
                    _lesson_state(
                        fmt.lesson_fields(lesson),
                        body=body_state(fmt.body_raw(lesson)),
                        has_quiz=bool(lesson.get("quiz")),
                    ),
                )
            )
            for n, block in enumerate(fmt.template_blocks(lesson), start=1):
                document = fmt.template_fields(block, course_title=data["title"])
                items.append(
                    FileItem(
                        "template",
                        f"{key}/{n}",
                        _template_state(
                            title=document["title"], sha=fmt.content_sha(document["content"])
                        ),
                    )
                )
            quiz = lesson.get("quiz")
            if quiz:
                fields = fmt.quiz_fields(quiz, lesson_title=lesson["title"])
                items.append(
                    FileItem(
                        "quiz", key, _quiz_state(fields, questions=fmt.quiz_question_keys(quiz))
                    )
                )
                for question in quiz["questions"]:
                    items.append(
                        FileItem(
                            "question",
                            question["key"],
                            question_fields_state(fmt.question_fields(question)),
                        )
                    )
    return items


# From the database ----------------------------------------------------------


def course_state(course) -> dict:
    return _course_state(
        {
            "title": course.title,
            "summary": course.summary,
            "level": course.level,
            "estimated_minutes": course.estimated_minutes,
            "last_reviewed": course.last_reviewed,
            "change_notes": course.change_notes,
        },
        topic=course.topic.name,
        outcomes=[outcome.text for outcome in course.learning_outcomes.all()],
        prerequisites=[page.slug for page in course.prerequisites.all()],
    )


def module_state(module) -> dict:
    return {"title": module.title, "summary": module.summary}


def lesson_state(lesson) -> dict:
    return _lesson_state(
        {
            "title": lesson.title,
            "summary": lesson.summary,
            "estimated_minutes": lesson.estimated_minutes,
        },
        body=body_state(lesson.body),
        has_quiz=lesson.quiz_id is not None,
    )


def quiz_state(quiz) -> dict:
    questions = []
    for slot in quiz.slots.select_related("question").order_by("sort_order", "pk"):
        key = slot.question.key or f"#{slot.question.pk}"
        questions.append(key if slot.marks is None else [key, _money(slot.marks)])
    fields = {
        "title": quiz.title,
        "instructions": quiz.instructions,
        "pass_mark": quiz.pass_mark,
        "shuffle_options": quiz.shuffle_options,
        "review": quiz.review,
    }
    return _quiz_state(fields, questions=questions)


def question_state(question) -> dict:
    return question_fields_state(
        {
            "kind": question.kind,
            "title": question.title,
            "stem": question.stem,
            "marks": question.marks,
            "general_feedback": question.general_feedback,
            "explanation": question.explanation,
            "options": [
                {"text": o.text, "correct": o.is_correct, "feedback": o.feedback}
                for o in question.options.all()
            ],
            "true_is_correct": question.true_is_correct,
            "feedback_if_true": question.feedback_if_true,
            "feedback_if_false": question.feedback_if_false,
            "accepted": [answer.text for answer in question.accepted_answers.all()],
            "items": [item.text for item in question.ordering_items.all()],
            "pairs": [{"left": p.left, "right": p.right} for p in question.pairs.all()],
        }
    )


def document_bytes(document) -> bytes | None:
    try:
        with document.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError, OSError):
        return None


def template_state(document) -> dict:
    content = document_bytes(document)
    sha = fmt.content_sha(content) if content is not None else "(file missing)"
    return _template_state(title=document.title, sha=sha)


# The history of released files ---------------------------------------------------


def history_load(path: Path = HISTORY_FILE) -> dict[tuple[str, str], set[str]]:
    """(kind, key) → the digests of every released version, from the committed file."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("scheme") != SCHEME:
        return {}  # digests of another shape would never match; say nothing is known
    known = {}
    for name, digests in data["digests"].items():
        kind, key = name.split(" ", 1)
        known[(kind, key)] = set(digests)
    return known


def history_from_courses(versions) -> dict[tuple[str, str], set[str]]:
    """(kind, key) → digests, for an iterable of versions, each a list of course data."""
    known = {}
    for courses in versions:
        for data in courses:
            for item in file_items(data):
                known.setdefault((item.kind, item.key), set()).add(item.digest)
    return known


def _git(repo: Path, *args) -> str:
    # Our own fixed git subcommands on the repository's own commits.
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def release_commits(repo: Path, ref: str = "HEAD") -> list[tuple[str, str]]:
    """(commit, date) of each commit on `ref`'s first-parent line (main's own commits and
    merges, not the work inside merged branches) that changed the course files, oldest
    first."""
    out = _git(
        repo, "log", "--first-parent", "--reverse", "--format=%H %cs", ref, "--", CATALOGUE_PATH
    )
    return [tuple(line.split(" ", 1)) for line in out.splitlines() if line.strip()]


def catalogue_paths_at(repo: Path, commit: str) -> list[str]:
    """The course files' paths in the repository at `commit`."""
    names = _git(repo, "ls-tree", "--name-only", f"{commit}:{CATALOGUE_PATH}").split()
    return [f"{CATALOGUE_PATH}/{name}" for name in sorted(names) if name.endswith(".yaml")]


def courses_at(repo: Path, commit: str) -> list[dict]:
    return [
        fmt.read_course_text(f"{path} at {commit[:7]}", _git(repo, "show", f"{commit}:{path}"))
        for path in catalogue_paths_at(repo, commit)
    ]


def history_build(repo: Path, commits: list[tuple[str, str]]) -> dict:
    """The history file's content for these release commits."""
    known = history_from_courses(courses_at(repo, commit) for commit, _ in commits)
    return {
        "scheme": SCHEME,
        "about": (
            "Digests of every item of each released version of courses/catalogue/*.yaml, "
            "so the loader can update sites loaded before it kept its own records. "
            "Made by `python manage.py catalogue_digests`; see docs/catalogue-format.md."
        ),
        "releases": [{"commit": commit, "date": date} for commit, date in commits],
        "digests": {
            f"{kind} {key}": sorted(digests) for (kind, key), digests in sorted(known.items())
        },
    }


def history_text(content: dict) -> str:
    """The history file: the header as indented JSON, then one line per item (small diffs)."""
    head = json.dumps({k: v for k, v in content.items() if k != "digests"}, indent=1)
    items = ",\n".join(
        f"  {json.dumps(name)}: {json.dumps(value)}" for name, value in content["digests"].items()
    )
    return head[:-2] + ',\n "digests": {\n' + items + "\n }\n}\n"
