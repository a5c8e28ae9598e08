"""Reads the text of every document version not read yet (after an outage of the broker, or once
after the upgrade that brought the portal-wide search)."""

from django.core.management.base import BaseCommand

from groups import extraction
from groups.models import DocumentVersion


class Command(BaseCommand):
    help = "Extract the searchable text of document versions that have none yet."

    def handle(self, *args, **options):
        ids = list(
            DocumentVersion.objects.filter(text_extracted_at__isnull=True).values_list("pk", flat=True)
        )
        for version_id in ids:
            extraction.version_text_extract(version_id=version_id)
        self.stdout.write(f"{len(ids)} document versions read.")
