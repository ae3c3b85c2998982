"""Sweeps over every casework operation: strangers get 401, staff of another province get 404, and neither
changes anything."""

import pytest

from openpes.applications.models import ApplicationEvent
from openpes.audit.models import AuditEvent
from openpes.employers.models import EmployerEvent
from openpes.jobseekers.models import JobSeekerEvent
from openpes.vacancies.models import VacancyEvent

pytestmark = pytest.mark.django_db


def _operations(world):
    """Every casework operation, aimed at records of the Pursat job centre, with a valid body."""
    js, emp, vac, app = world.jobseeker_a.pk, world.employer_pending.pk, world.draft_pursat.pk, world.application_a.pk
    return [
        ("get", "/jobseekers", None),
        ("get", "/jobseekers/me", None),
        ("get", f"/jobseekers/{js}", None),
        (
            "post",
            "/jobseekers",
            {"name_latin": "Mao Rith", "sex": "M", "date_of_birth": "1990-02-03", "province": "15"},
        ),
        ("patch", f"/jobseekers/{js}", {"address": "Phum Thmei"}),
        ("post", f"/jobseekers/{js}/status", {"status": "inactive", "reason": "moved"}),
        ("get", "/employers", None),
        ("get", f"/employers/{emp}", None),
        ("patch", f"/employers/{emp}", {"address": "Street 1"}),
        ("post", f"/employers/{emp}/verify", None),
        ("post", f"/employers/{emp}/refuse", {"reason": "unreachable"}),
        ("patch", f"/vacancies/{vac}", {"positions": 2}),
        ("post", f"/vacancies/{vac}/submit", None),
        ("post", f"/vacancies/{vac}/publish", None),
        ("post", f"/vacancies/{vac}/reject", {"reason": "incomplete"}),
        ("post", f"/vacancies/{vac}/close", {"reason": "cancelled"}),
        ("get", "/applications", None),
        ("get", f"/applications/{app}", None),
        ("post", f"/applications/{app}/move", {"status": "in_review"}),
        ("post", f"/applications/{app}/hire", {"start_date": "2026-01-01"}),
        ("post", f"/applications/{app}/withdraw", {"reason": "other"}),
    ]


def _changes():
    return (
        AuditEvent.objects.count(),
        JobSeekerEvent.objects.count(),
        EmployerEvent.objects.count(),
        VacancyEvent.objects.count(),
        ApplicationEvent.objects.count(),
    )


def _call(caller, method, path, body):
    if method == "get":
        return caller.get(path)
    return getattr(caller, method)(path, body or {})


@pytest.mark.parametrize("who", [None, "deactivated"])
def test_every_casework_operation_refuses_anonymous_callers_and_deactivated_tokens(api, world, cast, who):
    caller = api(getattr(cast, who) if who else None)
    before = _changes()
    for method, path, body in [*_operations(world), ("post", "/vacancies", {}), ("post", "/applications", {})]:
        response = _call(caller, method, path, body)
        assert response.status_code == 401, (method, path, response.status_code)
        assert set(response.json()) == {"detail"}
    assert _changes() == before


@pytest.mark.parametrize("who", ["manager_battambang", "counsellor_battambang", "employer_b", "jobseeker_b"])
def test_every_operation_on_a_record_of_another_centre_or_owner_is_404_and_changes_nothing(api, world, cast, who):
    caller = api(getattr(cast, who))
    before = _changes()
    own_reads = 0
    for method, path, body in _operations(world):
        if path.count("/") == 1:  # lists and creation are not about one record
            continue
        response = _call(caller, method, path, body)
        if path == "/jobseekers/me" and who == "jobseeker_b":
            assert response.json()["id"] == world.jobseeker_b.pk  # their own record, not jobseeker_a's
            own_reads += 1
            continue
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json() == {"detail": "Not found."}
    after = _changes()
    assert after[0] == before[0] + own_reads  # only the person's own read was audited
    assert after[1:] == before[1:]


# Callers who can see the record but may not do this to it: 403, and nothing changes.
FORBIDDEN_IN_SCOPE = {
    "national": [
        "patch /jobseekers/{js}",
        "post /jobseekers/{js}/status",
        "patch /employers/{emp}",
        "post /employers/{emp}/verify",
        "post /employers/{emp}/refuse",
        "patch /vacancies/{vac}",
        "post /vacancies/{vac}/submit",
        "post /vacancies/{vac}/publish",
        "post /vacancies/{vac}/reject",
        "post /vacancies/{vac}/close",
        "post /applications/{app}/move",
        "post /applications/{app}/hire",
        "post /applications/{app}/withdraw",
    ],
    "employer_a": [
        "post /employers/{emp}/verify",
        "post /employers/{emp}/refuse",
        "post /vacancies/{vac}/publish",
        "post /vacancies/{vac}/reject",
        "post /applications/{app}/withdraw",
    ],
    "jobseeker_a": [
        "post /jobseekers/{js}/status",
        "post /applications/{app}/move",
        "post /applications/{app}/hire",
    ],
}


@pytest.mark.parametrize("who", sorted(FORBIDDEN_IN_SCOPE))
def test_callers_who_see_a_record_but_may_not_act_on_it_get_403_and_change_nothing(api, world, cast, who):
    ids = {
        "{js}": world.jobseeker_a.pk,
        "{emp}": world.employer_pending.pk,
        "{vac}": world.draft_pursat.pk,
        "{app}": world.application_a.pk,
    }
    bodies = {(method, path): body for method, path, body in _operations(world)}
    caller = api(getattr(cast, who))
    before = _changes()
    for operation in FORBIDDEN_IN_SCOPE[who]:
        method, template = operation.split(" ")
        path = template
        for key, value in ids.items():
            path = path.replace(key, str(value))
        response = _call(caller, method, path, bodies[(method, path)])
        assert response.status_code == 403, (operation, response.status_code, response.content)
        assert response.json() == {"detail": "Your account may not do this."}
    assert _changes() == before
