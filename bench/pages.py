"""P5: server time and page weight of the main pages, on the demo data.

    DATABASE_URL=postgres://…/openpes_load .venv/bin/python -m bench.pages [--repeat 10] [--json OUT]

Every page is requested in-process with Django's test client, signed in as the role that uses it: one warm-up,
then `--repeat` measured requests; the figure is the median wall time of a request (the server's work: URL
routing, middleware, queries, template; no network). Page weight: the HTML plus every stylesheet, script and
image it loads from /static/, each gzip-compressed (level 6, as a server would send them), fonts excluded.
Goals: median ≤ 100 ms, weight ≤ 150 KB.

The database must hold the demo world (`manage.py load_demo`, any size; the figures in bench/README.md are for
--size 100000). The run reads pages and writes what reading writes (audit rows); use a copy, not production.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import time
from typing import Any

GOAL_MS = 100.0
GOAL_KB = 150.0
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"')
FONT = re.compile(r"\.(woff2?|ttf|otf)(\?|$)")


def pages() -> list[tuple[str, str | None, str]]:
    """(name, role of the user to sign in as, URL) for the main pages, with ids from the demo data."""
    from openpes.applications.models import Application
    from openpes.cases.models import Case
    from openpes.jobseekers.models import JobSeeker
    from openpes.vacancies.models import Vacancy

    vacancy = Vacancy.objects.filter(status="published").order_by("pk").first()
    jobseeker = JobSeeker.objects.filter(owner_centre__code="jc-15").order_by("pk").first()
    case = Case.objects.filter(owner_centre__code="jc-15").order_by("pk").first()
    application = Application.objects.filter(vacancy__owner_centre__code="jc-15").order_by("pk").first()
    assert vacancy and jobseeker, "no demo data: run manage.py load_demo first"
    out: list[tuple[str, str | None, str]] = [
        ("public home", None, "/"),
        ("sign in", None, "/accounts/login/"),
        ("job search", None, "/jobs/"),
        ("job search: 'sewing'", None, "/jobs/?q=sewing"),
        ("job search: Khmer word", None, "/jobs/?q=%E1%9E%80%E1%9E%B6%E1%9E%9A%E1%9E%84%E1%9E%B6%E1%9E%9A"),
        ("vacancy (public)", None, f"/jobs/{vacancy.pk}/"),
        ("jobseeker home", "jobseeker", "/"),
        ("my profile", "jobseeker", "/me/profile/"),
        ("edit my preferences", "jobseeker", "/me/profile/preferences/"),
        ("jobs for me", "jobseeker", "/me/jobs/"),
        ("my applications", "jobseeker", "/applications/"),
        ("counsellor home", "counsellor", "/"),
        ("jobseeker list", "counsellor", "/jobseekers/"),
        ("jobseeker search: 'sok'", "counsellor", "/jobseekers/?q=sok"),
        ("jobseeker record", "counsellor", f"/jobseekers/{jobseeker.pk}/"),
        ("register a jobseeker", "counsellor", "/jobseekers/new/"),
        ("recommended jobs for a person", "counsellor", f"/jobseekers/{jobseeker.pk}/recommended-jobs/"),
        ("personal data page", "counsellor", f"/jobseekers/{jobseeker.pk}/personal-data/"),
        ("caseload", "counsellor", "/cases/caseload/"),
        ("appointments", "counsellor", "/appointments/"),
        ("employer home", "employer", "/employer/"),
        ("my vacancies", "employer", "/vacancies/"),
        ("post a vacancy", "employer", "/vacancies/new/"),
        ("manager dashboard", "centre_manager", "/"),
        ("team caseloads", "centre_manager", "/cases/team/"),
        ("national dashboard", "national_officer", "/"),
        ("matching fairness", "national_officer", "/matching/fairness/"),
    ]
    if case is not None:
        out.append(("case file", "counsellor", f"/cases/{case.pk}/"))
    if application is not None:
        out.append(("application", "counsellor", f"/applications/{application.pk}/"))
    return out


def users() -> dict[str, Any]:
    """The demo sign-ins (manage.py load_demo), one per role; the demo jobseeker gets a record if it has none."""
    from openpes.accounts.models import User

    found = {}
    for role in ("jobseeker", "counsellor", "employer", "centre_manager", "national_officer"):
        user = User.objects.filter(role=role, is_active=True).exclude(password="!").order_by("pk").first()
        if user is None:
            raise SystemExit(f"No demo {role} account: run manage.py load_demo.")
        found[role] = user
    return found


def weight(client: Any, html: bytes) -> tuple[int, list[str]]:
    total = len(gzip.compress(html, 6))
    assets = sorted(set(ASSET.findall(html.decode("utf-8", "replace"))))
    counted = []
    for url in assets:
        if FONT.search(url):
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        total += len(gzip.compress(body, 6))
        counted.append(url)
    return total, counted


def measure(repeat: int) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    accounts = users()
    clients: dict[str | None, Client] = {}
    results = []
    for name, role, url in pages():
        if role not in clients:
            client = Client()
            client.cookies["openpes_language"] = "km"
            if role is not None:
                client.force_login(accounts[role], backend="django.contrib.auth.backends.ModelBackend")
            clients[role] = client
        client = clients[role]
        first = client.get(url)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        size, assets = weight(client, first.content) if first.status_code == 200 else (0, [])
        results.append(
            {
                "page": name,
                "url": url,
                "status": first.status_code,
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "weight_kb": round(size / 1024, 1),
                "assets": assets,
                "html_kb": round(len(response.content) / 1024, 1),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", help="Also write the results to this file")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
    os.environ.setdefault("OPENPES_ENV", "development")
    os.environ.setdefault("OPENPES_DEBUG", "false")  # DEBUG keeps every query in memory and slows pages
    os.environ.setdefault("OPENPES_STAFF_REQUIRE_2FA", "false")
    import django

    django.setup()
    from django.db import connection

    results = measure(options.repeat)
    print(f"{connection.vendor}, {options.repeat} requests per page (median), weights gzip without fonts\n")
    print("| page | status | median ms | weight KB (gzip) | HTML KB |\n| --- | ---: | ---: | ---: | ---: |")
    for row in results:
        slow = " ⚠" if row["median_ms"] > GOAL_MS else ""
        heavy = " ⚠" if row["weight_kb"] > GOAL_KB else ""
        cells = [row["page"], row["status"], f"{row['median_ms']}{slow}", f"{row['weight_kb']}{heavy}", row["html_kb"]]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
    over = [row["page"] for row in results if row["median_ms"] > GOAL_MS]
    print(f"\n{len(results) - len(over)}/{len(results)} pages within {GOAL_MS:.0f} ms; heaviest "
          f"{max(row['weight_kb'] for row in results)} KB (goal {GOAL_KB:.0f} KB).")  # fmt: skip
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
