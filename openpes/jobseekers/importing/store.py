"""Checked rows between the upload and the confirmation, kept on disk outside the web root."""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from openpes.jobseekers.importing.layout import FIELDS, FLAGGED, REJECTED, CheckedRow, ImportCheck, Issue

STORE_TTL = timedelta(hours=2)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass
class PendingImport:
    """What the review page needs: counts and the rows a person must look at (not the accepted rows)."""

    token: str
    user_id: int
    filename: str
    kind: str
    created: float
    checked_at: datetime
    counts: dict[str, int]
    ignored_columns: list[str]
    rejected: list[CheckedRow]
    flagged: list[CheckedRow]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _issue_json(issues: list[Issue]) -> list[list[Any]]:
    return [[i.column, i.code, i.params] for i in issues]


def _issues_from(data: list[list[Any]]) -> list[Issue]:
    return [Issue(column, code, params) for column, code, params in data]


def _row_to_json(row: CheckedRow) -> list[Any]:
    assert row.fields is not None
    values = [row.fields[k] for k in FIELDS]
    values[FIELDS.index("date_of_birth")] = row.fields["date_of_birth"].isoformat()
    return [row.row, row.name, row.status, _issue_json(row.issues), values]


def _row_from_json(data: list[Any]) -> CheckedRow:
    number, name, status, issues, values = data
    fields = dict(zip(FIELDS, values, strict=True))
    fields["date_of_birth"] = date.fromisoformat(fields["date_of_birth"])
    return CheckedRow(row=number, name=name, status=status, issues=_issues_from(issues), fields=fields)


class ImportStore:
    """Checked rows between upload and confirmation: two files per import in a private folder (never the web
    root), named by a random token, readable only by the uploader, removed after STORE_TTL."""

    def __init__(self, directory: Path | None = None) -> None:
        configured = getattr(settings, "JOBSEEKER_IMPORT_DIR", None)
        self.directory = Path(directory or configured or Path(settings.VAR_DIR) / "imports")

    def _path(self, token: str, suffix: str) -> Path:
        if not _TOKEN.match(token):
            raise KeyError(token)
        return self.directory / f"{token}.{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        temporary = path.with_name(path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)

    def save(self, check: ImportCheck, *, user_id: int, filename: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.sweep()
        token = secrets.token_urlsafe(24)
        keep = [r for r in check.rows if r.status != REJECTED]
        rows = json.dumps([_row_to_json(r) for r in keep], ensure_ascii=False, separators=(",", ":"))
        self._write(self._path(token, "rows.json.gz"), gzip.compress(rows.encode(), compresslevel=1))
        self._write(
            self._path(token, "json"),
            json.dumps(
                {
                    "user": user_id,
                    "filename": filename[:120],
                    "kind": check.kind,
                    "created": time.time(),
                    "checked_at": check.checked_at.isoformat(),
                    "counts": check.counts,
                    "ignored": check.ignored_columns,
                    "rejected": [[r.row, r.name, _issue_json(r.issues)] for r in check.with_status(REJECTED)],
                    "flagged": [_row_to_json(r) for r in check.with_status(FLAGGED)],
                },
                ensure_ascii=False,
            ).encode(),
        )
        return token

    def load(self, token: str, *, user_id: int) -> PendingImport:
        """The pending import, or KeyError if it does not exist, expired or belongs to someone else."""
        try:
            meta = json.loads(self._path(token, "json").read_bytes())
        except (OSError, ValueError):
            raise KeyError(token) from None
        if meta["user"] != user_id or time.time() - meta["created"] > STORE_TTL.total_seconds():
            raise KeyError(token)
        return PendingImport(
            token=token,
            user_id=meta["user"],
            filename=meta["filename"],
            kind=meta["kind"],
            created=meta["created"],
            checked_at=datetime.fromisoformat(meta["checked_at"]),
            counts=meta["counts"],
            ignored_columns=meta["ignored"],
            rejected=[
                CheckedRow(row=n, name=name, status=REJECTED, issues=_issues_from(i)) for n, name, i in meta["rejected"]
            ],
            flagged=[_row_from_json(r) for r in meta["flagged"]],
        )

    def rows(self, pending: PendingImport) -> list[CheckedRow]:
        """Accepted and flagged rows, with their data, in file order."""
        try:
            data = json.loads(gzip.decompress(self._path(pending.token, "rows.json.gz").read_bytes()))
        except (OSError, ValueError):
            raise KeyError(pending.token) from None
        return [_row_from_json(r) for r in data]

    def replace(self, pending: PendingImport, rows: list[CheckedRow]) -> None:
        """Store the rows again after a re-check moved some of them (the token stays the same)."""
        check = ImportCheck(
            rows=sorted(rows + pending.rejected, key=lambda r: r.row),
            kind=pending.kind,
            ignored_columns=pending.ignored_columns,
            checked_at=timezone.now(),
        )
        keep = [r for r in check.rows if r.status != REJECTED]
        rows_json = json.dumps([_row_to_json(r) for r in keep], ensure_ascii=False, separators=(",", ":"))
        self._write(self._path(pending.token, "rows.json.gz"), gzip.compress(rows_json.encode(), compresslevel=1))
        meta = json.loads(self._path(pending.token, "json").read_bytes())
        meta.update(
            checked_at=check.checked_at.isoformat(),
            counts=check.counts,
            rejected=[[r.row, r.name, _issue_json(r.issues)] for r in check.with_status(REJECTED)],
            flagged=[_row_to_json(r) for r in check.with_status(FLAGGED)],
        )
        self._write(self._path(pending.token, "json"), json.dumps(meta, ensure_ascii=False).encode())

    def claim(self, pending: PendingImport) -> bool:
        """Take the import for confirmation; False if another request is already confirming it."""
        try:
            os.close(os.open(self._path(pending.token, "lock"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return False
        return True

    def release(self, pending: PendingImport) -> None:
        self._path(pending.token, "lock").unlink(missing_ok=True)

    def delete(self, token: str) -> None:
        for suffix in ("json", "rows.json.gz", "lock"):
            self._path(token, suffix).unlink(missing_ok=True)

    def sweep(self) -> int:
        """Remove imports older than STORE_TTL (called on every upload)."""
        removed = 0
        limit = time.time() - STORE_TTL.total_seconds()
        for path in self.directory.glob("*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def apply_conflicts(rows: list[CheckedRow], conflicts: Iterable[tuple[CheckedRow, list[Issue]]]) -> list[CheckedRow]:
    """Move rows that a re-check found to match someone to the rejected or flagged list."""
    found = {row.row: issues for row, issues in conflicts}
    for row in rows:
        issues = found.get(row.row)
        if not issues:
            continue
        if any(not i.is_flag for i in issues):
            row.status, row.issues, row.fields = REJECTED, [i for i in issues if not i.is_flag], None
        else:
            row.status, row.issues = FLAGGED, row.issues + issues
    return rows
