"""R3: the load test, end to end — sessions, a production server, Locust, a summary.

    .venv/bin/python -m bench.load.run --database-url postgres://postgres@127.0.0.1:5432/openpes_load \\
        [--users 50] [--minutes 3] [--workers 3] [--locust .venv-load/bin/locust]

The database must already hold the demo world at full size (the name must contain "load" or "bench", so a
production database is never used):

    DATABASE_URL=… .venv/bin/python manage.py migrate && … manage.py createcachetable && … load_reference \\
        && … import_esco --if-empty --skip-missing && … load_demo --size 100000

(100,000 jobseekers, 25,000 vacancies, 10,000 employers). Locust runs in its own virtualenv
(`python3 -m venv .venv-load && .venv-load/bin/pip install "locust>=2.20"`): it only speaks HTTP.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "OPENPES_ENV": "development",  # no TLS redirect or manifest storage on this machine; DEBUG off below
        "OPENPES_DEBUG": "false",
        "OPENPES_VAR_DIR": str(workdir),
        "OPENPES_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "OPENPES_STAFF_REQUIRE_2FA": "false",  # sessions are opened directly; the second factor is not measured
        "OPENPES_LOG_LEVEL": "WARNING",
        "OPENPES_MATCHING_PRELOAD_BLOCKING": "1",
    }


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "openpes.wsgi:application",
        "--preload",  # the master builds the matching index once, before forking (see docs/deploy.md)
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--error-logfile",
        str(log),
    ]
    with log.open("ab") as handle:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
    deadline = time.monotonic() + 600  # includes building the matching index
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"The server did not start; see {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--locust", default=str(ROOT / ".venv-load" / "bin" / "locust"))
    parser.add_argument(
        "--without-matching",
        action="store_true",
        help="Leave out 'jobs for me' (each worker builds the matching index on its first match request)",
    )
    options = parser.parse_args()
    name = options.database_url.rsplit("/", 1)[-1]
    if "load" not in name and "bench" not in name:
        raise SystemExit("Refusing to run: the database name must contain 'load' or 'bench'.")
    workdir = Path(tempfile.mkdtemp(prefix="openpes-load-"))
    env = server_environment(options.database_url, workdir)
    data = workdir / "load.json"
    subprocess.run([sys.executable, "-m", "bench.load.prepare", str(data)], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = start_server(env, port, options.workers, workdir / "gunicorn.log")
    try:
        command = [
            options.locust,
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--host",
            f"http://127.0.0.1:{port}",
            "--headless",
            "--users",
            str(options.users),
            "--spawn-rate",
            str(options.spawn_rate),
            "--run-time",
            f"{int(options.minutes * 60)}s",
            "--only-summary",
            "--csv",
            str(workdir / "locust"),
        ]
        locust_env = {**os.environ, "LOAD_DATA": str(data)}
        if options.without_matching:
            locust_env["LOAD_WITHOUT_MATCHING"] = "1"
        done = subprocess.run(command, cwd=ROOT, env=locust_env, capture_output=True, text=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(done.stdout[-20000:])
    print(done.stderr[-6000:], file=sys.stderr)
    summary = next((line for line in done.stdout.splitlines() + done.stderr.splitlines() if "LOAD-SUMMARY" in line), "")
    if summary:
        result = json.loads(summary.split("LOAD-SUMMARY ", 1)[1])
        print(json.dumps({"users": options.users, "workers": options.workers, "minutes": options.minutes, **result}))
    print(f"Locust CSV and the server log are in {workdir}")


if __name__ == "__main__":
    main()
