"""R7: the embedded SQLite database (WAL, busy timeout, immediate transactions) under 20 concurrent writer
processes: no "database is locked" reaches a caller; a writer killed mid-transaction leaves an intact database
with no half-written record.

The writers are real processes registering jobseekers through `jobseekers.actions.register_jobseeker`, against a
file copy of the test database. This module is also the writers' program: `python -m
openpes.lib.tests.test_sqlite_concurrency writers|victim ...` (see `main`).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

WRITERS = 20
EACH = 10


# ------------------------------------------------------------------------------------------- the writer program


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("OPENPES_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
    import django

    django.setup()


def _register(name: str) -> int:
    import datetime

    from openpes.centres.models import JobCentre
    from openpes.jobseekers.actions import register_jobseeker

    centre = JobCentre.objects.get(code="jc-15")
    jobseeker = register_jobseeker(
        actor=None,
        fields={
            "name_km": "សុខ ដារា",
            "name_latin": name,
            "sex": "M",
            "date_of_birth": datetime.date(1998, 2, 3),
            "province_id": centre.province_id,
        },
        channel="centre",
        centre=centre,
    )
    return jobseeker.pk


def _writer(index: int, each: int, barrier, results) -> None:  # runs in a forked child
    from django.db import connection

    connection.close()  # never share the parent's SQLite handle
    errors = []
    written = 0
    barrier.wait()
    for n in range(each):
        try:
            _register(f"Writer {index} record {n}")
            written += 1
        except Exception as exc:  # every error that would reach a user
            errors.append(f"{type(exc).__name__}: {exc}")
    connection.close()
    results.put({"written": written, "errors": errors})


def writers(database: str, count: int, each: int) -> dict[str, Any]:
    """Fork `count` writers that each register `each` jobseekers at the same moment; report what they saw."""
    import multiprocessing

    _setup(database)
    from django.db import connection

    from openpes.lib.search import tokens

    tokens("ស្វែងរកការងារ")  # load the Khmer segmenter once, before forking
    connection.close()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    results = context.Queue()
    processes = [context.Process(target=_writer, args=(i, each, barrier, results)) for i in range(count)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    reports = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return {
        "written": sum(r["written"] for r in reports),
        "errors": [e for r in reports for e in r["errors"]],
        "exit_codes": [p.exitcode for p in processes],
        "seconds": round(time.perf_counter() - started, 1),
    }


def victim(database: str, ready: str) -> None:
    """Open a transaction, write a record (and its event, consent, audit row and index entry), say so, and hang
    there until killed."""
    _setup(database)
    from django.db import transaction

    with transaction.atomic():
        _register("Half Written")
        Path(ready).write_text("in the middle of a transaction")
        time.sleep(600)


def main(argv: list[str]) -> None:
    if argv[0] == "writers":
        print(json.dumps(writers(argv[1], int(argv[2]), int(argv[3]))))
    elif argv[0] == "victim":
        victim(argv[1], argv[2])


# ------------------------------------------------------------------------------------------------------- tests

pytestmark = pytest.mark.django_db(transaction=True)


def _program(*args: str) -> list[str]:
    return [sys.executable, "-m", "openpes.lib.tests.test_sqlite_concurrency", *args]


def _env() -> dict[str, str]:
    from django.conf import settings

    return {**os.environ, "OPENPES_ENV": "test", "PYTHONPATH": str(settings.BASE_DIR)}


@pytest.fixture
def database(cast, tmp_path) -> Path:
    """A file copy of the test database (migrated, reference data, the cast's centres), in WAL mode."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("R7 is about the embedded SQLite database")
    path = tmp_path / "openpes.sqlite3"
    call_command("backup", str(path))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    return path


def _count(path: Path, where: str = "") -> int:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM jobseekers_jobseeker {where}").fetchone()[0]


def _indexed(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM jobseekers_jobseeker_fts").fetchone()[0]


def test_twenty_concurrent_writers_never_see_database_is_locked(database):
    before, indexed_before = _count(database), _indexed(database)
    done = subprocess.run(
        _program("writers", str(database), str(WRITERS), str(EACH)),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["exit_codes"] == [0] * WRITERS
    assert report["written"] == WRITERS * EACH
    assert _count(database) == before + WRITERS * EACH
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every record reached the search index and has its registration event: nothing half-saved.
        assert (
            db.execute("SELECT count(*) FROM jobseekers_jobseeker_fts").fetchone()[0] == indexed_before + WRITERS * EACH
        )
        assert (
            db.execute(
                "SELECT count(*) FROM jobseekers_jobseeker j WHERE NOT EXISTS "
                "(SELECT 1 FROM jobseekers_jobseekerevent e WHERE e.jobseeker_id = j.id AND e.kind = 'registered')"
            ).fetchone()[0]
            == 0
        )


def test_a_writer_killed_mid_transaction_leaves_an_intact_database_and_no_half_record(database, tmp_path):
    ready = tmp_path / "ready"
    before = _count(database)
    log = tmp_path / "victim.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(_program("victim", str(database), str(ready)), env=_env(), stderr=stderr)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the victim never reached its transaction"
            time.sleep(0.1)
        # Writers queue up behind the victim's open transaction; then the victim dies holding the lock.
        waiting = subprocess.Popen(
            _program("writers", str(database), "5", "2"), env=_env(), stdout=subprocess.PIPE, text=True
        )
        time.sleep(3)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        out, _ = waiting.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == []
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            db.execute("SELECT count(*) FROM jobseekers_jobseeker WHERE name_latin = 'Half Written'").fetchone()[0] == 0
        )
        assert (
            db.execute(
                "SELECT count(*) FROM jobseekers_jobseeker_fts WHERE jobseekers_jobseeker_fts MATCH 'half'"
            ).fetchone()[0]
            == 0
        )
        orphans = db.execute(
            "SELECT count(*) FROM jobseekers_jobseekerevent e WHERE NOT EXISTS "
            "(SELECT 1 FROM jobseekers_jobseeker j WHERE j.id = e.jobseeker_id)"
        ).fetchone()[0]
        assert orphans == 0
    assert _count(database) == before + 5 * 2


if __name__ == "__main__":
    main(sys.argv[1:])
