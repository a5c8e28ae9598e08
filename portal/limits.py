"""How long user-written text may be, in one place for every form of the portal.

Single-line fields (titles, names, places) stay within LINE; multi-line fields choose one of
the tiers below by what they hold. The database keeps CharFields to their max_length; the
forms keep TextFields to these tiers, server-side and in the browser (maxlength).
"""

LINE = 200
"""Titles, names and other single-line fields (or the model's max_length where smaller)."""

EMAIL = 254
"""The longest address the model fields (EmailField) store."""

MESSAGE = 2_000
"""A few sentences to a person: join requests, invitations, reasons for a decision."""

POST = 20_000
"""Markdown written in one go: posts, replies, comments, questions, descriptions."""

DOCUMENT = 50_000
"""Longer documents: information pages, sections of minutes, project descriptions."""

UPLOAD_MAX_BYTES = 20 * 1024 * 1024
"""The largest file the portal takes (documents, project attachments). The request body cap
(settings.REQUEST_BODY_MAX_BYTES) and nginx's client_max_body_size follow it."""
