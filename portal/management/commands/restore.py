from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Restores a backup folder into an empty database and an empty MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A folder written by `manage.py backup`.")

    def handle(self, *args, source: Path, **options):
        try:
            manifest = backup.backup_restore(source=source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['taken_at']}.")
