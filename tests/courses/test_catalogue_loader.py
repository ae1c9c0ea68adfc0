"""The starter catalogue: files are sound, load whole, and load once."""

import re
import textwrap

import pytest
import yaml
from wagtail.documents.models import Document
from wagtail.models import Page

from assessments.models import Question, Quiz
from courses.catalogue import CATALOGUE_DIR, CatalogueError, catalogue_load, read_course_file
from courses.models import Certificate, CoursePage, LessonPage, ModulePage
from courses.services import enrolment_start, lesson_complete
from tests.factories.assessments import pass_quiz

FILES = sorted(CATALOGUE_DIR.glob("*.yaml"))
TOPICS = {"Algorithms & AI at work", "Data rights", "Procurement & contracts"}
LEVELS = ["introductory", "intermediate", "advanced"]


def words(value):
    if isinstance(value, str):
        return len(re.sub(r"<[^>]+>", " ", value).split())
    if isinstance(value, list):
        return sum(words(item) for item in value)
    if isinstance(value, dict):
        return sum(words(item) for key, item in value.items() if key not in {"type", "url"})
    return 0


def test_nine_courses_three_topics_three_levels():
    courses = [read_course_file(path) for path in FILES]
    assert len(courses) == 9
    grid = {(c["topic"], c["level"]) for c in courses}
    assert grid == {(topic, level) for topic in TOPICS for level in LEVELS}
    for course in courses:
        assert course["slug"] == FILES[courses.index(course)].stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_course_file_is_complete_and_consistent(path):
    course = read_course_file(path)
    assert 2 <= len(course["modules"]) <= 4
    lesson_minutes = 0
    for module in course["modules"]:
        assert 2 <= len(module["lessons"]) <= 4, module["title"]
        quiz_questions = 0
        for lesson in module["lessons"]:
            lesson_words = words(lesson["body"])
            assert 300 <= lesson_words <= 800, (lesson["slug"], lesson_words)
            quiz = lesson.get("quiz")
            questions = len(quiz["questions"]) if quiz else 0
            quiz_questions += questions
            # Reading at 100–200 words a minute, plus up to a minute a question.
            low = lesson_words / 200
            high = lesson_words / 100 + questions + 1
            assert low <= lesson["estimated_minutes"] <= high, lesson["slug"]
            lesson_minutes += lesson["estimated_minutes"]
            assert any(block["type"] == "sources" for block in lesson["body"]), lesson["slug"]
            # Headings in a lesson follow its <h1>: a subheading starts at <h2>.
            headings = re.findall(
                r"<h([23])",
                " ".join(b.get("text", "") for b in lesson["body"] if b["type"] == "text"),
            )
            assert not headings or headings[0] == "2", lesson["slug"]
        assert quiz_questions >= 6, module["title"]
    assert course["estimated_minutes"] == lesson_minutes
    assert any(
        block["type"] == "case_study"
        for module in course["modules"]
        for lesson in module["lessons"]
        for block in lesson["body"]
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_quiz_question_has_an_answer_and_feedback(path):
    course = read_course_file(path)
    for module in course["modules"]:
        for lesson in module["lessons"]:
            for question in (lesson.get("quiz") or {}).get("questions", []):
                key = question["key"]
                assert question["stem"] and question["general_feedback"], key
                assert question["explanation"], key
                kind = question["type"]
                if kind in {"single", "multiple"}:
                    correct = [o for o in question["options"] if o.get("correct")]
                    assert (len(correct) == 1) if kind == "single" else (len(correct) >= 2), key
                    assert all(o.get("feedback") for o in question["options"]), key
                elif kind == "true_false":
                    assert isinstance(question["answer"], bool), key
                elif kind == "short_text":
                    assert question["accepted"], key
                elif kind == "ordering":
                    assert len(question["items"]) >= 3, key
                elif kind == "matching":
                    assert len(question["pairs"]) >= 3, key
                else:
                    pytest.fail(f"{key}: unknown type {kind}")


def test_question_keys_are_unique_across_the_catalogue():
    keys = [
        question["key"]
        for path in FILES
        for module in read_course_file(path)["modules"]
        for lesson in module["lessons"]
        for question in (lesson.get("quiz") or {}).get("questions", [])
    ]
    assert len(keys) == len(set(keys))


def test_advanced_courses_end_with_a_bargaining_template():
    for path in FILES:
        course = read_course_file(path)
        if course["level"] != "advanced":
            continue
        last_lesson = course["modules"][-1]["lessons"][-1]
        assert any(block["type"] == "template" for block in last_lesson["body"]), path.stem


@pytest.mark.django_db
def test_loading_creates_every_page_once_and_a_rep_can_complete_a_course(rep):
    report = catalogue_load()
    assert len(report.created) == 9
    pages_after_first_load = Page.objects.count()
    documents = Document.objects.count()
    assert documents >= 4

    again = catalogue_load()
    assert again.created == []
    assert len(again.unchanged) == 9
    assert Page.objects.count() == pages_after_first_load
    assert Document.objects.count() == documents

    for path in FILES:
        data = read_course_file(path)
        course = CoursePage.objects.get(slug=data["slug"])
        assert course.live
        assert ModulePage.objects.child_of(course).live().count() == len(data["modules"])
        assert LessonPage.objects.descendant_of(course).live().count() == sum(
            len(module["lessons"]) for module in data["modules"]
        )
        prerequisites = set(course.prerequisites.values_list("slug", flat=True))
        assert prerequisites == set(data.get("prerequisites") or [])

    assert Quiz.objects.count() == sum(
        1
        for path in FILES
        for module in read_course_file(path)["modules"]
        for lesson in module["lessons"]
        if lesson.get("quiz")
    )
    questions = Question.objects.count()
    catalogue_load()
    assert Question.objects.count() == questions

    # A rep who does everything in the order the files give completes every
    # course (prerequisites first) and gets a certificate for each.
    for path in sorted(FILES, key=lambda p: LEVELS.index(read_course_file(p)["level"])):
        course = CoursePage.objects.get(slug=path.stem)
        enrolment_start(user=rep, course=course)
        results = []
        for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
            if lesson.quiz_id:
                assert pass_quiz(user=rep, quiz=lesson.quiz).passed, lesson.title
            results.append(lesson_complete(user=rep, lesson=lesson))
        assert results[-1].course_completed, path.stem
    assert Certificate.objects.filter(user=rep).count() == 9


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINIMAL = """
slug: tiny-course
title: A tiny course
topic: Data rights
level: introductory
summary: Small.
learning_outcomes: [Say hello]
estimated_minutes: 2
prerequisites: []
last_reviewed: 2026-12-04
change_notes:
  - date: 2026-12-04
    changes:
      - "Checked: still right."
  - date: 2026-11-25
    changes:
      - First version.
modules:
  - title: Only module
    lessons:
      - title: Only lesson
        slug: only-lesson
        estimated_minutes: 2
        body:
          - type: text
            text: >-
              <p>Hello <strong>reps</strong><script>alert(1)</script>
              <a href="javascript:x()">bad</a></p>
"""


@pytest.mark.django_db
def test_loader_sanitises_rich_text(tmp_path):
    write(tmp_path, "tiny-course.yaml", MINIMAL)
    catalogue_load(directory=tmp_path)
    lesson = LessonPage.objects.get(slug="only-lesson")
    html = str(lesson.body[0].value.source)
    assert "<b>reps</b>" in html
    assert "<script" not in html and "javascript:" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slug: [unclosed", "not valid YAML"),
        (MINIMAL.replace("type: text", "type: raw_html"), "unknown type 'raw_html'"),
        (MINIMAL.replace("level: introductory", "level: expert"), "level must be one of"),
        (MINIMAL.replace("- title: Only lesson\n        slug", "- slug"), "missing title"),
        (
            MINIMAL.replace("prerequisites: []", "prerequisites: [no-such-course]"),
            "unknown prerequisites",
        ),
        (MINIMAL.replace("last_reviewed: 2026-12-04\n", ""), "missing last_reviewed"),
        (
            MINIMAL.replace("last_reviewed: 2026-12-04", "last_reviewed: 4 December 2026"),
            "last_reviewed: '4 December 2026' is not a date written like 2026-12-04",
        ),
        (
            MINIMAL.replace("last_reviewed: 2026-12-04", "last_reviewed: 2026-12-05"),
            r"newest entry \(2026-12-04\) must have the last_reviewed date \(2026-12-05\)",
        ),
        (
            MINIMAL.replace("  - date: 2026-11-25", "  - date: 2026-12-24"),
            "entry 2: 2026-12-24 is newer than the entry before it",
        ),
        (
            MINIMAL.replace("  - date: 2026-11-25", "  - date: 2026-11-31"),
            r"not valid YAML \(day is out of range for month\)",
        ),
        (
            MINIMAL.replace("      - First version.", "      - ''"),
            "entry 2: each change is one line of text",
        ),
        (
            MINIMAL.replace('      - "Checked: still right."', "      - Checked: still right."),
            "entry 1: each change is one line of text, got {'Checked': 'still right.'}",
        ),
        (
            MINIMAL.replace(
                "    changes:\n      - First version.", "    changed: [First version.]"
            ),
            "entry 2: unknown field changed",
        ),
        (MINIMAL.replace("change_notes:\n", "change_notes: []\nold_notes:\n"), "change_notes"),
        (
            MINIMAL.replace(
                "        estimated_minutes: 2\n",
                "        estimated_minutes: 2\n"
                "        quiz:\n          questions:\n            - key: q1\n"
                "              type: single\n              stem: Which?\n",
            ),
            "q1: missing options",
        ),
        (
            MINIMAL.replace(
                "        estimated_minutes: 2\n",
                "        estimated_minutes: 2\n"
                "        quiz:\n          questions:\n            - key: q1\n"
                "              type: matching\n              stem: Match them.\n"
                "              pairs: [{left: A}]\n",
            ),
            "q1 pairs 1: missing right",
        ),
    ],
)
def test_bad_files_give_a_clear_error_and_write_nothing(tmp_path, text, message):
    write(tmp_path, "tiny-course.yaml", text)
    pages = Page.objects.count()
    with pytest.raises(CatalogueError, match=message):
        catalogue_load(directory=tmp_path)
    assert Page.objects.count() == pages
    assert not CoursePage.objects.filter(slug="tiny-course").exists()


