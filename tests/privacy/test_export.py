"""Your data (issue #16, GDPR-02; UK GDPR Articles 15 and 20): the member
sees and downloads everything Knowhow holds about them, in a fixed number of
queries however long their history."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML
from wagtail.log_actions import log

from assessments.services import attempt_start, attempt_submit
from branches import services as branch_services
from branches.models import Membership
from core import privacy
from tests.factories import UserFactory
from tests.factories.assessments import make_question, make_quiz
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import complete, make_course
from tests.privacy.conftest import EMAIL, NAME, OLD_EMAIL, TYPED

pytestmark = pytest.mark.django_db


def download(client):
    response = client.get("/accounts/data/download/")
    assert response.status_code == 200
    return response, json.loads(b"".join(response.streaming_content))


def test_the_download_holds_every_section_and_the_member_s_records(everything):
    response, data = download(everything.clients[0])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="knowhow-my-data-')
    assert "no-store" in response["Cache-Control"]
    assert data["format"] == "knowhow-personal-data/1"
    sections = data["sections"]
    assert sorted(sections) == sorted(p.section for p in privacy.providers())
    # In reading order: who they are and what they learned come first.
    assert list(sections)[:8] == [
        "account",
        "email_addresses",
        "authenticators",
        "sessions",
        "enrolments",
        "lesson_completions",
        "quiz_attempts",
        "certificates",
    ]

    account = sections["account"]["records"]
    assert account == [
        {
            "email": EMAIL,
            "display_name": NAME,
            "joined": account[0]["joined"],
            "last_signed_in": account[0]["last_signed_in"],
            "active": True,
            "groups": [],
            "warned_of_deletion_for_inactivity": None,
        }
    ]
    emails = {row["email"] for row in sections["email_addresses"]["records"]}
    assert emails == {EMAIL, OLD_EMAIL}
    assert [r["shares_progress"] for r in sections["consent_history"]["records"]] == [
        True,
        False,
        True,
    ]
    attempt = sections["quiz_attempts"]["records"][0]
    assert attempt["answers"][0]["your_answer"] == {"text": TYPED}
    assert attempt["passed"] is False
    assert [r["course"] for r in sections["certificates"]["records"]] == ["Your data at work"]
    assert len(sections["lesson_completions"]["records"]) == 2
    assert [r["course"] for r in sections["recommendations"]["records"]] == ["Your data at work"]
    assert len(sections["reminders"]["records"]) == 1
    assert len(sections["sessions"]["records"]) == 2
    assert sections["emails"]["records"][0]["to"] == EMAIL
    # Which officer viewed the record, and when; and the administrator's export.
    audit = sections["audit_log"]["records"]
    viewed = [row for row in audit if row["action"] == "View member"]
    assert [row["by"] for row in viewed] == ["Olu Officer"]
    assert any(
        row["action"] == "Export personal data" and row["by"] == "Ada Admin" for row in audit
    )


def test_the_download_never_holds_sign_in_secrets(everything):
    _, data = download(everything.clients[0])
    text = json.dumps(data)
    secret = Authenticator.objects.get(user=everything.member, type="totp").data["secret"]
    assert secret not in text
    assert everything.member.password not in text
    assert [row["type"] for row in data["sections"]["authenticators"]["records"]] == ["totp"]


def test_the_download_is_on_the_record(everything):
    from wagtail.models import ModelLogEntry

    download(everything.clients[0])
    entry = ModelLogEntry.objects.filter(action="knowhow.account.export").latest("pk")
    assert entry.user == everything.member


def test_the_page_shows_the_same_data_escaped(everything):
    response = everything.clients[0].get("/accounts/data/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assertInHTML('<h1 class="kh-heading-xl">Your data</h1>', html)
    for provider in privacy.providers():
        assert f'id="{provider.section}"' in html
    assert TYPED in html
    assert OLD_EMAIL in html
    assertInHTML(
        '<a class="kh-subnav__link" href="/accounts/data/" aria-current="page">Your data</a>', html
    )


def test_the_page_works_in_a_fresh_process_and_with_a_retired_audit_action(client, monkeypatch):
    """Found trying `make run` as a newcomer: in a process that had not yet
    loaded Wagtail's registered audit actions, the page was a 500. An entry
    whose action is no longer registered shows its code."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.log_actions import registry
    from wagtail.models import ModelLogEntry

    member = UserFactory()
    branch = make_branch()
    branch_services.membership_join(branch=branch, user=member, shares_progress=True)
    # Written before an upgrade that retired the action: no validation now.
    # (bulk_create skips the check in save() that the action is registered.)
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(branch),
                object_id=str(branch.pk),
                label=branch.name,
                action="knowhow.retired.action",
                user=member,
                timestamp=timezone.now(),
            )
        ]
    )
    monkeypatch.setattr(registry, "formatters", {})
    monkeypatch.setattr(registry, "choices", [])
    monkeypatch.setattr(registry, "has_scanned_for_actions", False)
    client.force_login(member)
    response = client.get("/accounts/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Join branch" in html
    assert "knowhow.retired.action" in html
    _, data = download(client)
    actions = [record["action"] for record in data["sections"]["audit_log"]["records"]]
    assert "Join branch" in actions


def test_typed_text_is_escaped_on_the_page(client):
    member = UserFactory()
    quiz = make_quiz([make_question("short_text")])
    attempt = attempt_start(user=member, quiz=quiz)
    row = attempt.questions.get()
    attempt_submit(
        attempt=attempt,
        version=attempt.version,
        responses={row.position: {"text": "<script>alert(1)</script>"}},
    )
    client.force_login(member)
    html = client.get("/accounts/data/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def history(member, *, size):
    """`size` of each kind of record for `member`."""
    branch = make_branch()
    officer = make_officer(branch)
    membership = make_member(branch, member)
    for n in range(size):
        branch_services.consent_set(membership=membership, shares_progress=n % 2 == 1)
        log(instance=membership, action="knowhow.branch.member_view", user=officer)
    for _ in range(size):
        complete(member, make_course(modules=1, lessons=2))
        quiz = make_quiz([make_question("short_text"), make_question("single")])
        attempt = attempt_start(user=member, quiz=quiz)
        attempt_submit(attempt=attempt, version=attempt.version, responses={})
    assert Membership.objects.filter(user=member).count() == 1


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/accounts/data/", "/accounts/data/download/"])
def test_queries_do_not_grow_with_the_history(client, django_assert_max_num_queries, url):
    small, large = UserFactory(), UserFactory()
    history(small, size=1)
    history(large, size=6)
    client.force_login(small)
    baseline = count_queries(client, url)
    client.force_login(large)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
