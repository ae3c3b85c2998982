"""R6: `manage.py backup` and `manage.py restore` on the engine the suite runs on (SQLite or PostgreSQL):
back up, change the data, restore, and every table has the row count it had at the backup."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory

pytestmark = pytest.mark.django_db(transaction=True)


def counts(cursor, vendor: str) -> dict[str, int]:
    """Rows per table (search index side tables included)."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    out = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        out[table] = cursor.fetchone()[0]
    return out


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "OPENPES_ENV": "test"}
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


CHANGES = [
    "DELETE FROM jobseekers_jobseekerevent",
    "DELETE FROM jobseekers_wgssanswers",
    "UPDATE jobseekers_jobseeker SET name_latin = 'changed after the backup'",
]


@pytest.fixture
def data(cast):
    people = [JobSeekerFactory(name_latin=f"Backup Person {n}") for n in range(5)]
    for person in people[:3]:
        WgssAnswersFactory(jobseeker=person)
    from openpes.audit.actions import record
    from openpes.audit.enums import AuditAction
    from openpes.jobseekers.models import JobSeekerEvent

    for person in people:
        JobSeekerEvent.objects.create(jobseeker=person, kind="registered", centre=person.owner_centre)
        record(actor=cast.counsellor_pursat, action=AuditAction.VIEW, obj=person, subject_id=person.pk)
    return people


def test_sqlite_backup_and_restore_bring_back_every_row(data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL: see the PostgreSQL test")
    with connection.cursor() as cursor:
        at_backup = counts(cursor, "sqlite")
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", str(backup))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert counts(copy.cursor(), "sqlite") == at_backup
    # The copy becomes a "live" database that a separate process changes and then restores.
    live = tmp_path / "live.sqlite3"
    live.write_bytes(backup.read_bytes())
    with sqlite3.connect(live) as db:
        for statement in CHANGES:
            db.execute(statement)
        assert counts(db.cursor(), "sqlite") != at_backup
    done = manage("restore", str(backup), "--no-input", database_url=f"sqlite:///{live}")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(live) as db:
        assert counts(db.cursor(), "sqlite") == at_backup
        names = {row[0] for row in db.execute("SELECT name_latin FROM jobseekers_jobseeker")}
        assert "changed after the backup" not in names
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def test_postgresql_backup_and_restore_bring_back_every_row(data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: see the SQLite test")
    with connection.cursor() as cursor:
        at_backup = counts(cursor, "postgresql")
    dump = tmp_path / "backup.dump"
    call_command("backup", str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"
    scratch = f"openpes_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(_pg_url("postgres"), autocommit=True)
    admin.execute(f"CREATE DATABASE \"{scratch}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        done = manage("restore", str(dump), "--no-input", database_url=_pg_url(scratch))
        assert done.returncode == 0, done.stderr
        with psycopg.connect(_pg_url(scratch), autocommit=True) as db:
            assert counts(db.cursor(), "postgresql") == at_backup
            for statement in CHANGES:
                db.execute(statement)
            assert counts(db.cursor(), "postgresql") != at_backup
        done = manage("restore", str(dump), "--no-input", database_url=_pg_url(scratch))
        assert done.returncode == 0, done.stderr
        with psycopg.connect(_pg_url(scratch), autocommit=True) as db:
            assert counts(db.cursor(), "postgresql") == at_backup
            names = {row[0] for row in db.execute("SELECT name_latin FROM jobseekers_jobseeker")}
            assert "changed after the backup" not in names
            # The audit log's append-only trigger came back with the data.
            with pytest.raises(psycopg.errors.RaiseException):
                db.execute("DELETE FROM audit_auditevent")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(data, tmp_path):
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"this is not a database backup" * 100)
    with connection.cursor() as cursor:
        before = counts(cursor, connection.vendor)
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), interactive=False)
    with connection.cursor() as cursor:
        assert counts(cursor, connection.vendor) == before


def test_backup_replaces_an_older_file_only_when_the_new_copy_is_complete(data, tmp_path):
    target = tmp_path / "nightly.bak"
    target.write_bytes(b"yesterday")
    call_command("backup", str(target))
    assert target.read_bytes() != b"yesterday"
    assert not Path(str(target) + ".partial").exists()
