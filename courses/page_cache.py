"""What the lesson page reads from the page tree, kept in the cache (issue #8).

Every lesson page shows the course's modules and lessons with the learner's
ticks, and checks whether the course has prerequisites: after Wagtail's own
routing these were the page's largest costs (BENCHMARKS.md, "Lesson page:
before and after"). They change only when an editor changes a page or the
learner's completions change, so they are kept in the cache, each entry
stamped with

- the pages token, replaced whenever any page is saved, deleted or moved
  (editors' work, rare next to learners' page views); and, for a learner's
  entries,
- the learner's token, replaced whenever one of their lesson completions is
  saved, their completions are cleared for a retake, or the account is deleted
  (SQLite may give a later account the same id).

An entry whose stamp is not the current tokens is never used. A token is
replaced at once and again when the transaction commits, so a page view that
read the database just before a commit cannot keep what it read. Entries
expire after an hour, a safety net for a change made outside the ORM.

When Redis is away a token write is lost (core/cache.py drops it, and deletes
the key once Redis answers again, from the process that dropped it). So the
learner's outline is also stamped with their enrolment's progress token, a
column replaced in the same transaction as their completions and read on
every lesson page anyway: a lost cache write cannot make it look current.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60
PAGES = "courses:tree:pages"


def _learner(user_id):
    return f"courses:tree:learner:{user_id}"


def _replace(key):
    def write():
        cache.set(key, uuid.uuid4().hex, None)

    write()
    transaction.on_commit(write)


def pages_changed(**kwargs):
    """Receiver for any page's save, delete or move: every entry is out of date."""
    _replace(PAGES)


def progress_changed(user_id):
    """This learner's ticks changed: their entries are out of date."""
    _replace(_learner(user_id))


def _token(key, found):
    token = found.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key)
    return token


def get_or_compute(name, compute, *, learner_id=None, version=None):
    """The value kept under `name` if it is still current, else compute() kept.

    With `learner_id` the value depends on that learner's progress too (and
    `name` must say whose it is). `version`, a value the caller read from the
    database that changes whenever the value would (an enrolment's progress
    token), is part of the stamp: unlike the cache's tokens, it cannot miss a
    change when a write to the cache is lost. One round trip to the cache
    when current.
    """
    key = f"courses:tree:{name}"
    tokens = [PAGES] if learner_id is None else [PAGES, _learner(learner_id)]
    found = cache.get_many([*tokens, key])
    stamp = (*(_token(token, found) for token in tokens), version)
    entry = found.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    # The stamp was read before compute() reads the database: a change that
    # commits in between replaces a token, and this entry is not used again.
    value = compute()
    cache.set(key, (stamp, value), TIMEOUT)
    return value


def completion_saved(sender, instance, **kwargs):
    progress_changed(instance.user_id)


def account_deleted(sender, instance, **kwargs):
    progress_changed(instance.pk)


def connect():
    """Wire the receivers (CoursesConfig.ready): every page model's save and
    delete, Wagtail's page moves, lesson completions and account deletions."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import post_page_move

    from courses.models import LessonCompletion

    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(pages_changed, sender=model, dispatch_uid="tree-pages")
            post_delete.connect(pages_changed, sender=model, dispatch_uid="tree-pages")
    post_page_move.connect(pages_changed, dispatch_uid="tree-pages")
    post_save.connect(completion_saved, sender=LessonCompletion, dispatch_uid="tree-progress")
    post_delete.connect(account_deleted, sender=get_user_model(), dispatch_uid="tree-progress")
