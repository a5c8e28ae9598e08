"""The tables of the dashboard and the report: one structure for the page, the chart's twin and CSV."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind:
    TEXT = "text"
    NUMBER = "number"
    DECIMAL = "decimal"  # one decimal place, e.g. average days
    PERCENT = "percent"
    DATE = "date"
    MONTH = "month"


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
    def body(self) -> list[list[tuple[str, str]]]:
        """Each row as (text, kind) pairs in the active language, for the template: formatted here
        once per cell, which a template include per cell made the page's slowest part."""
        kinds = [column.kind for column in self.columns]
        return [
            [(display(value, kind), kind) for value, kind in zip(row, kinds, strict=True)]
            for row in self.rows
        ]


def display(value, kind: str) -> str:
    """A cell or a figure as people read it (escaped by the template like any text)."""
    if value is None:
        return "–"
    if kind == Kind.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == Kind.DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == Kind.DECIMAL:
        return number_format(value, 1)
    if kind == Kind.PERCENT:
        return number_format(value, 0)
    if kind == Kind.NUMBER:
        return number_format(value, force_grouping=True)
    return str(value)


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
