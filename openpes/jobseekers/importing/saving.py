"""Saving checked rows: all of them in one transaction, or none."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.centres.models import JobCentre
from openpes.jobseekers.duplicates import DuplicateIndex
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, JobSeekerStatus
from openpes.jobseekers.importing.checks import existing_candidates, match_issues
from openpes.jobseekers.importing.layout import FIELDS, CheckedRow, Issue
from openpes.jobseekers.models import Consent, DesiredOccupation, JobSeeker, JobSeekerEvent
from openpes.jobseekers.search import jobseeker_index

BATCH_SIZE = 1000


class ImportConflictError(Exception):
    """Rows that match records registered or changed after the file was checked (nothing was saved)."""

    def __init__(self, conflicts: list[tuple[CheckedRow, list[Issue]]]) -> None:
        super().__init__(f"{len(conflicts)} rows match records changed since the check")
        self.conflicts = conflicts


def recheck(rows: Sequence[CheckedRow], since: datetime) -> list[tuple[CheckedRow, list[Issue]]]:
    """Compare rows with records registered or changed since the check; a flag a counsellor already saw
    (same record) is not raised again."""
    index = DuplicateIndex(existing_candidates(rows, since=since))
    if not index.by_birth and not index.by_id and not index.by_phone:
        return []
    conflicts = []
    for row in rows:
        known = {i.params.get("pk") for i in row.issues if i.code == "similar_record"}
        issues = [
            i
            for i in match_issues(index.matches(row.candidate()), in_file=False)
            if not (i.is_flag and i.params["pk"] in known)
        ]
        if issues:
            conflicts.append((row, issues))
    return conflicts


@dataclass(frozen=True)
class ImportResult:
    ids: list[int]
    batch: str
    seconds: float


_PLAIN_TYPES = frozenset(
    {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey", "IntegerField",
     "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField"}
)  # fmt: skip


class _Inserter:
    """INSERT many rows of one model with one `executemany`. Columns that are the same in every row (model
    defaults, the centre, the time) are prepared once from a template instance; only `varying` ones are
    given per row. Django's bulk_create prepares and compiles every value of every row in statements of 29
    rows on SQLite: it was three quarters of the import time (about 30 s of CPU per 100,000 people)."""

    def __init__(self, template: Model, varying: Sequence[str]) -> None:
        model = type(template)
        fields = [f for f in model._meta.concrete_fields if f.attname in varying or not f.primary_key]
        where = {name: index for index, name in enumerate(varying)}
        self.constant = [
            None if f.attname in where else f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for f in fields
        ]
        self.varying = [
            (position, where[f.attname], None if f.get_internal_type() in _PLAIN_TYPES else f)
            for position, f in enumerate(fields)
            if f.attname in where
        ]
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(f.column or f.attname) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        prepared = []
        for values in rows:
            row = list(self.constant)
            for position, index, field_ in self.varying:
                value = values[index]
                row[position] = value if field_ is None else field_.get_db_prep_save(value, connection)
            prepared.append(row)
        if prepared:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, prepared)


def _new_ids(model: type[Model], count: int) -> list[int]:
    """Reserve primary keys for rows inserted without RETURNING (inside the import's transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is ours for the whole transaction, so the next keys cannot be taken meanwhile.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        top = int(cursor.fetchone()[0])
    return list(range(top + 1, top + count + 1))


_JOBSEEKER_VARYING = ("id", *(name for name in FIELDS if name != "isco_group_id"))


@transaction.atomic
def commit_import(
    *,
    actor: Any,
    centre: JobCentre,
    rows: Sequence[CheckedRow],
    checked_at: datetime,
    detail: dict[str, Any] | None = None,
    request: Any = None,
) -> ImportResult:
    """Register every row (accepted ones and flagged ones a counsellor chose to import) in one transaction:
    any failure leaves the database as it was. Raises ImportConflictError if someone registered or changed a
    matching record since the check."""
    started = time.perf_counter()
    conflicts = recheck(rows, checked_at)
    if conflicts:
        raise ImportConflictError(conflicts)
    staff = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    batch_id = secrets.token_hex(6)
    people = _Inserter(
        JobSeeker(owner_centre=centre, registered_by=staff, status=JobSeekerStatus.ACTIVE, created_at=now),
        _JOBSEEKER_VARYING,
    )
    occupations = _Inserter(DesiredOccupation(rank=1), ("jobseeker_id", "isco_group_id"))
    consents = _Inserter(
        Consent(
            purpose=ConsentPurpose.REGISTRATION,
            given=True,
            method=ConsentMethod.PAPER,
            recorded_by=staff,
            on_behalf=True,
            at=now,
        ),
        ("jobseeker_id",),
    )
    events = _Inserter(
        JobSeekerEvent(kind=EventKind.REGISTERED, at=now, actor=staff, centre=centre, to_status=JobSeekerStatus.ACTIVE),
        ("jobseeker_id", "detail"),
    )
    ids = _new_ids(JobSeeker, len(rows))
    for start in range(0, len(rows), BATCH_SIZE):
        batch = list(zip(ids[start : start + BATCH_SIZE], rows[start : start + BATCH_SIZE], strict=True))
        people.insert([pk, *(row.fields[name] for name in _JOBSEEKER_VARYING[1:])] for pk, row in batch if row.fields)
        occupations.insert(
            (pk, row.fields["isco_group_id"]) for pk, row in batch if row.fields and row.fields["isco_group_id"]
        )
        consents.insert((pk,) for pk, _row in batch)
        events.insert((pk, {"channel": row.fields["channel"], "import": batch_id}) for pk, row in batch if row.fields)
        jobseeker_index.update([pk for pk, _row in batch])
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type=JobSeeker._meta.label_lower,
        count=len(ids),
        detail={"import": batch_id, "centre": centre.code, **(detail or {})},
        request=request,
    )
    return ImportResult(ids=ids, batch=batch_id, seconds=time.perf_counter() - started)
