from __future__ import annotations

import datetime

import factory

from openpes.centres.models import JobCentre
from openpes.geography.models import Province
from openpes.jobseekers.duplicates import name_keys
from openpes.jobseekers.enums import RegistrationChannel
from openpes.jobseekers.models import JobSeeker, WgssAnswers
from openpes.jobseekers.search import jobseeker_index


class JobSeekerFactory(factory.django.DjangoModelFactory[JobSeeker]):
    """A jobseeker owned by `owner_centre` (default: the Pursat job centre jc-15, created if missing)."""

    class Meta:
        model = JobSeeker
        skip_postgeneration_save = True

    class Params:
        province_code = "15"

    name_km = "សុខ ស្រីមុំ"
    name_latin = factory.Sequence(lambda n: f"Sok Sreymom {n}")
    sex = "F"
    date_of_birth = factory.Sequence(lambda n: datetime.date(1995, 1, 1) + datetime.timedelta(days=n))
    phone = factory.Sequence(lambda n: f"+8551299{n:04d}")
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
    channel = RegistrationChannel.CENTRE

    @factory.post_generation
    def _index(self, create, extracted, **kwargs):
        if create:
            self.name_keys = name_keys(self.name_km, self.name_latin)
            self.save(update_fields=["name_keys"])
            jobseeker_index.update([self.pk])


class WgssAnswersFactory(factory.django.DjangoModelFactory[WgssAnswers]):
    class Meta:
        model = WgssAnswers

    jobseeker = factory.SubFactory(JobSeekerFactory)
    seeing = 1
    hearing = 1
    walking = 3
    cognition = 1
    self_care = 1
    communication = 1
