"""The worker's half of data exports (privacy.services requests them): `export_build()` writes the ZIP
section by section, noting its progress, and records the mail with the signed download link in the
account-mail outbox; retention deletes them after a week. Run by privacy.tasks, so that the service
that enqueues the task and the task that builds do not import each other.
"""

import json
import logging
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.email import PortalEmail
from portal.notifications import outbox
from portal.salutation import salutation
from privacy import export
from privacy.models import DataExport
from privacy.selectors import LINK_SALT

logger = logging.getLogger(__name__)

MAIL_TEMPLATE = "privacy/email/export_ready"
# A pending export the broker lost is handed out again after this long (privacy.tasks.retention).
REPLAY_AFTER = timedelta(minutes=10)
# A failed export is kept this long so that its owner sees what happened.
KEEP_FAILED = timedelta(days=7)


def export_build(export_id: int) -> bool:
    """Builds the ZIP of one export if it still waits; True when it was built now."""
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.RUNNING, progress=0
    )
    if not claimed:
        return False
    data_export = DataExport.objects.select_related("user").get(pk=export_id)
    person = data_export.user
    try:
        with translation.override(person.language or settings.LANGUAGE_CODE), tempfile.TemporaryFile() as tmp:
            size = _write_zip(tmp, data_export)
            data_export.file.save("export.zip", File(tmp), save=False)
    except Exception as exc:
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        logger.exception("data export failed", extra={"export": export_id})
        return False
    now = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.READY,
            file=data_export.file.name,
            size=size,
            progress=export.SECTION_COUNT,
            finished_at=now,
            expires_at=now + DataExport.VALID_FOR,
        )
        data_export.refresh_from_db()
        _mail_link(data_export)
    return True


def _write_zip(tmp, data_export: DataExport) -> int:
    person = data_export.user
    collected = export.Collected()
    for done, (name, section) in enumerate(export.SECTIONS, start=1):
        collected.data[name] = section(person, collected)
        DataExport.objects.filter(pk=data_export.pk).update(progress=done)
    collected.data["export"] = {
        "created_at": timezone.now().isoformat(),
        "portal": settings.SITE_URL,
        "format": "JSON (UTF-8), https://www.rfc-editor.org/rfc/rfc8259",
    }
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("daten.json", json.dumps(collected.data, ensure_ascii=False, indent=2, default=str))
        archive.writestr(
            "LIESMICH.txt",
            render_to_string("privacy/export_readme.txt", {"person": person, "files": collected.files}),
        )
        for path, stored in collected.files:
            if not stored or not stored.storage.exists(stored.name):
                continue
            with stored.open("rb") as source, archive.open(path, "w") as target:
                for chunk in iter(lambda: source.read(1 << 16), b""):
                    target.write(chunk)
    tmp.flush()
    size = tmp.tell()
    tmp.seek(0)
    return size


def download_token(data_export: DataExport) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(data_export.key)


def download_url(data_export: DataExport) -> str:
    return settings.SITE_URL + reverse("privacy:export_download", args=[download_token(data_export)])


def _mail_link(data_export: DataExport) -> None:
    person = data_export.user
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "salutation": salutation(person),
            "download_url": download_url(data_export),
            "expires_at": data_export.expires_at,
            "page_url": settings.SITE_URL + reverse("privacy:export"),
        }
        message = PortalEmail(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Ihre Daten stehen zum Herunterladen bereit"),
            body=render_to_string(f"{MAIL_TEMPLATE}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )
    outbox.record(message=message, template=MAIL_TEMPLATE)


def delete_expired_exports() -> int:
    """Retention: ZIPs past their week and failed exports past theirs are deleted with their files."""
    now = timezone.now()
    gone = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lt=now)
        | DataExport.objects.filter(status=DataExport.Status.FAILED, created_at__lt=now - KEEP_FAILED)
    )
    for data_export in gone:
        if data_export.file:
            data_export.file.delete(save=False)
        data_export.delete()
    return len(gone)


def stale_pending_export_ids() -> list[int]:
    """Exports the broker lost (pending for REPLAY_AFTER), and those a dead worker left running."""
    now = timezone.now()
    DataExport.objects.filter(
        status=DataExport.Status.RUNNING, created_at__lt=now - timedelta(hours=1)
    ).update(status=DataExport.Status.PENDING)
    return list(
        DataExport.objects.filter(
            status=DataExport.Status.PENDING, created_at__lt=now - REPLAY_AFTER
        ).values_list("pk", flat=True)
    )
