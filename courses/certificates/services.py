"""Issuing and revoking certificates (CERT-01..03)."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from courses.certificates import signing
from courses.certificates.models import Certificate, CertificateStatus
from courses.certificates.selectors import certificate_current
from courses.models import Enrolment


def new_code() -> str:
    """128 random bits as 32 hex characters, unrelated to the person (CERT-02)."""
    return secrets.token_hex(16)


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def certificate_issue(*, enrolment: Enrolment, now=None) -> Certificate:
    """Issue the certificate for a completed enrolment. Call it inside the
    transaction that completes the course: it is issued with the completion
    or not at all, and the partial unique constraint keeps it to one."""
    now = now or timezone.now()
    course = enrolment.course
    existing = certificate_current(user=enrolment.user, course=course)
    if existing and not existing.is_expired and existing.status == CertificateStatus.VALID:
        return existing
    if existing:
        Certificate.objects.filter(pk=existing.pk).update(current=False)
    certificate = Certificate(
        code=new_code(),
        user=enrolment.user,
        course=course,
        holder_name=enrolment.user.display_name or enrolment.user.email,
        course_title=course.title,
        course_level=course.get_level_display(),
        hours=(Decimal(course.estimated_minutes) / 60).quantize(Decimal("0.1")),
        issued_at=now,
        expires_on=(
            _add_months(timezone.localdate(now), course.valid_for_months)
            if course.valid_for_months
            else None
        ),
    )
    certificate.signature = signing.sign(certificate)
    with transaction.atomic():
        certificate.save()
    log(instance=certificate, action="knowhow.certificate.issue", user=enrolment.user)
    # Written down in the same transaction (the email ledger is a table): the
    # email exists if and only if the certificate does. Sent after the commit,
    # by a worker.
    _email_holder(certificate)
    return certificate


def _email_holder(certificate):
    user = certificate.user
    if user is None or not user.email:
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "certificate": certificate,
        "certificates_url": base + reverse("my_certificates"),
    }
    send_mail(
        subject=f"[Knowhow] Your certificate for {certificate.course_title}",
        message=render_to_string("certificates/email/issued.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def certificate_set_show_name(*, certificate: Certificate, user, show: bool) -> None:
    if certificate.user_id != user.pk:
        raise PermissionError("Only the holder decides what the public page shows.")
    Certificate.objects.filter(pk=certificate.pk).update(show_name=show)
    certificate.show_name = show


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a certificate, on the record (who, when, why)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("Give a reason for revoking the certificate.")
    with transaction.atomic():
        updated = Certificate.objects.filter(
            pk=certificate.pk, status=CertificateStatus.VALID
        ).update(status=CertificateStatus.REVOKED, revoked_at=timezone.now(), revoked_reason=reason)
        certificate.refresh_from_db()
        if updated:
            log(
                instance=certificate,
                action="knowhow.certificate.revoke",
                user=by,
                data={"reason": reason},
            )
    return certificate
