"""Backups that restore: the database and the uploaded files, taken together and checked on the way back.

A backup is a folder `portal-backup-<UTC time>/` with
- `database.dump`: `pg_dump --format=custom` (one consistent snapshot of
  PostgreSQL), or `database.sqlite3` (SQLite's online backup) for `make run`;
- `media.tar`: every file under `MEDIA_ROOT`, taken *after* the database, so
  every file the snapshot refers to is in it (uploads are only ever added, never
  changed in place);
- `manifest.json`: when, which engine, the applied migrations and a SHA-256 of
  each file of the backup, so a restore refuses a damaged or partial copy.

A restore goes into an empty database and an empty media folder only; it
checks the manifest first and runs `pg_restore` in a single transaction.
PostgreSQL backups need the PostgreSQL client programs (`pg_dump`,
`pg_restore`) of the server's major version on the machine that runs them.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says why."""


def backup_create(*, destination: Path, database: str = "default", media_root: Path | None = None) -> Path:
    """Writes a new backup folder below `destination` and returns its path."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[database]
    taken_at = datetime.now(UTC)
    target = Path(destination) / f"portal-backup-{taken_at:%Y%m%d-%H%M%S}"
    target.mkdir(parents=True, exist_ok=False)

    if connection.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target / POSTGRES_DUMP),
            ],
            connection.settings_dict,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / SQLITE_COPY) as copy:
            connection.connection.backup(copy)
    else:
        raise BackupError(f"No backup for the database engine {connection.vendor!r}.")

    with tarfile.open(target / MEDIA_ARCHIVE, "w") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")

    manifest = {
        "taken_at": taken_at.isoformat(),
        "engine": connection.vendor,
        "migrations": sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations()),
        "files": {path.name: _sha256(path) for path in sorted(target.iterdir())},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target


def backup_restore(*, source: Path, database: str = "default", media_root: Path | None = None) -> dict:
    """Restores a backup folder into an empty database and media folder; returns its manifest."""
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = _checked_manifest(source)
    connection = connections[database]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"The backup is of {manifest['engine']}, the database is {connection.vendor}.")
    if connection.introspection.table_names():
        raise BackupError("The database is not empty; restore only into a new, empty database.")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty.")

    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(source / POSTGRES_DUMP),
            ],
            connection.settings_dict,
            database_argument=True,
        )
    else:
        connection.close()
        shutil.copyfile(source / SQLITE_COPY, connection.settings_dict["NAME"])

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE) as archive:
        members = [member for member in archive.getmembers() if member.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media/")
        archive.extractall(media_root, members=[m for m in members if m.name], filter="data")
    return manifest


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} holds no readable {MANIFEST}: {error}") from error
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or damaged (its checksum does not match the manifest).")
    return manifest


def _run(command: list[str], settings_dict: dict, *, database_argument: bool = False) -> None:
    environment = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    options = [
        f"--host={settings_dict.get('HOST') or 'localhost'}",
        f"--port={settings_dict.get('PORT') or 5432}",
        f"--username={settings_dict.get('USER') or os.environ.get('USER', 'postgres')}",
    ]
    name = settings_dict["NAME"]
    arguments = [command[0], *options, *(["--dbname", name] if database_argument else []), *command[1:]]
    if not database_argument:
        arguments.append(name)
    try:
        subprocess.run(arguments, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client programs).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
