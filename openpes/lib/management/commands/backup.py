"""`manage.py backup PATH`: a consistent copy of the database, taken while the service runs (R6).

* SQLite: SQLite's online backup API copies the database page by page into PATH (a plain SQLite file); writers
  may go on meanwhile and the copy is still one consistent moment. The copy is then checked with
  `PRAGMA integrity_check`.
* PostgreSQL: `pg_dump --format=custom` (one snapshot, no locks that stop the service) with the credentials of
  DATABASE_URL; restore it with `manage.py restore`.

Uploaded files (CVs, evidence) live in OPENPES_MEDIA_ROOT, not in the database: copy that folder too
(see docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections


def postgres_environment(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL client programs, from Django's settings."""
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    options = settings.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def client_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} was not found: install the PostgreSQL client (Debian: postgresql-client).")
    return found


def sqlite_integrity(path: Path) -> str:
    with sqlite3.connect(path) as check:
        return str(check.execute("PRAGMA integrity_check").fetchone()[0])


class Command(BaseCommand):
    help = "Back up the database to PATH (SQLite: a database file; PostgreSQL: a pg_dump custom-format archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="File to write (an existing file is replaced only once the copy is done)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        target = Path(options["path"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            self._sqlite(connection, partial)
        elif connection.vendor == "postgresql":
            self._postgres(connection.settings_dict, partial)
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        partial.replace(target)  # a crash mid-backup never leaves a truncated file under the real name
        size = target.stat().st_size
        self.stdout.write(
            f"Backup of the {connection.vendor} database written to {target} "
            f"({size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)."
        )

    def _sqlite(self, connection: Any, partial: Path) -> None:
        connection.ensure_connection()
        source = connection.connection
        destination = sqlite3.connect(partial)
        try:
            # Pages in steps, so writers are not held up for the whole copy; a write meanwhile restarts it.
            source.backup(destination, pages=1024, sleep=0.005)
        finally:
            destination.close()
        result = sqlite_integrity(partial)
        if result != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"The copy failed its integrity check: {result}")

    def _postgres(self, settings: dict[str, Any], partial: Path) -> None:
        args, env = postgres_environment(settings)
        command = [client_program("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(partial)]
        command.append(str(settings["NAME"]))
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
