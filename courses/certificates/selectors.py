"""Reads of certificates."""

from courses.certificates.models import Certificate


def certificate_current(*, user, course) -> Certificate | None:
    """The user's current certificate for a course (valid, expired or
    revoked), or None. Earlier ones a retake replaced are history."""
    if user is None:
        return None
    return Certificate.objects.filter(user=user, course=course, current=True).first()


def certificates_held(*, user) -> list[Certificate]:
    """Every certificate the user holds, the newest first."""
    return list(Certificate.objects.filter(user=user).order_by("-issued_at"))
