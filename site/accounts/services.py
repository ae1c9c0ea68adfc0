"""Writes for a member's data rights (issue #16): erasing an account, and
the audit entries for exports and erasures an administrator handles."""

from django.db import transaction
from wagtail.log_actions import log

from core import privacy


def _audit(*, user, action, by, reason="", source="self"):
    data = {"reason": reason} if reason else {}
    if by is None:
        data["by"] = source
    # The entry is about the member's account; its label never names them.
    log(instance=user, action=action, user=by, title=privacy.ERASED_LABEL, data=data)


def account_erase(*, user, by=None, reason: str = "", source: str = "self") -> list[str]:
    """Erase `user` and everything Knowhow holds about them, in one
    transaction: all of it or, if anything fails, none of it. `by` is the
    administrator handling a request; without one, `source` says who asked
    ("self", or "retention" for the scheduled job).

    Returns the models whose rows were erased, in order."""
    with transaction.atomic():
        # Inside the transaction, so rows written meanwhile are not missed
        # by the providers' lists of rows about the person.
        subject = privacy.subject_for(user)
        done = privacy.erase(subject)
        # After the erasure, so the entry itself is not anonymised: it keeps
        # the fact, and the administrator's reason.
        _audit(user=user, action="knowhow.account.erase", by=by, reason=reason, source=source)
    return done


def account_export_audit(*, user, by, reason: str = "") -> None:
    """Record that an export was made: by the member or an administrator."""
    _audit(user=user, action="knowhow.account.export", by=by, reason=reason)
