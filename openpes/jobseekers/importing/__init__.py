"""Bulk import of jobseekers from paper registration forms typed up in a spreadsheet (at a job fair, say).

**File layout** (shown to users on the upload page, from `COLUMNS`): a CSV file in UTF-8 with a header row
(comma, semicolon or tab separated), or the first sheet of an Excel workbook (.xlsx) with the column names
in its first row. Columns may come in any order; unknown columns are ignored and listed.

The flow, shared by the upload pages, `manage.py import_jobseekers` and `bench/import_jobseekers.py`:

    files.read_table(data)     → Table: the header and the raw cells, or ValidationError for a malformed file
    checks.check_import(table) → ImportCheck: every row accepted, flagged (perhaps someone registered already
                                 or typed twice: a counsellor decides) or rejected, with the reasons (row,
                                 column, what is wrong); saves nothing
    saving.commit_import(...)  → one transaction: jobseekers, desired occupations, consents, `registered`
                                 events, one IMPORT audit row and the search index, in batches; all or none
    store.ImportStore          → the checked rows between upload and confirmation, on disk outside the web
                                 root, under a random token, for the uploader only, for two hours

Duplicates are found with `jobseekers.duplicates`: the same national ID or phone number as a registered
person (or an earlier row) rejects the row; a similar name with the same date of birth flags it.
"""

from openpes.jobseekers.importing.checks import RowChecker, check_import, find_duplicates
from openpes.jobseekers.importing.files import Table, read_table
from openpes.jobseekers.importing.layout import (
    ACCEPTED,
    COLUMNS,
    FLAGGED,
    MAX_FILE_BYTES,
    MAX_ROWS,
    REJECTED,
    CheckedRow,
    Column,
    ImportCheck,
    Issue,
    file_error,
    message,
)
from openpes.jobseekers.importing.saving import ImportConflictError, ImportResult, commit_import, recheck
from openpes.jobseekers.importing.store import ImportStore, PendingImport, apply_conflicts

__all__ = [
    "ACCEPTED",
    "COLUMNS",
    "FLAGGED",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REJECTED",
    "CheckedRow",
    "Column",
    "ImportCheck",
    "ImportConflictError",
    "ImportResult",
    "ImportStore",
    "Issue",
    "PendingImport",
    "RowChecker",
    "Table",
    "apply_conflicts",
    "check_import",
    "commit_import",
    "file_error",
    "find_duplicates",
    "message",
    "read_table",
    "recheck",
]
