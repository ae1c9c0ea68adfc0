"""Writes for branches: joining, consent, leaving, invitations, officers'
recommendations, reminders and notices. Each security event goes to Wagtail's audit
log (LOG-01) with who, when and what — never learner text."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from wagtail.log_actions import log

from branches.consent import CURRENT_VERSION
from branches.models import (
    Branch,
    BranchOfficer,
    ConsentRecord,
    Membership,
    Notice,
    Recommendation,
    RecommendationReminder,
    Region,
    RegionOfficer,
    new_invite_code,
)
from core.sanitise import sanitise_html
from courses.models import Enrolment


class AlreadyMember(Exception):
    pass


def _record_consent(*, membership, shares, source, now):
    ConsentRecord.objects.create(
        user=membership.user,
        branch=membership.branch,
        shares_progress=shares,
        wording_version=CURRENT_VERSION,
        source=source,
        recorded_at=now,
    )
    log(
        instance=membership,
        action="knowhow.consent.give" if shares else "knowhow.consent.withdraw",
        user=membership.user,
        data={"branch": membership.branch.slug, "wording_version": CURRENT_VERSION},
    )


def membership_join(*, user, branch: Branch, shares_progress: bool) -> Membership:
    """Join `branch`, recording the separate choice about sharing progress."""
    now = timezone.now()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                branch=branch,
                joined_at=now,
                shares_progress=shares_progress,
                consent_version=CURRENT_VERSION,
                consent_changed_at=now,
            )
            log(instance=membership, action="knowhow.branch.join", user=user)
            _record_consent(
                membership=membership,
                shares=shares_progress,
                source=ConsentRecord.Source.JOINING,
                now=now,
            )
    except IntegrityError as error:
        raise AlreadyMember from error
    return membership


def consent_set(*, membership: Membership, shares_progress: bool) -> Membership:
    """Give or withdraw consent under the current wording.

    Takes effect on the officers' next request: every officer read filters
    on these columns.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        unchanged = (
            locked.shares_progress == shares_progress and locked.consent_version == CURRENT_VERSION
        )
        if unchanged:
            return locked
        locked.shares_progress = shares_progress
        locked.consent_version = CURRENT_VERSION
        locked.consent_changed_at = now
        locked.save(update_fields=["shares_progress", "consent_version", "consent_changed_at"])
        locked.user = membership.user
        locked.branch = membership.branch
        _record_consent(
            membership=locked,
            shares=shares_progress,
            source=ConsentRecord.Source.PRIVACY_PAGE,
            now=now,
        )
    return locked


def membership_leave(*, membership: Membership) -> None:
    """Leave the branch: officers stop seeing the member at once."""
    now = timezone.now()
    with transaction.atomic():
        if membership.shares_progress:
            _record_consent(
                membership=membership, shares=False, source=ConsentRecord.Source.LEAVING, now=now
            )
        log(instance=membership, action="knowhow.branch.leave", user=membership.user)
        membership.delete()


def invite_code_regenerate(*, branch: Branch, by) -> Branch:
    """A new invitation link; the old one stops working."""
    branch.invite_code = new_invite_code()
    branch.save(update_fields=["invite_code"])
    log(instance=branch, action="knowhow.branch.invite_regenerate", user=by)
    return branch


def invitations_send(*, branch: Branch, emails: list[str], join_url: str, by) -> int:
    """Email the branch's invitation link to each address."""
    context = {"branch": branch, "join_url": join_url, "inviter": by}
    subject = f"Join {branch.name} on Knowhow"
    body = render_to_string("branches/email/invitation.txt", context)
    for email in emails:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    # The addresses are not logged: the count is enough to audit.
    log(instance=branch, action="knowhow.branch.invite_email", user=by, data={"count": len(emails)})
    return len(emails)


def recommendation_create(
    *, branch: Branch, course, due_on, recipients, by, for_everyone: bool
) -> Recommendation:
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            branch=branch, course=course, due_on=due_on, for_everyone=for_everyone, created_by=by
        )
        if not for_everyone:
            recommendation.recipients.set(recipients)
    return recommendation


