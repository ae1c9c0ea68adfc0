"""AC-02 as a property: in random worlds of regions, branches, officers and
members with random consent choices and progress, every officer surface shows
only the consenting current members of the officer's own branch, and
everything else is a 404 (never a 403).

The expected figures are computed from the generated world description, not
from branches.selectors, so a bug there cannot hide itself.
"""

import csv
import io
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlencode

import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from branches import selectors
from branches.models import Branch, BranchOfficer, Region, RegionOfficer
from branches.services import consent_set, membership_join, membership_leave
from courses.services import enrolment_start, lesson_complete
from tests.factories import UserFactory, with_mfa
from tests.factories.courses import lessons_of, make_course

FIRST_NAMES = ("Ann", "Bo", "Cy", "Di")
THEN = ("stay", "toggle", "leave")
LEVELS = ("introductory", "advanced")  # of course 0 and course 1
PER_PAGE = 3  # small, so that pagination is exercised with few members


@dataclass(frozen=True)
class Join:
    branch: int
    shares: bool  # the choice made when joining
    then: str  # "stay", "toggle" (consent changed later) or "leave"

    @property
    def current(self):
        return self.then != "leave"

    @property
    def sharing(self):
        return self.current and (self.shares != (self.then == "toggle"))


@dataclass(frozen=True)
class Person:
    first: str
    joins: tuple
    # Per course: 0 not started, 1 enrolled, 2 one of two lessons, 3 completed.
    progress: tuple

    def in_progress(self, courses=(0, 1)):
        return sum(1 for c in courses if self.progress[c] in (1, 2))

    def completed(self, courses=(0, 1)):
        return sum(1 for c in courses if self.progress[c] == 3)

    @property
    def lessons(self):
        return sum({0: 0, 1: 0, 2: 1, 3: 2}[p] for p in self.progress)


@dataclass(frozen=True)
class World:
    regions: int
    branch_regions: tuple
    officers: tuple  # per branch, a frozenset of officer indices
    people: tuple
    viewer: int  # an officer index
    viewed: int  # a branch the viewer leads
    region_viewed: int


def name_of(index, person):
    return f"{person.first} Zq{index:03d}"


@st.composite
def worlds(draw):
    regions = draw(st.integers(1, 2))
    n_branches = draw(st.integers(2, 4))
    branch_regions = tuple(draw(st.integers(0, regions - 1)) for _ in range(n_branches))
    n_officers = draw(st.integers(1, 3))
    officers = tuple(
        draw(st.frozensets(st.integers(0, n_officers - 1), min_size=1, max_size=2))
        for _ in range(n_branches)
    )
    people = []
    for branch in range(n_branches):
        for _ in range(draw(st.integers(0, 8))):
            joins = [Join(branch, draw(st.booleans()), draw(st.sampled_from(THEN)))]
            if draw(st.booleans()):
                other = draw(st.sampled_from([b for b in range(n_branches) if b != branch]))
                joins.append(Join(other, draw(st.booleans()), draw(st.sampled_from(THEN))))
            progress = tuple(draw(st.integers(0, 3)) for _ in LEVELS)
            people.append(Person(draw(st.sampled_from(FIRST_NAMES)), tuple(joins), progress))
    leaders = sorted(set().union(*officers))
    viewer = draw(st.sampled_from(leaders))
    viewed = draw(st.sampled_from([b for b in range(n_branches) if viewer in officers[b]]))
    return World(
        regions=regions,
        branch_regions=branch_regions,
        officers=officers,
        people=tuple(people),
        viewer=viewer,
        viewed=viewed,
        region_viewed=draw(st.integers(0, regions - 1)),
    )


filter_params = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["", *FIRST_NAMES, "zq0", "nobody"]),
        "course": st.sampled_from(["", 0, 1, "999999"]),
        "level": st.sampled_from(["", "introductory", "intermediate", "advanced", "bogus"]),
        "status": st.sampled_from(["", "in_progress", "completed", "not_started", "bogus"]),
        "sort": st.sampled_from(["", "recent", "name", "completed", "in_progress", "bogus"]),
        "page": st.sampled_from(["", "1", "2", "3", "99", "0", "-1", "abc"]),
    }
)


