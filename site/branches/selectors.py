"""What officers and members may read about branches.

Every officer read goes through `branch_for_officer`, which 404s unless the
user (the person asking) holds an officer role in that branch *now* (AC-02, AC-03), and then
through `sharing_members`, which holds only members whose consent applies
now (GDPR-01). Each read is a fixed number of queries, however many members,
courses or completions there are.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from branches.models import (
    Branch,
    Membership,
    MembershipQuerySet,
    Notice,
    Recommendation,
    Region,
    sharing_condition,
)
from courses.models import Certificate, CertificateStatus, CoursePage, Enrolment, LessonCompletion
from courses.models import Level as CourseLevel
from courses.runs.models import ApplicationStatus, RunApplication, RunAttendance, RunSession
from courses.selectors import progress_by_course

MEMBERS_PER_PAGE = 25
MONTHS_SHOWN = 12
CHART_WIDTH = 600
CHART_HEIGHT = 160
# Region figures for fewer sharing members than this are not shown: with a
# handful of people, a rate can point at a person.
SMALL_NUMBER = 5


class MemberStatus:
    CHOICES = [
        ("", "Any"),
        ("in_progress", "In progress"),
        ("completed", "Completed"),
        ("not_started", "Not started"),
    ]


SORTS = {
    "recent": ("Most recent activity", [F("last_activity").desc(nulls_last=True), "user_id"]),
    "name": ("Name, A to Z", ["user__display_name", "user_id"]),
    "completed": ("Most courses completed", ["-completed", "user__display_name", "user_id"]),
    "in_progress": ("Most courses in progress", ["-in_progress", "user__display_name", "user_id"]),
}
DEFAULT_SORT = "recent"


@dataclass(frozen=True)
class MemberFilters:
    course_id: int | None = None
    level: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT
    name: str = ""

    @classmethod
    def from_params(cls, params, *, courses):
        """Filters from a query string; anything unknown is ignored."""
        course_ids = {course.pk for course in courses}
        raw_course = params.get("course", "")
        # ASCII digits, and not too many: int() refuses "²" and 5,000-digit strings.
        numeric = raw_course.isascii() and raw_course.isdigit() and len(raw_course) <= 18
        course_id = int(raw_course) if numeric else None
        level = params.get("level", "")
        status = params.get("status", "")
        sort = params.get("sort", DEFAULT_SORT)
        # PostgreSQL refuses a NUL character anywhere in a query.
        name = " ".join(params.get("name", "").replace("\x00", "").split())[:100]
        return cls(
            course_id=course_id if course_id in course_ids else None,
            level=level if level in CourseLevel.values else "",
            status=status if status in dict(MemberStatus.CHOICES) else "",
            sort=sort if sort in SORTS else DEFAULT_SORT,
            name=name,
        )

    def as_query(self):
        """The filters as query-string pairs, for links that keep them."""
        pairs = []
        if self.name:
            pairs.append(("name", self.name))
        if self.course_id:
            pairs.append(("course", str(self.course_id)))
        if self.level:
            pairs.append(("level", self.level))
        if self.status:
            pairs.append(("status", self.status))
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        return pairs


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def branch_for_officer(*, slug, user) -> Branch:
    """The branch, if `user` is one of its officers now; otherwise 404."""
    if not _active(user):
        raise Http404
    branch = Branch.objects.filter(slug=slug, officers__user=user).select_related("region").first()
    if branch is None:
        raise Http404
    return branch


def branches_led_by(*, user) -> list[Branch]:
    if not _active(user):
        return []
    return list(Branch.objects.filter(officers__user=user).order_by("name"))


def regions_led_by(*, user) -> list[Region]:
    if not _active(user):
        return []
    return list(Region.objects.filter(officers__user=user).order_by("name"))


def sharing_members(*, branch: Branch) -> MembershipQuerySet:
    return Membership.objects.sharing().filter(branch=branch)


def _count(queryset):
    """A correlated COUNT of `queryset` for each outer row (no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _annotated(memberships):
    user = OuterRef("user_id")
    # The live courses as one uncorrelated subquery, which PostgreSQL hashes
    # once, rather than a join to the page table inside each member's count.
    live = CoursePage.objects.live().order_by().values("pk")
    enrolments = Enrolment.objects.filter(user=user, course_id__in=live)
    return memberships.select_related("user").annotate(
        in_progress=_count(enrolments.filter(completed_at__isnull=True)),
        completed=_count(enrolments.filter(completed_at__isnull=False)),
        certificates=_count(
            Certificate.objects.filter(user=user, current=True, status=CertificateStatus.VALID)
        ),
        last_activity=Subquery(
            LessonCompletion.objects.filter(user=user)
            .order_by("-completed_at")
            .values("completed_at")[:1]
        ),
    )


def _member_rows(branch, filters):
    """Sharing members of the branch, with their figures, filtered and sorted.

    A queryset: the page slices it, the export iterates it. Callers have
    checked the user with branch_for_officer.
    """
    rows = _annotated(sharing_members(branch=branch))
    if filters.name:
        rows = rows.filter(user__display_name__icontains=filters.name)
    scope = Enrolment.objects.filter(user=OuterRef("user_id"), course__live=True)
    if filters.course_id:
        scope = scope.filter(course_id=filters.course_id)
    if filters.level:
        scope = scope.filter(course__level=filters.level)
    narrowed = bool(filters.course_id or filters.level)
    if filters.status == "in_progress":
        rows = rows.filter(Exists(scope.filter(completed_at__isnull=True)))
    elif filters.status == "completed":
        rows = rows.filter(Exists(scope.filter(completed_at__isnull=False)))
    elif filters.status == "not_started":
        rows = rows.filter(~Exists(scope))
    elif narrowed:
        rows = rows.filter(Exists(scope))
    return rows.order_by(*SORTS[filters.sort][1])


def live_courses() -> list[CoursePage]:
    return list(
        CoursePage.objects.live().order_by("title").only("id", "title", "level", "url_path")
    )


@dataclass
class Headcount:
    members: int
    sharing: int

    @property
    def not_sharing(self):
        return self.members - self.sharing


def branch_headcount(*, branch: Branch) -> Headcount:
    figures = Membership.objects.filter(branch=branch).aggregate(
        members=Count("pk"),
        sharing=Count("pk", filter=sharing_condition()),
    )
    return Headcount(members=figures["members"], sharing=figures["sharing"])


@dataclass
class CourseBar:
    course_id: int
    title: str
    level: str
    in_progress: int
    completed: int
    of: int

    def percent(self, value):
        return round(100 * value / self.of) if self.of else 0

    @property
    def completed_percent(self):
        return self.percent(self.completed)

    @property
    def in_progress_percent(self):
        return self.percent(self.in_progress)

    # Geometry for the chart, in the SVG's 600-unit-wide view box.
    @property
    def completed_width(self):
        return round(CHART_WIDTH * self.completed / self.of) if self.of else 0

    @property
    def in_progress_width(self):
        return round(CHART_WIDTH * self.in_progress / self.of) if self.of else 0

    @property
    def in_progress_x(self):
        return self.completed_width


def _course_completion(branch, headcount):
    """Per course: how many sharing members completed it and how many are part way."""
    sharing_users = sharing_members(branch=branch).values("user_id")
    figures = (
        Enrolment.objects.filter(user__in=sharing_users, course__live=True)
        .values("course_id", "course__title", "course__level")
        .annotate(
            started=Count("pk"),
            done=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by("course__title")
    )
    return [
        CourseBar(
            course_id=row["course_id"],
            title=row["course__title"],
            level=CourseLevel(row["course__level"]).label,
            in_progress=row["started"] - row["done"],
            completed=row["done"],
            of=headcount.sharing,
        )
        for row in figures
    ]


@dataclass
class MonthFigure:
    month: datetime.date
    lessons: int
    courses: int
    # The lessons bar, in the chart's view box.
    height: int = 0
    x: int = 0

    @property
    def y(self):
        return CHART_HEIGHT - self.height


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _by_month(queryset, field, since):
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        month = row["month"]
        key = month.date() if isinstance(month, datetime.datetime) else month
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _progress_over_time(branch, today=None):
    """Lessons and courses completed by sharing members, month by month."""
    today = today or timezone.localdate()
    months = [_month_start(today, back) for back in range(MONTHS_SHOWN - 1, -1, -1)]
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    sharing_users = sharing_members(branch=branch).values("user_id")
    lessons = _by_month(
        LessonCompletion.objects.filter(user__in=sharing_users), "completed_at", since
    )
    courses = _by_month(
        Enrolment.objects.filter(user__in=sharing_users, completed_at__isnull=False),
        "completed_at",
        since,
    )
    figures = [MonthFigure(month, lessons.get(month, 0), courses.get(month, 0)) for month in months]
    tallest = max(figure.lessons for figure in figures) or 1
    for index, figure in enumerate(figures):
        figure.height = round(CHART_HEIGHT * figure.lessons / tallest)
        figure.x = index * (CHART_WIDTH // MONTHS_SHOWN) + 8
    return figures


def branch_dashboard(*, slug, user, params) -> dict:
    """Everything the officer dashboard shows, in a fixed number of queries."""
    branch = branch_for_officer(slug=slug, user=user)
    courses = live_courses()
    filters = MemberFilters.from_params(params, courses=courses)
    rows = _member_rows(branch, filters)
    headcount = branch_headcount(branch=branch)
    page = Paginator(rows, MEMBERS_PER_PAGE).get_page(params.get("page"))
    return {
        "branch": branch,
        "courses": courses,
        "filters": filters,
        "page_obj": page,
        "headcount": headcount,
        "course_bars": _course_completion(branch, headcount),
        "months": _progress_over_time(branch),
        "applications": branch_applications(branch=branch),
    }


def member_detail(*, slug, user, membership_id) -> dict:
    """One sharing member of the officer's branch; anyone else is a 404."""
    branch = branch_for_officer(slug=slug, user=user)
    membership = (
        sharing_members(branch=branch).select_related("user").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404
    return {"branch": branch, **member_record(membership=membership)}


def member_export(*, slug, user, params) -> tuple[Branch, MemberFilters, QuerySet]:
    """The branch, the filters and the rows an export of the member table holds."""
    branch = branch_for_officer(slug=slug, user=user)
    filters = MemberFilters.from_params(params, courses=live_courses())
    return branch, filters, _member_rows(branch, filters)


def member_record(*, membership: Membership) -> dict:
    """What the branch's officers can see of a sharing member: the officer's
    member page, and the member's own privacy page, show the same."""
    user = membership.user
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .order_by("completed_at", "-started_at")
    )
    progress = progress_by_course(user=user, courses=[e.course for e in enrolments])
    certificates = list(Certificate.objects.filter(user=user, current=True).order_by("-issued_at"))
    last = LessonCompletion.objects.filter(user=user).order_by("-completed_at").first()
    return {
        "membership": membership,
        "member": user,
        "enrolments": [
            {"enrolment": e, "course": e.course, "progress": progress.get(e.course_id)}
            for e in enrolments
        ],
        "certificates": certificates,
        "last_activity": last.completed_at if last else None,
    }


def memberships_of(*, user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("branch", "branch__region")
        .order_by("branch__name")
    )


def member_dashboard_items(*, user) -> dict:
    """Notices and recommended courses from the member's branches."""
    branch_ids = Membership.objects.filter(user=user).values("branch_id")
    today = timezone.localdate()
    notices = list(
        Notice.objects.filter(branch_id__in=branch_ids)
        .filter(Q(show_until__isnull=True) | Q(show_until__gte=today))
        .select_related("branch")[:5]
    )
    completed = Enrolment.objects.filter(
        user=user, course=OuterRef("course_id"), completed_at__isnull=False
    )
    recommendations = list(
        Recommendation.objects.filter(branch_id__in=branch_ids, course__live=True)
        .filter(Q(for_everyone=True) | Q(recipients=user))
        .exclude(Exists(completed))
        .select_related("branch", "course")
        .distinct()
        .order_by(F("due_on").asc(nulls_last=True), "-created_at")[:10]
    )
    return {"branch_notices": notices, "branch_recommendations": recommendations}


@dataclass
class BranchFigures:
    branch: Branch
    members: int
    sharing: int
    members_completed: int
    certificates: int

    @property
    def suppressed(self):
        return self.sharing < SMALL_NUMBER

    @property
    def sharing_percent(self):
        return round(100 * self.sharing / self.members) if self.members else 0

    @property
    def completed_percent(self):
        return round(100 * self.members_completed / self.sharing) if self.sharing else 0


def region_for_officer(*, slug, user) -> Region:
    if not _active(user):
        raise Http404
    region = Region.objects.filter(slug=slug, officers__user=user).first()
    if region is None:
        raise Http404
    return region


def region_summary(*, region, user) -> list[BranchFigures]:
    """Totals for each branch in the region: counts and rates, never names."""
    region_for_officer(slug=region.slug, user=user)
    sharing = Membership.objects.sharing().filter(branch=OuterRef("pk"))
    completed_course = Enrolment.objects.filter(
        user=OuterRef("user_id"), course__live=True, completed_at__isnull=False
    )
    branches = Branch.objects.filter(region=region).annotate(
        members=Count("memberships"),
        sharing_count=_count(sharing),
        members_completed=_count(sharing.filter(Exists(completed_course))),
        certificates=_count(
            Certificate.objects.filter(
                current=True,
                status=CertificateStatus.VALID,
                user__in=Membership.objects.sharing()
                .filter(branch=OuterRef(OuterRef("pk")))
                .values("user_id"),
            )
        ),
    )
    return [
        BranchFigures(
            branch=branch,
            members=branch.members,
            sharing=branch.sharing_count,
            members_completed=branch.members_completed,
            certificates=branch.certificates,
        )
        for branch in branches.order_by("name")
    ]


# Course run applications (issue #17) ----------------------------------------


def _branch_applications(branch):
    """Applications made through `branch` by people who are still its members:
    someone who leaves the branch drops out of its officers' view at once."""
    members = Membership.objects.filter(branch=branch).values("user_id")
    return RunApplication.objects.filter(branch=branch, user_id__in=members).select_related(
        "run__course", "user"
    )


def branch_run_places(*, branch: Branch) -> QuerySet:
    """Members' places on course runs (approved, confirmed or waiting), with
    the sessions each attended and whether they completed the run: the
    dashboard's table and the export, in one query. Callers have checked
    the officer with branch_for_officer."""
    run = OuterRef("run_id")
    attended = RunAttendance.objects.filter(
        session__run_id=run, user_id=OuterRef("user_id"), present=True
    )
    return (
        _branch_applications(branch)
        .filter(
            status__in=[
                ApplicationStatus.BRANCH_APPROVED,
                ApplicationStatus.CONFIRMED,
                ApplicationStatus.WAITING,
            ]
        )
        .annotate(
            sessions_total=_count(RunSession.objects.filter(run_id=run)),
            sessions_attended=_count(attended),
            first_starts_at=Subquery(
                RunSession.objects.filter(run_id=run).order_by("starts_at").values("starts_at")[:1]
            ),
        )
        .order_by(F("first_starts_at").desc(nulls_last=True), "run_id", "user__display_name", "pk")
    )


def branch_applications(*, branch: Branch) -> dict:
    """What the branch dashboard shows about course runs, in two queries:
    applications awaiting a decision, and who is booked on what with their
    attendance and completion."""
    awaiting = list(
        _branch_applications(branch)
        .filter(status=ApplicationStatus.APPLIED)
        .order_by("applied_at", "pk")[:100]
    )
    return {"awaiting": awaiting, "booked": list(branch_run_places(branch=branch)[:200])}


def application_for_officer(*, slug, application_id, user) -> tuple[Branch, RunApplication]:
    """An application made through the branch, for one of its officers now;
    a 404 for anyone else, and for another branch's applications (AC-02)."""
    branch = branch_for_officer(slug=slug, user=user)
    application = _branch_applications(branch).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return branch, application
