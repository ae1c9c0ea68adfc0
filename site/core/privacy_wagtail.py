"""Declarations for the Wagtail, taggit and Django models Knowhow uses
(core.privacy). Registered from CoreConfig.ready."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from core import privacy
from core.privacy import ERASED_LABEL, Erasure

# Keys of an audit entry's data that say nothing about a person; on erasure,
# the entries about the member keep only these (a reason an administrator
# typed could name them).
AUDIT_KEYS_KEPT = frozenset({"branch", "region", "wording_version", "format", "count"})


# Wagtail defines its FTS5 index model only when the database is SQLite.
_ON_SQLITE_ONLY = {"wagtailsearch.SQLiteFTSIndexEntry"}


def _about_filter(subject) -> Q:
    """Log entries about any row a provider listed as being about the person."""
    found = Q(pk__in=[])
    labels = [label for label, pks in subject.about.items() if pks]
    if not labels:
        return found
    models = [privacy.model(label) for label in labels]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    for label, model in zip(labels, models, strict=True):
        pks = [str(pk) for pk in subject.about[label]]
        found |= Q(content_type=types[model], object_id__in=pks)
    return found


def _log_entries():
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects


def _audit_export(subject):
    from wagtail.log_actions import registry

    entries = (
        _log_entries()
        .filter(_about_filter(subject) | Q(user_id=subject.user_id))
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    for entry in entries.iterator():
        if entry.user_id == subject.user_id:
            by = "you"
        elif entry.user_id is None:
            by = "Knowhow"
        else:
            by = entry.user_display_name
        # get_formatter, not get_action_label: only the former loads the
        # registered actions first (in a fresh process nothing else may have),
        # and it copes with an action no longer registered.
        formatter = registry.get_formatter(entry)
        yield {
            "when": entry.timestamp,
            "action": formatter.label if formatter else entry.action,
            "by": by,
            "about": entry.label,
            "details": entry.data,
        }


def _audit_erase(subject):
    about = _log_entries().filter(_about_filter(subject))
    for entry in about.only("pk", "data").iterator():
        data = {k: v for k, v in (entry.data or {}).items() if k in AUDIT_KEYS_KEPT}
        _log_entries().filter(pk=entry.pk).update(label=ERASED_LABEL, data=data)
    # What the member did to other things stays on the record, by nobody.
    _log_entries().filter(user_id=subject.user_id).update(user_id=None)


def register():
    privacy.register(
        "wagtailcore.ModelLogEntry",
        section="audit_log",
        title="The audit log: what was done about you, and by you",
        export=_audit_export,
        erase=_audit_erase,
        erasure=Erasure.ANONYMISE,
        reason="The fact of each action (an officer viewing or exporting a record) stays "
        "on the record for accountability, no longer naming the member.",
        # Before the rows the entries are about are deleted.
        order=10,
        description="Includes each time a branch officer viewed your record.",
    )
    privacy.register_linked(
        "wagtailcore.PageLogEntry",
        via="user",
        fields={"when": "timestamp", "action": "action", "page": "label"},
        section="page_history",
        title="Changes you made to course pages",
        erasure=Erasure.ANONYMISE,
        reason="A page's history stays, by nobody: the page is the union's, not the person's.",
        order=10,
    )
    privacy.register_linked(
        "wagtailcore.Revision",
        via="user",
        fields={"saved": "created_at", "of": "object_str"},
        section="revisions",
        title="Drafts you saved",
        erasure=Erasure.ANONYMISE,
        reason="The draft is course content; only the author's link is removed.",
    )
    privacy.register_linked(
        "wagtailcore.Comment",
        via="user",
        fields={"written": "created_at", "text": "text", "page": "page__title"},
        section="comments",
        title="Comments you wrote in the editor",
        erasure=Erasure.DELETE,
        reason="Free text the person typed; replies to it go with it.",
        order=20,
    )
    privacy.register_linked(
        "wagtailcore.CommentReply",
        via="user",
        fields={"written": "created_at", "text": "text"},
        section="comment_replies",
        title="Replies you wrote in the editor",
        erasure=Erasure.DELETE,
        reason="Free text the person typed.",
        order=10,
    )
    privacy.register_linked(
        "wagtailcore.PageSubscription",
        via="user",
        fields={"page": "page__title", "comment_notifications": "comment_notifications"},
        section="page_subscriptions",
        title="Pages you follow",
        erasure=Erasure.DELETE,
        reason="A notification preference, of no use without the account.",
    )
    privacy.register(
        "wagtailcore.Page",
        section="pages",
        title="Pages you created or locked",
        export=lambda subject: _page_export(subject),
        erase=_page_erase,
        erasure=Erasure.ANONYMISE,
        reason="Pages are the union's course content; only the owner and lock are cleared.",
    )
    privacy.register_linked(
        "wagtailcore.WorkflowState",
        via="requested_by",
        fields={"requested": "created_at", "status": "status"},
        section="review_requests",
        title="Pages you sent for review",
        erasure=Erasure.ANONYMISE,
        reason="The review's history stays, by nobody.",
    )
    privacy.register_linked(
        "wagtailcore.TaskState",
        via="finished_by",
        fields={"finished": "finished_at", "status": "status", "comment": "comment"},
        section="reviews",
        title="Reviews you made",
        erasure=Erasure.ANONYMISE,
        clear={"comment": ""},
        reason="The review's outcome stays, by nobody; the comment the person typed goes.",
    )
    privacy.register_linked(
        "wagtailadmin.EditingSession",
        via="user",
        fields={"last_seen": "last_seen_at"},
        section="editing_sessions",
        title="Pages you had open in the editor",
        erasure=Erasure.DELETE,
        reason="Short-lived presence records.",
    )
    privacy.register_linked(
        "wagtailadmin.FormState",
        via="user",
        fields={"saved": "last_updated_at", "form_data": "data"},
        section="form_states",
        title="Unsaved editor forms",
        erasure=Erasure.DELETE,
        reason="Text the person was typing and never saved.",
    )
    privacy.register_linked(
        "wagtailcore.APIToken",
        via="user",
        fields={"name": "name"},
        section="api_tokens",
        title="Admin API tokens",
        erasure=Erasure.DELETE,
        reason="A credential, of no use without the account.",
    )
    privacy.register_linked(
        "wagtailcore.UploadedFile",
        via="uploaded_by_user",
        fields={"file": "file"},
        section="uploads_in_progress",
        title="Files you were uploading",
        erasure=Erasure.DELETE,
        reason="Unfinished uploads.",
    )
    for label, title in [
        ("wagtaildocs.Document", "Documents you uploaded"),
        ("wagtailimages.Image", "Images you uploaded"),
    ]:
        privacy.register_linked(
            label,
            via="uploaded_by_user",
            fields={"title": "title", "uploaded": "created_at"},
            section=label.split(".")[1].lower() + "s",
            title=title,
            erasure=Erasure.ANONYMISE,
            reason="Course material stays; only who uploaded it is removed.",
        )

    for label, reason in [
        ("wagtailcore.Site", "The site's own name."),
        ("wagtailcore.Collection", "A folder of course images and documents."),
        ("wagtailcore.Workflow", "A review process's name."),
        ("wagtailcore.Task", "A review step's name."),
        ("wagtailcore.GroupApprovalTask", "A review step's name."),
        ("wagtailembeds.Embed", "A cached video embed; its author is the video's publisher."),
        ("wagtailsearch.IndexEntry", "Indexes course pages, topics and questions only."),
        ("wagtailsearch.SQLiteFTSIndexEntry", "Indexes course pages, topics and questions only."),
        (
            "wagtailforms.FormSubmission",
            "Knowhow has no form page types, so nothing is ever submitted here.",
        ),
        ("taggit.Tag", "Question-bank tags written by educators."),
        ("core.HomePage", "The front page, written by editors."),
    ]:
        if label in _ON_SQLITE_ONLY and connection.vendor != "sqlite":
            continue
        privacy.not_personal(label, reason=reason)


def _pages(subject):
    from wagtail.models import Page

    return Page.objects.filter(Q(owner_id=subject.user_id) | Q(locked_by_id=subject.user_id))


def _page_export(subject):
    for page in _pages(subject).order_by("pk").values("title", "owner_id", "locked_by_id"):
        yield {
            "page": page["title"],
            "owner": page["owner_id"] == subject.user_id,
            "locked_by_you": page["locked_by_id"] == subject.user_id,
        }


def _page_erase(subject):
    from wagtail.models import Page

    Page.objects.filter(owner_id=subject.user_id).update(owner=None)
    Page.objects.filter(locked_by_id=subject.user_id).update(
        locked_by=None, locked=False, locked_at=None
    )
