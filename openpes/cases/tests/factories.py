from __future__ import annotations

import factory

from openpes.cases.models import Case, Partner, PartnerService
from openpes.jobseekers.tests.factories import JobSeekerFactory


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """An open case of a jobseeker, owned by the jobseeker's centre (pass counsellor= to assign it)."""

    class Meta:
        model = Case

    jobseeker = factory.SubFactory(JobSeekerFactory)
    owner_centre = factory.LazyAttribute(lambda o: o.jobseeker.owner_centre)
    counsellor = None


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name_en = factory.Sequence(lambda n: f"Provincial Training Centre {n}")
    name_km = factory.Sequence(lambda n: f"មជ្ឈមណ្ឌលបណ្តុះបណ្តាលខេត្ត {n}")
    kind = "tvet"


class PartnerServiceFactory(factory.django.DjangoModelFactory[PartnerService]):
    class Meta:
        model = PartnerService

    partner = factory.SubFactory(PartnerFactory)
    name_en = "Three-month sewing course"
    name_km = "វគ្គដេរសម្លៀកបំពាក់ ៣ ខែ"
