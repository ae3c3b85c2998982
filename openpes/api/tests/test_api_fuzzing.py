"""R8: Schemathesis generates requests from the OpenAPI schema and checks every answer against it.

A short, derandomised run for CI: the public operations anonymously, then the casework operations with a
counsellor's token. Every answer must be a documented status with a body matching the schema, never a 5xx,
and never carry the canary data of a jobseeker outside the counsellor's scope. Longer runs belong in bench/.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from openpes.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

OWN_PREFIXES = ("/api/v1/jobseekers", "/api/v1/employers", "/api/v1/vacancies", "/api/v1/applications")
EXAMPLES = 12


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Schemathesis calls the real WSGI application, which closes the database connection after each request;
    inside a test transaction that would drop it (PostgreSQL). Django's test client suspends this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from openpes.wsgi import application

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application), checks


def _fuzz(operation, *, headers, checks, path_parameters=None):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    run()


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_the_openapi_schema_is_valid_and_documents_every_operation():
    schema, _checks = _schema()
    schema.validate()
    raw = schema.raw_schema
    own = {path: item for path, item in raw["paths"].items() if path.startswith(OWN_PREFIXES)}
    assert len([op for item in own.values() for op in item.values()]) == 26
    for path, item in own.items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            assert {"401"} & set(operation["responses"]) or path.startswith("/api/v1/vacancies"), (method, path)


def test_fuzzing_the_public_operations_finds_no_server_error_and_no_answer_outside_the_schema(world):
    schema, checks = _schema()
    public = [op for op in _operations(schema) if op.method == "get" and not op.definition.raw.get("security")]
    assert {op.path for op in public} >= {"/api/v1/vacancies", "/api/v1/vacancies/{vacancy_id}"}
    for operation in public:
        _fuzz(operation, headers={}, checks=checks)
        if operation.path == "/api/v1/vacancies/{vacancy_id}":
            _fuzz(operation, headers={}, checks=checks, path_parameters={"vacancy_id": world.vacancy_pursat.pk})


def test_fuzzing_as_a_counsellor_finds_no_server_error_and_no_data_outside_the_scope(world, cast):
    schema, checks = _schema()
    _token, clear = ApiToken.issue(user=cast.counsellor_pursat, name="fuzz")
    # Canaries: identifiers of people the Pursat centre's counsellor must never receive.
    canaries = [world.jobseeker_b.national_id, world.jobseeker_van.national_id, world.jobseeker_b.phone]

    def nothing_outside_the_scope(ctx, response, case):
        text = response.content.decode("utf-8", errors="replace")
        leaked = [canary for canary in canaries if canary in text]
        assert not leaked, f"{case.method} {case.formatted_path} returned out-of-scope data"

    # Generated ids rarely name a record, so each operation on one record also runs on a real one in scope.
    in_scope = {
        "vacancy_id": world.draft_pursat.pk,
        "employer_id": world.employer_pending.pk,
        "jobseeker_id": world.jobseeker_a.pk,
        "application_id": world.application_a.pk,
    }
    own = [op for op in _operations(schema) if op.path.startswith(OWN_PREFIXES)]
    for operation in own:
        headers = {"Authorization": f"Bearer {clear}"}
        _fuzz(operation, headers=headers, checks=[*checks, nothing_outside_the_scope])
        names = [name for name in in_scope if "{" + name + "}" in operation.path]
        if names:
            fixed = {name: in_scope[name] for name in names}
            _fuzz(operation, headers=headers, checks=[*checks, nothing_outside_the_scope], path_parameters=fixed)