def recommendation_reminders_send(*, days: int = 7, base_url: str | None = None, today=None) -> int:
    """Email members about recommended courses due within `days` days; returns
    how many were sent. Run daily by the scheduler (settings.PERIODIC_JOBS).

    Safe to run twice, or on two servers at once: each member gets one
    reminder per recommendation. The RecommendationReminder row (unique per
    recommendation and member) and the email are written in one transaction,
    so a run that loses the race for a row sends nothing, and a run that
    stops half-way has sent exactly the reminders it recorded.
    """
    today = today or timezone.localdate()
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    due = Recommendation.objects.filter(
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=days),
        course__live=True,
    ).select_related("branch", "course")
    sent = 0
    for recommendation in due:
        # Current members only: someone who left the branch hears nothing more from it.
        members = Membership.objects.filter(branch=recommendation.branch).values("user_id")
        people = get_user_model().objects.filter(pk__in=members, is_active=True)
        if not recommendation.for_everyone:
            people = people.filter(pk__in=recommendation.recipients.values("pk"))
        people = people.exclude(
            pk__in=Enrolment.objects.filter(
                course=recommendation.course, completed_at__isnull=False
            ).values("user_id")
        ).exclude(pk__in=recommendation.reminders.values("user_id"))
        course_url = base_url + recommendation.course.get_url()
        for user in people.iterator():
            body = render_to_string(
                "branches/email/reminder.txt",
                {"user": user, "recommendation": recommendation, "course_url": course_url},
            )
            try:
                with transaction.atomic():
                    RecommendationReminder.objects.create(recommendation=recommendation, user=user)
                    send_mail(
                        f"Reminder: {recommendation.course.title}",
                        body,
                        settings.DEFAULT_FROM_EMAIL,
                        [user.email],
                    )
            except IntegrityError:
                continue  # another run got there first
            sent += 1
    return sent


def notice_create(*, branch: Branch, body: str, show_until, by) -> Notice:
    """Post a notice. The body is officer-supplied HTML, so it is sanitised
    here, before it is stored (IO-01)."""
    return Notice.objects.create(
        branch=branch, body=notice_html(body), show_until=show_until, created_by=by
    )


NOTICE_TAGS = frozenset({"p", "ul", "ol", "li", "b", "i", "a", "br"})
_BLOCK_START = ("<p>", "<p ", "<ul", "<ol")


def notice_html(text: str) -> str:
    """Officers type paragraphs separated by blank lines, optionally with the
    few tags the hint lists. A notice sits under a heading on the dashboard,
    so headings are not among them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    plain = "<" not in text
    blocks = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        if not plain and block.lower().startswith(_BLOCK_START):
            blocks.append(block)
            continue
        lines = [escape(line) if plain else line for line in block.split("\n")]
        blocks.append("<p>" + "<br>".join(lines) + "</p>")
    html = sanitise_html("".join(blocks), tags=NOTICE_TAGS)
    # A list inside a paragraph is split out by the parser, leaving stubs.
    return html.replace("<br></p>", "</p>").replace("<p></p>", "")


def notice_delete(*, notice: Notice) -> None:
    notice.delete()


def branch_officer_appoint(*, branch: Branch, user, by) -> BranchOfficer:
    role, _ = BranchOfficer.objects.get_or_create(branch=branch, user=user)
    log(instance=role, action="knowhow.role.appoint", user=by, data={"branch": branch.slug})
    return role


def region_officer_appoint(*, region: Region, user, by) -> RegionOfficer:
    role, _ = RegionOfficer.objects.get_or_create(region=region, user=user)
    log(instance=role, action="knowhow.role.appoint", user=by, data={"region": region.slug})
    return role


def officer_remove(*, role, by) -> None:
    """Ends a branch or region officer role; the next request is refused (AC-03)."""
    log(instance=role, action="knowhow.role.remove", user=by)
    role.delete()
