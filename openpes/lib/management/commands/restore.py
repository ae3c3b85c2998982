"""`manage.py restore PATH`: put a backup made by `manage.py backup` back in place of the current database (R6).

Stop the web server and the worker first: every change made since the backup is lost.

* SQLite: the backup file is checked, then copied over the live database with SQLite's backup API (in one
  step, under SQLite's own lock, so the file is never half old and half new).
* PostgreSQL: `pg_restore --clean --if-exists --single-transaction` into the database of DATABASE_URL: the
  tables are dropped and recreated from the archive in one transaction — all or nothing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from openpes.lib.management.commands.backup import client_program, postgres_environment, sqlite_integrity


class Command(BaseCommand):
    help = "Replace the database with a backup made by `manage.py backup` (stop the server and worker first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["path"])
        if not source.is_file():
            raise CommandError(f"No backup at {source}.")
        connection = connections[options["database"]]
        name = connection.settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                f"This replaces the whole {connection.vendor} database {name} with {source}; changes made since "
                "the backup are lost. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            self._sqlite(connection, source)
        elif connection.vendor == "postgresql":
            connection.close()  # our own session must not hold locks on the tables being replaced
            self._postgres(connection.settings_dict, source)
        else:
            raise CommandError(f"Restoring {connection.vendor} databases is not supported.")
        self.stdout.write(f"Database {name} restored from {source} ({time.perf_counter() - started:.1f} s).")

    def _sqlite(self, connection: Any, source: Path) -> None:
        try:
            result = sqlite_integrity(source)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{source} is not an SQLite database: {exc}") from None
        if result != "ok":
            raise CommandError(f"{source} failed its integrity check: {result}")
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)  # one step: the live file is replaced atomically
        finally:
            backup.close()

    def _postgres(self, settings: dict[str, Any], source: Path) -> None:
        args, env = postgres_environment(settings)
        command = [
            client_program("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(settings["NAME"]),
            str(source),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"pg_restore failed (nothing was changed): {done.stderr.strip()}")
