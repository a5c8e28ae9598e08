"""The tables of the dashboard and the report: one structure for the page, the chart's twin and CSV."""

import csv
import datetime
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind:
    TEXT = "text"
    NUMBER = "number"
    DECIMAL = "decimal"  # one decimal place, e.g. average days
    PERCENT = "percent"
    DATE = "date"
    MONTH = "month"


# The cells of these kinds are aligned left, all others (numbers) right.
_LEFT = frozenset({Kind.TEXT, Kind.DATE})


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = Kind.NUMBER


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # Shown under the table, e.g. that the page lists only the latest rows (the CSV has all).
    note: str = ""

    @property
    def body_html(self) -> SafeString:
        """The rows of the table's body as markup in the active language, every cell escaped.

        Built here rather than by a template loop: at seven years of months the dashboard has some
        3,000 cells, and the template engine's loop over them took longer than most sections' queries."""
        kinds = [column.kind for column in self.columns]
        # The same numbers recur (zeros above all): each is formatted once.
        texts: dict[tuple, str] = {}

        def text(value, kind: str) -> str:
            key = (type(value), value, kind)
            if key not in texts:
                texts[key] = escape(display(value, kind))
            return texts[key]

        rows = []
        for row in self.rows:
            cells = [f'<th scope="row">{text(row[0], kinds[0])}</th>']
            for value, kind in zip(row[1:], kinds[1:], strict=True):
                shown = text(value, kind)
                cells.append(f"<td>{shown}</td>" if kind in _LEFT else f'<td class="text-end">{shown}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 - every cell is escaped above


def display(value, kind: str) -> str:
    """A cell or a figure as people read it (escaped by the template like any text)."""
    if value is None:
        return "–"
    if kind == Kind.MONTH:
        return month_text(value, "YEAR_MONTH_FORMAT")
    if kind == Kind.DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == Kind.DECIMAL:
        return number_format(value, 1)
    if kind == Kind.PERCENT:
        return number_format(value, 0)
    if kind == Kind.NUMBER:
        return number_format(value, force_grouping=True)
    return str(value)


def month_text(month: datetime.date, format_name: str) -> str:
    """A month as people read it in the active language ("Dezember 2026", "Dez. 2026")."""
    return _month_text(month, format_name, get_language())


# A seven-year dashboard writes each of its 85 months in every table and chart, some 1,200 dates,
# and formatting a date is slow; what a month reads as in a language never changes.
@functools.lru_cache(maxsize=4096)
def _month_text(month: datetime.date, format_name: str, language: str) -> str:
    return date_format(month, format_name)


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == Kind.MONTH:
        return value.strftime("%Y-%m")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # A leading apostrophe makes the spreadsheet show the text instead of running it.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(table: Table) -> str:
    """CSV for German spreadsheets, as the catalogue's export: BOM, `;`, decimal commas, a header row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(str(column.label), Kind.TEXT) for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return buffer.getvalue()
