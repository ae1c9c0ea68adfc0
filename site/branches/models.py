"""Regions, branches, who belongs to them, and what members agreed to share.

Union membership is special-category data (UK GDPR Article 9). A branch's
officers see a member's progress only while that member's Membership says
they share it under a consent wording that is still accepted (GDPR-01);
branches.selectors is the only way officer pages read members.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from branches import consent

# Paths under /branches/ that are not branch dashboards.
RESERVED_SLUGS = frozenset({"join", "privacy", "regions"})


def sharing_condition() -> Q:
    """A membership whose progress the branch's officers may see now (GDPR-01).

    Read at query time, so raising consent.MINIMUM_ACCEPTED_VERSION stops
    older consents counting at once.
    """
    return Q(shares_progress=True, consent_version__gte=consent.MINIMUM_ACCEPTED_VERSION)


def new_invite_code() -> str:
    """128 random bits: an invitation link cannot be guessed."""
    return secrets.token_urlsafe(16)


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Branch(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Used in the branch's web address, for example /branches/leeds-health/.",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="branches")
    employer = models.CharField(
        "employer or workplace",
        max_length=200,
        blank=True,
        help_text="Who the members work for, as they would say it.",
    )
    invite_code = models.CharField(max_length=32, unique=True, default=new_invite_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "This web address is taken by Knowhow. Choose another."})


class BranchOfficer(models.Model):
    """An education coordinator of a branch, appointed by an administrator."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="branch_officer_roles"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "user"], name="one_officer_role_per_branch")
        ]

    def __str__(self):
        return f"{self.user} — officer of {self.branch}"


class RegionOfficer(models.Model):
    """Sees totals for the branches of a region, never names."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_officer_roles"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="one_officer_role_per_region")
        ]

    def __str__(self):
        return f"{self.user} — officer of {self.region} region"


class MembershipQuerySet(models.QuerySet):
    def sharing(self):
        """Members whose progress their branch officers may see right now."""
        return self.filter(sharing_condition())


class Membership(models.Model):
    """A rep who joined a branch, and their current choice about sharing.

    The history of choices is in ConsentRecord; this row holds the choice
    that applies now, so every officer query filters on it directly.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="branch_memberships"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    shares_progress = models.BooleanField(default=False)
    consent_version = models.PositiveSmallIntegerField(null=True, blank=True)
    consent_changed_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "branch"], name="one_membership_per_branch"),
            models.CheckConstraint(
                condition=Q(shares_progress=False) | Q(consent_version__isnull=False),
                name="sharing_needs_a_consent_version",
            ),
        ]
        indexes = [models.Index(fields=["branch", "shares_progress"])]

    def __str__(self):
        return f"{self.user} in {self.branch}"

    @property
    def is_sharing(self):
        return (
            self.shares_progress and (self.consent_version or 0) >= consent.MINIMUM_ACCEPTED_VERSION
        )


class ConsentRecord(models.Model):
    """One choice about sharing, as made: append-only evidence for GDPR-01."""

    class Source(models.TextChoices):
        JOINING = "joining", "When joining the branch"
        PRIVACY_PAGE = "privacy_page", "On the privacy page"
        LEAVING = "leaving", "On leaving the branch"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="consent_records")
    shares_progress = models.BooleanField()
    wording_version = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        choice = "shares" if self.shares_progress else "does not share"
        return f"{self.user} {choice} progress with {self.branch} (wording {self.wording_version})"


class Recommendation(models.Model):
    """An officer suggests a course to everyone in the branch or to chosen members."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="recommendations")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="branch_recommendations"
    )
    due_on = models.DateField(null=True, blank=True)
    for_everyone = models.BooleanField(default=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="course_recommendations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.course} for {self.branch}"


class RecommendationReminder(models.Model):
    """A reminder email sent, so the daily command never sends it twice."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "user"], name="one_reminder_per_member"
            )
        ]

    def __str__(self):
        return f"Reminder to {self.user} about {self.recommendation}"


class Notice(models.Model):
    """A short message from the branch officers, shown on members' dashboards.

    `body` is stored already sanitised by core.sanitise.sanitise_html.
    """

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="notices")
    body = models.TextField()
    show_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Notice for {self.branch}, {self.created_at:%d %b %Y}"
