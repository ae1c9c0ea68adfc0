"""Reads that cross tables. Each takes keyword arguments, the person it reads
for as `user` (None, or an anonymous user where a page allows visitors), and
runs a fixed number of queries, however many modules, lessons or courses
there are."""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.models import Page

from courses import page_cache
from courses.certificates.selectors import certificate_current
from courses.models import (
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    Level,
    ModulePage,
    Topic,
)
from courses.runs.selectors import upcoming_runs

PAGE_SIZE = 12
MAX_QUERY_LENGTH = 200
LEVEL_ORDER = [Level.INTRODUCTORY, Level.INTERMEDIATE, Level.ADVANCED]
STEPLEN = 4  # characters per level in Wagtail's materialised page paths


class Status:
    """GOV.UK task-list statuses, with the tag colour each one uses."""

    COMPLETED = ("Completed", "")
    IN_PROGRESS = ("In progress", "blue")
    NOT_STARTED = ("Not yet started", "grey")
    CANNOT_START = ("Cannot start yet", "grey")


@dataclass
class Progress:
    completed: int
    total: int

    @property
    def percent(self):
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def is_complete(self):
        return self.total > 0 and self.completed >= self.total


@dataclass
class ModuleOutline:
    module: "ModulePage | OutlinePage"
    lessons: list
    items: list = field(default_factory=list)
    status: tuple = Status.NOT_STARTED
    progress: Progress | None = None


@dataclass
class OutlinePage:
    """A module or lesson as the lesson page shows it, built from a plain row.

    It answers `get_url()` like a page, so `_annotate` and templates treat
    both alike. The URL is worked out when first asked for: a lesson page
    links to a dozen of a course's lessons, not all of them.
    """

    id: int
    path: str
    title: str
    url_path: str
    estimated_minutes: int | None
    url_for: Callable[[str], str] = field(repr=False)  # url_path -> URL

    @property
    def pk(self):
        return self.id

    @cached_property
    def url(self):
        return self.url_for(self.url_path)

    def get_url(self, request=None):
        return self.url


def clean_search_query(*, text: str) -> str:
    """Visible text only, single-spaced and capped: NUL and other control or
    format characters break the databases' full-text parsers."""
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in str(text)
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _signed_in(user):
    """The user if signed in, else None (an anonymous visitor reads as nobody)."""
    return user if user is not None and user.is_authenticated else None


def course_for_lesson(*, lesson) -> CoursePage:
    return CoursePage.objects.get(path=lesson.path[: -2 * STEPLEN])


def course_structure(*, course) -> list[ModuleOutline]:
    """The live modules of a course with their live lessons, in tree order."""
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    lessons = (
        LessonPage.objects.live()
        .descendant_of(course)
        .order_by("path")
        .only(
            "id",
            "path",
            "depth",
            "title",
            "slug",
            "url_path",
            "estimated_minutes",
            "summary",
            "quiz_id",
        )
    )
    by_module = {module.path: [] for module in modules}
    for lesson in lessons:
        parent_path = lesson.path[:-STEPLEN]
        if parent_path in by_module:
            by_module[parent_path].append(lesson)
    return [ModuleOutline(module=m, lessons=by_module[m.path]) for m in modules]


def live_lesson_ids(*, course) -> list[int]:
    """Ids of the live lessons under live modules of a course, in one query."""
    rows = list(
        Page.objects.live()
        .descendant_of(course)
        .filter(depth__in=[course.depth + 1, course.depth + 2])
        .values_list("id", "path", "depth")
    )
    live_modules = {path for _, path, depth in rows if depth == course.depth + 1}
    return [
        page_id
        for page_id, path, depth in rows
        if depth == course.depth + 2 and path[:-STEPLEN] in live_modules
    ]


def _lessons_in(structure):
    return [lesson for outline in structure for lesson in outline.lessons]


def completed_lesson_ids(*, user, lesson_ids) -> set[int]:
    if user is None:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )


def prerequisites_of(*, course) -> list[CoursePage]:
    """Live prerequisite courses, as published (not an unsaved draft's list)."""
    return list(CoursePage.objects.live().filter(required_by=course).order_by("title"))


def missing_prerequisites(*, user, course) -> list[CoursePage]:
    """Live prerequisite courses the user has not completed yet."""
    prerequisites = prerequisites_of(course=course)
    if not prerequisites:
        return []
    if user is None:
        return prerequisites
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=prerequisites, completed_at__isnull=False
        ).values_list("course_id", flat=True)
    )
    return [course for course in prerequisites if course.pk not in done]


