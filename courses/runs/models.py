"""Tutor-led runs of a course: dated sessions, online or at a venue (issue #17).

courses/models.py imports these models, so they keep the courses app label.
A run is edited in the Wagtail admin (courses/runs/admin_views.py) with its
sessions inline; the rules that span the run and its sessions (closing date
before the first session, a link for online sessions, a venue for day
schools) are checked by the admin form, which sees both.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class RunKind(models.TextChoices):
    ONLINE = "online", "Online cohort"
    DAY_SCHOOL = "day_school", "Day school"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft: not shown to reps"
    OPEN = "open", "Published"
    CANCELLED = "cancelled", "Cancelled"


class CourseRun(ClusterableModel):
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="runs")
    title = models.CharField(
        max_length=150,
        help_text="How reps will recognise this run, for example “Leeds day school, March”.",
    )
    kind = models.CharField(max_length=20, choices=RunKind.choices)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Null only once a tutor has erased their account (issue #16): the run
        # stays, any educator can manage it, and the admin asks for a new one.
        null=True,
        on_delete=models.SET_NULL,
        related_name="runs_tutored",
        # Tutors confirm places and keep the register, so they are educators.
        limit_choices_to=Q(groups__name="Educators"),
        help_text="An educator's account. The tutor confirms places and keeps the register.",
    )
    places = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    applications_close_at = models.DateTimeField(
        help_text="After this, reps can no longer apply. It must be before the first session."
    )
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    union_contact = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who an employer can contact about the course, for the time-off letter: "
        "a name and an email address or phone number.",
    )

    class Meta:
        app_label = "courses"
        ordering = ["applications_close_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="run_has_a_place"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_online(self):
        return self.kind == RunKind.ONLINE


class RunSession(Orderable, ClusterableModel):
    run = ParentalKey(CourseRun, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    online_url = models.URLField(
        "online meeting link",
        blank=True,
        max_length=500,
        help_text="For online sessions. Only people with a confirmed place see it.",
    )
    venue = models.TextField(
        blank=True, max_length=500, help_text="For day schools: the address of the venue."
    )
    required_lessons = ParentalManyToManyField(
        "courses.LessonPage",
        blank=True,
        related_name="run_sessions",
        help_text="Knowhow lessons members must finish before this session.",
    )

    class Meta(Orderable.Meta):
        app_label = "courses"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.run} session {self.sort_order + 1 if self.sort_order is not None else ''}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A session must end after it starts."})

    @property
    def hours(self):
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Waiting for your branch"
    BRANCH_APPROVED = "branch_approved", "Approved by your branch"
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "On the waiting list"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RUN_CANCELLED = "run_cancelled", "The run was cancelled"


# An application in one of these still holds, or may yet hold, a place.
ACTIVE_STATUSES = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.BRANCH_APPROVED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.WAITING,
)


class RunApplication(models.Model):
    """A rep's application for a place on a run, through one of their branches.

    The status moves only through the services (courses.runs.services for the
    run's side, branches.applications for the branch's side), each move under
    a row lock and on the audit log; docs/decisions.md ADR 0060 says why the
    model lives here and the branch's views in branches.
    """

    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_applications"
    )
    # The branch whose officers decide. A string reference: courses never
    # imports branches (the layer above); branches reads these rows.
    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="run_applications"
    )
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    reason = models.TextField(
        blank=True, max_length=1000, help_text="Why it was declined, for the rep."
    )
    applied_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The waiting list is served in this order.
    waiting_since = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Stamped when a confirmed rep has attended every session and finished
    # the lessons the sessions need (courses.runs.services.run_completion_check).
    completed_at = models.DateTimeField(null=True, blank=True)
    # Printed on the time-off letter and the certificate of attendance, and
    # checked at /runs/verify/<code>/: 128 random bits, unrelated to the
    # person (as CERT-02), given when the place is confirmed.
    evidence_code = models.CharField(max_length=32, unique=True, null=True, blank=True)

    class Meta:
        app_label = "courses"
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_open_application_per_run",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["run", "status"]),
        ]

    def __str__(self):
        return f"{self.user} for {self.run}"


class RunAttendance(models.Model):
    """Whether a rep with a confirmed place attended a session, as the tutor
    recorded it. One row per session and person; the tutor may correct it."""

    session = models.ForeignKey(RunSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_attendance"
    )
    present = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        app_label = "courses"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_session")
        ]

    def __str__(self):
        return f"{self.user} {'attended' if self.present else 'missed'} {self.session}"
