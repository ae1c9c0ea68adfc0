"""Joining, consent (GDPR-01), the privacy page, leaving, over-posting (AC-05),
hostile input, notices (IO-01), recommendations and their reminder emails."""

import datetime
import html as htmllib
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from wagtail.models import ModelLogEntry

from branches.consent import CURRENT_VERSION, current_wording
from branches.models import (
    ConsentRecord,
    Membership,
    Notice,
    Recommendation,
    RecommendationReminder,
)
from branches.services import consent_set, membership_leave
from tests.accounts.test_hostile_input import XSS_CORPUS
from tests.core.test_sanitise import XSS
from tests.factories import UserFactory
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import complete, make_course

pytestmark = pytest.mark.django_db

HOSTILE = [
    *XSS_CORPUS,
    "\x00",
    "notice\x00with a NUL",
    "\u202eevil\u202c",
    "zero\u200bwidth\u200d",
    "=1+1",
    "+cmd",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
    "",
    "   ",
    "\u00b2",  # a digit to str.isdigit(), not to int()
    "9" * 30,  # beyond any database integer
    "9" * 5000,  # beyond int()'s default digit limit
]


def join_url(branch):
    return reverse("branches:join", args=[branch.invite_code])


def member_url(branch, membership_id):
    return reverse("branches:member", args=[branch.slug, membership_id])


def actions_for(membership_id):
    return set(
        ModelLogEntry.objects.filter(
            content_type__model="membership", object_id=str(membership_id)
        ).values_list("action", flat=True)
    )


def consent_state(user=None):
    """Everything consent writes, to show that a refused request wrote nothing."""
    memberships = Membership.objects.filter(user=user) if user else Membership.objects.all()
    return (
        sorted(
            memberships.values_list(
                "pk", "branch_id", "shares_progress", "consent_version", "consent_changed_at"
            )
        ),
        ConsentRecord.objects.count(),
        ModelLogEntry.objects.count(),
    )


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.found.append(dict(attrs))


def inputs(page, name):
    parser = _Inputs()
    parser.feed(page)
    return [attrs for attrs in parser.found if attrs.get("name") == name]


def officer_view(page):
    """The member record fragment (branches/_member_record.html) of a page."""
    start = page.index('<dl class="kh-summary-list">')
    end = page.index("</table>", page.index("</table>", start) + 1) + len("</table>")
    return page[start:end]


@pytest.fixture
def course():
    return make_course(title="Your data rights", modules=1, lessons=2)


# Joining -------------------------------------------------------------------------


def test_the_join_page_asks_separately_and_is_unticked(client, rep, branch):
    client.force_login(rep)
    response = client.get(join_url(branch))
    assert response.status_code == 200
    page = htmllib.unescape(response.content.decode())
    (box,) = inputs(page, "share_progress")
    assert box["type"] == "checkbox"
    assert "checked" not in box
    wording = current_wording()
    assert "Share your course progress and certificates with the officers of Leeds Health" in page
    for item in wording.shared + wording.not_shared:
        assert item in page
    assert wording.withdraw in page
    assert not Membership.objects.exists()


