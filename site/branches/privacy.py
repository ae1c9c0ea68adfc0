"""What branches holds about a person (core.privacy): memberships and the
whole consent history, officer roles, recommendations and reminders they
received, and notices they wrote. Registered from BranchesConfig.ready."""

from django.db.models import Q

from branches.models import Membership, Recommendation
from core import privacy
from core.privacy import Erasure


def _received(subject):
    """Recommendations made to them by name, or to everyone in a branch of theirs."""
    branches = Membership.objects.filter(user_id=subject.user_id).values("branch_id")
    return Recommendation.objects.filter(
        Q(recipients=subject.user_id) | Q(for_everyone=True, branch_id__in=branches)
    ).distinct()


def _recommendation_export(subject):
    rows = _received(subject).select_related("branch", "course").order_by("created_at", "pk")
    for recommendation in rows:
        yield {
            "branch": recommendation.branch.name,
            "course": recommendation.course.title,
            "due": recommendation.due_on,
            "to_everyone_in_the_branch": recommendation.for_everyone,
            "made": recommendation.created_at,
            "made_by_you": recommendation.created_by_id == subject.user_id,
        }
    mine = Recommendation.objects.filter(created_by_id=subject.user_id).exclude(
        pk__in=_received(subject).values("pk")
    )
    for recommendation in mine.select_related("branch", "course").order_by("created_at", "pk"):
        yield {
            "branch": recommendation.branch.name,
            "course": recommendation.course.title,
            "due": recommendation.due_on,
            "to_everyone_in_the_branch": recommendation.for_everyone,
            "made": recommendation.created_at,
            "made_by_you": True,
        }


def _recommendation_erase(subject):
    # Recommendations are the branch's: the member leaves their recipient
    # lists, and one they made as an officer no longer names them.
    Recommendation.recipients.through.objects.filter(user_id=subject.user_id).delete()
    Recommendation.objects.filter(created_by_id=subject.user_id).update(created_by=None)


def register():
    privacy.register_linked(
        "branches.Membership",
        via="user",
        fields={
            "branch": "branch__name",
            "joined": "joined_at",
            "shares_progress_with_officers": "shares_progress",
            "consent_wording_version": "consent_version",
            "consent_changed": "consent_changed_at",
        },
        section="branch_memberships",
        title="Branches you belong to",
        erasure=Erasure.DELETE,
        reason="Union membership itself (Article 9); nothing needs it once the member leaves.",
        audited=True,
    )
    privacy.register_linked(
        "branches.ConsentRecord",
        via="user",
        fields={
            "branch": "branch__name",
            "shares_progress": "shares_progress",
            "wording_version": "wording_version",
            "where": "source",
            "when": "recorded_at",
        },
        section="consent_history",
        title="Every choice you made about sharing your progress",
        erasure=Erasure.DELETE,
        reason="Evidence of consent is needed only while the data it covers exists.",
        audited=True,
    )
    for label, place, title in [
        ("branches.BranchOfficer", "branch", "Branches you are an officer of"),
        ("branches.RegionOfficer", "region", "Regions you are an officer of"),
    ]:
        privacy.register_linked(
            label,
            via="user",
            fields={place: f"{place}__name", "appointed": "appointed_at"},
            section=f"{place}_officer_roles",
            title=title,
            erasure=Erasure.DELETE,
            reason="A role ends with the account; the audit log keeps that it was held.",
            audited=True,
        )
    privacy.register(
        "branches.Recommendation",
        section="recommendations",
        title="Courses recommended to you",
        export=_recommendation_export,
        erase=_recommendation_erase,
        erasure=Erasure.ANONYMISE,
        reason="The recommendation is the branch's; the member is taken off its recipients "
        "and, if they made it, it no longer names them.",
    )
    privacy.register_linked(
        "branches.RecommendationReminder",
        via="user",
        fields={
            "course": "recommendation__course__title",
            "branch": "recommendation__branch__name",
            "sent": "sent_at",
        },
        section="reminders",
        title="Reminders sent to you",
        erasure=Erasure.DELETE,
        reason="Only stops a second reminder; no use once the member is gone.",
    )
    privacy.register_linked(
        "branches.Notice",
        via="created_by",
        fields={"branch": "branch__name", "notice": "body", "posted": "created_at"},
        section="notices",
        title="Notices you posted as an officer",
        erasure=Erasure.DELETE,
        reason="Free text the person typed; officers still in post can post it again.",
    )
    privacy.not_personal("branches.Region", reason="A union region's name.")
    privacy.not_personal("branches.Branch", reason="A branch's name and its employer's.")
