"""Every model that could hold personal data is declared for export and
erasure (issue #16, GDPR-02 and GDPR-03): a new model linked to the user,
or with a field that looks like a name, an address or typed text, fails here
until its app says how it is exported and erased, or why it is not personal."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core import privacy

PERSONAL_NAME = re.compile(
    r"(^|_)(e?mail|name|ip|address|recipients?|sender|text|body|comments?|messages?|notes?"
    r"|reason|response|answer|data|phone)($|_)"
)
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField)


def user_links(model):
    user = apps.get_model(settings.AUTH_USER_MODEL)
    fields = list(model._meta.local_fields) + list(model._meta.local_many_to_many)
    return [f.name for f in fields if f.is_relation and f.related_model is user]


def personal_looking(model):
    return [
        f.name
        for f in model._meta.local_fields
        if not f.is_relation and (PERSONAL_NAME.search(f.name) or isinstance(f, PERSONAL_TYPES))
    ]


def concrete_models():
    return [m for m in apps.get_models() if not m._meta.proxy]


def test_the_walk_sees_every_kind_of_app():
    labels = {m._meta.label for m in concrete_models()}
    # Our apps and the third-party ones that store people's data.
    for expected in [
        "accounts.User",
        "branches.ConsentRecord",
        "assessments.Attempt",
        "courses.Certificate",
        "background.OutgoingEmail",
        "account.EmailAddress",
        "mfa.Authenticator",
        "sessions.Session",
        "wagtailusers.UserProfile",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.Revision",
        "wagtailcore.Comment",
        "django_tasks_database.DBTaskResult",
    ]:
        assert expected in labels


def test_the_walk_would_catch_an_undeclared_model():
    class Meta:
        app_label = "tests"

    # Not registered with the app registry: only the rules are exercised.
    note = type(
        "CoverageProbe",
        (models.Model,),
        {"__module__": __name__, "Meta": Meta, "free_text": models.TextField()},
    )
    linked = type(
        "CoverageProbeLinked",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": Meta,
            "owner": models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE),
        },
    )
    assert personal_looking(note) == ["free_text"]
    assert user_links(linked) == ["owner"]


@pytest.mark.parametrize("model", concrete_models(), ids=lambda m: m._meta.label)
def test_model_is_declared(model):
    label = model._meta.label
    reasons = user_links(model) + personal_looking(model)
    declared = privacy.declaration(label)
    if declared is None:
        assert not reasons, (
            f"{label} has {', '.join(reasons)}: declare in its app's privacy.py how it is "
            "exported and erased, or that it is not personal and why (core/privacy.py)."
        )
        return
    if isinstance(declared, privacy.NotPersonal):
        assert not user_links(model), f"{label} links to the user, so it is personal."
    if isinstance(declared, privacy.Covered):
        assert isinstance(privacy.declaration(declared.by), privacy.Provider)


def test_every_declaration_names_a_model_and_says_why():
    installed = {m._meta.label for m in concrete_models()}
    for label, declared in privacy.declarations().items():
        assert label in installed, f"{label} is declared but is not an installed model"
        assert declared.reason.strip()
    sections = [p.section for p in privacy.providers()]
    assert len(sections) == len(set(sections)), "each provider needs its own export section"


def test_the_user_row_is_erased_last():
    order = [p.model for p in privacy.providers()]
    assert order[-1] == settings.AUTH_USER_MODEL
    # Audit entries are anonymised while the rows they are about still exist.
    assert order.index("wagtailcore.ModelLogEntry") < order.index("branches.Membership")
