"""Retention (issue #16, GDPR-04): personal data Knowhow no longer needs is
erased on schedule, by the daily "retention" job in settings.PERIODIC_JOBS.
Each period is a setting (RETENTION_*); docs/privacy.md says why each default.

Knowhow keeps no invitation records to expire: an invitation is an email in
the outgoing-email ledger, deleted after EMAIL_KEEP_DAYS by background_prune,
and a branch's link, which officers replace with "New invitation link"."""

from datetime import timedelta

from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.services import account_erase


def _erase_each(users) -> int:
    count = 0
    for user in users.iterator():
        account_erase(user=user, source="retention")  # one transaction per person
        count += 1
    return count


def unverified_signups_erase(*, now) -> int:
    """Sign-ups never verified within the period: nobody can use them."""
    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_SIGNUP_DAYS)
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    users = (
        get_user_model()
        .objects.filter(date_joined__lt=cutoff, is_staff=False, is_superuser=False)
        .exclude(Exists(verified))
    )
    return _erase_each(users)


def sign_in_records_prune(*, now) -> int:
    """Ended sessions, and email confirmations that have run out."""
    cutoff = now - timedelta(days=settings.RETENTION_SIGN_IN_DAYS)
    sessions, _ = Session.objects.filter(expire_date__lt=cutoff).delete()
    confirmations, _ = EmailConfirmation.objects.all_expired().delete()
    return sessions + confirmations


def audit_log_prune(*, now) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_AUDIT_LOG_DAYS)
    deleted, _ = ModelLogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted


def _last_seen():
    return Coalesce("last_login", "date_joined")


def inactive_accounts_process(*, now, base_url=None) -> dict:
    """Warn, then erase, accounts nobody signs in to (off while
    RETENTION_INACTIVE_ACCOUNT_DAYS is 0). Administrators and staff are never
    erased this way: removing them is a decision for a person."""
    days = settings.RETENTION_INACTIVE_ACCOUNT_DAYS
    if days <= 0:
        return {"warned": 0, "erased": 0}
    warning = timedelta(days=settings.RETENTION_INACTIVE_WARNING_DAYS)
    people = get_user_model().objects.filter(is_staff=False, is_superuser=False)
    people = people.annotate(last_seen=_last_seen())
    # Warned, and not signed in since: erased once the warning period is over.
    due = people.filter(
        inactivity_warned_at__lt=now - warning, last_seen__lt=F("inactivity_warned_at")
    )
    erased = _erase_each(due)
    to_warn = people.filter(last_seen__lt=now - timedelta(days=days) + warning).filter(
        Q(inactivity_warned_at__isnull=True) | Q(last_seen__gte=F("inactivity_warned_at"))
    )
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    warned = 0
    for user in to_warn.iterator():
        body = render_to_string(
            "accounts/email/inactive_warning.txt",
            {
                "user": user,
                "erase_on": timezone.localdate(now + warning),
                "login_url": base_url + "/accounts/login/",
                "data_url": base_url + "/accounts/data/",
            },
        )
        send_mail("Your Knowhow account will be deleted", body, None, [user.email])
        get_user_model().objects.filter(pk=user.pk).update(inactivity_warned_at=now)
        warned += 1
    return {"warned": warned, "erased": erased}


def retention_run(*, now=None) -> dict:
    """The daily job: every retention rule, each on its own period."""
    now = now or timezone.now()
    return {
        "unverified_signups": unverified_signups_erase(now=now),
        "sign_in_records": sign_in_records_prune(now=now),
        "audit_log_entries": audit_log_prune(now=now),
        **inactive_accounts_process(now=now),
    }
