from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Writes a consistent backup of the database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="Folder that receives the new backup folder.")

    def handle(self, *args, destination: Path, **options):
        try:
            folder = backup.backup_create(destination=destination)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
