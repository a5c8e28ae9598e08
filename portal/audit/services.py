"""Writing the audit log: `record()` is the one door every app uses.

It writes inside the caller's transaction, so an entry exists exactly when
the change it describes was committed. The client address comes from the
request when one is given, otherwise from the request being served in this
thread or task (portal.audit.middleware), so services need no request
parameter; a Celery task or a command records no address. The address is the
one allauth's rate limits use (`TRUSTED_PROXY_COUNT` honoured).
"""

import contextlib
import contextvars
import logging
import re

from allauth.account.adapter import get_adapter
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, transaction
from django.db.models import Q

from portal.audit.actions import Action
from portal.audit.models import AuditEntry

logger = logging.getLogger(__name__)

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_client_ip", default=None)

LABEL_LENGTH = 300
SUMMARY_LENGTH = 2000
# How an erased account is named in the log, in every language: stored text, not a page's.
FORMER_MEMBER = "Ehemaliges Mitglied"
# The session setting under which the append-only trigger lets `pseudonymise()` change the
# texts of an entry (migration 0003); set for its own transaction only.
PSEUDONYMISING = "portal.audit_pseudonymise"
TEXT_FIELDS = ("actor_label", "person_label", "target_label", "summary", "before", "after")


def client_ip(request) -> str | None:
    """The client's address as the rate limits see it, or None when it cannot be told."""
    try:
        return get_adapter().get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured, ValueError):
        return None


def set_request(request) -> contextvars.Token:
    return _current_ip.set(client_ip(request))


def reset_request(token: contextvars.Token) -> None:
    _current_ip.reset(token)


def label_of(user) -> str:
    """How an entry names a person for as long as it exists: name and address."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    name, email = (user.name or "").strip(), (user.email or "").strip()
    if name and email:
        return f"{name} ({email})"
    return name or email


def _clip(text: str, length: int, *, one_line: bool = True) -> str:
    """Labels on one line (a title with line breaks stays readable in the list); both within their column."""
    text = " ".join(str(text).split()) if one_line else str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def record(
    action: Action | str,
    *,
    actor=None,
    target=None,
    space=None,
    person=None,
    request=None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    actor_label: str = "",
    person_label: str = "",
    target_label: str = "",
) -> AuditEntry:
    """Writes one entry. `person` is whom the act concerns (the requester, the removed member).

    Where the object or person no longer exists (an erased account), pass the
    labels instead: `person_label="ehemaliges Mitglied #12"`, `target_label=...`.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    if actor is not None and (not getattr(actor, "is_authenticated", False) or actor.pk is None):
        actor = None
    if space is None and target is not None:
        space = _home_space(target)
    entry = AuditEntry(
        action=action,
        actor=actor,
        actor_label=_clip(actor_label or label_of(actor), LABEL_LENGTH),
        person=person if person is not None and person.pk is not None else None,
        person_label=_clip(person_label or label_of(person), LABEL_LENGTH),
        space=space,
        space_label=_clip(space.name, 200) if space is not None else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=_clip(target_label or (str(target) if target is not None else ""), LABEL_LENGTH),
        summary=_clip(summary, SUMMARY_LENGTH, one_line=False),
        before=before,
        after=after,
        ip=client_ip(request) if request is not None else _current_ip.get(),
    )
    entry.save(force_insert=True)
    return entry


def _home_space(target):
    """The space an object belongs to: itself for a space, its home space for everything else."""
    from groups.models import Space

    if isinstance(target, Space):
        return target
    if getattr(target, "space_id", None) is not None:
        return target.space
    return None


def former_member_label(person_id: int) -> str:
    """An erased account in the log: no name, and the id, so that its entries still go together."""
    return f"{FORMER_MEMBER} #{person_id}"


def pseudonymise(*, person_id: int, name: str, email: str) -> int:
    """Replaces an erased account's name and address in the log by `former_member_label`.

    Art. 17(3) DSGVO lets the record of who did what stay; the name is not needed for it. The
    entries keep their references (the account's id as actor or person), kind, object and time;
    the labels, summaries and before/after of the entries about the account (by reference, or
    naming its address) lose the name and the address. Returns how many entries changed.
    """
    placeholder = former_member_label(person_id)
    texts = [text for text in (f"{name} ({email})" if name and email else "", email, name) if text]
    concerning = (
        Q(actor_id=person_id)
        | Q(person_id=person_id)
        | Q(target_type=ContentType.objects.get_for_model(get_user_model()), target_id=str(person_id))
    )
    if email:
        for field in ("actor_label", "person_label", "target_label", "summary"):
            concerning |= Q(**{f"{field}__icontains": email})
    changed = 0
    with transaction.atomic(), _pseudonymising():
        for entry in AuditEntry.objects.filter(concerning).only("pk", "actor_id", "person_id", *TEXT_FIELDS):
            values = {}
            for field in TEXT_FIELDS:
                value = _without(getattr(entry, field), texts, placeholder)
                if field.endswith("_label"):
                    value = _clip(value, LABEL_LENGTH)
                if value != getattr(entry, field):
                    values[field] = value
            if entry.actor_id == person_id and entry.actor_label != placeholder:
                values["actor_label"] = placeholder
            if entry.person_id == person_id and entry.person_label != placeholder:
                values["person_label"] = placeholder
            if values:
                AuditEntry.objects.filter(pk=entry.pk).update(**values)
                changed += 1
    return changed


@contextlib.contextmanager
def _pseudonymising():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [PSEUDONYMISING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [PSEUDONYMISING])


def _without(value, texts: list[str], placeholder: str):
    """`value` (a text, or the JSON of before/after) with each of `texts` replaced, any case."""
    if isinstance(value, str):
        for text in texts:
            value = re.sub(re.escape(text), placeholder, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: _without(item, texts, placeholder) for key, item in value.items()}
    if isinstance(value, list):
        return [_without(item, texts, placeholder) for item in value]
    return value
