"""A backup of the demo portal restores into an empty database and media folder, whole and alike."""

import hashlib

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from groups import access
from groups.models import Document, DocumentVersion, Thread, User
from meetings.models import Meeting, Minutes
from portal import backup
from projects.models import Project

pytestmark = [pytest.mark.django_db(transaction=True)]


def _portal_as_seen() -> dict:
    """What people would notice if a restore lost or changed something, ring rules included."""
    seen = {
        "threads": sorted(Thread.objects.values_list("title", "space__slug", "audience__slug")),
        "posts": sorted(Thread.objects.values_list("title", "posts__body")),
        "documents": sorted(
            (version.document.title, version.number, hashlib.sha256(version.file.read()).hexdigest())
            for version in DocumentVersion.objects.select_related("document")
        ),
        "meetings": sorted(Meeting.objects.values_list("title", "status", "starts_at")),
        "minutes": sorted(Minutes.objects.values_list("meeting__title", "status", "introduction")),
        "projects": sorted(Project.objects.values_list("slug", "status", "audience__slug")),
        "visible": {},
    }
    for user in User.objects.order_by("email"):
        seen["visible"][user.email] = {
            "threads": sorted(
                access.visible_items(Thread.objects.all(), user).values_list("title", flat=True)
            ),
            "documents": sorted(
                access.visible_items(Document.objects.all(), user).values_list("title", flat=True)
            ),
            "meetings": sorted(
                access.visible_items(Meeting.objects.all(), user).values_list("title", flat=True)
            ),
            "projects": sorted(
                access.visible_items(Project.objects.all(), user).values_list("slug", flat=True)
            ),
        }
    return seen


@pytest.fixture
def empty_database():
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the restore test needs PostgreSQL")
    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = {key: params[key] for key in ("host", "port", "user") if key in params}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _switch_default_database(name: str) -> str:
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    return previous


def test_a_backup_of_the_demo_portal_restores_whole(settings, tmp_path, empty_database, fachgruppe, inner):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", password="demo-Handwerk-2026")
    before = _portal_as_seen()
    assert before["documents"]
    assert before["minutes"]
    assert before["projects"]

    folder = backup.backup_create(destination=tmp_path / "backups")

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    original = _switch_default_database(empty_database)
    try:
        backup.backup_restore(source=folder)
        after = _portal_as_seen()
    finally:
        _switch_default_database(original)

    assert after == before


def test_a_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = backup.backup_create(destination=tmp_path / "backups")

    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup_restore(source=folder, media_root=tmp_path / "elsewhere")


def test_a_restore_refuses_a_damaged_backup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = backup.backup_create(destination=tmp_path / "backups")
    with (folder / backup.MEDIA_ARCHIVE).open("ab") as archive:
        archive.write(b"damage")

    with pytest.raises(backup.BackupError, match="damaged"):
        backup.backup_restore(source=folder, media_root=tmp_path / "elsewhere")
