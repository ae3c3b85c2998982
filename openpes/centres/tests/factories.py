from __future__ import annotations

import factory

from openpes.centres.enums import CentreKind
from openpes.centres.models import JobCentre
from openpes.geography.models import Province


class JobCentreFactory(factory.django.DjangoModelFactory[JobCentre]):
    class Meta:
        model = JobCentre
        django_get_or_create = ("code",)

    class Params:
        province_code = "12"

    code = factory.Sequence(lambda n: f"centre-{n}")
    kind = CentreKind.PROVINCIAL
    name_km = factory.LazyAttribute(lambda o: f"មជ្ឈមណ្ឌល {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Centre {o.code}")
    province = factory.LazyAttribute(lambda o: Province.objects.get(code=o.province_code))
