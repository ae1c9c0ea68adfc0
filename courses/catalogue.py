"""Load the starter catalogue (courses/catalogue/*.yaml) into Wagtail, and bring sites up to date.

The files are the source of truth for the starter courses; the format is in
docs/catalogue-format.md. A course whose slug is missing is created. A course
that is there already is brought up to date item by item (course, module and
lesson pages, quizzes, bank questions, template documents): an item that still
holds what the loader once wrote gets the file's new text, pages through a new
published revision the way the admin publishes, questions, quizzes and
documents in place; an item someone has edited since is left alone and listed
in the report, so nothing an educator wrote is overwritten. How the loader
knows its own text is in courses/catalogue_digests.py. Everything happens in
one transaction: a problem anywhere writes nothing.

Learners' records are never touched: enrolments, completions, certificates
and quiz attempts (each attempt keeps its own snapshot of the questions it
showed; docs/question-format.md).
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.documents.models import Document

from assessments.models import (
    Question,
    QuestionAcceptedAnswer,
    QuestionOption,
    QuestionOrderingItem,
    QuestionPair,
    Quiz,
    QuizSlot,
)
from assessments.services import question_create
from courses import catalogue_digests as digests
from courses import catalogue_format as fmt
from courses.catalogue_format import (  # noqa: F401 - the loader's public names
    BLOCK_TYPES,
    CATALOGUE_DIR,
    CatalogueError,
    read_course_file,
)
from courses.catalogue_records import CatalogueRecord
from courses.models import (
    CourseIndexPage,
    CourseLearningOutcome,
    CoursePage,
    LessonPage,
    ModulePage,
    Topic,
)

KIND_NAMES = {
    "course": ("course page", "course pages"),
    "module": ("module page", "module pages"),
    "lesson": ("lesson page", "lesson pages"),
    "quiz": ("quiz", "quizzes"),
    "question": ("question", "questions"),
    "template": ("template document", "template documents"),
}


@dataclass
class ReportItem:
    kind: str
    key: str
    title: str
    course: str
    url: str = ""
    reason: str = ""

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind][0]


@dataclass
class LoadReport:
    created: list = field(default_factory=list)  # slugs of the courses created
    unchanged: list = field(default_factory=list)  # slugs of courses with nothing to do
    quizzes: int = 0  # quizzes created
    updated: list = field(default_factory=list)  # ReportItems given the file's new text
    added: list = field(default_factory=list)  # ReportItems new in a course already there
    edited: list = field(default_factory=list)  # ReportItems left alone: edited since
    not_in_files: list = field(default_factory=list)  # pages the files no longer have
    unchanged_items: int = 0
    # Edited by someone, but the file says nothing the loader has not written before:
    # there is nothing to merge, so they are counted, not listed.
    edited_quietly: int = 0

    @staticmethod
    def counts(items) -> str:
        """ "3 lesson pages, 1 quiz" for a list of ReportItems."""
        counter = Counter(item.kind for item in items)
        return ", ".join(
            f"{counter[kind]} {KIND_NAMES[kind][counter[kind] != 1]}"
            for kind in KIND_NAMES
            if counter[kind]
        )


class _Load:
    """One run of the loader: what it knows, what it did, what to clean up."""

    def __init__(self, *, catalogue, known, report):
        self.catalogue = catalogue
        self.known = known
        self.report = report
        self.urls = AdminURLFinder()
        self.questions = {}  # key → bank Question
        self.records = []  # (kind, key, digest or a function giving the state)
        self.new_files = []  # (storage, name) written: deleted again if the run fails
        self.old_files = []  # (storage, name, bytes) replaced: put back if the run fails
        self.touched = set()  # course slugs where something was written

    # Deciding ---------------------------------------------------------------

    def _decide(self, kind, key, state, wanted, *, page=None):
        """ "unchanged", "update" or the reason an item is left alone."""
        current = digests.digest(state)
        if current == wanted:
            self.records.append((kind, key, current))
            self.report.unchanged_items += 1
            return "unchanged"
        known = self.known.get((kind, key), ())
        if current not in known:
            if wanted in known:
                self.report.edited_quietly += 1
                return "quiet"
            reason = "changed since the loader wrote it"
            revision = page.latest_revision if page is not None else None
            if revision is not None and revision.user_id:
                when = fmt.long_date(revision.created_at.date())
                reason += f"; last saved by {revision.user} on {when}"
            return reason
        if page is not None:
            if not page.live:
                return "unpublished by an editor"
            if page.has_unpublished_changes:
                return "has a draft that is not published yet"
            if page.locked:
                return "locked for editing"
            if page.workflow_in_progress:
                return "in moderation"
            if page.scheduled_revision:
                return "has a scheduled revision"
        return "update"

    def _deleted(self, kind, key, title, course, wanted):
        """A page the loader made once (a record or a released file says so) that is no
        longer there: someone deleted it, and it is not made again (listed only when the
        file has something new for it)."""
        if (kind, key) not in self.known:
            return False
        if wanted in self.known[(kind, key)]:
            self.report.edited_quietly += 1
            return True
        self.report.edited.append(
            ReportItem(kind, key, title, course, reason="deleted from the site; not made again")
        )
        return True

    def _item(self, kind, key, obj, title, course, reason=""):
        url = self.urls.get_edit_url(obj) or ""
        return ReportItem(kind, key, title, course, url=url, reason=reason)

    def _outcome(self, decision, kind, key, obj, title, course):
        """Report a decision; True when the item is to be updated."""
        if decision in ("unchanged", "quiet"):
            return False
        if decision == "update":
            return True
        self.report.edited.append(self._item(kind, key, obj, title, course, decision))
        return False

    def _updated(self, kind, key, obj, title, course, fetch):
        self.report.updated.append(self._item(kind, key, obj, title, course))
        self.records.append((kind, key, fetch))
        self.touched.add(course)

    def _added(self, kind, key, obj, title, course, fetch):
        self.report.added.append(self._item(kind, key, obj, title, course))
        self.records.append((kind, key, fetch))
        self.touched.add(course)

    # Writing ------------------------------------------------------------------

    def _add(self, parent, page, *, where):
        _check_body(page, where=where)
        try:
            parent.add_child(instance=page)
        except ValidationError as exc:
            raise CatalogueError(f"{where}: {_messages(exc)}") from exc
        self._publish(page, where=where)

    def _publish(self, page, *, where, log_action=False):
        _check_body(page, where=where)
        try:
            revision = page.save_revision(log_action=log_action)
        except ValidationError as exc:
            raise CatalogueError(f"{where}: {_messages(exc)}") from exc
        revision.publish()

    def _save_file(self, document, filename, content):
        document.file.save(filename, ContentFile(content), save=False)
        self.new_files.append((document.file.storage, document.file.name))

    # Questions ------------------------------------------------------------------

    def sync_question(self, data, *, course, tags):
        key = data["key"]
        fields = fmt.question_fields(data)
        question = (
            Question.objects.filter(key=key)
            .prefetch_related("options", "accepted_answers", "ordering_items", "pairs")
            .first()
        )
        if question is None:
            question = question_create(key=key, tags=tags, **fields)
            self.questions[key] = question
            fetch = _fetch(Question, question.pk, digests.question_state)
            if course in self.report.created:
                self.records.append(("question", key, fetch))
            else:
                self._added("question", key, question, key, course, fetch)
            return
        self.questions[key] = question
        wanted = digests.digest(digests.question_fields_state(fields))
        decision = self._decide("question", key, digests.question_state(question), wanted)
        if not self._outcome(decision, "question", key, question, key, course):
            return
        _question_update(question, fields)
        self._updated(
            "question",
            key,
            question,
            key,
            course,
            _fetch(Question, question.pk, digests.question_state),
        )

    # Quizzes ------------------------------------------------------------------

    def create_quiz(self, data, *, lesson_title):
        quiz = Quiz(**fmt.quiz_fields(data, lesson_title=lesson_title))
        quiz.slots = [
            QuizSlot(question=self.questions[key], sort_order=n)
            for n, key in enumerate(fmt.quiz_question_keys(data))
        ]
        quiz.save()
        self.report.quizzes += 1
        return quiz

    def sync_quiz(self, quiz, data, *, key, lesson_title, course, wanted):
        state = digests.quiz_state(quiz)
        decision = self._decide("quiz", key, state, wanted)
        if not self._outcome(decision, "quiz", key, quiz, quiz.title, course):
            return
        for name, value in fmt.quiz_fields(data, lesson_title=lesson_title).items():
            setattr(quiz, name, value)
        existing = {slot.question.key: slot for slot in quiz.slots.select_related("question")}
        slots = []
        for n, question_key in enumerate(fmt.quiz_question_keys(data)):
            slot = existing.pop(question_key, None) or QuizSlot(
                question=self.questions[question_key]
            )
            slot.sort_order = n
            slot.marks = None
            slots.append(slot)
        quiz.slots = slots  # slots left in `existing` are removed; attempts keep snapshots
        quiz.save()
        self._updated(
            "quiz", key, quiz, quiz.title, course, _fetch(Quiz, quiz.pk, digests.quiz_state)
        )

    # Template documents ---------------------------------------------------------

    def create_template(self, block, *, course_title):
        document_fields = fmt.template_fields(block, course_title=course_title)
        existing = Document.objects.filter(title=document_fields["title"]).first()
        if existing:
            return existing
        document = Document(title=document_fields["title"])
        self._save_file(document, document_fields["filename"], document_fields["content"])
        document.save()
        return document

    def sync_template(self, document, block, *, key, course_title, course, wanted):
        decision = self._decide("template", key, digests.template_state(document), wanted)
        if not self._outcome(decision, "template", key, document, document.title, course):
            return
        document_fields = fmt.template_fields(block, course_title=course_title)
        # The old file goes first, so the new one can take its name (a learner downloads
        # it under that name); it is put back if the run fails.
        storage, name = document.file.storage, document.file.name
        self.old_files.append((storage, name, digests.document_bytes(document)))
        storage.delete(name)
        document.title = document_fields["title"]
        self._save_file(document, document_fields["filename"], document_fields["content"])
        document.file_size = None  # Wagtail works these out again when asked
        document.file_hash = ""
        document.save()
        self._updated(
            "template",
            key,
            document,
            document.title,
            course,
            _fetch(Document, document.pk, digests.template_state),
        )

    # Pages --------------------------------------------------------------------

    def create_course(self, data):
        topic, _ = Topic.objects.get_or_create(
            name=data["topic"], defaults={"slug": slugify(data["topic"])}
        )
        course = CoursePage(slug=data["slug"], topic=topic, **fmt.course_fields(data))
        course.learning_outcomes = [
            CourseLearningOutcome(text=text, sort_order=n)
            for n, text in enumerate(fmt.learning_outcomes(data))
        ]
        self._add(self.catalogue, course, where=data["slug"])
        self.records.append(("course", data["slug"], _fetch_page(course.pk, digests.course_state)))
        for m, module_data in enumerate(data["modules"], start=1):
            self.create_module(data, course, module_data, m, report=False)
        return course

    def create_module(self, data, course, module_data, position, *, report=True):
        slug = fmt.module_slug(module_data, position)
        module = ModulePage(slug=slug, **fmt.module_fields(module_data))
        self._add(course, module, where=f"{data['slug']}/{slug}")
        key = f"{data['slug']}/{slug}"
        fetch = _fetch_page(module.pk, digests.module_state)
        if report:
            self._added("module", key, module, module.title, data["slug"], fetch)
        else:
            self.records.append(("module", key, fetch))
        for lesson_data in module_data["lessons"]:
            self.create_lesson(data, module, lesson_data, report=report)
        return module

    def create_lesson(self, data, module, lesson_data, *, report=True):
        key = f"{data['slug']}/{lesson_data['slug']}"
        documents = [
            self.create_template(block, course_title=data["title"])
            for block in fmt.template_blocks(lesson_data)
        ]
        quiz = None
        if lesson_data.get("quiz"):
            quiz = self.create_quiz(lesson_data["quiz"], lesson_title=lesson_data["title"])
        lesson = LessonPage(
            slug=lesson_data["slug"],
            body=fmt.body_raw(lesson_data, documents=[document.pk for document in documents]),
            quiz=quiz,
            **fmt.lesson_fields(lesson_data),
        )
        self._add(module, lesson, where=key)
        fetch = _fetch_page(lesson.pk, digests.lesson_state)
        if report:
            self._added("lesson", key, lesson, lesson.title, data["slug"], fetch)
        else:
            self.records.append(("lesson", key, fetch))
        for n, document in enumerate(documents, start=1):
            self.records.append(
                ("template", f"{key}/{n}", _fetch(Document, document.pk, digests.template_state))
            )
        if quiz is not None:
            self.records.append(("quiz", key, _fetch(Quiz, quiz.pk, digests.quiz_state)))
        return lesson

    def set_prerequisites(self, data, by_slug):
        wanted = data.get("prerequisites") or []
        if wanted:
            course = by_slug[data["slug"]]
            course.prerequisites.set([by_slug[slug] for slug in wanted])
            self._publish(course, where=data["slug"])

    def sync_course(self, data, course, by_slug):
        slug = data["slug"]
        wanted = {(item.kind, item.key): item.digest for item in digests.file_items(data)}
        modules = {page.slug: page for page in ModulePage.objects.child_of(course)}
        lessons = {
            page.slug: page
            for page in LessonPage.objects.descendant_of(course).select_related(
                "latest_revision__user"
            )
        }
        module_slugs = [fmt.module_slug(module, m) for m, module in enumerate(data["modules"], 1)]
        moves = []  # (page, parent, the slugs the file puts after it)
        for m, module_data in enumerate(data["modules"], start=1):
            module_slug = module_slugs[m - 1]
            module = modules.get(module_slug)
            key = f"{slug}/{module_slug}"
            if module is None and self._deleted(
                "module", key, module_data["title"], slug, wanted[("module", key)]
            ):
                for lesson_data in module_data["lessons"]:  # any moved elsewhere
                    if lesson_data["slug"] in lessons:
                        self.sync_lesson(data, lesson_data, lessons[lesson_data["slug"]], wanted)
                continue
            if module is None:
                module = self.create_module(data, course, module_data, m)
                moves.append((module.pk, course.pk, module_slugs[m:]))
                modules[module_slug] = module
                continue
            decision = self._decide(
                "module", key, digests.module_state(module), wanted[("module", key)], page=module
            )
            if self._outcome(decision, "module", key, module, module.title, slug):
                for name, value in fmt.module_fields(module_data).items():
                    setattr(module, name, value)
                self._publish(module, where=key, log_action=True)
                self._updated(
                    "module",
                    key,
                    module,
                    module.title,
                    slug,
                    _fetch_page(module.pk, digests.module_state),
                )
            lesson_slugs = [lesson["slug"] for lesson in module_data["lessons"]]
            for n, lesson_data in enumerate(module_data["lessons"]):
                lesson = lessons.get(lesson_data["slug"])
                lesson_key = f"{slug}/{lesson_data['slug']}"
                if lesson is None and self._deleted(
                    "lesson", lesson_key, lesson_data["title"], slug, wanted[("lesson", lesson_key)]
                ):
                    continue
                if lesson is None:
                    lesson = self.create_lesson(data, module, lesson_data)
                    moves.append((lesson.pk, module.pk, lesson_slugs[n + 1 :]))
                    continue
                self.sync_lesson(data, lesson_data, lesson, wanted)
        self._sync_course_page(data, course, by_slug, wanted[("course", slug)])
        # New pages were added at the end of their parent; put them in their place last,
        # since a move renumbers the tree paths of the pages read before it.
        for page_pk, parent_pk, following in moves:
            _place(page_pk, parent_pk, following)
        in_files = set(module_slugs)
        for module_slug, module in modules.items():
            if module_slug not in in_files:
                self.report.not_in_files.append(
                    self._item("module", f"{slug}/{module_slug}", module, module.title, slug)
                )
        in_files = {lesson["slug"] for module in data["modules"] for lesson in module["lessons"]}
        for lesson_slug, lesson in lessons.items():
            if lesson_slug not in in_files:
                self.report.not_in_files.append(
                    self._item("lesson", f"{slug}/{lesson_slug}", lesson, lesson.title, slug)
                )

    def _sync_course_page(self, data, course, by_slug, wanted):
        slug = data["slug"]
        decision = self._decide("course", slug, digests.course_state(course), wanted, page=course)
        if not self._outcome(decision, "course", slug, course, course.title, slug):
            return
        for name, value in fmt.course_fields(data).items():
            setattr(course, name, value)
        course.topic, _ = Topic.objects.get_or_create(
            name=data["topic"], defaults={"slug": slugify(data["topic"])}
        )
        course.learning_outcomes = [
            CourseLearningOutcome(text=text, sort_order=n)
            for n, text in enumerate(fmt.learning_outcomes(data))
        ]
        course.prerequisites = [by_slug[other] for other in data.get("prerequisites") or []]
        self._publish(course, where=slug, log_action=True)
        self._updated(
            "course", slug, course, course.title, slug, _fetch_page(course.pk, digests.course_state)
        )

    def sync_lesson(self, data, lesson_data, lesson, wanted):
        slug = data["slug"]
        key = f"{slug}/{lesson_data['slug']}"
        quiz_data = lesson_data.get("quiz")
        quiz = lesson.quiz
        if quiz_data and quiz is not None:
            self.sync_quiz(
                quiz,
                quiz_data,
                key=key,
                lesson_title=lesson_data["title"],
                course=slug,
                wanted=wanted[("quiz", key)],
            )
        documents = _template_documents(lesson)
        for n, block in enumerate(fmt.template_blocks(lesson_data), start=1):
            if n <= len(documents) and documents[n - 1] is not None:
                self.sync_template(
                    documents[n - 1],
                    block,
                    key=f"{key}/{n}",
                    course_title=data["title"],
                    course=slug,
                    wanted=wanted[("template", f"{key}/{n}")],
                )
        decision = self._decide(
            "lesson", key, digests.lesson_state(lesson), wanted[("lesson", key)], page=lesson
        )
        if not self._outcome(decision, "lesson", key, lesson, lesson.title, slug):
            return
        blocks = fmt.template_blocks(lesson_data)
        pks = []
        for n, block in enumerate(blocks, start=1):
            if n <= len(documents) and documents[n - 1] is not None:
                pks.append(documents[n - 1].pk)
            else:
                document = self.create_template(block, course_title=data["title"])
                pks.append(document.pk)
                self._added(
                    "template",
                    f"{key}/{n}",
                    document,
                    document.title,
                    slug,
                    _fetch(Document, document.pk, digests.template_state),
                )
        if quiz_data and quiz is None:
            quiz = self.create_quiz(quiz_data, lesson_title=lesson_data["title"])
            self._added(
                "quiz", key, quiz, quiz.title, slug, _fetch(Quiz, quiz.pk, digests.quiz_state)
            )
        for name, value in fmt.lesson_fields(lesson_data).items():
            setattr(lesson, name, value)
        lesson.body = fmt.body_raw(lesson_data, documents=pks)
        lesson.quiz = quiz if quiz_data else None
        self._publish(lesson, where=key, log_action=True)
        self._updated(
            "lesson", key, lesson, lesson.title, slug, _fetch_page(lesson.pk, digests.lesson_state)
        )

    # Records --------------------------------------------------------------------

    def write_records(self):
        rows = set()
        for kind, key, value in self.records:
            rows.add((kind, key, value if isinstance(value, str) else digests.digest(value())))
        have = set(CatalogueRecord.objects.values_list("kind", "key", "digest"))
        CatalogueRecord.objects.bulk_create(
            [CatalogueRecord(kind=k, key=key, digest=d) for k, key, d in sorted(rows - have)]
        )


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in errors)}"
            for name, errors in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _check_body(page, *, where):
    """Check a lesson body as the page editor would (lengths, required fields): saving a
    page does not, and an educator could not then save the page in the admin."""
    if not isinstance(page, LessonPage):
        return
    try:
        page.body.stream_block.clean(page.body)
    except ValidationError as exc:
        problems = []
        for path, messages in _block_errors(exc.as_json_data()):
            child = page.body[int(path[0])]
            place = f"block {int(path[0]) + 1} ({child.block_type})"
            if path[1:]:
                place += " " + ".".join(str(int(p) + 1) if p.isdigit() else p for p in path[1:])
            problems.append(f"{place}: {' '.join(messages)}")
        raise CatalogueError(f"{where}: body {'; '.join(problems)}") from exc


def _block_errors(data, path=()):
    if data.get("messages"):
        yield path, data["messages"]
    for name, inner in (data.get("blockErrors") or {}).items():
        yield from _block_errors(inner, (*path, str(name)))


def _fetch(model, pk, state):
    return lambda: state(model.objects.get(pk=pk))


def _fetch_page(pk, state):
    from wagtail.models import Page

    return lambda: state(Page.objects.get(pk=pk).specific)


def _template_documents(lesson) -> list:
    """The documents the lesson's template blocks point to, in order (None for a block
    whose document has been deleted)."""
    return [child.value["document"] for child in lesson.body if child.block_type == "template"]


def _place(page_pk, parent_pk, following_slugs):
    """Move a page added at the end of its parent to before the first sibling the file
    puts after it, reading both afresh (earlier moves renumber the paths)."""
    from wagtail.models import Page

    siblings = {page.slug: page for page in Page.objects.get(pk=parent_pk).get_children()}
    for slug in following_slugs:
        if slug in siblings:
            Page.objects.get(pk=page_pk).move(siblings[slug], pos="left")
            return


def _reuse(existing, wanted, same):
    """Match new child rows to existing ones that say the same, so their ids (which past
    attempts' responses and item analysis refer to) survive an update."""
    pool = list(existing)
    rows = []
    for n, values in enumerate(wanted):
        match = next((row for row in pool if same(row, values)), None)
        if match is not None:
            pool.remove(match)
        rows.append((n, match, values))
    return rows


def _question_update(question, fields):
    """Give a bank question the file's content in place. Attempts keep the snapshot they
    took; an option, item or pair whose text is unchanged keeps its id."""
    for name in (
        "kind",
        "title",
        "stem",
        "marks",
        "general_feedback",
        "explanation",
        "true_is_correct",
        "feedback_if_true",
        "feedback_if_false",
    ):
        setattr(question, name, fields[name])
    options = []
    for n, row, values in _reuse(
        question.options.all(), fields["options"], lambda row, v: row.text == v["text"]
    ):
        row = row or QuestionOption()
        row.text, row.is_correct, row.feedback = (
            values["text"],
            values["correct"],
            values["feedback"],
        )
        row.sort_order = n
        options.append(row)
    question.options = options
    accepted = []
    for n, row, text in _reuse(
        question.accepted_answers.all(), fields["accepted"], lambda row, v: row.text == v
    ):
        row = row or QuestionAcceptedAnswer(text=text)
        row.sort_order = n
        accepted.append(row)
    question.accepted_answers = accepted
    items = []
    for n, row, text in _reuse(
        question.ordering_items.all(), fields["items"], lambda row, v: row.text == v
    ):
        row = row or QuestionOrderingItem(text=text)
        row.sort_order = n
        items.append(row)
    question.ordering_items = items
    pairs = []
    for n, row, values in _reuse(
        question.pairs.all(),
        fields["pairs"],
        lambda row, v: (row.left, row.right) == (v["left"], v["right"]),
    ):
        row = row or QuestionPair(left=values["left"], right=values["right"])
        row.sort_order = n
        pairs.append(row)
    question.pairs = pairs
    question.save()


def _check_together(courses, existing_slugs):
    slugs = Counter(data["slug"] for data in courses)
    twice = sorted(slug for slug, count in slugs.items() if count > 1)
    if twice:
        raise CatalogueError(f"more than one file has the slug {', '.join(twice)}")
    keys = Counter(
        question["key"]
        for data in courses
        for module in data["modules"]
        for lesson in module["lessons"]
        for question in (lesson.get("quiz") or {}).get("questions", [])
    )
    twice = sorted(key for key, count in keys.items() if count > 1)
    if twice:
        raise CatalogueError(f"question keys used more than once: {', '.join(twice)}")
    known = set(slugs) | set(existing_slugs)
    for data in courses:
        unknown = [slug for slug in data.get("prerequisites") or [] if slug not in known]
        if unknown:
            raise CatalogueError(f"{data['slug']}: unknown prerequisites {unknown}")


def catalogue_load(*, directory: Path = CATALOGUE_DIR, history=None) -> LoadReport:
    """Create the courses in `directory` that are missing and bring the others up to date.

    `history`: (kind, key) → digests of released versions; by default the committed
    file (catalogue_digests.HISTORY_FILE).
    """
    files = sorted(Path(directory).glob("*.yaml"))
    courses = [read_course_file(path) for path in files]  # check every file first
    catalogue = CourseIndexPage.objects.get()
    if history is None:
        history = digests.history_load()
    known = {key: set(value) for key, value in history.items()}
    report = LoadReport()
    run = None
    try:
        with transaction.atomic():
            for kind, key, digest in CatalogueRecord.objects.values_list("kind", "key", "digest"):
                known.setdefault((kind, key), set()).add(digest)
            by_slug = {page.slug: page for page in CoursePage.objects.child_of(catalogue)}
            _check_together(courses, by_slug)
            run = _Load(catalogue=catalogue, known=known, report=report)
            existing = set(by_slug)
            report.created = [data["slug"] for data in courses if data["slug"] not in existing]
            for data in courses:
                for module in data["modules"]:
                    for lesson in module["lessons"]:
                        for question in (lesson.get("quiz") or {}).get("questions", []):
                            run.sync_question(question, course=data["slug"], tags=[data["slug"]])
            for data in courses:
                if data["slug"] not in existing:
                    by_slug[data["slug"]] = run.create_course(data)
            for data in courses:
                if data["slug"] in report.created:
                    run.set_prerequisites(data, by_slug)
                else:
                    run.sync_course(data, by_slug[data["slug"]], by_slug)
            report.unchanged = [
                data["slug"]
                for data in courses
                if data["slug"] in existing and data["slug"] not in run.touched
            ]
            run.write_records()
    except BaseException:
        if run is not None:
            for storage, name in run.new_files:
                storage.delete(name)
            for storage, name, content in run.old_files:
                if content is not None:
                    storage.save(name, ContentFile(content))
        raise
    return report