# Expectations, from the world description alone -------------------------------


def sharing_people(world, branch):
    """Indices of people who share with `branch` now, in creation order."""
    return [
        i
        for i, person in enumerate(world.people)
        for join in person.joins
        if join.branch == branch and join.sharing
    ]


def current_people(world, branch):
    return [
        i
        for i, person in enumerate(world.people)
        for join in person.joins
        if join.branch == branch and join.current
    ]


def expected_rows(world, branch, params, course_pks):
    """The people the member table should list, in order."""
    course = {str(pk): index for index, pk in enumerate(course_pks)}.get(str(params["course"]))
    level = (
        params["level"] if params["level"] in ("introductory", "intermediate", "advanced") else ""
    )
    status = params["status"] if params["status"] != "bogus" else ""
    scope = [
        c
        for c in range(len(LEVELS))
        if (course is None or c == course) and (not level or LEVELS[c] == level)
    ]
    narrowed = course is not None or bool(level)
    rows = []
    for i in sharing_people(world, branch):
        person = world.people[i]
        if params["name"] and params["name"].lower() not in name_of(i, person).lower():
            continue
        started = [c for c in scope if person.progress[c] >= 1]
        if status == "in_progress":
            keep = any(person.progress[c] in (1, 2) for c in scope)
        elif status == "completed":
            keep = any(person.progress[c] == 3 for c in scope)
        elif status == "not_started":
            keep = not started
        else:
            keep = bool(started) or not narrowed
        if keep:
            rows.append(i)
    sort = params["sort"] if params["sort"] in ("name", "completed", "in_progress") else "recent"
    name = {i: name_of(i, world.people[i]) for i in rows}
    if sort == "name":
        return sorted(rows, key=lambda i: name[i])
    if sort == "completed":
        return sorted(rows, key=lambda i: (-world.people[i].completed(), name[i]))
    if sort == "in_progress":
        return sorted(rows, key=lambda i: (-world.people[i].in_progress(), name[i]))
    # Most recent lesson first: progress is recorded person by person in
    # index order, so a later index has the later lesson; nobody-yet last,
    # in the order they signed up.
    active = sorted((i for i in rows if world.people[i].lessons), reverse=True)
    return active + [i for i in rows if not world.people[i].lessons]


def page_slice(rows, page_param):
    pages = max(1, math.ceil(len(rows) / PER_PAGE))
    try:
        number = int(page_param)
    except ValueError:
        number = 1
    if number < 1 or number > pages:
        number = pages
    return rows[(number - 1) * PER_PAGE : number * PER_PAGE]


def export_row(person, index):
    return [
        name_of(index, person),
        person.in_progress(),
        person.completed(),
        person.completed(),  # one certificate per completed course
        timezone.localdate().strftime("%Y-%m-%d") if person.lessons else "",
    ]


# The test ------------------------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.found.append(dict(attrs))


