"""What courses holds about a person (core.privacy): enrolments, lesson
completions and certificates. Registered from CoursesConfig.ready."""

from django.utils import timezone

from core import privacy
from core.privacy import Erasure
from courses.certificates.models import WITHDRAWN_BY_HOLDER, Certificate, CertificateStatus


def _certificates(subject):
    return Certificate.objects.filter(user_id=subject.user_id)


def _certificate_export(subject):
    rows = _certificates(subject).order_by("issued_at", "pk")
    for certificate in rows.iterator():
        yield {
            "course": certificate.course_title,
            "level": certificate.course_level,
            "hours": certificate.hours,
            "issued": certificate.issued_at,
            "valid_until": certificate.expires_on,
            "status": certificate.public_status,
            "name_on_certificate": certificate.holder_name,
            "name_shown_on_public_page": certificate.show_name,
            "code": certificate.code,
        }


def _certificate_erase(subject):
    # Revoked, never deleted (STYLE 8): whoever holds a copy can still check
    # its code and learn it was withdrawn, without learning whose it was.
    _certificates(subject).filter(status=CertificateStatus.VALID).update(revoked_at=timezone.now())
    _certificates(subject).update(
        user=None,
        status=CertificateStatus.REVOKED,
        revoked_reason=WITHDRAWN_BY_HOLDER,
        holder_name="",
        show_name=False,
        current=False,
    )


def register():
    privacy.register_linked(
        "courses.Enrolment",
        via="user",
        fields={
            "course": "course__title",
            "started": "started_at",
            "completed": "completed_at",
            "last_lesson": "last_lesson__title",
        },
        section="enrolments",
        title="Courses you enrolled on",
        erasure=Erasure.DELETE,
        reason="A course history reveals union activity (Article 9); nothing needs it after.",
    )
    privacy.register_linked(
        "courses.LessonCompletion",
        via="user",
        fields={"lesson": "lesson__title", "completed": "completed_at"},
        section="lesson_completions",
        title="Lessons you completed",
        erasure=Erasure.DELETE,
        reason="Part of the course history; lesson statistics do not need it.",
    )
    privacy.register(
        Certificate,
        section="certificates",
        title="Certificates",
        export=_certificate_export,
        erase=_certificate_erase,
        erasure=Erasure.ANONYMISE,
        reason='Revoked as "withdrawn by holder" with the name removed, so the public '
        "page answers a code that is still in circulation without naming anyone.",
        about=lambda subject: _certificates(subject).values_list("pk", flat=True),
    )
    for label, reason in [
        ("courses.Topic", "A course topic, written by educators."),
        ("courses.CourseIndexPage", "The catalogue page, written by educators."),
        ("courses.CoursePage", "A course page, written by educators."),
        ("courses.CourseLearningOutcome", "A course's outcomes, written by educators."),
        ("courses.ModulePage", "A module page, written by educators."),
        ("courses.LessonPage", "A lesson page, written by educators."),
        ("courses.CatalogueRecord", "What the catalogue loader wrote, by file and key."),
    ]:
        privacy.not_personal(label, reason=reason)
