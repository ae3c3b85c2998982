from __future__ import annotations

import factory

from openpes.applications.enums import ApplicationSource
from openpes.applications.models import Application
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.vacancies.tests.factories import VacancyFactory


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    class Params:
        referred = factory.Trait(source=ApplicationSource.REFERRED)

    vacancy = factory.SubFactory(VacancyFactory)
    jobseeker = factory.SubFactory(JobSeekerFactory)
    source = ApplicationSource.APPLIED
