"""S13 pages: who may download a person's data, who may anonymise, and that both are audited."""

from __future__ import annotations

import pytest

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.privacy.actions import ANONYMOUS_NAME
from openpes.privacy.models import Anonymisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast):
    return JobSeekerFactory(user=cast.jobseeker_a, name_latin="Chan Sophea", national_id="123456789")


def _exports(jobseeker) -> int:
    return AuditEvent.objects.filter(action=AuditAction.EXPORT, subject_id=str(jobseeker.pk)).count()


@pytest.mark.parametrize("who", ["counsellor_pursat", "manager_pursat"])
def test_a_caseworker_in_scope_downloads_the_export_and_it_is_audited(client, cast, record, who):
    client.force_login(getattr(cast, who))
    response = client.get(f"/jobseekers/{record.pk}/personal-data/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response.json()["profile"]["name_latin"] == "Chan Sophea"
    assert _exports(record) == 1


@pytest.mark.parametrize("who", ["counsellor_battambang", "manager_battambang", "employer_a", "jobseeker_b"])
def test_people_outside_the_scope_get_404_and_nothing_is_exported(client, cast, record, who):
    client.force_login(getattr(cast, who))
    assert client.get(f"/jobseekers/{record.pk}/personal-data/export.json").status_code == 404
    assert client.get(f"/jobseekers/{record.pk}/personal-data/").status_code == 404
    assert _exports(record) == 0


@pytest.mark.parametrize("who", ["national", "admin"])
def test_staff_who_only_read_cannot_export(client, cast, record, who):
    client.force_login(getattr(cast, who))
    assert client.get(f"/jobseekers/{record.pk}/personal-data/export.json").status_code == 403
    assert _exports(record) == 0


def test_a_jobseeker_downloads_their_own_data_from_their_home_page(client, cast, record):
    client.force_login(cast.jobseeker_a)
    home = client.get("/").content.decode()
    assert "/me/my-data.json" in home
    response = client.get("/me/my-data.json")
    assert response.status_code == 200
    assert response.json()["jobseeker_id"] == record.pk
    assert _exports(record) == 1


def test_a_jobseeker_without_a_record_has_nothing_to_download(client, cast, record):
    client.force_login(cast.jobseeker_b)
    assert "/me/my-data.json" not in client.get("/").content.decode()
    assert client.get("/me/my-data.json").status_code == 404


def test_the_record_page_links_to_the_personal_data_page_for_caseworkers_only(client, cast, record):
    client.force_login(cast.counsellor_pursat)
    assert f"/jobseekers/{record.pk}/personal-data/" in client.get(f"/jobseekers/{record.pk}/").content.decode()
    client.force_login(cast.national)
    assert f"/jobseekers/{record.pk}/personal-data/" not in client.get(f"/jobseekers/{record.pk}/").content.decode()


def test_the_personal_data_page_offers_anonymisation_to_managers_only(client, cast, record):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.counsellor_pursat)
    page = client.get(f"/jobseekers/{record.pk}/personal-data/").content.decode()
    assert "Download the data (JSON)" in page
    assert "/anonymise/" not in page
    client.force_login(cast.manager_pursat)
    page = client.get(f"/jobseekers/{record.pk}/personal-data/").content.decode()
    assert "/anonymise/" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, subject_id=str(record.pk)).count() == 2


def test_a_manager_anonymises_only_after_confirming(client, cast, record):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.manager_pursat)
    url = f"/jobseekers/{record.pk}/personal-data/anonymise/"
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    assert JobSeeker.objects.get(pk=record.pk).name_latin == "Chan Sophea"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.name_latin == ANONYMOUS_NAME
    assert record.national_id == ""
    assert Anonymisation.objects.get(jobseeker=record).by == cast.manager_pursat
    row = AuditEvent.objects.get(action=AuditAction.ANONYMISE, subject_id=str(record.pk))
    assert row.actor_id == cast.manager_pursat.pk
    page = client.get(response["Location"]).content.decode()
    assert "Anonymised on" in page
    assert "/anonymise/" not in page


@pytest.mark.parametrize(
    ("who", "status"), [("counsellor_pursat", 403), ("national", 403), ("manager_battambang", 404)]
)
def test_others_cannot_anonymise(client, cast, record, who, status):
    client.force_login(getattr(cast, who))
    response = client.post(f"/jobseekers/{record.pk}/personal-data/anonymise/", {"confirm": "on"})
    assert response.status_code == status
    assert JobSeeker.objects.get(pk=record.pk).name_latin == "Chan Sophea"
    assert not Anonymisation.objects.exists()


def test_the_personal_data_page_is_in_khmer_by_default(client, cast, record):
    client.force_login(cast.manager_pursat)
    cast.manager_pursat.preferred_language = "km"
    cast.manager_pursat.save()
    page = client.get(f"/jobseekers/{record.pk}/personal-data/").content.decode()
    assert 'lang="km"' in page
