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
    privacy.register_linked(
        "courses.RunApplication",
        via="user",
        fields={
            "run": "run__title",
            "course": "run__course__title",
            "through_branch": "branch__name",
            "status": "status",
            "your_note": "note",
            "reason_given": "reason",
            "applied": "applied_at",
            "decided": "decided_at",
            "place_confirmed": "confirmed_at",
            "waiting_since": "waiting_since",
            "closed": "closed_at",
            "run_completed": "completed_at",
            "evidence_code": "evidence_code",
        },
        section="run_applications",
        title="Course runs you applied for",
        erasure=Erasure.DELETE,
        reason="An application reveals union activity (Article 9); its place is given up "
        "and its time-off letter no longer verifies.",
        audited=True,
    )
    privacy.register_linked(
        "courses.RunAttendance",
        via="user",
        fields={
            "run": "session__run__title",
            "session_started": "session__starts_at",
            "present": "present",
            "recorded": "recorded_at",
        },
        section="run_attendance",
        title="Your attendance at course run sessions",
        erasure=Erasure.DELETE,
        reason="Part of the training record, which goes with the account.",
        audited=True,
    )
    privacy.register_linked(
        "courses.CourseRun",
        via="tutor",
        fields={
            "run": "title",
            "course": "course__title",
            "kind": "kind",
            "status": "status",
        },
        section="runs_tutored",
        title="Course runs you tutor",
        erasure=Erasure.ANONYMISE,
        reason="The run is the union's and others are booked on it: it stays, without a "
        "tutor, for an educator to manage and give a new one.",
    )
    for label, reason in [
        ("courses.Topic", "A course topic, written by educators."),
        ("courses.CourseIndexPage", "The catalogue page, written by educators."),
        ("courses.CoursePage", "A course page, written by educators."),
        ("courses.CourseLearningOutcome", "A course's outcomes, written by educators."),
        ("courses.ModulePage", "A module page, written by educators."),
        ("courses.LessonPage", "A lesson page, written by educators."),
        ("courses.CatalogueRecord", "What the catalogue loader wrote, by file and key."),
        ("courses.RunSession", "A run's dates, link and venue, written by educators."),
    ]:
        privacy.not_personal(label, reason=reason)
