"""Reading the audit log: always through the rule book (groups.access.visible_audit_entries)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access
from groups.models import Space
from portal.audit.actions import Action
from portal.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    space: Space | None = None
    person: str = ""
    action: str = ""


def readable_spaces(*, user) -> list[Space]:
    """The spaces whose entries `user` reads, for the filter (staff: all of them)."""
    return list(Space.objects.filter(pk__in=access.coordinated_space_ids(user)).order_by("name"))


def audit_entries(*, user, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    entries = access.visible_audit_entries(AuditEntry.objects.all(), user)
    if filters.space is not None:
        entries = entries.filter(space=filters.space)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.person:
        # Who acted or whom it concerned, by name or address (both are in the labels).
        entries = entries.filter(
            Q(actor_label__icontains=filters.person) | Q(person_label__icontains=filters.person)
        )
    return entries.order_by("-at", "-pk")


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_header() -> list[str]:
    return [
        _("Zeitpunkt"),
        _("Art"),
        _("Wer"),
        _("Betroffene Person"),
        _("Raum"),
        _("Gegenstand"),
        _("Beschreibung"),
        _("Vorher"),
        _("Nachher"),
        _("Adresse"),
    ]


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The entries as CSV for German Excel (BOM, `;`), one line at a time, so that an export of the
    whole log streams instead of being built in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(cells) -> str:
        writer.writerow([_cell(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(csv_header())
    labels = dict(Action.choices)
    for entry in entries.iterator(chunk_size=500):
        yield line(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                labels.get(entry.action, entry.action),
                entry.actor_label,
                entry.person_label,
                entry.space_label,
                entry.target_label,
                entry.summary,
                entry.before_text,
                entry.after_text,
                entry.ip or "",
            ]
        )
