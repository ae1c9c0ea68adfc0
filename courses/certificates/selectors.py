"""Reads of certificates."""

from courses.certificates.models import Certificate


def certificate_current(*, holder, course) -> Certificate | None:
    """The holder's current certificate for a course (valid, expired or
    revoked), or None. Earlier ones a retake replaced are history."""
    if holder is None:
        return None
    return Certificate.objects.filter(user=holder, course=course, current=True).first()


def certificates_held(*, viewer) -> list[Certificate]:
    """Every certificate the viewer holds, the newest first."""
    return list(Certificate.objects.filter(user=viewer).order_by("-issued_at"))
