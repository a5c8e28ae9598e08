"""The portal's e-mail message class.

Python's default policy folds header lines at 78 characters; a header that is
one long word, such as `List-Unsubscribe: <https://…/unsubscribe/token/>`,
cannot be folded and is then written as an RFC 2047 encoded word, which mail
clients do not read as a URL, so one-click unsubscribe (RFC 8058) breaks.
Allowing lines up to RFC 5322's limit of 998 characters keeps such headers
as they are.
"""

import email.policy

from django.core.mail import EmailMultiAlternatives

LONG_HEADER_POLICY = email.policy.default.clone(max_line_length=998)


class PortalEmail(EmailMultiAlternatives):
    def message(self, *, policy=LONG_HEADER_POLICY):
        return super().message(policy=policy)
