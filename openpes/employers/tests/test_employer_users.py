"""Employer users keep their own business's details and staff numbers up to date, and nobody else's."""

import pytest
from django.urls import reverse

from openpes.employers.enums import EmployerEventKind
from openpes.employers.models import EmployerEvent
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory, employer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def business_a(cast):
    employer = EmployerFactory(name_en="A Garments", declared_staff=100, declared_staff_with_disabilities=1)
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    return employer


def _data(employer, **overrides):
    current = {
        "name_km": employer.name_km,
        "name_en": employer.name_en,
        "registration_number": employer.registration_number,
    }
    return employer_form_data(**{**current, **overrides})


def test_an_employer_user_declares_new_staff_numbers(client, cast, business_a):
    client.force_login(cast.employer_a)
    response = client.post(
        reverse("employers:edit", args=[business_a.pk]),
        _data(business_a, declared_staff="120", declared_staff_with_disabilities="2"),
    )
    assert response["Location"] == reverse("employers:home")
    business_a.refresh_from_db()
    assert (business_a.declared_staff, business_a.declared_staff_with_disabilities) == (120, 2)
    assert business_a.staff_declared_on is not None
    assert EmployerEvent.objects.filter(employer=business_a).exists()


def test_more_staff_with_disabilities_than_staff_is_refused(client, cast, business_a):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.employer_a)
    response = client.post(
        reverse("employers:edit", args=[business_a.pk]),
        _data(business_a, declared_staff="10", declared_staff_with_disabilities="11"),
    )
    assert response.status_code == 200
    assert "cannot be more than the total staff (10)" in response.content.decode()
    business_a.refresh_from_db()
    assert business_a.declared_staff == 100
    assert not EmployerEvent.objects.filter(employer=business_a, kind=EmployerEventKind.STAFF_DECLARED).exists()


def test_employer_b_cannot_see_or_edit_employer_a(client, cast, business_a):
    client.force_login(cast.employer_b)
    assert client.get(reverse("employers:detail", args=[business_a.pk])).status_code == 404
    assert client.get(reverse("employers:edit", args=[business_a.pk])).status_code == 404
    response = client.post(reverse("employers:edit", args=[business_a.pk]), _data(business_a, name_en="Stolen"))
    assert response.status_code == 404
    business_a.refresh_from_db()
    assert business_a.name_en == "A Garments"


def test_an_employer_user_cannot_verify_their_own_business(client, cast, reference):
    employer = EmployerFactory(pending=True)
    EmployerMemberFactory(employer=employer, user=cast.employer_a)
    client.force_login(cast.employer_a)
    assert client.post(reverse("employers:verify", args=[employer.pk])).status_code == 403
    assert client.get(reverse("employers:refuse", args=[employer.pk])).status_code == 403
    employer.refresh_from_db()
    assert not employer.is_verified
