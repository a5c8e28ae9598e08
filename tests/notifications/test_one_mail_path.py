"""One mail path: no module but the outbox (portal/notifications/outbox.py) sends a mail or opens a
mail connection. Every other mail is posted to the outbox (outbox.post / outbox.record) or is an
event's Delivery, and leaves from a worker with the journal, idempotency and the replay.

The guard reads the source (AST), so it also catches a send in a code path no test runs:
- `send_mail`, `send_mass_mail`, `mail_admins`, `mail_managers` called;
- `get_connection` or `mailers` taken from django.core.mail;
- `.send_messages(...)` called;
- `.send()` called the way EmailMessage.send is (no positional argument, at most `fail_silently`),
  which a signal's `send(sender=...)` is not, or `x.send` handed on (`on_commit(message.send)`);
- anything imported from django.core.mail but the message classes.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THE_OUTBOX = "portal/notifications/outbox.py"
# The outbox's senders: its Mail rows (outbox.py), an event's immediate Deliveries (delivery.py) and
# digests (digests.py), all over outbox.connection(), claimed, journalled and replayed.
SENDERS = {THE_OUTBOX, "portal/notifications/delivery.py", "portal/notifications/digests.py"}
SENDING_FUNCTIONS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers"}
CONNECTION_NAMES = {"get_connection", "mailers"}
MESSAGE_CLASSES = {"EmailMessage", "EmailMultiAlternatives"}


def _modules() -> list[Path]:
    skipped = {"tests", "migrations", "node_modules", "var", "static", "mutants"}
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        # Hidden folders hold virtual environments and tools (.venv, .venv-own, .tools), not the portal.
        if not skipped & set(path.relative_to(ROOT).parts)
        and not path.relative_to(ROOT).parts[0].startswith(".")
        and path.relative_to(ROOT).as_posix() not in SENDERS
    )


def _mail_modules(tree: ast.AST) -> set[str]:
    """Names bound to django.core.mail in a module (`from django.core import mail as django_mail`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "mail"}
        elif isinstance(node, ast.Import):
            names |= {
                alias.asname for alias in node.names if alias.name == "django.core.mail" and alias.asname
            }
    return names


def sends_mail(source: str) -> list[str]:
    """What in `source` sends a mail or opens a mail connection, as 'line: reason'."""
    tree = ast.parse(source)
    mail_modules = _mail_modules(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
            for alias in node.names:
                if alias.name not in MESSAGE_CLASSES:
                    found.append(f"{node.lineno}: imports {alias.name} from django.core.mail")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in mail_modules
            and node.attr not in MESSAGE_CLASSES
        ):
            found.append(f"{node.lineno}: uses django.core.mail.{node.attr}")
        if not isinstance(node, ast.Call):
            continue
        if any(isinstance(arg, ast.Attribute) and arg.attr == "send" for arg in node.args):
            found.append(f"{node.lineno}: hands a message's send on to be called later")
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        if name in SENDING_FUNCTIONS:
            found.append(f"{node.lineno}: calls {name}()")
        elif name == "send_messages":
            found.append(f"{node.lineno}: calls send_messages()")
        elif name in CONNECTION_NAMES and isinstance(function, ast.Attribute):
            if isinstance(function.value, ast.Name) and function.value.id in mail_modules:
                found.append(f"{node.lineno}: opens a mail connection")
        elif (
            name == "send"
            and isinstance(function, ast.Attribute)
            and not node.args
            and all(keyword.arg == "fail_silently" for keyword in node.keywords)
        ):
            found.append(f"{node.lineno}: calls .send() on a message")
    return found


def test_no_module_outside_the_outbox_sends_a_mail():
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in _modules()
        if (found := sends_mail(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "Post mails to portal.notifications.outbox instead of sending them here."


def test_the_outbox_itself_is_found_sending():
    """The guard sees what it guards: the senders' own sources trip it, and the modules it walks
    are the project's (a guard that reads no file passes for nothing)."""
    for sender in SENDERS:
        assert sends_mail((ROOT / sender).read_text(encoding="utf-8")), sender
    walked = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert {
        "groups/subscriptions.py",
        "meetings/guests.py",
        "groups/services.py",
        "portal/adapters.py",
    } <= walked


@pytest.mark.parametrize(
    "source",
    [
        "from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@example.org'])",
        "from django.core import mail\nwith mail.get_connection() as c:\n    pass",
        "from django.core import mail as django_mail\nwith django_mail.mailers.default as c:\n    pass",
        "message = build()\nmessage.send()",
        "message = build()\ntransaction.on_commit(message.send)",
        "connection.send_messages([message])",
        "from django.core.mail import get_connection",
    ],
)
def test_each_way_to_send_a_mail_is_caught(source):
    assert sends_mail(source)


@pytest.mark.parametrize(
    "source",
    [
        "from django.core.mail import EmailMessage\nmessage = EmailMessage()",
        "signal.send(sender=Model, instance=obj)",
        "transaction.get_connection()",
        "pool.get_connection()",
        "outbox.post(template='x', recipient='a@example.org')",
    ],
)
def test_what_is_no_mail_is_left_alone(source):
    assert sends_mail(source) == []