def inputs(html):
    """The attributes of every <input> in `html`."""
    parser = _Inputs()
    parser.feed(html)
    return parser.found


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class OfficerIsolation(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course_list = [
            make_course(title="Alpha rights", modules=1, lessons=2, level=LEVELS[0]),
            make_course(title="Beta rights", modules=1, lessons=2, level=LEVELS[1]),
        ]

    def build(self, world):
        courses = self.course_list
        lessons = [lessons_of(course) for course in courses]
        regions = [
            Region.objects.create(name=f"Region {r}", slug=f"region-{r}")
            for r in range(world.regions)
        ]
        branches = [
            Branch.objects.create(name=f"Branch {b}", slug=f"branch-{b}", region=regions[r])
            for b, r in enumerate(world.branch_regions)
        ]
        n_officers = max(set().union(*world.officers)) + 1
        officers = [UserFactory(display_name=f"Officer {o}") for o in range(n_officers)]
        for officer in officers:
            with_mfa(officer)
        for b, held_by in enumerate(world.officers):
            for o in held_by:
                BranchOfficer.objects.create(branch=branches[b], user=officers[o])
        region_officers = []
        for region in regions:
            user = UserFactory(display_name=f"Regional {region.slug}")
            with_mfa(user)
            RegionOfficer.objects.create(region=region, user=user)
            region_officers.append(user)
        users = [
            UserFactory(display_name=name_of(i, person)) for i, person in enumerate(world.people)
        ]
        memberships = {}  # (person, branch) -> membership
        for i, person in enumerate(world.people):
            for join in person.joins:
                memberships[i, join.branch] = membership_join(
                    user=users[i], branch=branches[join.branch], shares_progress=join.shares
                )
        for i, person in enumerate(world.people):
            for c, step in enumerate(person.progress):
                if step >= 1:
                    enrolment_start(user=users[i], course=courses[c])
                for lesson in lessons[c][: {0: 0, 1: 0, 2: 1, 3: 2}[step]]:
                    lesson_complete(user=users[i], lesson=lesson, course=courses[c])
        ids = {key: membership.pk for key, membership in memberships.items()}
        for i, person in enumerate(world.people):
            for join in person.joins:
                membership = memberships[i, join.branch]
                if join.then == "toggle":
                    consent_set(membership=membership, shares_progress=not join.shares)
                elif join.then == "leave":
                    membership_leave(membership=membership)
        return branches, regions, officers, region_officers, users, ids

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # The explain phase reruns a failing world a hundred times: too slow here.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    )
    @given(world=worlds(), params=filter_params)
    def test_every_officer_surface_shows_only_consenting_members_of_the_own_branch(
        self, world, params
    ):
        # memberships: (person index, branch index) -> id, including those since left.
        branches, regions, officers, region_officers, users, memberships = self.build(world)
        course_pks = [course.pk for course in self.course_list]
        params = dict(params)
        if isinstance(params["course"], int):
            params["course"] = course_pks[params["course"]]
        query = {key: value for key, value in params.items() if value != ""}

        b = world.viewed
        branch = branches[b]
        visible = sharing_people(world, b)
        visible_names = {name_of(i, world.people[i]) for i in visible}
        hidden_names = {name_of(i, p) for i, p in enumerate(world.people)} - visible_names
        visible_ids = {memberships[i, b] for i in visible}
        rows = expected_rows(world, b, params, course_pks)

        client = Client()
        client.force_login(officers[world.viewer])

        def get(view, *args, **query):
            url = reverse(f"branches:{view}", args=args)
            return client.get(url + ("?" + urlencode(query) if query else ""))

        def assert_hides(response):
            html = body(response).decode()
            leaked = {name for name in hidden_names if name in html}
            assert not leaked, (response.request["PATH_INFO"], leaked)
            return html

        with mock.patch.object(selectors, "MEMBERS_PER_PAGE", PER_PAGE):
            # The dashboard, with the drawn filters, sort and page.
            response = get("dashboard", branch.slug, **query)
            assert response.status_code == 200
            html = assert_hides(response)
            shown = [row.pk for row in response.context["page_obj"].object_list]
            assert shown == [memberships[i, b] for i in page_slice(rows, params["page"])]
            assert response.context["page_obj"].paginator.count == len(rows)
            linked = set(map(int, re.findall(rf"/branches/{branch.slug}/members/(\d+)/", html)))
            assert linked == set(shown)
            headcount = response.context["headcount"]
            assert (headcount.members, headcount.sharing) == (
                len(current_people(world, b)),
                len(visible),
            )

            # Walking every page gives each matching member exactly once, in order.
            walked = []
            pages = max(1, math.ceil(len(rows) / PER_PAGE))
            for number in range(1, pages + 1):
                page = get("dashboard", branch.slug, **{**query, "page": number})
                assert_hides(page)
                walked += [row.pk for row in page.context["page_obj"].object_list]
            assert walked == [memberships[i, b] for i in rows]

        # The charts count sharing members only.
        bars = {
            bar.course_id: (bar.in_progress, bar.completed, bar.of)
            for bar in response.context["course_bars"]
        }
        expected_bars = {}
        for c, pk in enumerate(course_pks):
            started = [i for i in visible if world.people[i].progress[c] >= 1]
            if started:
                done = sum(1 for i in started if world.people[i].progress[c] == 3)
                expected_bars[pk] = (len(started) - done, done, len(visible))
        assert {pk: bars[pk] for pk in bars if pk in course_pks} == expected_bars
        assert set(bars) <= set(course_pks)
        months = response.context["months"]
        assert months[-1].lessons == sum(world.people[i].lessons for i in visible)
        assert months[-1].courses == sum(world.people[i].completed() for i in visible)
        assert all(month.lessons == month.courses == 0 for month in months[:-1])

        # Exports hold the same rows as the walked table, whatever the filters.
        expected_export = [export_row(world.people[i], i) for i in rows]
        response = get("export_csv", branch.slug, **query)
        assert response.status_code == 200
        text = body(response).decode("utf-8").removeprefix("\ufeff")
        table = list(csv.reader(io.StringIO(text, newline="")))
        assert table[1:] == [[str(cell) for cell in row] for row in expected_export]
        assert_hides(response)
        response = get("export_xlsx", branch.slug, **query)
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
        cells = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
        assert cells[1:] == expected_export

        # Member detail: every membership id there ever was in this world.
        every_id = set(memberships.values())
        for membership_id in sorted(every_id | {max(every_id, default=0) + 1}):
            response = get("member", branch.slug, membership_id)
            if membership_id in visible_ids:
                assert response.status_code == 200, membership_id
                assert response.context["membership"].pk == membership_id
                html = assert_hides(response)
                assert response.context["member"].display_name in html
            else:
                assert response.status_code == 404, membership_id

        # The other officer pages name nobody who does not share.
        assert_hides(response := get("invite", branch.slug))
        assert response.status_code == 200
        response = get("notices", branch.slug)
        assert response.status_code == 200
        assert_hides(response)
        response = get("recommend", branch.slug)
        assert response.status_code == 200
        html = assert_hides(response)
        boxes = {int(attrs["value"]) for attrs in inputs(html) if attrs.get("name") == "members"}
        assert boxes == {users[i].pk for i in visible}

        # Branches the viewer does not lead, and every region: 404, not 403.
        for other, other_branch in enumerate(branches):
            if world.viewer in world.officers[other]:
                continue
            for view in ["dashboard", "export_csv", "export_xlsx", "invite", "recommend"]:
                assert get(view, other_branch.slug).status_code == 404, (view, other)
            assert get("notices", other_branch.slug).status_code == 404
            for (_, joined), membership_id in memberships.items():
                if joined == other:
                    assert get("member", other_branch.slug, membership_id).status_code == 404
        for region in regions:
            assert get("region", region.slug).status_code == 404

        # A region officer sees totals for their own region's branches only.
        r = world.region_viewed
        client.force_login(region_officers[r])
        response = get("region", regions[r].slug)
        assert response.status_code == 200
        html = body(response).decode()
        assert not [name for i, p in enumerate(world.people) if (name := name_of(i, p)) in html]
        figures = {
            figure.branch.pk: (
                figure.members,
                figure.sharing,
                figure.members_completed,
                figure.certificates,
            )
            for figure in response.context["figures"]
        }
        expected_figures = {}
        for index, other_branch in enumerate(branches):
            if world.branch_regions[index] != r:
                continue
            sharing = sharing_people(world, index)
            expected_figures[other_branch.pk] = (
                len(current_people(world, index)),
                len(sharing),
                sum(1 for i in sharing if world.people[i].completed()),
                sum(world.people[i].completed() for i in sharing),
            )
        assert figures == expected_figures
        for other_region in regions:
            if other_region != regions[r]:
                assert get("region", other_region.slug).status_code == 404
        # ...and no branch's pages at all.
        for other_branch in branches:
            assert get("dashboard", other_branch.slug).status_code == 404
            assert get("export_csv", other_branch.slug).status_code == 404
