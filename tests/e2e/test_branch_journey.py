"""A branch officer invites a rep, follows their progress with their consent,
and stops seeing them the moment they withdraw it (issue 6)."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import totp_now
from tests.factories import PASSWORD, UserFactory, with_mfa
from tests.factories.branches import (
    make_branch,
    make_member,
    make_officer,
    make_region,
    make_region_officer,
)
from tests.factories.courses import make_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BRANCH = "Northshire Health branch"
COURSE = "Data rights at work"
CSV_HEADER = [
    "Name",
    "Courses in progress",
    "Courses completed",
    "Certificates",
    "Last lesson completed",
]


@pytest.fixture
def rep_visit(second_visit):
    """A second browser, with its own cookies, for the rep."""
    return second_visit


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def follow(visit, name, scope=None):
    with visit.page.expect_navigation():
        (scope or visit.page.locator("main")).get_by_role("link", name=name, exact=True).click()
    visit.assert_accessible()


def sign_in_checked(visit, user, secret=None):
    """helpers.sign_in, with axe on the password and code pages too."""
    page = visit.page
    visit.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if secret:
        visit.assert_accessible()
        page.fill("input[name=code]", totp_now(secret))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")
    visit.assert_accessible()


def officer_signs_in(visit, branch):
    officer = make_officer(branch, UserFactory(display_name="Olu Officer"), mfa=False)
    sign_in_checked(visit, officer, with_mfa(officer))
    follow(visit, f"{branch.name}: members' progress")
    return officer


def rep_signs_in(visit):
    rep = UserFactory(email="rosa.rep@example.org", display_name="Rosa Rep")
    sign_in_checked(visit, rep)
    return rep


def member_table(page):
    return page.get_by_role("table", name=re.compile("^Members who share their progress"))


def test_officer_sees_a_consenting_rep_until_they_withdraw(visit, rep_visit):
    branch = make_branch(BRANCH)
    course = make_course(title=COURSE, modules=1, lessons=2)
    officer = visit.page
    rep = rep_visit.page

    officer_signs_in(visit, branch)
    expect(officer.get_by_text("Nobody shares their progress yet.")).to_be_visible()
    follow(visit, "Invite members", officer.get_by_role("navigation", name="Branch officer pages"))
    join_url = officer.get_by_label("Invitation link").input_value()
    assert re.fullmatch(rf"{visit.base_url}/branches/join/[^/]+/", join_url)

    # The rep joins and, as a separate choice, ticks the unticked box to share.
    rep_signs_in(rep_visit)
    rep.goto(join_url)
    rep_visit.assert_accessible()
    share = rep.get_by_label(
        f"Share your course progress and certificates with the officers of {BRANCH}"
    )
    assert not share.is_checked()
    share.check()
    submit(rep, "Join the branch")
    rep.wait_for_url("**/branches/privacy/")
    rep_visit.assert_accessible()
    expect(rep.get_by_text(f"You have joined {BRANCH}. Its officers can now see")).to_be_visible()

    # The rep completes one lesson of two.
    rep_visit.goto(course.url)
    submit(rep, "Start course")
    rep.wait_for_url("**/lesson-1-1/")
    rep_visit.assert_accessible()
    submit(rep, "Mark as complete and continue")
    rep.wait_for_url("**/lesson-1-2/")
    rep_visit.assert_accessible()

    # The officer sees the rep, the course in the chart, and its table.
    follow(visit, "Members", officer.get_by_role("navigation", name="Branch officer pages"))
    today = timezone.localdate()
    row = member_table(officer).get_by_role("row", name=re.compile("Rosa Rep"))
    assert [c.strip() for c in row.locator("th, td").all_inner_texts()] == [
        "Rosa Rep",
        "1",
        "0",
        "0",
        f"{today.day} {today:%b %Y}",
    ]
    chart_table = officer.get_by_role("table", name=re.compile("^Course completion"))
    course_row = chart_table.get_by_role("row", name=re.compile(COURSE))
    assert course_row.locator("td").all_inner_texts() == ["0 (0%)", "1 (100%)"]
    bar = officer.locator("#courses-chart ~ figure .kh-chart__bar--progress").first
    assert int(bar.get_attribute("width")) > 0
    assert bar.bounding_box()["width"] > 0

    # Their detail page, then the CSV with exactly their row.
    follow(visit, "Rosa Rep", member_table(officer))
    assert officer.get_by_role("heading", level=1).inner_text() == "Rosa Rep"
    expect(
        officer.get_by_role("row", name=re.compile(COURSE)).get_by_text("1 of 2")
    ).to_be_visible()
    detail_url = officer.url
    follow(visit, "Back to all members")
    with officer.expect_download() as download_info:
        officer.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"{branch.slug}-members-{today:%Y-%m-%d}.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        CSV_HEADER,
        ["Rosa Rep", "1", "0", "0", f"{today:%Y-%m-%d}"],
    ]

    # The rep withdraws consent on their privacy page.
    rep_visit.goto("/dashboard/")
    follow(rep_visit, "your branches and privacy")
    section = rep.get_by_role("region", name=BRANCH)
    expect(section.get_by_text("Sharing your progress", exact=True)).to_be_visible()
    section.get_by_label("No, do not share it").check()
    submit(rep, "Save your choice")
    rep_visit.assert_accessible()
    expect(rep.get_by_text(f"{BRANCH} officers can no longer see your progress.")).to_be_visible()
    expect(section.get_by_text("Not sharing your progress", exact=True)).to_be_visible()

    # On the officer's next request the rep has gone, from the page and the export.
    officer.reload()
    visit.assert_accessible()
    assert member_table(officer).count() == 0
    expect(officer.get_by_text("1 member has not shared their progress.")).to_be_visible()
    assert officer.get_by_text("Rosa Rep").count() == 0
    expect(officer.get_by_role("heading", name="Courses", exact=True)).to_be_visible()
    assert officer.get_by_role("table", name=re.compile("^Course completion")).count() == 0
    export = officer.request.get(f"{visit.base_url}/branches/{branch.slug}/export.csv")
    assert export.ok
    assert export.text().lstrip("\ufeff").splitlines() == [",".join(CSV_HEADER)]
    response = officer.goto(detail_url)
    assert response.status == 404
    visit.assert_accessible()


def test_notice_and_recommendation_reach_a_rep_who_then_leaves(visit, rep_visit):
    branch = make_branch(BRANCH)
    make_course(title=COURSE, modules=1, lessons=1)
    officer = visit.page
    rep = rep_visit.page
    make_member(branch, rep_signs_in(rep_visit), shares=False)
    due = timezone.localdate() + datetime.timedelta(days=30)

    officer_signs_in(visit, branch)
    subnav = officer.get_by_role("navigation", name="Branch officer pages")
    follow(visit, "Notices", subnav)
    submit(officer, "Post the notice")
    visit.assert_accessible()
    assert officer.title().startswith("Error: ")
    expect(
        officer.get_by_role("alert").get_by_role("link", name="Enter the notice")
    ).to_be_visible()
    officer.get_by_label("Notice").fill(
        "Branch meeting on <b>Thursday</b>.\n\n"
        'Read <a href="https://example.org/agenda">the agenda</a> first.'
    )
    submit(officer, "Post the notice")
    visit.assert_accessible()
    expect(officer.get_by_text("Your notice is on members' dashboards.")).to_be_visible()
    posted = officer.get_by_role("heading", name=re.compile(r"^Posted \d+ \w+ \d{4} at \d\d:\d\d$"))
    # Each Remove button names its notice, so two from one day are told apart.
    remove_name = "Remove the notice p" + posted.inner_text()[1:]
    expect(officer.get_by_role("button", name=remove_name, exact=True)).to_be_visible()

    follow(visit, "Recommend a course", subnav)
    officer.get_by_label("Course", exact=True).select_option(label=COURSE)
    officer.get_by_label("Everyone in the branch").check()
    officer.get_by_label("Complete by").fill(f"{due:%d/%m/%Y}")
    submit(officer, "Recommend the course")
    visit.assert_accessible()
    expect(officer.get_by_text(f"Recommended “{COURSE}”.")).to_be_visible()

    rep_visit.goto("/dashboard/")
    notice = rep.locator(".kh-notice")
    assert notice.locator("b").inner_text() == "Thursday"
    link = notice.get_by_role("link", name="the agenda")
    assert link.get_attribute("href") == "https://example.org/agenda"
    recommended = rep.get_by_role("listitem").filter(has_text=f"{COURSE} — {BRANCH}")
    assert f"complete by {due.day} {due:%B %Y}" in recommended.inner_text()

    # Leaving asks first, then takes the branch off the dashboard.
    follow(rep_visit, "your branches and privacy")
    follow(rep_visit, f"Leave {BRANCH}")
    assert rep.get_by_role("heading", level=1).inner_text() == f"Leave {BRANCH}?"
    submit(rep, "Leave the branch")
    rep.wait_for_url("**/branches/privacy/")
    rep_visit.assert_accessible()
    expect(rep.get_by_text(f"You have left {BRANCH}.")).to_be_visible()
    expect(rep.get_by_text("You have not joined a branch on Knowhow.")).to_be_visible()
    rep_visit.goto("/dashboard/")
    assert rep.locator(".kh-notice").count() == 0
    assert rep.get_by_text(f"{COURSE} — {BRANCH}").count() == 0


def test_region_officer_sees_totals_without_names(visit):
    region = make_region("North West")
    busy = make_branch("Northshire Health branch", region=region)
    make_branch("Southport Council branch", region=region)
    for n in range(5):
        make_member(busy, display_name=f"Member {n}")
    make_member(busy, shares=False, display_name="Quiet Member")
    officer = make_region_officer(region, mfa=False)
    sign_in_checked(visit, officer, with_mfa(officer))
    follow(visit, "North West region: branch totals")
    table = visit.page.get_by_role("table", name="Branches in the North West region")
    row = table.get_by_role("row", name=re.compile("Northshire"))
    assert row.locator("td").all_inner_texts()[:2] == ["6", "5 (83%)"]
    assert table.get_by_role("row", name=re.compile("Southport")).get_by_text("Too few to show")
    assert visit.page.get_by_text("Member 1").count() == 0


def test_dashboard_at_320_pixels_without_javascript_filters_by_get(visit, browser):
    branch = make_branch(BRANCH)
    make_course(title=COURSE)
    make_member(branch, display_name="Rosa Rep")
    make_member(branch, display_name="Sam Steward")
    officer = make_officer(branch, UserFactory(display_name="Olu Officer"), mfa=False)
    sign_in_checked(visit, officer, with_mfa(officer))
    dashboard = f"/branches/{branch.slug}/"
    filtered = f"{dashboard}?name=rosa&sort=name#members"
    # axe waits on timers, which never fire with JavaScript off, so it checks
    # both pages at 320 px here, with JavaScript on.
    visit.page.set_viewport_size({"width": 320, "height": 640})
    visit.goto(dashboard)
    visit.goto(filtered)

    # The same session, in a browser with JavaScript off.
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        java_script_enabled=False,
        storage_state=visit.page.context.storage_state(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(visit.base_url + dashboard)
    assert_fits(page)
    assert member_table(page).get_by_role("row").count() == 3
    page.get_by_label("Name").fill("rosa")
    page.get_by_label("Sort by").select_option(label="Name, A to Z")
    submit(page, "Show members")
    assert re.search(r"\?name=rosa&.*&sort=name#members$", page.url)
    expect(page.get_by_text("1 member matches the filters")).to_be_visible()
    assert member_table(page).get_by_role("row").count() == 2
    assert_fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Clear filters").click()
    assert member_table(page).get_by_role("row").count() == 3
    context.close()


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px ({width} px wide)"
