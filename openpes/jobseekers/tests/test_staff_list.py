"""The staff list of jobseekers: scoped to the user's centre or province, searchable, masked, audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

URL = "/jobseekers/"


def test_the_url_name_is_jobseekers_list():
    assert reverse("jobseekers:list") == URL


def _names(response):
    return {person.name_latin for person in response.context["page_obj"].object_list}


@pytest.fixture
def people(cast):
    return {
        "pursat": JobSeekerFactory(name_latin="Sok Sreymom", phone="+85512345678", national_id="010123456"),
        "van": JobSeekerFactory(name_latin="Chan Dara", owner_centre=cast.pursat_van, phone=""),
        "battambang": JobSeekerFactory(name_latin="Keo Bopha", province_code="02", owner_centre=cast.battambang),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("counsellor_pursat", {"Sok Sreymom"}),
        ("counsellor_pursat_van", {"Chan Dara"}),
        ("manager_pursat", {"Sok Sreymom", "Chan Dara"}),  # the province, including its mobile unit
        ("counsellor_battambang", {"Keo Bopha"}),
        ("national", {"Sok Sreymom", "Chan Dara", "Keo Bopha"}),
    ],
)
def test_staff_see_only_the_jobseekers_in_their_scope(en, cast, people, who, expected):
    en.force_login(getattr(cast, who))
    assert _names(en.get(URL)) == expected


@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a", "trainer", "coordinator"])
def test_public_roles_and_trainers_are_refused(client, cast, people, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.LIST).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sreymom", {"Sok Sreymom"}),
        ("sok", {"Sok Sreymom"}),
        ("ស្រីមុំ", {"Sok Sreymom", "Chan Dara"}),  # both factory records share the Khmer name
        ("012 345 678", {"Sok Sreymom"}),
        ("+855 12 345 678", {"Sok Sreymom"}),
        ("010123456", {"Sok Sreymom"}),
        ("Nobody", set()),
    ],
)
def test_search_by_name_in_either_script_phone_or_national_id(en, cast, people, query, expected):
    en.force_login(cast.manager_pursat)
    assert _names(en.get(URL, {"q": query})) == expected


def test_filters_by_status_sex_and_registration_date(en, cast, people):
    en.force_login(cast.manager_pursat)
    people["van"].status = "inactive"
    people["van"].sex = "M"
    people["van"].save()
    JobSeeker.objects.filter(pk=people["pursat"].pk).update(created_at=timezone.now() - datetime.timedelta(days=400))

    assert _names(en.get(URL, {"status": "inactive"})) == {"Chan Dara"}
    assert _names(en.get(URL, {"sex": "F"})) == {"Sok Sreymom"}
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert _names(en.get(URL, {"since": since})) == {"Chan Dara"}
    assert en.get(URL, {"since": "garbage"}).status_code == 200


def test_national_id_and_phone_are_masked_on_the_list(en, cast, people):
    en.force_login(cast.counsellor_pursat)
    page = en.get(URL).content.decode()
    assert "010123456" not in page and "••••••456" in page
    assert "+85512345678" not in page and "12345678" not in page
    assert "•••••••••678" in page


def test_the_list_writes_one_list_audit_row_without_the_search_text(en, cast, people):
    en.force_login(cast.manager_pursat)
    en.get(URL, {"q": "012 345 678"})
    audit = AuditEvent.objects.get(action=AuditAction.LIST)
    assert (audit.actor_id, audit.count, audit.object_type) == (cast.manager_pursat.pk, 1, "jobseekers.jobseeker")
    assert "345" not in str(audit.detail)


def test_htmx_gets_only_the_results(en, cast, people):
    en.force_login(cast.counsellor_pursat)
    page = en.get(URL, {"q": "Sok"}, headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="results">')
    assert "Sok Sreymom" in page


def test_the_list_is_paginated_and_its_query_count_does_not_grow_with_the_page(en, cast, django_assert_max_num_queries):
    en.force_login(cast.counsellor_pursat)
    JobSeekerFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        en.get(URL)
    JobSeekerFactory.create_batch(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = en.get(URL, {"q": "Sok"})
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.num_pages == 2
    assert 'rel="next"' in response.content.decode()


def test_the_counsellor_home_page_links_to_search_and_assisted_registration(en, cast):
    en.force_login(cast.counsellor_pursat)
    page = en.get("/").content.decode()
    assert f'action="{URL}"' in page
    assert reverse("jobseekers:register") in page
