"""R4: PostgreSQL killed mid-write. Concurrent API clients register jobseekers with Idempotency-Keys against
gunicorn (2 workers); at a random moment PostgreSQL is stopped hard (`pg_ctlcluster … stop -m immediate`) and
started again a few seconds later, while the clients keep retrying every request until it gets its 201.

    .venv/bin/python -m bench.db_killed [--clients 8] [--each 25] [--cluster 15/main]

Checks: 0 committed records lost (every 201 the clients received is in the database afterwards), 0 duplicates
(one record per key), the app answered 503 — not 500 — while the database was down, and it recovered without
a restart (same gunicorn workers before and after).

**This stops the machine's PostgreSQL cluster** (other databases on it included): run it only when nobody relies
on it. PostgreSQL is down for 2–4 s and started again whatever happens, but after an immediate stop it runs crash
recovery before it accepts connections again: a CHECKPOINT just before the kill keeps the redo short, yet the
fsync of the whole data directory at start-up takes as long as the cluster is big (30 s on the shared
development cluster on 2026-11-30; `recovery_init_sync_method = syncfs` in postgresql.conf shortens it).
Works in a scratch database created for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import psycopg

from bench.load.run import ROOT, free_port

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def setup_child() -> None:
    """In a child process on the scratch database: schema, reference data, a centre and a counsellor's token."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from openpes.accounts.enums import Role
    from openpes.accounts.models import ApiToken, User
    from openpes.centres.models import JobCentre
    from openpes.geography.loaders import load_geography
    from openpes.geography.models import Province

    load_geography()
    centre = JobCentre.objects.create(
        code="jc-15", kind="provincial", name_km="មជ្ឈមណ្ឌល", name_en="Pursat", province=Province.objects.get(code="15")
    )
    user = User.objects.create_user("counsellor@bench.invalid", "x", role=Role.COUNSELLOR, centre=centre)
    _token, clear = ApiToken.issue(user=user, name="bench")
    print(json.dumps({"token": clear}))


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.during_outage: Counter[str] = Counter()
        self.acknowledged: dict[str, int] = {}  # key → id the server answered with
        self.outage = False

    def seen(self, status: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if self.outage:
                self.during_outage[status] += 1


def client(base: str, token: str, index: int, each: int, stats: Stats, deadline: float) -> None:
    for n in range(each):
        key = uuid.uuid4().hex
        body = json.dumps(
            {
                "name_latin": f"Bench Writer {index} Person {n}",
                "sex": "F" if n % 2 else "M",
                "date_of_birth": f"199{index % 10}-0{1 + n % 9}-1{n % 10}",
                "province": "15",
                "national_id": f"{index:03d}{n:06d}",
                "confirm_not_duplicate": True,
            }
        ).encode()
        while time.monotonic() < deadline:
            request = urllib.request.Request(
                f"{base}/api/v1/jobseekers",
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    stats.seen(str(answer.status))
                    stats.acknowledged[key] = json.load(answer)["id"]
                    break
            except urllib.error.HTTPError as error:
                stats.seen(str(error.code))
            except OSError as error:  # connection refused/reset, time-out: the answer may have been lost
                stats.seen(type(error).__name__)
            time.sleep(0.3)
        else:
            return


def health_prober(base: str, stats: Stats, stop: threading.Event, seen: Counter[str]) -> None:
    while not stop.is_set():
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as answer:
                status = str(answer.status)
        except urllib.error.HTTPError as error:
            status = str(error.code)
        except OSError as error:
            status = type(error).__name__
        if stats.outage:
            seen[status] += 1
        time.sleep(0.5)


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return sorted(int(x) for x in children.read_text().split()) if children.exists() else []


def pg_ctl(cluster: str, action: str) -> None:
    version, name = cluster.split("/")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "immediate"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(ADMIN_URL, connect_timeout=2) as probe:
                probe.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            time.sleep(0.3)
    raise SystemExit("PostgreSQL did not come back!")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--each", type=int, default=25)
    parser.add_argument("--cluster", default="15/main")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-kill", action="store_true", help="Check the harness without stopping PostgreSQL")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    name = f"openpes_bench_dbkill_{os.getpid()}"
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    workdir = Path(f"/tmp/{name}")
    workdir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OPENPES_ENV": "development",
        "OPENPES_DEBUG": "false",
        "OPENPES_VAR_DIR": str(workdir),
        "OPENPES_ALLOWED_HOSTS": "127.0.0.1",
        "OPENPES_TASKS": "immediate",
        "OPENPES_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.db_killed", "--setup-child"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        token = json.loads(done.stdout.strip().splitlines()[-1])["token"]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = workdir / "gunicorn.log"
        with log.open("ab") as handle:
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "openpes.wsgi:application", "--workers", "2", "--bind",
                 f"127.0.0.1:{port}", "--timeout", "30", "--error-logfile", str(log)],
                cwd=ROOT, env=env, stdout=handle, stderr=handle,
            )  # fmt: skip
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.5)
        workers_before = workers_of(server.pid)
        stats = Stats()
        deadline = time.monotonic() + 300
        threads = [
            threading.Thread(target=client, args=(base, token, i, options.each, stats, deadline))
            for i in range(options.clients)
        ]
        stop_probe = threading.Event()
        health_seen: Counter[str] = Counter()
        prober = threading.Thread(target=health_prober, args=(base, stats, stop_probe, health_seen))
        started = time.monotonic()
        for thread in [*threads, prober]:
            thread.start()
        kill_after = rng.uniform(2.0, 6.0)
        down_for = rng.uniform(2.0, 4.0)
        time.sleep(kill_after)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute("CHECKPOINT")  # less WAL to replay: a shorter recovery
        before_kill = len(stats.acknowledged)
        outage_started = time.monotonic()
        try:
            stats.outage = True
            if not options.no_kill:
                pg_ctl(options.cluster, "stop")
            time.sleep(down_for)
        finally:
            if not options.no_kill:
                pg_ctl(options.cluster, "start")
            wait_for_postgres()
            outage = time.monotonic() - outage_started
            stats.outage = False
        for thread in threads:
            thread.join()
        stop_probe.set()
        prober.join()
        elapsed = time.monotonic() - started
        workers_after = workers_of(server.pid)
        with psycopg.connect(database_url) as db:
            rows = db.execute(
                "SELECT id, national_id FROM jobseekers_jobseeker WHERE name_latin LIKE 'Bench Writer %%'"
            ).fetchall()
            keys = db.execute("SELECT count(*) FROM privacy_idempotencykey").fetchone()[0]
        ids = {row[0] for row in rows}
        per_person = Counter(row[1] for row in rows)
        lost = [key for key, pk in stats.acknowledged.items() if pk not in ids]
        result = {
            "clients": options.clients,
            "records_asked": options.clients * options.each,
            "acknowledged": len(stats.acknowledged),
            "acknowledged_before_kill": before_kill,
            "in_database": len(rows),
            "idempotency_keys": keys,
            "lost": len(lost),
            "duplicates": sum(count - 1 for count in per_person.values() if count > 1),
            "responses": dict(stats.statuses),
            "responses_during_outage": dict(stats.during_outage),
            "health_during_outage": dict(health_seen),
            "server_errors_500": stats.statuses.get("500", 0),
            "killed_after_s": round(kill_after, 1),
            "outage_s": round(outage, 1),
            "run_s": round(elapsed, 1),
            "same_workers_after": workers_before == workers_after,
        }
        print(json.dumps(result, indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        wait_for_postgres()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:] == ["--setup-child"]:
        setup_child()
    else:
        main()
