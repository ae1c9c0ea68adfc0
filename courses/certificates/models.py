"""The certificate record. courses/models.py imports it, so Django finds it
among the courses app's models; its app label and table stay courses'."""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The revocation reason of a certificate whose holder erased their account.
WITHDRAWN_BY_HOLDER = "withdrawn by holder"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "Valid"
    REVOKED = "revoked", "Revoked"


class Certificate(models.Model):
    """Proof that someone completed a course. It stands on its own: the
    holder's name and the course's facts are copied at issue, and the code is
    random, unrelated to the person (CERT-02). Revoked, never deleted."""

    code = models.CharField(max_length=32, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    holder_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=255)
    course_level = models.CharField(max_length=40)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(null=True, blank=True)
    # The certificate a retake replaces stays as history, no longer current.
    current = models.BooleanField(default=True)
    status = models.CharField(
        max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    show_name = models.BooleanField(
        "show my name on the public page",
        default=False,
        help_text="Off unless the holder turns it on: a certificate must never reveal to a "
        "stranger that a named person is a union rep.",
    )
    signature = models.CharField(max_length=200, editable=False)

    class Meta:
        # The courses app's model, as it always was: the same table
        # (courses_certificate), content type and permissions.
        app_label = "courses"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(current=True),
                name="one_current_certificate_per_course",
            )
        ]

    def __str__(self):
        return f"{self.course_title} ({self.code[:8]}…)"

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_withdrawn(self):
        return (
            self.status == CertificateStatus.REVOKED
            and self.user_id is None
            and self.revoked_reason == WITHDRAWN_BY_HOLDER
        )

    @property
    def public_status(self):
        if self.status == CertificateStatus.REVOKED:
            return "revoked"
        return "expired" if self.is_expired else "valid"
