"""Retention (issue #16, GDPR-04): the daily job erases what Knowhow no
longer needs, each on its own configurable period."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts import retention
from background.scheduler import jobs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NOW = timezone.now()


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def test_the_job_is_scheduled_daily():
    job = settings.PERIODIC_JOBS["retention"]
    assert job["call"] == "accounts.retention.retention_run"
    assert "daily_at" in job
    assert "retention" in jobs()


def test_unverified_sign_ups_go_after_the_period(settings):
    settings.RETENTION_UNVERIFIED_SIGNUP_DAYS = 30
    old = UserFactory(verified=False, date_joined=days_ago(31))
    recent = UserFactory(verified=False, date_joined=days_ago(29))
    verified = UserFactory(date_joined=days_ago(400))
    staff = UserFactory(verified=False, date_joined=days_ago(400), is_staff=True)
    result = retention.retention_run(now=NOW)
    assert result["unverified_signups"] == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, verified.pk, staff.pk}
    assert not EmailAddress.objects.filter(user_id=old.pk).exists()
    entry = ModelLogEntry.objects.get(action="knowhow.account.erase")
    assert entry.data == {"by": "retention"}


def test_ended_sessions_and_old_audit_entries_are_pruned(settings):
    settings.RETENTION_SIGN_IN_DAYS = 30
    settings.RETENTION_AUDIT_LOG_DAYS = 730
    member = UserFactory()
    for expired in (days_ago(31), days_ago(1)):
        store = SessionStore()
        store["_auth_user_id"] = str(member.pk)
        store.create()
        Session.objects.filter(session_key=store.session_key).update(expire_date=expired)
    log(instance=member, action="wagtail.edit", timestamp=days_ago(731))
    kept = log(instance=member, action="wagtail.edit", timestamp=days_ago(700))
    result = retention.retention_run(now=NOW)
    assert result["sign_in_records"] == 1
    assert result["audit_log_entries"] == 1
    assert Session.objects.count() == 1
    assert list(ModelLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]


def test_inactive_accounts_are_left_alone_by_default(settings, mailoutbox):
    assert settings.RETENTION_INACTIVE_ACCOUNT_DAYS == 0
    UserFactory(last_login=days_ago(5000), date_joined=days_ago(5000))
    assert retention.retention_run(now=NOW)["erased"] == 0
    assert User.objects.count() == 1
    assert mailoutbox == []


def test_inactive_accounts_are_warned_then_erased(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 365
    settings.RETENTION_INACTIVE_WARNING_DAYS = 30
    idle = UserFactory(email="idle@example.org", last_login=days_ago(340))
    active = UserFactory(last_login=days_ago(10))
    admin = UserFactory(last_login=days_ago(900), is_superuser=True, is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = retention.inactive_accounts_process(now=NOW)
    assert first == {"warned": 1, "erased": 0}
    assert [m.to for m in mailoutbox] == [["idle@example.org"]]
    assert "will be deleted" in mailoutbox[0].body
    # The next day's run does not warn again.
    assert retention.inactive_accounts_process(now=NOW + datetime.timedelta(days=1)) == {
        "warned": 0,
        "erased": 0,
    }
    later = NOW + datetime.timedelta(days=31)
    assert retention.inactive_accounts_process(now=later) == {"warned": 0, "erased": 1}
    assert set(User.objects.values_list("pk", flat=True)) == {active.pk, admin.pk}
    assert idle.pk not in set(User.objects.values_list("pk", flat=True))


def test_signing_in_after_the_warning_keeps_the_account(settings):
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 365
    settings.RETENTION_INACTIVE_WARNING_DAYS = 30
    idle = UserFactory(last_login=days_ago(340))
    retention.inactive_accounts_process(now=NOW)
    User.objects.filter(pk=idle.pk).update(last_login=NOW + datetime.timedelta(days=2))
    later = NOW + datetime.timedelta(days=31)
    assert retention.inactive_accounts_process(now=later) == {"warned": 0, "erased": 0}
    assert User.objects.filter(pk=idle.pk).exists()