def _annotate(structure, *, completed, locked, current_lesson_id, link, request=None):
    for outline in structure:
        done_here = sum(1 for lesson in outline.lessons if lesson.pk in completed)
        outline.progress = Progress(done_here, len(outline.lessons))
        if locked:
            outline.status = Status.CANNOT_START
        elif outline.progress.is_complete:
            outline.status = Status.COMPLETED
        elif done_here or any(lesson.pk == current_lesson_id for lesson in outline.lessons):
            outline.status = Status.IN_PROGRESS
        else:
            outline.status = Status.NOT_STARTED
        outline.items = []
        for lesson in outline.lessons:
            if locked:
                status = Status.CANNOT_START
            elif lesson.pk in completed:
                status = Status.COMPLETED
            elif lesson.pk == current_lesson_id:
                status = Status.IN_PROGRESS
            else:
                status = Status.NOT_STARTED
            outline.items.append(
                {
                    "title": lesson.title,
                    "href": None if locked or not link else lesson.get_url(request),
                    "status": status[0],
                    "status_colour": status[1],
                    "hint": f"{lesson.estimated_minutes} min",
                    "current": lesson.pk == current_lesson_id,
                }
            )
    return structure


def course_overview(*, course, user, request=None) -> dict:
    user = _signed_in(user)
    structure = course_structure(course=course)
    lessons = _lessons_in(structure)
    enrolment = Enrolment.objects.filter(user=user, course=course).first() if user else None
    missing = missing_prerequisites(user=user, course=course)
    completed = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    locked = bool(missing)
    _annotate(
        structure,
        completed=completed,
        locked=locked,
        current_lesson_id=enrolment.last_lesson_id if enrolment else None,
        link=enrolment is not None,
        request=request,
    )
    prerequisites = prerequisites_of(course=course)
    missing_ids = {c.pk for c in missing}
    return {
        "structure": structure,
        "outcomes": list(course.learning_outcomes.all()),
        "enrolment": enrolment,
        "progress": Progress(len(completed), len(lessons)),
        "prerequisites": [
            {"course": c, "met": user is not None and c.pk not in missing_ids}
            for c in prerequisites
        ],
        "missing_prerequisites": missing,
        "locked": locked,
        "next_lesson": next((lesson for lesson in lessons if lesson.pk not in completed), None),
        "lesson_count": len(lessons),
        "certificate": certificate_current(user=user, course=course),
        "runs": upcoming_runs(course=course),
    }


def module_overview(*, module, user, request=None) -> dict:
    user = _signed_in(user)
    course = CoursePage.objects.get(path=module.path[:-STEPLEN])
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    outline = ModuleOutline(module=module, lessons=lessons)
    enrolment = Enrolment.objects.filter(user=user, course=course).first() if user else None
    completed = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    locked = bool(missing_prerequisites(user=user, course=course))
    _annotate(
        [outline],
        completed=completed,
        locked=locked,
        current_lesson_id=enrolment.last_lesson_id if enrolment else None,
        link=enrolment is not None,
        request=request,
    )
    return {"course": course, "outline": outline, "enrolment": enrolment}


@dataclass
class Access:
    allowed: bool
    course: CoursePage
    enrolment: Enrolment | None = None
    reason: str = ""
    view: "LearnerCourse | None" = None  # what the lesson page shows around the body


class LearnerCourse(NamedTuple):
    """What a lesson page reads of its course for one learner."""

    course: CoursePage
    has_prerequisites: bool  # live ones, met or not
    outline_rows: list  # of OUTLINE_ROW, for lesson_outline


def learner_course(*, user, lesson, enrolment) -> LearnerCourse:
    """The lesson's course as this learner sees it, kept in the cache until a
    page or the learner's progress changes (courses.page_cache): one round trip
    to the cache and no query on most lesson pages.

    `enrolment` (the learner's in this course, or None) is read from the
    database on every lesson page anyway; its progress token is part of the
    entry's stamp, so a completion shows even if the cache missed the
    learner-token write (Redis was away: core/cache.py).
    """

    def read():
        course = course_for_lesson(lesson=lesson)
        return LearnerCourse(
            course=course,
            has_prerequisites=CoursePage.objects.live().filter(required_by=course).exists(),
            outline_rows=_outline_rows(course=course, user=user),
        )

    return page_cache.get_or_compute(
        f"course:{user.pk}:{lesson.path[: -2 * STEPLEN]}",
        read,
        learner_id=user.pk,
        version=enrolment.progress_token.hex if enrolment else None,
    )


