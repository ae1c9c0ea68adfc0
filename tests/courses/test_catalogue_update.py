"""Loading a changed catalogue into a site that is already running (issue #13, item 8).

tests/courses/catalogue_versions/old holds a small catalogue as a site first loaded
it; new/ is the same catalogue corrected (its change notes say what changed). A
learner makes progress and takes quizzes on the old one, an educator edits a
lesson, then the new files are loaded.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Page, Revision

from assessments.models import Attempt, AttemptQuestion, Question, Quiz
from assessments.selectors import quiz_item_analysis
from assessments.services import attempt_start, attempt_submit
from courses import catalogue_digests as digests
from courses.catalogue import CATALOGUE_DIR, CatalogueError, catalogue_load, read_course_file
from courses.catalogue_records import CatalogueRecord
from courses.models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage
from courses.services import enrolment_start, lesson_complete
from tests.factories.assessments import full_marks, pass_quiz

VERSIONS = Path(__file__).parent / "catalogue_versions"
OLD, NEW = VERSIONS / "old", VERSIONS / "new"
REPO = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "6367f43"


def old_history():
    """What the committed history file would hold had the old fixture files been released."""
    return digests.history_from_courses([[read_course_file(p) for p in sorted(OLD.glob("*.yaml"))]])


def lesson(slug):
    return LessonPage.objects.get(slug=slug)


def text_of(page):
    return " ".join(str(child.value) for child in page.body)


def learner_records():
    """Everything a learner did, exactly as stored."""
    return {
        "enrolments": list(Enrolment.objects.order_by("pk").values()),
        "completions": list(LessonCompletion.objects.order_by("pk").values()),
        "certificates": list(Certificate.objects.order_by("pk").values()),
        "attempts": list(Attempt.objects.order_by("pk").values()),
        "attempt_questions": list(AttemptQuestion.objects.order_by("pk").values()),
    }


def learn(user):
    """The learner finishes the whole basics course (certificate) and starts one more
    attempt at the second quiz, which they leave in progress."""
    course = CoursePage.objects.get(slug="fixture-basics")
    enrolment_start(user=user, course=course)
    for page in LessonPage.objects.live().descendant_of(course).order_by("path"):
        attempt = pass_quiz(user=user, quiz=page.quiz) if page.quiz_id else None
        lesson_complete(user=user, lesson=page, attempt=attempt)
    assert Certificate.objects.filter(user=user).count() == 1
    quiz = lesson("asking-for-a-copy").quiz
    wrong = attempt_start(user=user, quiz=quiz)
    answers = full_marks(wrong)
    chosen = {}
    for row in wrong.questions.all():
        if row.snapshot["kind"] == "single":
            wrong_option = next(o for o in row.snapshot["options"] if o["text"] == "Article 99")
            answers[row.position] = chosen = {"option": wrong_option["id"]}
    attempt_submit(attempt=wrong, version=wrong.version, responses=answers)
    attempt_start(user=user, quiz=lesson("a-letter-to-send").quiz)  # left in progress
    return chosen


def educator_edits(page, *, educator, reviewer, text):
    """An educator changes a lesson in the admin and a reviewer publishes it."""
    page = page.specific
    body = list(page.body.raw_data)
    body[0] = {**body[0], "value": text}
    page.body = body
    revision = page.save_revision(user=educator, log_action=True)
    revision.publish(user=reviewer)
    return LessonPage.objects.get(pk=page.pk)


@pytest.fixture
def old_site(db, rep, educator, reviewer):
    report = catalogue_load(directory=OLD, history={})
    assert sorted(report.created) == ["fixture-basics", "fixture-next"]
    chosen = learn(rep)
    edited = educator_edits(
        lesson("a-letter-to-send"),
        educator=educator,
        reviewer=reviewer,
        text="<p>Ed's own introduction to the letter.</p>",
    )
    return {"edited": edited, "chosen": chosen}


def titles(items, kind=None):
    return sorted(item.key for item in items if kind is None or item.kind == kind)


@pytest.mark.django_db
def test_untouched_items_get_the_new_text_and_edited_ones_are_left_and_listed(old_site):
    before = learner_records()
    first = lesson("what-personal-data-is")
    revisions_before = Revision.objects.filter(object_id=str(first.pk)).count()
    q1 = Question.objects.get(key="fx-basics-q1")
    kept_option_ids = {o.text: o.pk for o in q1.options.all() if o.text != "Article 99"}
    letter = Document.objects.get(title__startswith="Subject access request letter")
    letter_file = letter.file.name

    report = catalogue_load(directory=NEW, history={})

    assert report.created == []
    assert report.unchanged == ["fixture-next"]
    assert titles(report.updated) == [
        "fixture-basics",
        "fixture-basics/a-letter-to-send",  # the quiz: one question fewer
        "fixture-basics/a-letter-to-send/1",  # the template document
        "fixture-basics/asking-for-a-copy",  # the quiz: a new question
        "fixture-basics/asking-for-a-copy",  # the lesson
        "fixture-basics/what-personal-data-is",
        "fx-basics-q1",
        "fx-basics-q3",
    ]
    assert titles(report.updated, "lesson") == [
        "fixture-basics/asking-for-a-copy",  # after a new lesson was put before it
        "fixture-basics/what-personal-data-is",
    ]
    assert Page.find_problems() == ([], [], [], [], [])  # the page tree is sound
    assert titles(report.added) == [
        "fixture-basics/complaining",
        "fixture-basics/module-3",
        "fixture-basics/special-category-data",
        "fx-basics-q5",
    ]
    # The educator's lesson is left alone, listed with who edited it and where.
    [edited] = report.edited
    assert (edited.kind, edited.key) == ("lesson", "fixture-basics/a-letter-to-send")
    assert edited.url == f"/admin/pages/{old_site['edited'].pk}/edit/"
    assert "Ed Educator" in edited.reason
    still = lesson("a-letter-to-send")
    assert still.latest_revision_id == old_site["edited"].latest_revision_id
    assert "Ed's own introduction" in text_of(still) and "Keep a copy" not in text_of(still)

    # An untouched lesson has a new live revision, made by the loader (no user).
    first = lesson("what-personal-data-is")
    assert "directly or from other details" in text_of(first)
    assert first.live and not first.has_unpublished_changes
    assert Revision.objects.filter(object_id=str(first.pk)).count() == revisions_before + 1
    assert first.live_revision.user is None

    # The course page: change notes in their readable form, the new review date.
    course = CoursePage.objects.get(slug="fixture-basics")
    assert str(course.last_reviewed) == "2026-12-04"
    assert course.change_notes.startswith(
        "4 December 2026\n- The definition of personal data now says what "
        '"identified" means.\n- New lesson: special category data.\n'
    )
    assert course.change_notes.endswith("\n\n25 November 2026\n- First version.")
    assert [o.text for o in course.learning_outcomes.all()][1] == (
        "Ask for a copy of it, free of charge"
    )
    assert list(course.prerequisites.all()) == []

    # New pages sit where the file puts them.
    order = [p.slug for p in LessonPage.objects.live().descendant_of(course).order_by("path")]
    assert order == [
        "what-personal-data-is",
        "special-category-data",
        "asking-for-a-copy",
        "a-letter-to-send",
        "complaining",
    ]
    # Quizzes gain and lose slots; the question kept in place keeps its option ids.
    quiz = lesson("asking-for-a-copy").quiz
    assert [s.question.key for s in quiz.slots.order_by("sort_order")] == [
        "fx-basics-q1",
        "fx-basics-q5",
        "fx-basics-q2",
    ]
    letter_quiz = still.quiz
    assert [s.question.key for s in letter_quiz.slots.all()] == ["fx-basics-q3"]
    assert Question.objects.filter(key="fx-basics-q4").exists()  # still in the bank
    q1.refresh_from_db()
    options = {o.text: o.pk for o in q1.options.all()}
    assert set(options) == {"Article 15", "Article 17", "Article 5"}
    assert {text: options[text] for text in kept_option_ids} == kept_option_ids
    # The template document has the new text under the same document and file name.
    letter.refresh_from_db()
    assert letter.file.name == letter_file
    with letter.file.open("rb") as handle:
        assert b"Signed:" in handle.read()

    # Learners' records are exactly as they were, snapshots and all.
    assert learner_records() == before
    # Item analysis still names the option a learner chose, though it is gone now.
    analysis = quiz_item_analysis(quiz=quiz)
    q1_row = next(row for row in analysis["questions"] if row["question"] == q1)
    assert ("Article 99", 1) in q1_row["choices"]

    # Loading again changes nothing.
    pages, revisions = Page.objects.count(), Revision.objects.count()
    records = CatalogueRecord.objects.count()
    again = catalogue_load(directory=NEW, history={})
    assert again.updated == [] and again.added == [] and again.created == []
    assert sorted(again.unchanged) == ["fixture-basics", "fixture-next"]  # nothing written
    assert titles(again.edited) == ["fixture-basics/a-letter-to-send"]
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert CatalogueRecord.objects.count() == records
    assert learner_records() == before


@pytest.mark.django_db
def test_a_database_loaded_before_the_records_is_updated_from_the_history(old_site):
    """A site loaded by the loader before it kept records: only the history of released
    files can tell the loader's text from an educator's."""
    CatalogueRecord.objects.all().delete()
    blind = catalogue_load(directory=NEW, history={})
    # Without the history nothing can be proved, so nothing is overwritten.
    assert blind.updated == []
    assert "fixture-basics/what-personal-data-is" in titles(blind.edited)
    assert "directly or" not in text_of(lesson("what-personal-data-is"))

    CatalogueRecord.objects.all().delete()
    report = catalogue_load(directory=NEW, history=old_history())
    assert "fixture-basics/what-personal-data-is" in titles(report.updated, "lesson")
    assert titles(report.edited) == ["fixture-basics/a-letter-to-send"]
    assert "directly or from other details" in text_of(lesson("what-personal-data-is"))


@pytest.mark.django_db
def test_edits_outside_pages_and_drafts_are_left_alone_too(old_site, educator):
    # A question changed in the question bank (no revisions there: the digest is the proof).
    q1 = Question.objects.get(key="fx-basics-q1")
    q1.stem = "Which article of the UK GDPR gives you the right of access?"
    q1.save()
    # A lesson with a draft an educator has not published yet.
    first = lesson("what-personal-data-is")
    first.summary = "A draft summary."
    first.save_revision(user=educator)
    report = catalogue_load(directory=NEW, history={})
    reasons = {item.key: item.reason for item in report.edited}
    assert reasons["fx-basics-q1"] == "changed since the loader wrote it"
    assert (
        reasons["fixture-basics/what-personal-data-is"] == "has a draft that is not published yet"
    )
    q1.refresh_from_db()
    assert q1.stem.startswith("Which article of the UK GDPR")
    assert "directly or" not in text_of(lesson("what-personal-data-is"))
    # The question stays as the educator left it; the quiz around it is still updated.
    quiz = lesson("asking-for-a-copy").quiz
    assert quiz.slots.count() == 3


def copy_new(tmp_path):
    target = tmp_path / "catalogue"
    shutil.copytree(NEW, target)
    return target


def everything():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Question.objects.count(),
        Quiz.objects.count(),
        CatalogueRecord.objects.count(),
        Document.objects.count(),
        sorted(Question.objects.values_list("stem", flat=True)),
    )


def _notes_out_of_order(text):
    return text.replace("- date: 2026-11-25", "- date: 2026-12-25", 1)


def _unknown_question_type(text):
    return text.replace("type: multiple", "type: essay", 1)


def _block_too_long_in_an_updated_lesson(text):
    # A checklist title is limited to 200 characters by the lesson's block.
    return text.replace("title: Before you ask", "title: " + "Long " * 60, 1)


def _block_too_long_in_a_new_lesson(text):
    # Written after the template document was replaced: its new file goes again.
    return text.replace(
        "label: Data Protection Act 2018, section 164A", "label: " + "Long " * 70, 1
    )


def media_files():
    from django.conf import settings

    return sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_notes_out_of_order, "entry 2: 2026-12-25 is newer than the entry before it"),
        (_unknown_question_type, "fx-basics-q5: unknown question type 'essay'"),
        (
            _block_too_long_in_an_updated_lesson,
            "fixture-basics/asking-for-a-copy: body block 2 \\(checklist\\) title: Ensure",
        ),
        (
            _block_too_long_in_a_new_lesson,
            "fixture-basics/complaining: body block 2 \\(sources\\) items.1.label: Ensure",
        ),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:],
)
def test_a_bad_new_file_writes_nothing(old_site, tmp_path, edit, message):
    directory = copy_new(tmp_path)
    path = directory / "fixture-basics.yaml"
    text = path.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    before, learners, files = everything(), learner_records(), media_files()
    with pytest.raises(CatalogueError, match=message):
        catalogue_load(directory=directory, history={})
    assert everything() == before
    assert learner_records() == learners
    assert media_files() == files
    assert "directly or" not in text_of(lesson("what-personal-data-is"))
    letter = Document.objects.get(title__startswith="Subject access request letter")
    with letter.file.open("rb") as handle:
        assert b"Signed:" not in handle.read()


@pytest.mark.django_db
def test_the_command_lists_what_it_did(old_site):
    out = _call(NEW)
    assert (
        "  updated    fixture-basics: 1 course page, 2 lesson pages, 2 quizzes, 2 questions" in out
    )
    assert "1 template document" in out
    assert "  added      fixture-basics: 1 module page, 2 lesson pages, 1 question" in out
    assert "  unchanged  fixture-next" in out
    assert "Left alone because they were edited since the loader wrote them:" in out
    edited = old_site["edited"]
    assert (
        "  fixture-basics: lesson page “A letter to send”\n"
        f"      http://testserver/admin/pages/{edited.pk}/edit/ "
        "(changed since the loader wrote it; last saved by Ed Educator on " in out
    )
    assert "Catalogue: 0 courses created with 0 quizzes; 8 items updated, 4 added, 1 left" in out
    assert "1 item left alone because someone edited it: compare it with its course" in out
    # Asked for more, it names every item it wrote, with where to find it in the admin.
    # (Loading the old files again takes the loader's own text back: it wrote both.)
    back = catalogue_load(directory=OLD, history={})
    assert "fixture-basics/what-personal-data-is" in titles(back.updated)
    assert "fixture-basics/complaining" in titles(back.not_in_files)
    detail = _call(NEW, verbosity=2)
    q1 = Question.objects.get(key="fx-basics-q1")
    assert "question “fx-basics-q1” http://testserver/admin/snippets/" in detail
    assert f"/{q1.pk}/" in detail
    first = lesson("what-personal-data-is")
    assert (
        f"lesson page “What personal data is” http://testserver/admin/pages/{first.pk}/edit/"
        in detail
    )


def _call(directory, **options):
    from io import StringIO

    out = StringIO()
    call_command("load_catalogue", directory=str(directory), stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_a_lesson_removed_from_the_file_is_listed_not_deleted(old_site, tmp_path):
    directory = copy_new(tmp_path)
    path = directory / "fixture-next.yaml"
    data = path.read_text(encoding="utf-8")
    path.write_text(data.replace("slug: requests-for-members", "slug: member-requests"), "utf-8")
    report = catalogue_load(directory=directory, history={})
    assert titles(report.not_in_files) == ["fixture-next/requests-for-members"]
    assert lesson("requests-for-members").live
    assert lesson("member-requests").live


@pytest.mark.django_db
def test_a_page_an_educator_deleted_is_not_made_again(old_site, tmp_path):
    lesson("requests-for-members").delete()
    # The file has nothing new for it: nothing to say.
    quiet = catalogue_load(directory=NEW, history={})
    assert "fixture-next/requests-for-members" not in titles(quiet.edited)
    assert quiet.edited_quietly == 1
    # The file corrects it: the educator is told, and it is still not made again.
    directory = copy_new(tmp_path)
    path = directory / "fixture-next.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("help members write", "help members to write"), "utf-8")
    report = catalogue_load(directory=directory, history={})
    deleted = [item for item in report.edited if item.key == "fixture-next/requests-for-members"]
    assert [item.reason for item in deleted] == ["deleted from the site; not made again"]
    assert not LessonPage.objects.filter(slug="requests-for-members").exists()
    # A lesson new in the file is still made: the loader has never written it.
    assert lesson("special-category-data").live


@pytest.mark.django_db
def test_an_edit_the_file_has_nothing_new_for_is_kept_without_a_word(old_site, educator, reviewer):
    educator_edits(
        lesson("requests-for-members"),
        educator=educator,
        reviewer=reviewer,
        text="<p>Our branch helps members write their own requests.</p>",
    )
    report = catalogue_load(directory=NEW, history={})
    assert titles(report.edited) == ["fixture-basics/a-letter-to-send"]  # the file changed it
    assert report.edited_quietly == 1
    assert "Our branch helps" in text_of(lesson("requests-for-members"))
    assert "1 edited on the site with nothing new for them in the files." in _call(NEW)


@pytest.mark.django_db
def test_the_course_page_shows_the_change_notes_as_dated_lists(old_site):
    catalogue_load(directory=NEW, history={})
    course = CoursePage.objects.get(slug="fixture-basics")
    html = Client().get(course.url).content.decode()
    notes = html[html.index('id="change-notes"') :]
    notes = notes[: notes.index("</details>")]
    assert "What changed at each review" in notes
    assert '<time datetime="2026-12-04">4 December 2026</time>' in notes
    assert "<li>New lesson: special category data.</li>" in notes
    assert '<time datetime="2026-11-25">25 November 2026</time>' in notes
    assert notes.index("2026-12-04") < notes.index("2026-11-25")
    # An editor's own free text still shows, paragraph by paragraph.
    course.change_notes = "Checked in March.\n\nNothing changed."
    course.save_revision().publish()
    html = Client().get(course.url).content.decode()
    assert "<p>Checked in March.</p>" in html and "<p>Nothing changed.</p>" in html


# The real catalogue ------------------------------------------------------------


def _git_has(commit):
    try:
        subprocess.run(
            ["git", "cat-file", "-e", f"{commit}^{{commit}}"],  # noqa: S607
            cwd=REPO,
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


needs_history = pytest.mark.skipif(
    not _git_has(PREVIOUS_RELEASE),
    reason=f"needs the git history (commit {PREVIOUS_RELEASE}); a shallow clone lacks it",
)


@needs_history
@pytest.mark.django_db
def test_the_previous_release_is_brought_up_to_date_without_losing_anything(tmp_path, rep):
    """A site made from the previous release (its files, no records), with a learner part
    of the way through, takes the current files: nothing is mistaken for an edit."""
    old = tmp_path / "previous"
    old.mkdir()
    for data_path in digests.catalogue_paths_at(REPO, PREVIOUS_RELEASE):
        (old / Path(data_path).name).write_bytes(
            subprocess.run(
                ["git", "show", f"{PREVIOUS_RELEASE}:{data_path}"],  # noqa: S607
                cwd=REPO,
                check=True,
                capture_output=True,
            ).stdout
        )
    assert len(list(old.glob("*.yaml"))) == 9
    catalogue_load(directory=old)
    CatalogueRecord.objects.all().delete()  # as a database made before the records
    course = CoursePage.objects.get(slug="data-rights-introductory")
    enrolment_start(user=rep, course=course)
    for page in LessonPage.objects.live().descendant_of(course).order_by("path")[:3]:
        attempt = pass_quiz(user=rep, quiz=page.quiz) if page.quiz_id else None
        lesson_complete(user=rep, lesson=page, attempt=attempt)
    before = learner_records()

    report = catalogue_load()  # the current files, with the committed history
    assert report.edited == [] and report.not_in_files == [] and report.created == []
    assert learner_records() == before
    again = catalogue_load()
    assert again.updated == [] and again.added == [] and again.edited == []
    assert len(again.unchanged) == 9
    # Every item now holds exactly what the files say.
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        for item in digests.file_items(read_course_file(path)):
            assert CatalogueRecord.objects.filter(
                kind=item.kind, key=item.key, digest=item.digest
            ).exists(), (item.kind, item.key)


@needs_history
def test_the_committed_history_is_what_the_releases_it_lists_give():
    call_command("catalogue_digests", check=True, stdout=_Sink())
    listed = [c for c, _ in digests.release_commits(REPO, PREVIOUS_RELEASE)]
    assert digests.history_load(), "courses/catalogue_digests.json is missing or of another scheme"
    releases = json.loads(digests.HISTORY_FILE.read_text(encoding="utf-8"))["releases"]
    assert {r["commit"] for r in releases} >= set(listed)


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
