"""The portal's e-mail message class.

Python's default policy folds header lines at 78 characters; a header that is
one long word, such as `List-Unsubscribe: <https://…/unsubscribe/token/>`,
cannot be folded and is then written as an RFC 2047 encoded word, which mail
clients do not read as a URL, so one-click unsubscribe (RFC 8058) breaks.
That header alone may be as long as RFC 5322's limit of 998 characters; every
other one is folded at 76, so that an encoded word (a subject with umlauts)
keeps RFC 2047's limit of 75 characters. Every mail gets a Message-ID on the
domain of SITE_URL (never the machine's host name).

Header values come from what people typed (titles in subjects, names), and
Python's email library refuses a header with a line break in it (ValueError:
no header can be injected, but the mail cannot be built either). Every header
text is therefore written on one line: line breaks, other control characters
and lone surrogates become spaces, runs of white space one space, and a
subject longer than SUBJECT_MAX_LENGTH is cut. Addresses are left as they are:
an invalid address fails its own mail, it is never turned into another one.
"""

import email.policy
import re
from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

LONG_HEADER_POLICY = email.policy.default.clone(max_line_length=998)
# Only the headers that are one long word (a URL) get the long lines.
UNFOLDED_HEADERS = frozenset({"list-unsubscribe"})


class PortalPolicy(email.policy.EmailPolicy):
    """Lines of at most 76 characters, so that every RFC 2047 encoded word (a subject with
    umlauts) stays within 75 characters; List-Unsubscribe alone keeps its long line."""

    def fold(self, name, value):
        if name.lower() in UNFOLDED_HEADERS:
            return LONG_HEADER_POLICY.fold(name, value)
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in UNFOLDED_HEADERS:
            return LONG_HEADER_POLICY.fold_binary(name, value)
        return super().fold_binary(name, value)


PORTAL_POLICY = PortalPolicy(max_line_length=76)
SUBJECT_MAX_LENGTH = 250
# C0 and C1 controls, DEL, line and paragraph separators, lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


def header_text(value: object, *, max_length: int | None = None) -> str:
    """`value` as one clean line of header text, at most `max_length` characters."""
    text = " ".join(_UNSAFE.sub(" ", str(value)).split())
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def clean_address(address: str) -> str:
    """An address with its display name on one line; an address that is itself broken stays broken."""
    if not _UNSAFE.search(address):
        return address
    name, addr = parseaddr(address.replace("\r", " ").replace("\n", " "))
    if not addr or _UNSAFE.search(addr) or addr not in address:
        return address
    return formataddr((header_text(name), addr))


def site_domain() -> str:
    """The host of SITE_URL: every Message-ID of the portal is on it, not on the machine's name."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class PortalEmail(EmailMultiAlternatives):
    def message(self, *, policy=PORTAL_POLICY):
        if not any(name.lower() == "message-id" for name in self.extra_headers):
            # Kept in the headers: the same message sent again keeps its Message-ID.
            self.extra_headers["Message-ID"] = make_msgid(domain=site_domain())
        self.subject = header_text(self.subject, max_length=SUBJECT_MAX_LENGTH)
        self.extra_headers = {name: header_text(value) for name, value in self.extra_headers.items()}
        self.from_email = clean_address(self.from_email)
        for field in ("to", "cc", "bcc", "reply_to"):
            setattr(self, field, [clean_address(address) for address in getattr(self, field)])
        return super().message(policy=policy)
