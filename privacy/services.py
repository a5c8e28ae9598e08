"""Data exports (Art. 15 and 20 DSGVO): requested in a request, built by a task, mailed, deleted after a week.

`export_request()` writes a pending DataExport and hands it to a worker after
the commit; the worker's half (privacy.builds, run by privacy.tasks) writes the
ZIP and mails the download link. The link is signed and works for VALID_FOR, and
only for the signed-in owner (privacy.views.export_download, `privacy.selectors.export_for_link()`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import Space, User
from portal.notifications import events
from privacy import signals
from privacy.models import DataExport


def export_request(*, person: User, actor: User | None = None, request=None) -> DataExport:
    """Starts an export of everything about `person`; refused while one is still being built."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()
        if DataExport.objects.filter(
            user=person, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        ).exists():
            raise ValidationError(
                _("Ihre Daten werden bereits zusammengestellt. Bitte warten Sie, bis die E-Mail kommt.")
            )
        data_export = DataExport.objects.create(user=person)
        signals.data_export_requested.send(
            sender=DataExport,
            person=person,
            actor=actor or person,
            spaces=list(Space.objects.filter(memberships__user=person).order_by("name")),
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(data_export.pk))
    return data_export


def _enqueue(export_id: int) -> bool:
    from privacy.tasks import build_export

    return events.enqueue(build_export, export_id=export_id)