def test_change_notes_become_dated_paragraphs_and_the_old_string_stays_as_it_was(tmp_path):
    from courses.catalogue import read_course_file
    from courses.catalogue_format import change_notes_text

    data = read_course_file(write(tmp_path, "tiny-course.yaml", MINIMAL))
    assert change_notes_text(data["change_notes"]) == (
        "4 December 2026\n- Checked: still right.\n\n25 November 2026\n- First version."
    )
    old = read_course_file(
        write(
            tmp_path,
            "old.yaml",
            MINIMAL.split("change_notes:")[0] + "change_notes: First "
            "version.\nmodules:" + MINIMAL.split("modules:")[1],
        )
    )
    assert change_notes_text(old["change_notes"]) == "First version."


def test_the_change_note_filter_reads_back_what_the_loader_writes():
    from courses.templatetags.courses_tags import change_note_entries

    assert change_note_entries(
        "4 December 2026\n- One.\n- Two: with a colon.\n\n25 November 2026\n- First version."
    ) == [
        {"date": "4 December 2026", "iso": "2026-12-04", "changes": ["One.", "Two: with a colon."]},
        {"date": "25 November 2026", "iso": "2026-11-25", "changes": ["First version."]},
    ]
    # An editor's own words stay paragraphs; a date with no list is just text.
    assert change_note_entries("First version.\r\n\r\n4 December 2026") == [
        {"text": "First version."},
        {"text": "4 December 2026"},
    ]
    assert change_note_entries("") == []


def test_files_are_plain_yaml_without_python_tags():
    for path in FILES:
        assert "!!python" not in path.read_text(encoding="utf-8")
        yaml.safe_load(path.read_text(encoding="utf-8"))
