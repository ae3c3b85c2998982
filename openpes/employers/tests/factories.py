from __future__ import annotations

import factory

from openpes.centres.models import JobCentre
from openpes.employers.enums import MemberRole, Verification
from openpes.employers.models import Employer, EmployerMember
from openpes.geography.models import Province
from openpes.taxonomy.models import Sector


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    """A verified employer in Pursat served by jc-15 (use `pending=True` for one waiting for verification)."""

    class Meta:
        model = Employer

    class Params:
        province_code = "15"
        pending = factory.Trait(verification=Verification.PENDING)

    registration_number = factory.Sequence(lambda n: f"REG-{n:06d}")
    name_en = factory.Sequence(lambda n: f"Angkor Garments {n} Co., Ltd.")
    name_km = factory.Sequence(lambda n: f"ក្រុមហ៊ុនកាត់ដេរអង្គរ {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="C"))
    size_band = "100-499"
    province = factory.LazyAttribute(lambda o: Province.objects.get(code=o.province_code))
    owner_centre = factory.LazyAttribute(
        lambda o: (
            JobCentre.objects.filter(province__code=o.province_code, kind="provincial").first()
            or JobCentre.objects.get_or_create(
                code=f"jc-{o.province_code}",
                defaults={"kind": "provincial", "name_km": "មជ្ឈមណ្ឌល", "name_en": "Centre", "province": o.province},
            )[0]
        )
    )
    phone = "+85523123456"
    verification = Verification.VERIFIED


class EmployerMemberFactory(factory.django.DjangoModelFactory[EmployerMember]):
    class Meta:
        model = EmployerMember

    employer = factory.SubFactory(EmployerFactory)
    user = None
    role = MemberRole.OWNER


def employer_form_data(**overrides):
    """A valid POST for the employer details form (Pursat, manufacturing)."""
    from openpes.geography.models import District, Province
    from openpes.taxonomy.models import Sector

    pursat = Province.objects.get(code="15")
    data = {
        "name_km": "ក្រុមហ៊ុនកាត់ដេរពោធិ៍សាត់",
        "name_en": "Pursat Garments Co., Ltd.",
        "registration_number": "00012345",
        "sector": Sector.objects.get(code="C").pk,
        "size_band": "100-499",
        "ownership": "private",
        "province": pursat.pk,
        "district": District.objects.filter(province=pursat).first().pk,
        "address": "National Road 5",
        "contact_name": "Chan Dara",
        "phone": "012 888 999",
        "email": "hr@pursat-garments.example",
        "website": "",
        "declared_staff": "250",
        "declared_staff_with_disabilities": "3",
    }
    data.update(overrides)
    return data
