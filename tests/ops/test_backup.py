"""A populated database and its media round-trip through `manage.py backup` and `restore` into a
fresh database: every table's rows (count and checksum) and every file come back."""

import os

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from jipp.ops import backup

pytestmark = pytest.mark.django_db(transaction=True)
# One restore target per test process: parallel workers (pytest-xdist) must not drop each other's.
RESTORE_DB = f"jipp_restore_roundtrip_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture
def fresh_database():
    params = backup.libpq_params()
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}"')
        cur.execute(f'CREATE DATABASE "{RESTORE_DB}"')
    yield {**params, "dbname": RESTORE_DB}
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')
    admin.close()


def test_backup_and_restore_round_trip_every_record_and_file(world, settings, tmp_path, fresh_database):
    from innovations.models import Evidence, Innovation

    settings.MEDIA_ROOT = tmp_path / "media"
    innovation = Innovation.objects.create(
        name="Sistem Antrean Daring",
        slug="sistem-antrean-daring",
        agency=world.pekanbaru,
        summary="Antrean layanan kependudukan dari rumah.",
        form="public_service",
        kind="digital",
        sector="population",
        stage="implemented",
        initiator="agency",
        started_on=timezone.localdate(),
        sdgs=[16],
    )
    evidence = Evidence(innovation=innovation, title="SK Kepala Dinas", content_type="pdf", size=18)
    evidence.file.save("sk.pdf", ContentFile(b"%PDF-1.4 keputusan"), save=True)
    storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    assert storage.exists(evidence.file.name)

    call_command("backup", output=str(tmp_path / "backup"))
    manifest = (tmp_path / "backup" / "manifest.json").read_text()
    assert evidence.file.name in manifest
    assert (tmp_path / "backup" / "database.dump").stat().st_size > 0

    restored_media = FileSystemStorage(location=tmp_path / "restored-media")
    report = backup.restore(tmp_path / "backup", params=fresh_database, storage=restored_media)

    source = backup.inventory(backup.libpq_params())["tables"]
    restored = backup.inventory(fresh_database)["tables"]
    assert restored == source
    assert source["innovations_innovation"]["rows"] == 1
    assert source["jipp_agency"]["rows"] == 3
    assert report["files"] == 1
    with restored_media.open(evidence.file.name, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 keputusan"
    with psycopg2.connect(**fresh_database) as conn, conn.cursor() as cur:
        cur.execute("SELECT name, sdgs FROM innovations_innovation")
        assert cur.fetchall() == [("Sistem Antrean Daring", [16])]
    assert connection.settings_dict["NAME"] != RESTORE_DB


def test_restore_refuses_a_backup_that_does_not_match(world, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup.backup(tmp_path / "backup")
    (tmp_path / "backup" / "media" / "forged.txt").write_bytes(b"x")
    import json

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    manifest["files"]["forged.txt"] = "0" * 64
    manifest["tables"]["jipp_agency"]["rows"] += 1
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="jipp_agency"):
        backup.restore(
            tmp_path / "backup", params=fresh_database, storage=FileSystemStorage(location=tmp_path / "r")
        )


def test_restore_over_the_live_database_needs_explicit_consent(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--database-url"):
        call_command("restore", str(tmp_path))


def test_dump_tools_match_the_servers_major_version(db):
    """A newer pg_dump's archive can carry settings an older server refuses (transaction_timeout)."""
    major = backup.inventory(backup.libpq_params())["server_major"]
    for tool in ("pg_dump", "pg_restore"):
        assert backup._tool_major(backup.pg_tool(tool, major)) == major
