"""Prepare a seeded database for the load test: sign-in sessions for every kind of user and the ids the
scenarios visit. Runs under Django against DATABASE_URL (a copy of the demo world, never production).

    DATABASE_URL=postgres://…/openpes_load OPENPES_ENV=development .venv/bin/python -m bench.load.prepare OUT.json

Jobseeker and employer accounts are created for demo records that have none (the demo world has one of each);
staff sessions are opened for demo staff. Sessions are made with Django's own `login()` (through the test
client), so the middleware treats them like any sign-in.
"""

from __future__ import annotations

import json
import os
import random
import sys
from typing import Any

COUNTS = {"jobseeker": 30, "employer": 10, "counsellor": 12, "centre_manager": 4, "national_officer": 2}


def _session(user: Any) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def prepare(out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")  # the test client, used only to open sessions
    from openpes.accounts.enums import Role
    from openpes.accounts.models import User
    from openpes.employers.models import Employer, EmployerMember
    from openpes.jobseekers.models import JobSeeker
    from openpes.vacancies.models import Vacancy

    rng = random.Random(7)
    data: dict[str, Any] = {"sessions": {}, "caseload": {}}
    # Jobseekers with an account: demo records get one (phone-only, like most real users).
    # Safe to run again: accounts made by an earlier run keep their records.
    free = iter(JobSeeker.objects.filter(user__isnull=True, merged_into__isnull=True).order_by("pk"))
    sessions = []
    for n in range(COUNTS["jobseeker"]):
        user, _ = User.objects.get_or_create(phone=f"+85519{n:06d}", defaults={"role": Role.JOBSEEKER})
        if not JobSeeker.objects.filter(user=user).exists():
            JobSeeker.objects.filter(pk=next(free).pk).update(user=user)
        sessions.append(_session(user))
    data["sessions"]["jobseeker"] = sessions
    # Employer users, each a member of one verified employer in a different province.
    employers = list(Employer.objects.filter(verification="verified").order_by("pk")[: COUNTS["employer"]])
    sessions = []
    for n, employer in enumerate(employers):
        user, _ = User.objects.get_or_create(
            email=f"load-employer-{n}@openpes.example", defaults={"role": Role.EMPLOYER, "full_name": f"Load {n}"}
        )
        EmployerMember.objects.get_or_create(employer=employer, user=user, defaults={"role": "owner"})
        sessions.append(_session(user))
    data["sessions"]["employer"] = sessions
    for role in ("counsellor", "centre_manager", "national_officer"):
        staff_users = User.objects.filter(role=role, is_active=True)
        if role == "counsellor":  # counsellors with people on their centre's register (HQ and vans have none)
            staff_users = staff_users.filter(centre_id__in=JobSeeker.objects.current().values("owner_centre_id"))
        staff = list(staff_users.order_by("pk")[: COUNTS[role]])
        data["sessions"][role] = [_session(user) for user in staff]
        if role == "counsellor":
            for user, session in zip(staff, data["sessions"][role], strict=True):
                ids = list(
                    JobSeeker.objects.current()
                    .filter(owner_centre_id=user.centre_id)
                    .order_by("?")
                    .values_list("pk", flat=True)[:200]
                )
                data["caseload"][session] = ids
    vacancies = list(Vacancy.objects.filter(status="published").values_list("pk", flat=True))
    data["vacancies"] = rng.sample(vacancies, min(2000, len(vacancies)))
    titles = list(Vacancy.objects.filter(pk__in=data["vacancies"][:300]).values_list("title", flat=True))
    words = sorted({w for title in titles for w in title.split() if len(w) > 3})
    data["job_words"] = words[:300] or ["sewing"]
    names = list(JobSeeker.objects.order_by("?").values_list("name_latin", flat=True)[:300])
    data["person_words"] = sorted({n.split()[0] for n in names if n}) or ["Sok"]
    with open(out, "w") as handle:
        json.dump(data, handle)
    counts = {role: len(value) for role, value in data["sessions"].items()}
    print(f"sessions {counts}; {len(data['vacancies'])} vacancies; written to {out}")


if __name__ == "__main__":
    prepare(sys.argv[1])
