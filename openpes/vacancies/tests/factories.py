from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from openpes.employers.tests.factories import EmployerFactory
from openpes.geography.models import Province
from openpes.taxonomy.models import IscoGroup
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import vacancy_index


class VacancyFactory(factory.django.DjangoModelFactory[Vacancy]):
    """A published sewing-machine-operator vacancy in Pursat (traits: `draft`, `submitted`)."""

    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    class Params:
        isco_code = "8153"
        province_code = "15"
        draft = factory.Trait(status=VacancyStatus.DRAFT, published_at=None)
        submitted = factory.Trait(status=VacancyStatus.SUBMITTED, published_at=None)

    employer = factory.SubFactory(EmployerFactory)
    owner_centre = factory.LazyAttribute(lambda o: o.employer.owner_centre)
    title = "Sewing machine operator"
    isco_group = factory.LazyAttribute(lambda o: IscoGroup.objects.get(code=o.isco_code))
    description = "Operate industrial sewing machines on a garment production line."
    positions = 5
    province = factory.LazyAttribute(lambda o: Province.objects.get(code=o.province_code))
    employment_type = "full_time"
    wage_min = 204
    wage_max = 260
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = VacancyStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def _index(self, create, extracted, **kwargs):
        if create:
            vacancy_index.update([self.pk])
