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


def vacancy_form_data(**overrides):
    """A valid POST for the vacancy form: a sewing-machine operator job in Pursat."""
    from openpes.geography.models import District

    district = District.objects.filter(province__code="15").order_by("code").first()
    data = {
        "title": "ប្រតិបត្តិករម៉ាស៊ីនដេរ",
        "isco_group": "8153",
        "description": "Operate industrial sewing machines. Training given.",
        "positions": "10",
        "province": str(district.province_id),
        "district": str(district.pk),
        "employment_type": "full_time",
        "hours_per_week": "48",
        "wage_min": "208",
        "wage_max": "260",
        "education_level": "",
        "experience_months": "0",
        "driving_licences": ["A1"],
        "disability_friendly": "on",
        "accommodations": ["step_free", "flexible_hours"],
        "closing_date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "skills_required": "",
        "skills_optional": "",
        "language_1": "km",
        "level_1": "3",
        "language_2": "",
        "level_2": "",
        "language_3": "",
        "level_3": "",
    }
    data.update(overrides)
    return data
