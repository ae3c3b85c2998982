from typing import Any

import pytest

from openpes.applications.tests.factories import ApplicationFactory
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.search import jobseeker_index
from openpes.jobseekers.tests.factories import WgssAnswersFactory
from openpes.vacancies.models import Vacancy
from openpes.vacancies.search import vacancy_index


@pytest.mark.django_db
def test_khmer_and_english_search_finds_words_prefixes_and_khmer_inside_longer_words(reference):
    a: Any = ApplicationFactory()
    WgssAnswersFactory(jobseeker=a.jobseeker)
    assert a.jobseeker.wgss.disability
    qs = vacancy_index.filter(Vacancy.objects.all(), "sewing")
    assert list(qs) == [a.vacancy]
    assert list(vacancy_index.filter(Vacancy.objects.all(), "ម៉ាស៊ីនដេរ")) == [a.vacancy]  # from Khmer ISCO title
    assert list(vacancy_index.filter(Vacancy.objects.all(), "ដេរ")) == [a.vacancy]  # inside a longer word
    assert list(vacancy_index.filter(Vacancy.objects.all(), "pursat")) == [a.vacancy]
    assert list(vacancy_index.filter(Vacancy.objects.all(), "plumber")) == []
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "sreymom")) == [a.jobseeker]
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), "ស្រីមុំ")) == [a.jobseeker]
    assert list(jobseeker_index.filter(JobSeeker.objects.all(), a.jobseeker.phone.replace("+855", "0"))) == [
        a.jobseeker
    ]
