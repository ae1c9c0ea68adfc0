"""Members' data rights (issue #16): what each app holds about a person, how
it is exported (UK GDPR Articles 15 and 20) and how it is erased (Article 17).

Every model that holds personal data is declared here by the app that owns
it, from that app's AppConfig.ready (`<app>/privacy.py`). core knows no
product app: the apps above it register into this registry, as they do with
accounts.mfa. A declaration is one of

- `register(...)`: a provider with an exporter (rows as plain dicts, a fixed
  number of queries however many rows) and an eraser that deletes or
  anonymises the rows, with the reason for that choice;
- `covered_by(...)`: the rows are exported and erased by another model's
  provider (a quiz answer goes with its attempt);
- `not_personal(...)`: nothing in the model is about a person, and why.

tests/privacy/test_coverage.py walks every installed model and fails when a
model with a link to the user, or a field that looks like a name, email,
address or typed text, has no declaration.

Erasure runs every provider in `order` inside one transaction. Before any of
them runs, each provider's `about` lists the rows it holds about the person,
so audit entries that refer to those rows can still be found after the rows
are gone (core's own provider for Wagtail's log entries uses it).
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils.functional import Promise

ERASED_LABEL = "Erased member"


class Erasure(enum.StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass
class Subject:
    """The person whose data is exported or erased, captured before erasure
    starts: once the user row is gone, providers still know who it was."""

    user: object
    user_id: int
    emails: frozenset[str]
    display_name: str
    # Model label → primary keys of rows about the person (see `about`).
    about: dict[str, list] = field(default_factory=dict)

    def about_pks(self, label: str) -> list:
        return self.about.get(label, [])


@dataclass(frozen=True)
class Provider:
    model: str
    section: str
    title: str
    export: Callable[[Subject], Iterable[dict]]
    erase: Callable[[Subject], object]
    erasure: Erasure
    reason: str
    # Lower runs first; the user row itself goes last (accounts, 1000).
    order: int = 100
    about: Callable[[Subject], Iterable] | None = None
    # Shown above the section on the HTML page.
    description: str = ""


@dataclass(frozen=True)
class Covered:
    model: str
    by: str
    reason: str


@dataclass(frozen=True)
class NotPersonal:
    model: str
    reason: str


_providers: dict[str, Provider] = {}
_covered: dict[str, Covered] = {}
_not_personal: dict[str, NotPersonal] = {}


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def _check_new(label: str) -> None:
    if label in _providers or label in _covered or label in _not_personal:
        raise ValueError(f"{label} is already declared in the privacy registry.")


def register(
    model,
    *,
    section: str,
    title: str,
    export,
    erase,
    erasure: Erasure,
    reason: str,
    order: int = 100,
    about=None,
    description: str = "",
) -> Provider:
    label = _label(model)
    _check_new(label)
    if not reason.strip():
        raise ValueError(f"{label}: say why its rows are {erasure.value}d.")
    provider = Provider(
        model=label,
        section=section,
        title=title,
        export=export,
        erase=erase,
        erasure=Erasure(erasure),
        reason=reason,
        order=order,
        about=about,
        description=description,
    )
    _providers[label] = provider
    return provider


def register_linked(
    model,
    *,
    via: str,
    fields: dict[str, str],
    section: str,
    title: str,
    erasure: Erasure,
    reason: str,
    clear: dict | None = None,
    order: int = 100,
    description: str = "",
    audited: bool = False,
) -> Provider:
    """A provider for rows found by one link to the user (`via`, a field
    path). The export is one query: `fields` maps each exported key to a
    field path. Erasure deletes the rows, or for ANONYMISE sets `via` (a
    nullable foreign key) to null along with the `clear` values. `audited`:
    audit entries are written about these rows (see Subject.about)."""
    label = _label(model)

    def rows(subject):
        return apps.get_model(label).objects.filter(**{via: subject.user_id})

    def export(subject):
        for row in rows(subject).order_by("pk").values(*fields.values()):
            yield {key: row[path] for key, path in fields.items()}

    def erase(subject):
        if erasure == Erasure.DELETE:
            return rows(subject).delete()
        return rows(subject).update(**{via: None, **(clear or {})})

    return register(
        label,
        section=section,
        title=title,
        export=export,
        erase=erase,
        erasure=erasure,
        reason=reason,
        order=order,
        description=description,
        about=(lambda subject: rows(subject).values_list("pk", flat=True)) if audited else None,
    )


def covered_by(model, by, *, reason: str) -> None:
    label = _label(model)
    _check_new(label)
    _covered[label] = Covered(model=label, by=_label(by), reason=reason)


def not_personal(model, *, reason: str) -> None:
    label = _label(model)
    _check_new(label)
    if not reason.strip():
        raise ValueError(f"{label}: say why it holds nothing personal.")
    _not_personal[label] = NotPersonal(model=label, reason=reason)


def providers() -> list[Provider]:
    """In erasure order; the export uses the same order."""
    return sorted(_providers.values(), key=lambda p: (p.order, p.model))


def declaration(label: str) -> Provider | Covered | NotPersonal | None:
    return _providers.get(label) or _covered.get(label) or _not_personal.get(label)


def declarations() -> dict[str, Provider | Covered | NotPersonal]:
    return {**_not_personal, **_covered, **_providers}


def model(label: str):
    return apps.get_model(label)


# Export ----------------------------------------------------------------------


def subject_for(user) -> Subject:
    """Who `user` is, for the providers: every email address they have had
    on record, their display name, and the rows about them."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    emails = {user.email.lower()} | {email.lower() for email in addresses}
    subject = Subject(
        user=user, user_id=user.pk, emails=frozenset(emails), display_name=user.display_name
    )
    for provider in providers():
        if provider.about is not None:
            subject.about[provider.model] = list(provider.about(subject))
    return subject


def plain(value):
    """A value as JSON can hold it, and as the HTML page shows it."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | Promise | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    records: Iterable[dict]


# The order a member reads their data in: who they are, what they learned,
# their branches, what was sent to them and done about them, then what they
# did in the editor. Sections not named here follow, in erasure order.
READING_ORDER = [
    "account",
    "email_addresses",
    "authenticators",
    "sessions",
    "enrolments",
    "lesson_completions",
    "quiz_attempts",
    "certificates",
    "run_applications",
    "run_attendance",
    "runs_tutored",
    "branch_memberships",
    "consent_history",
    "recommendations",
    "reminders",
    "branch_officer_roles",
    "region_officer_roles",
    "notices",
    "emails",
    "email_deliveries",
    "audit_log",
]


def _reading_position(provider: Provider) -> int:
    try:
        return READING_ORDER.index(provider.section)
    except ValueError:
        return len(READING_ORDER)


def export_sections(subject: Subject) -> Iterable[Section]:
    """Each provider's rows, lazily: a section's query runs when its records
    are read, so a streamed download holds one section at a time."""
    for provider in sorted(providers(), key=_reading_position):
        yield Section(
            key=provider.section,
            title=provider.title,
            description=provider.description,
            records=(plain(record) for record in provider.export(subject)),
        )


# Erasure ---------------------------------------------------------------------


def erase(subject: Subject) -> list[str]:
    """Erase everything about `subject`, all or nothing. Returns the models
    erased, in order."""
    done = []
    with transaction.atomic():
        for provider in providers():
            provider.erase(subject)
            done.append(provider.model)
    return done
