"""Import jobseekers from a CSV or XLSX file from the shell, with the same checks as the upload page."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from openpes.accounts.models import User
from openpes.centres.models import JobCentre
from openpes.jobseekers.importing import (
    ACCEPTED,
    COLUMNS,
    FLAGGED,
    MAX_FILE_BYTES,
    REJECTED,
    ImportConflictError,
    check_import,
    commit_import,
    read_table,
)


class Command(BaseCommand):
    help = (
        "Import jobseekers from a CSV (UTF-8) or XLSX file into a job centre. Columns: "
        + ", ".join(c.name for c in COLUMNS)
        + ". Rows with mistakes or the ID/phone of someone registered are rejected; rows that may be someone "
        "registered (similar name, same birth date) are left out unless named with --import-anyway. "
        "All accepted rows are saved in one transaction, or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--centre", required=True, help="Code of the job centre that owns the records (jc-15)")
        parser.add_argument("--user", help="E-mail of the staff member recorded as registering them (optional)")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing")
        parser.add_argument(
            "--import-anyway",
            default="",
            help="Rows flagged as maybe already registered to import all the same: 'all' or row numbers (12,40)",
        )
        parser.add_argument("--language", default="en", choices=["en", "km"], help="Language of the report")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"])
        centre = JobCentre.objects.filter(code=options["centre"], is_active=True).first()
        if centre is None:
            raise CommandError(f"No active job centre with the code {options['centre']!r}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(email__iexact=options["user"], is_active=True).first()
            if actor is None or not actor.is_pes_staff:
                raise CommandError(f"No active staff member with the e-mail {options['user']!r}.")
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError("The file is too large: the limit is 20 MB.")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        started = time.perf_counter()
        try:
            check = check_import(read_table(data))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for row in check.rows:
            if row.status != ACCEPTED:
                label = "REJECTED" if row.status == REJECTED else "FLAGGED"
                for issue in row.issues:
                    column = f" [{issue.column}]" if issue.column else ""
                    self.stdout.write(f"row {row.row} {label}{column}: {issue.message}")
        counts = check.counts
        self.stdout.write(
            f"{len(check.rows)} rows: {counts[ACCEPTED]} accepted, {counts[FLAGGED]} flagged, "
            f"{counts[REJECTED]} rejected (checked in {time.perf_counter() - started:.1f} s)."
        )
        if check.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(check.ignored_columns))
        anyway = options["import_anyway"].strip()
        flagged = {r.row for r in check.rows if r.status == FLAGGED}
        if anyway == "all":
            chosen = flagged
        else:
            try:
                chosen = {int(n) for n in anyway.split(",") if n.strip()}
            except ValueError:
                raise CommandError("--import-anyway takes 'all' or row numbers separated by commas.") from None
            if chosen - flagged:
                raise CommandError(f"These rows are not flagged: {', '.join(map(str, sorted(chosen - flagged)))}.")
        selected = [r for r in check.rows if r.status == ACCEPTED or r.row in chosen]
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(selected)} rows would be imported into {centre.code}; nothing saved.")
            return
        if not selected:
            self.stdout.write("Nothing to import.")
            return
        try:
            result = commit_import(
                actor=actor,
                centre=centre,
                rows=selected,
                checked_at=check.checked_at,
                detail={
                    "rows": len(check.rows),
                    "rejected": counts[REJECTED],
                    "flagged": counts[FLAGGED],
                    "imported_anyway": len(chosen),
                    "source": f"command:{check.kind}",
                },
            )
        except ImportConflictError as conflict:
            raise CommandError(
                f"{len(conflict.conflicts)} rows match records registered or changed during the check; "
                "nothing was saved. Run the command again."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.ids)} jobseekers into {centre.code} in {result.seconds:.1f} s "
                f"(import {result.batch})."
            )
        )
