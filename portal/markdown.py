"""Markdown to HTML that is safe to show, rendered once when the text is saved.

Everything user-written goes through `render_markdown()`:

- the parser is cmark-gfm (`cmarkgfm`), the CommonMark reference implementation in C with
  GitHub's table extension. Its time grows linearly with the input, also on hostile input
  (runs of `[`, `*`, backticks, `[a](`, ...), and it parses without recursion, so no depth of
  nesting raises RecursionError.
- nh3 then keeps only the tags, attributes and URL schemes below and puts `rel` on links;
  raw HTML in the text reaches it as before and loses what is not allowed (a script with
  its content). nh3's HTML tree builder is quadratic in the depth of nesting, so the parser
  drops raw HTML itself in text with more than `MAX_RAW_HTML_TAGS` "<" (thousands of
  nested `<div>`), and text whose block structure could nest deeper than `MAX_NESTING`
  (thousands of `>` or list levels) and text
  that would blow up far beyond its own size (a table header of a thousand columns over
  thousands of rows) is shown as plain paragraphs instead: still readable, never slow.

Nothing renders Markdown while a page is shown. A model with Markdown fields uses
`RenderedMarkdown` and names its fields in `markdown_fields` ({"body": "body_html"}): every
save that writes the source also writes its sanitised HTML beside it, whoever saves
(services, forms, the admin, the demo data, tests), and templates show the stored
`*_html` field. A data migration fills the stored HTML of existing rows (`rerender()`).
"""

import re
from typing import ClassVar

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.db import models
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer nofollow"

# Deeper than any list or quote a person writes; far below where nh3 gets slow.
MAX_NESTING = 32
# Fewer tags than this cannot nest deep enough to slow nh3 down.
MAX_RAW_HTML_TAGS = 1000
# cmark-gfm fills every row of a table up to the header's columns, so a wide header over
# many short rows multiplies the text; no table a person writes has more columns.
MAX_TABLE_COLUMNS = 64

_WIDE_DELIMITER_ROW = re.compile(rf"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|){{{MAX_TABLE_COLUMNS},}}", re.MULTILINE)
# What can open a container block at the start of a line: blanks (indentation continues
# a list item), ">" and list markers.
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]|>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))+", re.MULTILINE)


def _nests_too_deep(text: str) -> bool:
    """Whether some line could open more than MAX_NESTING containers (an upper bound, cheap).

    Every container of a line costs at least one of its prefix's ">", list markers, tabs
    or pairs of blanks; only a line with a marker opens containers (indentation alone
    merely continues them).
    """
    for match in _CONTAINER_PREFIX.finditer(text):
        prefix = match.group()
        if len(prefix) <= MAX_NESTING or not prefix.strip():
            continue
        bound = sum(prefix.count(mark) for mark in ">-+*.)\t") + prefix.count(" ") // 2
        if bound > MAX_NESTING:
            return True
    return False


def _sanitise(html: str) -> str:
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL
    )


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML (plain paragraphs where its structure is pathological)."""
    text = text or ""
    if not _nests_too_deep(text) and not _WIDE_DELIMITER_ROW.search(text):
        options = Options.CMARK_OPT_VALIDATE_UTF8
        if text.count("<") <= MAX_RAW_HTML_TAGS:
            options |= Options.CMARK_OPT_UNSAFE  # raw HTML and every link target go to nh3
        html = cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=["table"])
        return mark_safe(_sanitise(html))  # noqa: S308 - sanitised by nh3 just above
    # Escaped by construction: nothing but the text's characters, paragraphs and line breaks.
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308


# The Markdown syntax a snippet of the source would show: heading and quote markers, list bullets,
# emphasis, code ticks, a link's target (its text stays), table pipes and rules.
_LINE_MARKERS = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)")
_LINKS = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
# A star inside a word is German gender spelling ("Mitarbeiter*innen"), not emphasis.
_EMPHASIS = re.compile(r"(?:(?<![^\s(])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![^\s).,;:!?])|_{2,3}|~~|`+)")
_TABLE_RULES = re.compile(r"(?m)^[ \t|:-]{3,}$|\|")
_SPACES = re.compile(r"\s+")


def markdown_as_plain_text(text: str) -> str:
    """A piece of Markdown source as the words a reader sees, for search snippets.

    Linear regular expressions, no parser: a snippet is a cut-out fragment that need not be
    well-formed Markdown, and it is escaped after this."""
    text = _LINKS.sub(r"\1", text or "")
    text = _LINE_MARKERS.sub("", text)
    text = _TABLE_RULES.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def html_field() -> models.TextField:
    """The column that stores the sanitised HTML of a Markdown field, written only by saves."""
    return models.TextField(blank=True, default="", editable=False)


class RenderedMarkdown:
    """Mixin for models: keeps each `*_html` field in step with its Markdown source.

    `markdown_fields` maps a source field to the field that stores its rendered HTML. A
    save that writes the source (a full save, or `update_fields` naming it) renders it
    and writes the HTML in the same statement.
    """

    markdown_fields: ClassVar[dict[str, str]] = {}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        extra = []
        for source, target in self.markdown_fields.items():
            if update_fields is None or source in update_fields:
                setattr(self, target, str(render_markdown(getattr(self, source))))
                extra.append(target)
        if update_fields is not None and extra:
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)


def rerender(model, fields: dict[str, str], *, batch_size: int = 200) -> None:
    """Fills the stored HTML of every row of a (historical) model: for data migrations."""
    rows = model.objects.only("pk", *fields).order_by("pk")
    changed = []
    for row in rows.iterator(chunk_size=batch_size):
        for source, target in fields.items():
            setattr(row, target, str(render_markdown(getattr(row, source))))
        changed.append(row)
        if len(changed) == batch_size:
            model.objects.bulk_update(changed, list(fields.values()))
            changed = []
    if changed:
        model.objects.bulk_update(changed, list(fields.values()))
