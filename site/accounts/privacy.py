"""What accounts holds about a person, for export and erasure (core.privacy):
the user row, allauth's email addresses and authenticators, sessions and
Wagtail's user profile. Registered from AccountsConfig.ready."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.module_loading import import_string

from core import privacy
from core.privacy import Erasure


def _user_export(subject):
    user = get_user_model().objects.filter(pk=subject.user_id).prefetch_related("groups").first()
    if user is None:
        return
    yield {
        "email": user.email,
        "display_name": user.display_name,
        "joined": user.date_joined,
        "last_signed_in": user.last_login,
        "active": user.is_active,
        "groups": sorted(group.name for group in user.groups.all()),
        "warned_of_deletion_for_inactivity": user.inactivity_warned_at,
    }


def _user_erase(subject):
    # Deleting the row ends every session at once (the session's user no longer
    # exists) and replaces the learner's page-cache token
    # (courses.page_cache.account_deleted). Group memberships go with it.
    get_user_model().objects.filter(pk=subject.user_id).delete()


def _session_store():
    return import_string(settings.SESSION_ENGINE + ".SessionStore")


def _sessions(subject):
    """The person's unexpired sessions, when sessions are in the database.
    A session records its user only in its signed data, so each is decoded;
    with the cache engine they cannot be listed, and deleting the user ends
    them anyway."""
    store = _session_store()
    if not hasattr(store, "get_model_class"):
        return []
    user_id = str(subject.user_id)
    decoder: SessionBase = store()
    found = []
    live = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for key, data, expires in live.values_list(
        "session_key", "session_data", "expire_date"
    ).iterator():
        if decoder.decode(data).get("_auth_user_id") == user_id:
            found.append((key, expires))
    return found


def _session_export(subject):
    for _key, expires in _sessions(subject):
        yield {"signed_in_until_at_most": expires}


def _session_erase(subject):
    store = _session_store()
    keys = [key for key, _ in _sessions(subject)]
    if keys:
        store.get_model_class().objects.filter(session_key__in=keys).delete()


def _profiles(subject):
    from wagtail.users.models import UserProfile

    return UserProfile.objects.filter(user_id=subject.user_id)


def _profile_export(subject):
    for profile in _profiles(subject):
        yield {
            "language": profile.preferred_language,
            "time_zone": profile.current_time_zone,
            "theme": profile.theme,
            "has_avatar": bool(profile.avatar),
        }


def _profile_erase(subject):
    for profile in _profiles(subject):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()


def register():
    privacy.register(
        get_user_model(),
        section="account",
        title="Your account",
        export=_user_export,
        erase=_user_erase,
        erasure=Erasure.DELETE,
        reason="The account is the person; nothing of it is needed once they leave.",
        order=1000,
        about=lambda subject: [subject.user_id],
    )
    privacy.register_linked(
        "account.EmailAddress",
        via="user",
        fields={"email": "email", "verified": "verified", "primary": "primary"},
        section="email_addresses",
        title="Email addresses",
        erasure=Erasure.DELETE,
        reason="An email address identifies the person.",
        order=900,
    )
    privacy.covered_by(
        "account.EmailConfirmation",
        "account.EmailAddress",
        reason="A pending confirmation belongs to an email address and goes with it.",
    )
    privacy.register_linked(
        "mfa.Authenticator",
        via="user",
        # Never the secret or the recovery codes: the type and the dates only.
        fields={"type": "type", "added": "created_at", "last_used": "last_used_at"},
        section="authenticators",
        title="Two-factor authentication",
        erasure=Erasure.DELETE,
        reason="A sign-in secret is of no use without the account.",
        order=900,
        description="The secrets themselves are not shown: only the kind and when it was used.",
    )
    privacy.register(
        "sessions.Session",
        section="sessions",
        title="Where you are signed in",
        export=_session_export,
        erase=_session_erase,
        erasure=Erasure.DELETE,
        reason="Signs the person out on every device at once.",
        order=900,
        description="Each session ends after an idle or an absolute time limit.",
    )
    privacy.register(
        "wagtailusers.UserProfile",
        section="admin_preferences",
        title="Admin preferences",
        export=_profile_export,
        erase=_profile_erase,
        erasure=Erasure.DELETE,
        reason="Preferences for the admin, of no use without the account; an avatar is a photo.",
        order=900,
    )
    privacy.not_personal(
        "auth.Group", reason="A role's name; who is in it is stored on the user and exported there."
    )
    privacy.not_personal("auth.Permission", reason="What a role may do, named by Django.")