def test_joining_with_consent_records_the_choice(client, rep, branch):
    client.force_login(rep)
    before = timezone.now()
    response = client.post(join_url(branch), {"share_progress": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("branches:privacy")
    membership = Membership.objects.get()
    assert (membership.user, membership.branch) == (rep, branch)
    assert membership.shares_progress is True
    assert membership.consent_version == CURRENT_VERSION
    assert before <= membership.consent_changed_at <= timezone.now()
    assert membership.joined_at == membership.consent_changed_at
    record = ConsentRecord.objects.get()
    assert (record.user, record.branch, record.shares_progress) == (rep, branch, True)
    assert record.wording_version == CURRENT_VERSION
    assert record.source == ConsentRecord.Source.JOINING
    assert record.recorded_at == membership.consent_changed_at
    assert actions_for(membership.pk) == {"knowhow.branch.join", "knowhow.consent.give"}


def test_joining_without_consent_records_that_too(client, rep, branch, officer):
    client.force_login(rep)
    response = client.post(join_url(branch), {})
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.shares_progress is False
    assert membership.consent_version == CURRENT_VERSION
    record = ConsentRecord.objects.get()
    assert (record.shares_progress, record.source) == (False, ConsentRecord.Source.JOINING)
    assert actions_for(membership.pk) == {"knowhow.branch.join", "knowhow.consent.withdraw"}
    client.force_login(officer)
    assert client.get(member_url(branch, membership.pk)).status_code == 404


def test_joining_twice_changes_nothing(client, rep, branch):
    client.force_login(rep)
    client.post(join_url(branch), {"share_progress": "on"})
    state = consent_state()
    response = client.post(join_url(branch), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("branches:privacy")
    assert client.get(join_url(branch)).status_code == 302
    assert consent_state() == state
    assert Membership.objects.get().shares_progress is True


@pytest.mark.parametrize("code", ["nope", "A" * 22, "%00", "a%00b", "x" * 300, "..%2F..%2F"])
def test_a_bad_invite_code_is_a_404(client, rep, branch, code):
    client.force_login(rep)
    url = f"/branches/join/{code}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"share_progress": "on"}).status_code == 404
    assert not Membership.objects.exists()


def test_a_new_invitation_link_retires_the_old_one(client, rep, branch, officer):
    old = join_url(branch)
    client.force_login(officer)
    response = client.post(reverse("branches:invite_regenerate", args=[branch.slug]))
    assert response.status_code == 302
    branch.refresh_from_db()
    assert join_url(branch) != old
    assert ModelLogEntry.objects.filter(
        action="knowhow.branch.invite_regenerate", user=officer
    ).exists()
    invite_page = client.get(reverse("branches:invite", args=[branch.slug])).content.decode()
    assert join_url(branch) in invite_page and old not in invite_page
    client.force_login(rep)
    assert client.get(old).status_code == 404
    assert client.post(old, {"share_progress": "on"}).status_code == 404
    assert client.post(join_url(branch), {}).status_code == 302
    assert Membership.objects.filter(user=rep, branch=branch).exists()


def test_only_the_branchs_officer_can_make_a_new_link(client, branch):
    code = branch.invite_code
    client.force_login(make_officer(make_branch()))
    assert client.post(reverse("branches:invite_regenerate", args=[branch.slug])).status_code == 404
    branch.refresh_from_db()
    assert branch.invite_code == code


# The privacy page ------------------------------------------------------------------


def test_privacy_page_shows_exactly_what_the_officer_sees(client, branch, officer, course):
    membership = make_member(branch, display_name="Sharon Shares")
    complete(membership.user, course)
    complete(membership.user, make_course(title="Spotting algorithms", modules=1, lessons=2), n=1)
    client.force_login(officer)
    officer_page = client.get(member_url(branch, membership.pk)).content.decode()
    client.force_login(membership.user)
    response = client.get(reverse("branches:privacy"))
    (row,) = response.context["rows"]
    assert row["record"] is not None
    own_page = response.content.decode()
    assert officer_view(own_page) == officer_view(officer_page)
    for text in ["Sharon Shares", "Your data rights", "Spotting algorithms", "1 of 2"]:
        assert text in officer_view(own_page)


def test_privacy_page_shows_nothing_shared_for_a_non_sharing_member(client, branch, course):
    membership = make_member(branch, display_name="Nadia Nope", shares=False)
    complete(membership.user, course)
    client.force_login(membership.user)
    response = client.get(reverse("branches:privacy"))
    (row,) = response.context["rows"]
    assert row["record"] is None
    page = response.content.decode()
    assert '<dl class="kh-summary-list">' not in page
    assert "Your data rights" not in page
    assert "They cannot see your name, your courses or your certificates" in page
    (no,) = [box for box in inputs(page, "share_progress") if box["value"] == "no"]
    assert "checked" in no


@pytest.mark.parametrize(("start", "choice"), [(True, "no"), (False, "yes")])
def test_consent_is_withdrawn_or_given_on_the_privacy_page(client, branch, officer, start, choice):
    membership = make_member(branch, shares=start)
    client.force_login(membership.user)
    response = client.post(
        reverse("branches:privacy"), {"membership": membership.pk, "share_progress": choice}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.shares_progress is (choice == "yes")
    assert membership.consent_version == CURRENT_VERSION
    record = ConsentRecord.objects.first()  # newest first
    assert record.source == ConsentRecord.Source.PRIVACY_PAGE
    assert record.shares_progress is (choice == "yes")
    assert ConsentRecord.objects.count() == 2
    action = "knowhow.consent.give" if choice == "yes" else "knowhow.consent.withdraw"
    assert ModelLogEntry.objects.filter(
        action=action, object_id=str(membership.pk), user=membership.user
    ).exists()
    # The officer's next request follows the choice.
    client.force_login(officer)
    expected = 200 if choice == "yes" else 404
    assert client.get(member_url(branch, membership.pk)).status_code == expected


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"share_progress": "no"},  # no membership named
        {"membership": "", "share_progress": "no"},
        {"membership": "abc", "share_progress": "no"},
        {"membership": "\x00", "share_progress": "no"},
        {"membership": "9" * 40, "share_progress": "no"},
    ],
)
def test_privacy_posts_without_a_membership_of_yours_are_a_404(client, branch, data):
    membership = make_member(branch)
    client.force_login(membership.user)
    state = consent_state()
    assert client.post(reverse("branches:privacy"), data).status_code == 404
    assert consent_state() == state


@pytest.mark.parametrize("value", [None, "", "maybe", "YES", "on", "1", "\x00", "<b>yes</b>"])
def test_a_choice_that_is_not_yes_or_no_is_an_error(client, branch, value):
    membership = make_member(branch)
    client.force_login(membership.user)
    data = {"membership": membership.pk}
    if value is not None:
        data["share_progress"] = value
    state = consent_state()
    response = client.post(reverse("branches:privacy"), data)
    assert response.status_code == 200
    assert response.context["failed_form"].errors["share_progress"]
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<b>yes</b>" not in page
    assert consent_state() == state


def test_another_persons_membership_cannot_be_changed(client, branch):
    mine = make_member(branch, shares=False)
    theirs = make_member(branch, shares=True)
    other_branch_theirs = make_member(make_branch(), shares=True)
    client.force_login(mine.user)
    state = consent_state()
    for target in (theirs, other_branch_theirs):
        response = client.post(
            reverse("branches:privacy"), {"membership": target.pk, "share_progress": "no"}
        )
        assert response.status_code == 404
    assert consent_state() == state


# Leaving -------------------------------------------------------------------------


def test_leaving_removes_the_member_from_the_officers_sight(client, branch, officer):
    membership = make_member(branch, display_name="Lee Leaver")
    pk = membership.pk
    client.force_login(officer)
    assert client.get(member_url(branch, pk)).status_code == 200
    client.force_login(membership.user)
    assert client.get(reverse("branches:leave", args=[branch.slug])).status_code == 200
    assert Membership.objects.filter(pk=pk).exists()  # a GET only asks
    response = client.post(reverse("branches:leave", args=[branch.slug]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=pk).exists()
    record = ConsentRecord.objects.first()
    assert (record.source, record.shares_progress) == (ConsentRecord.Source.LEAVING, False)
    assert {"knowhow.branch.leave", "knowhow.consent.withdraw"} <= actions_for(pk)
    leave = ModelLogEntry.objects.get(action="knowhow.branch.leave", object_id=str(pk))
    assert leave.user == membership.user
    client.force_login(officer)
    assert client.get(member_url(branch, pk)).status_code == 404
    response = client.get(reverse("branches:dashboard", args=[branch.slug]))
    assert "Lee Leaver" not in response.content.decode()
    assert (response.context["headcount"].members, response.context["headcount"].sharing) == (0, 0)


def test_leaving_a_branch_you_are_not_in_is_a_404(client, branch):
    membership = make_member(make_branch())
    client.force_login(membership.user)
    state = consent_state()
    assert client.post(reverse("branches:leave", args=[branch.slug])).status_code == 404
    assert consent_state() == state


# Over-posting (AC-05) ----------------------------------------------------------------


def test_join_ignores_fields_the_client_may_not_set(client, rep, branch):
    other_user = UserFactory()
    other_branch = make_branch()
    client.force_login(rep)
    response = client.post(
        join_url(branch),
        {
            "user": other_user.pk,
            "user_id": other_user.pk,
            "branch": other_branch.pk,
            "branch_id": other_branch.pk,
            "shares_progress": "on",
            "consent_version": "99",
            "wording_version": "99",
            "consent_changed_at": "2000-01-01T00:00:00Z",
            "joined_at": "2000-01-01T00:00:00Z",
            "source": "leaving",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.user, membership.branch) == (rep, branch)
    assert membership.shares_progress is False  # share_progress was not ticked
    assert membership.consent_version == CURRENT_VERSION
    assert membership.joined_at.year == timezone.now().year
    record = ConsentRecord.objects.get()
    assert (record.wording_version, record.source) == (CURRENT_VERSION, "joining")


def test_privacy_page_ignores_fields_the_client_may_not_set(client, branch):
    mine = make_member(branch, shares=False)
    theirs = make_member(branch, shares=False)
    client.force_login(mine.user)
    response = client.post(
        reverse("branches:privacy"),
        {
            "membership": mine.pk,
            "share_progress": "no",
            "user": theirs.user.pk,
            "branch": make_branch().pk,
            "shares_progress": "on",
            "consent_version": "99",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.shares_progress, mine.consent_version) == (False, CURRENT_VERSION)
    assert (theirs.shares_progress, theirs.consent_version) == (False, CURRENT_VERSION)
    assert Membership.objects.filter(user=mine.user).count() == 1


def test_officer_forms_ignore_branch_and_author_fields(client, branch, officer, course):
    other_branch = make_branch()
    someone = UserFactory()
    client.force_login(officer)
    extra = {"branch": other_branch.pk, "branch_id": other_branch.pk, "created_by": someone.pk}
    response = client.post(
        reverse("branches:recommend", args=[branch.slug]),
        {"course": course.pk, "audience": "everyone", **extra},
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.branch, recommendation.created_by) == (branch, officer)
    response = client.post(
        reverse("branches:notices", args=[branch.slug]),
        {"body": "Meeting on Thursday", **extra, "created_at": "2000-01-01T00:00:00Z"},
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.branch, notice.created_by) == (branch, officer)
    assert notice.created_at.year == timezone.now().year


# Hostile input ------------------------------------------------------------------------


def assert_clear_error(response):
    assert response.status_code == 200
    form = response.context.get("form") or response.context.get("failed_form")
    assert form.errors
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page


# Each test sends the whole corpus: one branch and officer for all of it.


def assert_no_notice_or_a_safe_one(response, text):
    if response.status_code == 302:
        notice = Notice.objects.get()
        assert "\x00" not in notice.body, repr(text)
        assert_safe_html(notice.body)
        assert len(notice.body) <= 2000 * 6  # escaped, never unbounded
        notice.delete()
    else:
        assert_clear_error(response)
        assert not Notice.objects.exists(), repr(text)


def test_hostile_notices_are_refused_or_stored_safely(client, branch, officer):
    client.force_login(officer)
    url = reverse("branches:notices", args=[branch.slug])
    for text in HOSTILE:
        assert_no_notice_or_a_safe_one(client.post(url, {"body": text}), text)
        response = client.post(url, {"body": "Fine", "show_until": text})
        assert_no_notice_or_a_safe_one(response, text)


def test_hostile_invitations_are_refused(client, branch, officer):
    client.force_login(officer)
    for text in HOSTILE:
        response = client.post(reverse("branches:invite", args=[branch.slug]), {"emails": text})
        assert_clear_error(response)
        assert mail.outbox == [], repr(text)
        if "<" in text:
            assert text[:40] not in response.content.decode()


def test_invitations_are_all_or_nothing(client, branch, officer):
    client.force_login(officer)
    url = reverse("branches:invite", args=[branch.slug])
    response = client.post(url, {"emails": "ok@example.org, bad@exa\u202emple.org"})
    assert_clear_error(response)
    assert mail.outbox == []
    response = client.post(url, {"emails": ", ".join(f"p{n}@example.org" for n in range(51))})
    assert_clear_error(response)
    assert mail.outbox == []
    response = client.post(url, {"emails": "a@example.org\nb@example.org, a@example.org"})
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert join_url(branch) in mail.outbox[0].body
    entry = ModelLogEntry.objects.get(action="knowhow.branch.invite_email")
    assert entry.data == {"count": 2}  # the addresses themselves are not logged


def test_hostile_recommendations_are_refused(client, branch, officer, course):
    make_member(branch)
    client.force_login(officer)
    url = reverse("branches:recommend", args=[branch.slug])
    for text in HOSTILE:
        for data in (
            {"course": text, "audience": "everyone"},
            {"course": course.pk, "audience": text},
            {"course": course.pk, "audience": "chosen", "members": [text]},
            {"course": course.pk, "audience": "everyone", "due_on": text or "x"},
        ):
            response = client.post(url, data)
            assert_clear_error(response)
    assert not Recommendation.objects.exists()


def test_hostile_join_and_privacy_posts_store_only_a_yes_or_no(client, branch):
    for text in HOSTILE:
        user = UserFactory()
        client.force_login(user)
        response = client.post(join_url(branch), {"share_progress": text})
        assert response.status_code == 302, repr(text)
        membership = Membership.objects.get(user=user)
        # A checkbox posts its value only when ticked: any value is a yes,
        # except an empty one or Django's "false".
        ticked = text.lower() not in ("", "false")
        assert membership.shares_progress is ticked, repr(text)
        record = ConsentRecord.objects.get(user=user)
        assert record.shares_progress is ticked, repr(text)
        state = consent_state(user)
        response = client.post(
            reverse("branches:privacy"), {"membership": membership.pk, "share_progress": text}
        )
        assert_clear_error(response)
        assert consent_state(user) == state, repr(text)


def test_hostile_dashboard_and_export_parameters_are_ignored(client, branch, officer):
    make_member(branch, display_name="Sharon Shares")
    client.force_login(officer)
    dashboard = reverse("branches:dashboard", args=[branch.slug])
    export = reverse("branches:export_csv", args=[branch.slug])
    for text in HOSTILE:
        for key in ["name", "course", "level", "status", "sort", "page"]:
            query = "?" + urlencode({key: text})
            response = client.get(dashboard + query)
            assert response.status_code == 200, (key, text)
            if key != "name":
                assert "Sharon Shares" in response.content.decode()
        query = "?" + urlencode(dict.fromkeys(["name", "course", "level", "status", "sort"], text))
        response = client.get(export + query)
        assert response.status_code == 200
        b"".join(response.streaming_content)


def test_member_names_are_escaped_on_officer_pages(client, branch, officer):
    names = [p for p in XSS + XSS_CORPUS if "<" in p]
    memberships = [make_member(branch, display_name=name) for name in names]
    client.force_login(officer)
    pages = [
        client.get(reverse("branches:dashboard", args=[branch.slug])).content.decode(),
        client.get(reverse("branches:recommend", args=[branch.slug])).content.decode(),
    ]
    for name, membership in zip(names, memberships, strict=True):
        detail = client.get(member_url(branch, membership.pk)).content.decode()
        for page in [*pages, detail]:
            assert name not in page
            readable = page.replace("&#x27;", "'").replace("&quot;", '"')
            assert htmllib.escape(name, quote=False) in readable, name


class HostileText(TestCase):
    """Random text into the officer forms: an error or safe storage, never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.branch = make_branch("Fuzz Branch")
        cls.officer = make_officer(cls.branch)
        cls.member = make_member(cls.branch, display_name="Fuzz Member")
        cls.course = make_course(modules=1, lessons=1)

    def setUp(self):
        self.officer_client = Client()
        self.officer_client.force_login(self.officer)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=st.text(max_size=300), show_until=st.text(max_size=20))
    def test_notices(self, body, show_until):
        url = reverse("branches:notices", args=[self.branch.slug])
        response = self.officer_client.post(url, {"body": body, "show_until": show_until})
        if response.status_code == 302:
            assert_safe_html(Notice.objects.get().body)
        else:
            assert_clear_error(response)
            assert not Notice.objects.exists()

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                key: st.text(max_size=30)
                for key in ["name", "course", "level", "status", "sort", "page"]
            },
        )
    )
    def test_dashboard_parameters(self, params):
        query = "?" + urlencode(params)
        url = reverse("branches:dashboard", args=[self.branch.slug])
        assert self.officer_client.get(url + query).status_code == 200
        url = reverse("branches:export_xlsx", args=[self.branch.slug])
        assert self.officer_client.get(url + query).status_code == 200

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(audience=st.text(max_size=20), members=st.lists(st.text(max_size=20), max_size=3))
    def test_recommendations(self, audience, members):
        url = reverse("branches:recommend", args=[self.branch.slug])
        data = {"course": self.course.pk, "audience": audience, "members": members}
        response = self.officer_client.post(url, data)
        if response.status_code == 302:
            recommendation = Recommendation.objects.get()
            assert recommendation.branch == self.branch
            assert set(recommendation.recipients.all()) <= {self.member.user}
        else:
            assert_clear_error(response)
            assert not Recommendation.objects.exists()


# Notices (IO-01) ---------------------------------------------------------------------

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "b", "i", "a", "br"}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_safe_html(fragment):
    """Only the rich-text tags, no attribute but a link's href, and only safe links."""
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, fragment)
        for name, value in attrs:
            assert (tag, name) == ("a", "href"), (tag, name, fragment)
            assert urlparse(value.strip()).scheme.lower() in {"http", "https", "mailto"}, value


def notice_fragments(page):
    return re.findall(r'<div class="kh-prose">(.*?)</div>\s*</section>', page, flags=re.S)


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_a_notice_never_reaches_members_executable(client, branch, officer, payload):
    member = make_member(branch, shares=False).user
    client.force_login(officer)
    response = client.post(reverse("branches:notices", args=[branch.slug]), {"body": payload})
    if response.status_code == 200:  # nothing left once sanitised: refused, not stored empty
        assert response.context["form"].errors["body"]
        assert not Notice.objects.exists()
        return
    assert response.status_code == 302
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    fragments = notice_fragments(page)
    assert len(fragments) == 1
    assert_safe_html(fragments[0])
    # The officers' own list of notices is just as safe.
    client.force_login(officer)
    officer_page = client.get(reverse("branches:notices", args=[branch.slug])).content.decode()
    (own,) = re.findall(r'<div class="kh-prose">(.*?)</div>', officer_page, flags=re.S)
    assert_safe_html(own)


def test_notices_keep_basic_formatting_and_reach_every_member(client, branch, officer):
    sharing = make_member(branch).user
    private = make_member(branch, shares=False).user
    outsider = make_member(make_branch()).user
    client.force_login(officer)
    body = (
        "<p><b>Bold</b> and <i>italic</i></p><ul><li>One</li></ul>"
        '<p><a href="https://example.org/">a link</a></p>'
    )
    response = client.post(reverse("branches:notices", args=[branch.slug]), {"body": body})
    assert response.status_code == 302
    plain = "First line\nTom & Jerry\n\nNew paragraph"
    client.post(reverse("branches:notices", args=[branch.slug]), {"body": plain})
    for user in (sharing, private):
        client.force_login(user)
        fragments = notice_fragments(client.get(reverse("dashboard")).content.decode())
        assert fragments == [
            "<p>First line<br>Tom &amp; Jerry</p><p>New paragraph</p>",  # newest first
            body,
        ]
    client.force_login(outsider)
    assert notice_fragments(client.get(reverse("dashboard")).content.decode()) == []


def test_notices_after_their_last_day_are_not_shown(client, branch, officer):
    member = make_member(branch).user
    Notice.objects.create(
        branch=branch,
        body="<p>Old news</p>",
        show_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    Notice.objects.create(branch=branch, body="<p>Today</p>", show_until=timezone.localdate())
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Today" in page and "Old news" not in page


# Recommendations --------------------------------------------------------------------------


def recommended(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    return [r.course.title for r in response.context["branch_recommendations"]]


def test_a_recommendation_to_everyone_reaches_every_member_until_they_complete(
    client, branch, officer, course
):
    sharing = make_member(branch).user
    private = make_member(branch, shares=False).user
    outsider = make_member(make_branch()).user
    client.force_login(officer)
    due = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("branches:recommend", args=[branch.slug]),
        {"course": course.pk, "audience": "everyone", "due_on": due.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.for_everyone, recommendation.due_on) == (True, due)
    assert recommended(client, sharing) == ["Your data rights"]
    assert recommended(client, private) == ["Your data rights"]
    assert recommended(client, outsider) == []
    page = client.get(reverse("dashboard")).content.decode()
    assert "Recommended by your branch" not in page
    client.force_login(sharing)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Recommended by your branch" in page
    assert f"complete by {due.day} {due:%B %Y}" in page
    complete(sharing, course, n=1)
    assert recommended(client, sharing) == ["Your data rights"]
    complete(sharing, course)
    assert recommended(client, sharing) == []
    assert recommended(client, private) == ["Your data rights"]


def test_a_recommendation_to_chosen_members_reaches_only_them(client, branch, officer, course):
    chosen = make_member(branch, display_name="Chosen One").user
    passed_over = make_member(branch, display_name="Passed Over").user
    private = make_member(branch, display_name="Private Person", shares=False).user
    client.force_login(officer)
    url = reverse("branches:recommend", args=[branch.slug])
    page = client.get(url).content.decode()
    choices = {int(box["value"]) for box in inputs(page, "members")}
    assert choices == {chosen.pk, passed_over.pk}
    assert "Private Person" not in page
    response = client.post(url, {"course": course.pk, "audience": "chosen", "members": [chosen.pk]})
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.for_everyone is False
    assert list(recommendation.recipients.all()) == [chosen]
    assert recommended(client, chosen) == ["Your data rights"]
    assert recommended(client, passed_over) == []
    assert recommended(client, private) == []


@pytest.mark.parametrize("who", ["non_sharing", "other_branch", "officer"])
def test_only_sharing_members_can_be_chosen(client, branch, officer, course, who):
    if who == "non_sharing":
        target = make_member(branch, shares=False).user
    elif who == "other_branch":
        target = make_member(make_branch()).user
    else:
        target = officer
    make_member(branch)
    client.force_login(officer)
    response = client.post(
        reverse("branches:recommend", args=[branch.slug]),
        {"course": course.pk, "audience": "chosen", "members": [target.pk]},
    )
    assert_clear_error(response)
    assert response.context["form"].errors["members"] == ["Choose members from the list"]
    assert not Recommendation.objects.exists()


def test_choosing_nobody_is_an_error(client, branch, officer, course):
    make_member(branch)
    client.force_login(officer)
    response = client.post(
        reverse("branches:recommend", args=[branch.slug]),
        {"course": course.pk, "audience": "chosen"},
    )
    assert_clear_error(response)
    assert not Recommendation.objects.exists()


def test_a_due_date_in_the_past_is_an_error(client, branch, officer, course):
    client.force_login(officer)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("branches:recommend", args=[branch.slug]),
        {"course": course.pk, "audience": "everyone", "due_on": yesterday.strftime("%d/%m/%Y")},
    )
    assert_clear_error(response)
    assert not Recommendation.objects.exists()


# Reminder emails ------------------------------------------------------------------------------


def remind():
    out = io.StringIO()
    call_command("send_course_reminders", stdout=out)
    return out.getvalue()


def test_reminders_go_once_to_members_who_have_not_completed(branch, officer, course):
    today = timezone.localdate()
    later_course = make_course(title="Bargaining on AI", modules=1, lessons=1)
    waiting = make_member(branch, display_name="Will Wait", email="wait@example.org").user
    make_member(branch, shares=False, email="private@example.org")
    done = make_member(branch, email="done@example.org").user
    leaver = make_member(branch, email="leaver@example.org")
    outsider = make_member(make_branch(), email="outsider@example.org").user
    chosen = make_member(branch, email="chosen@example.org").user
    complete(done, course)
    complete(waiting, course, n=1)
    membership_leave(membership=leaver)
    soon = Recommendation.objects.create(
        branch=branch, course=course, due_on=today + datetime.timedelta(days=7), created_by=officer
    )
    Recommendation.objects.create(
        branch=branch,
        course=later_course,
        due_on=today + datetime.timedelta(days=8),
        created_by=officer,
    )
    Recommendation.objects.create(
        branch=branch,
        course=later_course,
        due_on=today - datetime.timedelta(days=1),
        created_by=officer,
    )
    Recommendation.objects.create(branch=branch, course=later_course, created_by=officer)
    for_one = Recommendation.objects.create(
        branch=branch,
        course=later_course,
        due_on=today,
        for_everyone=False,
        created_by=officer,
    )
    for_one.recipients.set([chosen])
    del outsider
    mail.outbox.clear()  # "done" was emailed their certificate; only reminders count here

    assert "Sent 4 reminders." in remind()
    sent = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert sent == [
        ("chosen@example.org", "Reminder: Bargaining on AI"),
        ("chosen@example.org", "Reminder: Your data rights"),
        ("private@example.org", "Reminder: Your data rights"),
        ("wait@example.org", "Reminder: Your data rights"),
    ]
    (to_waiting,) = [m for m in mail.outbox if m.to == ["wait@example.org"]]
    assert "Hello Will Wait," in to_waiting.body
    assert "http://testserver" + course.get_url() in to_waiting.body
    assert RecommendationReminder.objects.filter(recommendation=soon).count() == 3

    mail.outbox.clear()
    assert "Sent 0 reminders." in remind()
    assert mail.outbox == []


def test_withdrawing_consent_does_not_stop_reminders_but_leaving_does(branch, officer, course):
    membership = make_member(branch, email="member@example.org")
    consent_set(membership=membership, shares_progress=False)
    Recommendation.objects.create(
        branch=branch, course=course, due_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    remind()
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    mail.outbox.clear()
    RecommendationReminder.objects.all().delete()
    membership_leave(membership=Membership.objects.get(pk=membership.pk))
    remind()
    assert mail.outbox == []
