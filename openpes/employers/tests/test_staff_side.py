"""The staff side of employers: the scoped list and verification queue, registering on the employer's behalf,
details, edit, verify and refuse — allowed and forbidden side by side."""

import pytest
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.employers.enums import EmployerEventKind, Verification
from openpes.employers.models import Employer, EmployerEvent
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory, employer_form_data
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employers(cast):
    return {
        "pursat_pending": EmployerFactory(pending=True, name_en="Pursat Rice Mill", registration_number="PUR-001"),
        "pursat_verified": EmployerFactory(name_en="Pursat Garments"),
        "battambang": EmployerFactory(province_code="02", pending=True, name_en="Battambang Bricks"),
    }


def test_a_counsellor_lists_the_employers_of_their_centre_only(client, cast, employers, django_assert_max_num_queries):
    EmployerFactory.create_batch(5)
    client.force_login(cast.counsellor_pursat)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("employers:list"))
    text = response.content.decode()
    assert "Pursat Rice Mill" in text and "Pursat Garments" in text
    assert "Battambang Bricks" not in text
    assert AuditEvent.objects.filter(
        action="list", object_type="employers.employer", actor_id=cast.counsellor_pursat.pk
    )


def test_the_verification_queue_and_the_search(client, cast, employers):
    client.force_login(cast.counsellor_pursat)
    queue = client.get(reverse("employers:list"), {"verification": "pending"}).content.decode()
    assert "Pursat Rice Mill" in queue and "Pursat Garments" not in queue
    by_number = client.get(reverse("employers:list"), {"q": "PUR-001"}).content.decode()
    assert "Pursat Rice Mill" in by_number and "Pursat Garments" not in by_number
    by_name = client.get(reverse("employers:list"), {"q": "garments"}).content.decode()
    assert "Pursat Garments" in by_name and "Pursat Rice Mill" not in by_name
    # htmx gets only the results.
    fragment = client.get(reverse("employers:list"), {"q": "rice"}, headers={"HX-Request": "true"}).content.decode()
    assert "Pursat Rice Mill" in fragment and "<html" not in fragment


def test_a_bad_filter_value_is_ignored_not_an_error(client, cast, employers):
    client.force_login(cast.counsellor_pursat)
    response = client.get(reverse("employers:list"), {"verification": "<script>"})
    assert response.status_code == 200


def test_a_national_officer_sees_every_province(client, cast, employers):
    client.force_login(cast.national)
    text = client.get(reverse("employers:list")).content.decode()
    assert "Battambang Bricks" in text and "Pursat Rice Mill" in text


@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a", "trainer"])
def test_public_roles_and_trainers_get_403_on_the_staff_pages(client, cast, employers, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("employers:list")).status_code == 403
    assert client.get(reverse("employers:new")).status_code == 403


def test_a_counsellor_of_another_province_gets_404_on_details_edit_and_verification(client, cast, employers):
    pursat = employers["pursat_pending"]
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("employers:detail", args=[pursat.pk])).status_code == 404
    assert client.get(reverse("employers:edit", args=[pursat.pk])).status_code == 404
    assert client.post(reverse("employers:verify", args=[pursat.pk])).status_code == 404
    assert client.post(reverse("employers:refuse", args=[pursat.pk]), {"reason": "duplicate"}).status_code == 404
    pursat.refresh_from_db()
    assert pursat.verification == Verification.PENDING


def test_the_details_page_shows_users_vacancies_and_history_and_is_audited(client, cast, employers):
    employer = employers["pursat_verified"]
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    VacancyFactory(employer=employer, title="Quality inspector")
    EmployerEvent.objects.create(employer=employer, kind=EmployerEventKind.VERIFIED, actor=cast.counsellor_pursat)
    client.force_login(cast.counsellor_pursat)
    text = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "Employer A" in text
    assert "Quality inspector" in text
    assert "Counsellor Pursat" in text  # who verified, in the history
    assert AuditEvent.objects.filter(action="view", object_type="employers.employer", object_id=str(employer.pk))


