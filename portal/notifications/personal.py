"""Per-person parts of a notification mail that an app adds after the shared rendering.

A notification's mail is rendered once per language for all its recipients
(portal.notifications.mail). An app whose mails need something that differs
per person (a personal link, a calendar file) registers a completer for its
kinds: it gets the finished message, the event and the recipient, and
returns the message to send.
"""

from collections.abc import Callable

_COMPLETERS: dict[str, Callable] = {}


def register(kind: str, completer: Callable) -> None:
    _COMPLETERS[str(kind)] = completer


def complete(message, *, event, user):
    completer = _COMPLETERS.get(str(event.kind))
    return message if completer is None else completer(message, event=event, user=user)
