"""Per-person parts of a notification mail that an app adds after the shared rendering.

A notification's mail is rendered once per language for all its recipients
(portal.notifications.mail). An app whose mails need something that differs
per person (a personal link, a calendar file) registers a completer for its
kinds: it gets the finished message, the event and the recipient, and
returns the message to send.

An app may also name, per kind, the recipients for whom an event is personal
(the invitees of a changed meeting): they get it at once by default, whatever
the kind's default for everyone else, unless they chose otherwise.
"""

from collections.abc import Callable

_COMPLETERS: dict[str, Callable] = {}


def register(kind: str, completer: Callable) -> None:
    _COMPLETERS[str(kind)] = completer


def complete(message, *, event, user):
    completer = _COMPLETERS.get(str(event.kind))
    return message if completer is None else completer(message, event=event, user=user)


_AT_ONCE: dict[str, Callable] = {}


def register_at_once(kind: str, resolver: Callable) -> None:
    """`resolver(event, ids)` returns those of `ids` for whom the event is personal."""
    _AT_ONCE[str(kind)] = resolver


def at_once(event, ids: set[int]) -> set[int]:
    resolver = _AT_ONCE.get(str(event.kind))
    return set() if resolver is None or not ids else resolver(event, ids)