def test_staff_register_an_employer_on_its_behalf_for_their_centre(client, cast, reference):
    client.force_login(cast.counsellor_pursat_van)
    response = client.post(reverse("employers:new"), employer_form_data())
    employer = Employer.objects.get()
    assert response["Location"] == reverse("employers:detail", args=[employer.pk])
    assert employer.owner_centre == cast.pursat_van
    assert employer.created_by == cast.counsellor_pursat_van
    assert employer.verification == Verification.PENDING
    assert not employer.members.exists()


def test_the_staff_form_refuses_bad_input_and_saves_nothing(client, cast, reference):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.counsellor_pursat)
    response = client.post(
        reverse("employers:new"), employer_form_data(declared_staff="5", declared_staff_with_disabilities="6")
    )
    assert response.status_code == 200
    assert "cannot be more than the total staff" in response.content.decode()
    assert not Employer.objects.exists()


def test_a_counsellor_verifies_an_employer(client, cast, employers):
    employer = employers["pursat_pending"]
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("employers:verify", args=[employer.pk]))
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.verification == Verification.VERIFIED
    assert employer.verified_by == cast.counsellor_pursat
    assert EmployerEvent.objects.filter(employer=employer, kind=EmployerEventKind.VERIFIED).count() == 1
    assert AuditEvent.objects.filter(
        action="update",
        object_type="employers.employer",
        object_id=str(employer.pk),
        actor_id=cast.counsellor_pursat.pk,
    )


def test_verification_needs_a_post(client, cast, employers):
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("employers:verify", args=[employers["pursat_pending"].pk])).status_code == 405


def test_a_centre_manager_verifies_in_their_province_and_a_national_officer_only_reads(client, cast, employers):
    employer = employers["pursat_pending"]
    client.force_login(cast.national)
    assert client.get(reverse("employers:detail", args=[employer.pk])).status_code == 200
    assert client.post(reverse("employers:verify", args=[employer.pk])).status_code == 403
    assert client.get(reverse("employers:edit", args=[employer.pk])).status_code == 403
    employer.refresh_from_db()
    assert employer.verification == Verification.PENDING
    client.force_login(cast.manager_pursat)
    client.post(reverse("employers:verify", args=[employer.pk]))
    employer.refresh_from_db()
    assert employer.verification == Verification.VERIFIED


def test_a_refusal_needs_a_reason(client, cast, employers):
    employer = employers["pursat_pending"]
    client.force_login(cast.counsellor_pursat)
    response = client.post(reverse("employers:refuse", args=[employer.pk]), {"reason": "", "note": "no"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(reverse("employers:refuse", args=[employer.pk]), {"reason": "because"})
    assert "Select a valid choice" in response.content.decode()
    employer.refresh_from_db()
    assert employer.verification == Verification.PENDING
    assert not EmployerEvent.objects.filter(employer=employer, kind=EmployerEventKind.REFUSED).exists()


def test_a_refusal_with_a_reason_closes_the_employers_vacancies(client, cast, employers):
    employer = employers["pursat_verified"]
    vacancy = VacancyFactory(employer=employer)
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("employers:refuse", args=[employer.pk]))
    assert "Suspected fraudulent recruiter" in page.content.decode()
    response = client.post(
        reverse("employers:refuse", args=[employer.pk]), {"reason": "suspected_scam", "note": "Asks for fees."}
    )
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.verification == Verification.REFUSED
    assert employer.refusal_reason == "suspected_scam"
    assert employer.refusal_note == "Asks for fees."
    event = EmployerEvent.objects.get(employer=employer, kind=EmployerEventKind.REFUSED)
    assert event.reason == "suspected_scam"
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    assert (
        "Suspected fraudulent recruiter" in client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    )


def test_a_counsellor_edits_an_employer_in_scope(client, cast, employers):
    employer = employers["pursat_pending"]
    client.force_login(cast.counsellor_pursat)
    form = client.get(reverse("employers:edit", args=[employer.pk])).content.decode()
    assert "Pursat Rice Mill" in form  # the current values are shown
    data = employer_form_data(name_en="Pursat Rice Mill Ltd.", registration_number="PUR-001")
    response = client.post(reverse("employers:edit", args=[employer.pk]), data)
    assert response["Location"] == reverse("employers:detail", args=[employer.pk])
    employer.refresh_from_db()
    assert employer.name_en == "Pursat Rice Mill Ltd."
    assert EmployerEvent.objects.filter(employer=employer, kind=EmployerEventKind.UPDATED).exists()
