"""R3 load scenarios: the realistic mix of a working day against a running OpenPES.

Run through `bench/load/run.py` (which prepares sign-in sessions and starts the server), or by hand:

    LOAD_DATA=/tmp/load.json locust -f bench/load/locustfile.py --host http://127.0.0.1:8100 \
        --headless -u 50 -r 10 -t 3m

Users (weights): the public searching jobs (10), jobseekers looking at and editing their profile (5),
counsellors listing, searching and opening records (5), employers posting vacancies (2), centre managers and
national officers on their dashboards (1 each). Every request is a read (GET) or a write (POST); at the end the
script prints one JSON line with server errors and the p50/p95/p99 of reads and writes.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re

from locust import HttpUser, between, events, task

DATA = json.load(open(os.environ["LOAD_DATA"]))  # noqa: SIM115 (read once at start)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMES: dict[str, list[float]] = {"read": [], "write": []}
ERRORS = {"server": 0, "client": 0, "network": 0}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response, exception, **kwargs):
    kind = "write" if request_type == "POST" else "read"
    TIMES[kind].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        ERRORS["network"] += 1
    elif status >= 500:
        ERRORS["server"] += 1
    elif status >= 400:
        ERRORS["client"] += 1


def _pct(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * (len(ordered) - 1) + 0.5))], 1)


@events.quitting.add_listener
def _summary(environment, **kwargs):
    out = {"errors": ERRORS}
    for kind, values in TIMES.items():
        out[kind] = {"count": len(values), **{f"p{int(f * 100)}": _pct(values, f) for f in (0.5, 0.95, 0.99)}}
    print("LOAD-SUMMARY " + json.dumps(out))


class Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    role = ""

    def on_start(self):
        self.client.cookies.set("openpes_language", random.choice(["km", "km", "en"]))
        if self.role:
            self.session = random.choice(DATA["sessions"][self.role])
            self.client.cookies.set("sessionid", self.session)

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            return response

    def post_form(self, form_url, name, fields, keep=()):
        """Open the form (a read), then send it (a write) with the page's CSRF token and the pre-selected
        values of the `keep` fields."""
        page = self.get(form_url, name=f"{name} (form)")
        text = page.text or ""
        found = CSRF.search(text)
        if not found:
            return
        for field in keep:
            selected = re.search(rf'name="{field}".*?<option value="([^"]+)" selected', text, re.DOTALL)
            if selected:
                fields[field] = selected.group(1)
        with self.client.post(
            form_url,
            data={"csrfmiddlewaretoken": found.group(1), **fields},
            headers={"Referer": self.host + form_url},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")


class Public(Visitor):
    weight = 10

    @task(4)
    def search(self):
        self.get(f"/jobs/?q={random.choice(DATA['job_words'])}", "public: job search")

    @task(1)
    def search_filtered(self):
        self.get(f"/jobs/?q={random.choice(DATA['job_words'])}&province=15&sort=date", "public: job search filtered")

    @task(3)
    def vacancy(self):
        self.get(f"/jobs/{random.choice(DATA['vacancies'])}/", "public: vacancy")

    @task(1)
    def home(self):
        self.get("/", "public: home")


class Jobseeker(Visitor):
    weight = 5
    role = "jobseeker"

    @task(2)
    def home(self):
        self.get("/", "jobseeker: home")

    @task(2)
    def profile(self):
        self.get("/me/profile/", "jobseeker: profile")

    @task(1)
    def edit_preferences(self):
        self.post_form(
            "/me/profile/preferences/",
            "jobseeker: edit preferences",
            {"expected_wage": str(random.randint(180, 400)), "employment_types": ["full_time"]},
        )

    @task(1)
    def jobs_for_me(self):
        if os.environ.get("LOAD_WITHOUT_MATCHING"):  # see run.py --without-matching
            self.get("/me/profile/", "jobseeker: profile")
            return
        self.get("/me/jobs/", "jobseeker: jobs for me")

    @task(2)
    def search(self):
        self.get(f"/jobs/?q={random.choice(DATA['job_words'])}", "jobseeker: job search")


class Counsellor(Visitor):
    weight = 5
    role = "counsellor"

    def record(self):
        return random.choice(DATA["caseload"].get(self.session) or [1])

    @task(2)
    def list(self):
        self.get("/jobseekers/", "counsellor: jobseeker list")

    @task(3)
    def search(self):
        self.get(f"/jobseekers/?q={random.choice(DATA['person_words'])}", "counsellor: jobseeker search")

    @task(4)
    def detail(self):
        self.get(f"/jobseekers/{self.record()}/", "counsellor: jobseeker record")

    @task(1)
    def caseload(self):
        self.get("/cases/caseload/", "counsellor: caseload")

    @task(1)
    def home(self):
        self.get("/", "counsellor: home")


class Employer(Visitor):
    weight = 2
    role = "employer"

    @task(2)
    def home(self):
        self.get("/employer/", "employer: home")

    @task(1)
    def post_vacancy(self):
        closing = (datetime.datetime.now(tz=datetime.UTC).date() + datetime.timedelta(days=25)).isoformat()
        self.post_form(
            "/vacancies/new/",
            "employer: post vacancy",
            {
                "title": random.choice(["Sewing machine operator", "ប្រតិបត្តិករម៉ាស៊ីនដេរ", "Warehouse worker"]),
                "isco_group": random.choice(["8153", "9333", "5223"]),
                "description": "Load test vacancy: operate machines on a production line. Training given.",
                "positions": "3",
                "employment_type": "full_time",
                "hours_per_week": "48",
                "wage_min": "208",
                "wage_max": "260",
                "experience_months": "0",
                "closing_date": closing,
                "language_1": "km",
                "level_1": "3",
            },
            keep=("province", "district"),
        )

    @task(1)
    def vacancies(self):
        self.get("/vacancies/", "employer: my vacancies")


class Manager(Visitor):
    weight = 1
    role = "centre_manager"

    @task(2)
    def dashboard(self):
        self.get("/", "manager: dashboard")

    @task(1)
    def team(self):
        self.get("/cases/team/", "manager: team caseloads")


class National(Visitor):
    weight = 1
    role = "national_officer"

    @task(2)
    def dashboard(self):
        self.get("/", "national: dashboard")

    @task(1)
    def fairness(self):
        self.get("/matching/fairness/", "national: matching fairness")