def _enrolment_for(*, user, lesson) -> Enrolment | None:
    return Enrolment.objects.filter(user=user, course__path=lesson.path[: -2 * STEPLEN]).first()


def lesson_access(*, user, lesson) -> Access:
    """May this signed-in user open the lesson? Enrolled, and prerequisites met.

    The enrolment is read first (the one query most lesson pages make here);
    the course, whether it has live prerequisites and the outline the lesson
    page then shows come from the learner's view of it (learner_course).
    """
    enrolment = _enrolment_for(user=user, lesson=lesson)
    view = learner_course(user=user, lesson=lesson, enrolment=enrolment)
    course = view.course
    if not course.live:
        return Access(False, course, reason="This course is not available.")
    if (enrolment is None or view.has_prerequisites) and missing_prerequisites(
        user=user, course=course
    ):
        return Access(False, course, reason="Finish the courses this one needs first.")
    if enrolment is None:
        return Access(False, course, reason="Start the course to open its lessons.")
    return Access(True, course, enrolment, view=view)


def _suffix_url(base_url, base_url_path, url_path):
    """The URL of a page below another whose URL is known, as Wagtail would reverse it."""
    below = quote(url_path[len(base_url_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
    if base_url.endswith("/"):
        return base_url + below
    return base_url + "/" + below.rstrip("/")  # WAGTAIL_APPEND_SLASH = False


@dataclass
class LessonOutline:
    modules: list  # of ModuleOutline
    completed: set  # ids of the outline's lessons the user completed
    breadcrumbs: list  # (title, url) of each ancestor from the home page down
    module: OutlinePage  # the lesson's module, even when it is not live (a preview)


# What lesson_outline reads of each page: plain values, small to keep in the cache.
OUTLINE_ROW = (
    "id",
    "path",
    "depth",
    "title",
    "url_path",
    "live",
    "content_type_id",
    "minutes",
    "done",
)


def _outline_rows(*, course, user):
    """The course's ancestors, all its modules and its live lessons, as plain
    rows in tree order, each lesson with whether `user` completed it."""
    ancestor_paths = [course.path[: STEPLEN * depth] for depth in range(2, course.depth + 1)]
    below = Q(path__startswith=course.path) & (
        Q(depth=course.depth + 1) | Q(live=True, depth=course.depth + 2)
    )
    completed = LessonCompletion.objects.filter(user=user, lesson_id=OuterRef("pk"))
    return list(
        Page.objects.filter(Q(path__in=ancestor_paths) | below)
        .annotate(
            minutes=F("lessonpage__estimated_minutes"),
            done=Exists(completed) if user is not None else Value(False),
        )
        .order_by("path")
        .values_list(*OUTLINE_ROW)
    )


def lesson_outline(*, course, lesson, user, request=None, view=None) -> LessonOutline:
    """The course outline and the lesson's breadcrumbs, from one query of plain rows.

    The live modules and lessons of the course, each lesson with whether the
    user completed it, plus the lesson's ancestors (live or not) for the
    breadcrumbs. Wagtail works out the course's URL; the rest are the course's
    URL plus their path below it, so 100 lessons cost no more than 5. A
    learner's rows are kept in the cache until a page or their progress
    changes (learner_course), so most lesson pages make no query here.
    `view` is that learner's view when the caller has it (the access check).
    """
    if user is None:  # a preview
        rows = _outline_rows(course=course, user=None)
    else:
        if view is None:
            enrolment = _enrolment_for(user=user, lesson=lesson)
            view = learner_course(user=user, lesson=lesson, enrolment=enrolment)
        rows = view.outline_rows

    crumb_paths = [lesson.path[: STEPLEN * depth] for depth in range(2, lesson.depth)]
    course_url = course.get_url(request)
    module_type = ContentType.objects.get_for_model(ModulePage).pk
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk

    def url_for(url_path):
        if url_path.startswith(course.url_path):
            return _suffix_url(course_url, course.url_path, url_path)
        return Page(url_path=url_path).get_url(request)  # the home page and the catalogue

    crumbs, modules, completed_ids, parent = [], {}, set(), None
    for pk, path, depth, title, url_path, live, content_type, minutes, done in rows:
        if path in crumb_paths:
            parent = OutlinePage(pk, path, title, url_path, minutes, url_for)
            crumbs.append(("Home" if depth == 2 else title, parent.url))
        if not live or depth <= course.depth:
            continue
        if depth == course.depth + 1 and content_type == module_type:
            modules[path] = ModuleOutline(
                module=OutlinePage(pk, path, title, url_path, minutes, url_for), lessons=[]
            )
        elif depth == course.depth + 2 and content_type == lesson_type:
            outline = modules.get(path[:-STEPLEN])
            if outline is not None:  # a lesson under an unpublished module does not count
                outline.lessons.append(OutlinePage(pk, path, title, url_path, minutes, url_for))
                if done:
                    completed_ids.add(pk)
    return LessonOutline(list(modules.values()), completed_ids, crumbs, parent)


def lesson_context(*, user, lesson, access=None, request=None) -> dict:
    """Everything the lesson page shows around the body. `user=None` is a preview.

    `access` is the access check's answer when the caller has it: its course
    and the learner's view of it are not read again.
    """
    course = access.course if access else course_for_lesson(lesson=lesson)
    outline = lesson_outline(
        course=course,
        lesson=lesson,
        user=user,
        request=request,
        view=access.view if access else None,
    )
    structure, completed = outline.modules, outline.completed
    lessons = _lessons_in(structure)
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    module_outline = next(
        (module for module in structure if module.module.path == lesson.path[:-STEPLEN]), None
    )
    # The page lists the lessons of this module only.
    _annotate(
        [module_outline] if module_outline else [],
        completed=completed,
        locked=False,
        current_lesson_id=lesson.pk,
        link=True,
        request=request,
    )
    return {
        "course": course,
        "module": outline.module,
        "module_outline": module_outline,
        "breadcrumbs": outline.breadcrumbs,
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": (
            lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
        ),
        "progress": Progress(len(completed), len(lessons)),
        "is_complete": lesson.pk in completed,
        "lesson_number": position + 1 if position is not None else None,
        "lesson_count": len(lessons),
    }


def next_lesson_for(*, user, course) -> LessonPage | None:
    """Where "Continue" goes: the first live lesson not yet completed."""
    lessons = _lessons_in(course_structure(course=course))
    completed = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    return next((lesson for lesson in lessons if lesson.pk not in completed), None)


def _level_ordering():
    return Case(
        *[When(level=level, then=Value(n)) for n, level in enumerate(LEVEL_ORDER)],
        output_field=IntegerField(),
    )


def _lessons_within(courses, levels=2):
    """Pages `levels` below `courses` only (lessons by default), as path
    ranges a B-tree index can use:
    reading every live lesson on the site made the catalogue and dashboard
    grow with the catalogue (BENCHMARKS.md, "Scale")."""
    ranges = Q()
    for course in courses:
        ranges |= Q(path__gt=course.path, path__lte=course.path + "Z" * (levels * STEPLEN))
    return ranges


def progress_by_course(*, user, courses) -> dict[int, Progress]:
    """Progress for many courses in two queries: live lessons, then completions."""
    by_path = {course.path: course.pk for course in courses}
    if not by_path:
        return {}
    depth = next(iter(courses)).depth
    lesson_course = {}
    lessons = (
        LessonPage.objects.live()
        .filter(_lessons_within(courses), depth=depth + 2)
        .values_list("id", "path")
    )
    for lesson_id, lesson_path in lessons:
        course_id = by_path.get(lesson_path[: depth * STEPLEN])
        if course_id is not None:
            lesson_course[lesson_id] = course_id
    totals, done = {}, {}
    for course_id in lesson_course.values():
        totals[course_id] = totals.get(course_id, 0) + 1
    for lesson_id in completed_lesson_ids(user=user, lesson_ids=list(lesson_course)):
        course_id = lesson_course[lesson_id]
        done[course_id] = done.get(course_id, 0) + 1
    return {pk: Progress(done.get(pk, 0), totals.get(pk, 0)) for pk in by_path.values()}


def catalogue_page(*, index, params, user) -> dict:
    """The filtered, searched, paginated catalogue. Unknown values are ignored."""
    user = _signed_in(user)
    topics = list(Topic.objects.all())
    topic = next((t for t in topics if t.slug == params.get("topic")), None)
    level = params.get("level") if params.get("level") in Level.values else None
    query = clean_search_query(text=params.get("q", ""))

    courses = CoursePage.objects.live().child_of(index).select_related("topic")
    if topic:
        courses = courses.filter(topic=topic)
    if level:
        courses = courses.filter(level=level)
    if query:
        matching = [page.pk for page in courses.search(query, order_by_relevance=False)]
        courses = courses.filter(pk__in=matching)
    courses = courses.annotate(level_order=_level_ordering()).order_by(
        "topic__name", "level_order", "title"
    )
    paginator = Paginator(courses, PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    page_courses = list(page_obj.object_list)
    progress = progress_by_course(user=user, courses=page_courses) if user else {}
    enrolled = (
        set(
            Enrolment.objects.filter(user=user, course__in=page_courses).values_list(
                "course_id", flat=True
            )
        )
        if user
        else set()
    )
    filters = {}
    if topic:
        filters["topic"] = topic.slug
    if level:
        filters["level"] = level
    if query:
        filters["q"] = query
    return {
        "topics": topics,
        "levels": Level.choices,
        "selected_topic": topic,
        "selected_level": level,
        "query": query,
        "page_obj": page_obj,
        "cards": [
            {
                "course": course,
                "progress": progress.get(course.pk),
                "enrolled": course.pk in enrolled,
            }
            for course in page_courses
        ],
        "result_count": paginator.count,
        "filters": filters,
        "is_filtered": bool(filters),
    }


def learner_dashboard(*, user) -> dict:
    """In progress, completed, and what to take next."""
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course", "course__topic")
        .order_by("-started_at")
    )
    courses = [enrolment.course for enrolment in enrolments]
    progress = progress_by_course(user=user, courses=courses) if courses else {}
    in_progress, completed = [], []
    for enrolment in enrolments:
        row = {"enrolment": enrolment, "course": enrolment.course}
        row["progress"] = progress.get(enrolment.course_id, Progress(0, 0))
        (completed if enrolment.completed_at else in_progress).append(row)
    _attach_continue_links(user=user, rows=in_progress)
    return {
        "in_progress": in_progress,
        "completed": completed,
        "recommended": recommended_courses(user=user, enrolments=enrolments),
    }


def _attach_continue_links(*, user, rows):
    """The first incomplete lesson of each course, in two queries for all of them."""
    if not rows:
        return
    by_path = {row["course"].path: row for row in rows}
    depth = rows[0]["course"].depth
    lessons = (
        LessonPage.objects.live()
        .filter(_lessons_within([row["course"] for row in rows]), depth=depth + 2)
        .order_by("path")
        .only("id", "path", "url_path", "title")
    )
    candidates = [lesson for lesson in lessons if lesson.path[: depth * STEPLEN] in by_path]
    # A lesson under an unpublished module does not count.
    live_modules = set(
        ModulePage.objects.live()
        .filter(_lessons_within([row["course"] for row in rows], levels=1), depth=depth + 1)
        .values_list("path", flat=True)
    )
    candidates = [lesson for lesson in candidates if lesson.path[:-STEPLEN] in live_modules]
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in candidates])
    for lesson in candidates:
        row = by_path[lesson.path[: depth * STEPLEN]]
        if "next_lesson" not in row and lesson.pk not in done:
            row["next_lesson"] = lesson


def recommended_courses(*, user, enrolments, limit=3) -> list[CoursePage]:
    """The next level in a topic the learner finished, or courses now unlocked."""
    enrolled_ids = {enrolment.course_id for enrolment in enrolments}
    completed = [enrolment.course for enrolment in enrolments if enrolment.completed_at]
    completed_ids = {course.pk for course in completed}
    candidates = list(
        CoursePage.objects.live()
        .exclude(pk__in=enrolled_ids)
        .select_related("topic")
        .prefetch_related("prerequisites")
        .annotate(level_order=_level_ordering())
        .order_by("level_order", "title")
    )
    next_level = {
        (course.topic_id, LEVEL_ORDER.index(course.level) + 1)
        for course in completed
        if course.level in LEVEL_ORDER
    }
    picks = []
    for course in candidates:
        prerequisite_ids = {p.pk for p in course.prerequisites.all() if p.live}
        unlocked = prerequisite_ids and prerequisite_ids <= completed_ids
        follows_on = (course.topic_id, course.level_order) in next_level
        if unlocked or follows_on:
            picks.append(course)
    if not picks and not enrolments:
        picks = [course for course in candidates if not course.prerequisites.all()]
    return picks[:limit]
