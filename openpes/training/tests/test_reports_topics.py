"""Webinar topic ideas: occupations and sectors whose published vacancies grew most last quarter."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpes.training import topics
from openpes.training.tests.factories import ProgrammeFactory
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def _published(isco: str, days_ago: int, count: int = 1) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    for _ in range(count):
        VacancyFactory(isco_code=isco, published_at=when)


def test_occupations_are_ranked_by_growth_of_published_vacancies(cast):
    _published("8153", days_ago=10, count=5)  # sewing machine operators (minor group 815): 5 now, 1 before
    _published("8153", days_ago=120, count=1)
    _published("5223", days_ago=20, count=3)  # shop sales assistants (522): 3 now, 0 before
    _published("7112", days_ago=100, count=4)  # bricklayers (711): 0 now, 4 before — shrinking
    _published("9313", days_ago=400, count=9)  # too old to count
    trends = topics.trending_topics(timezone.localdate())
    codes = [(t.code, t.recent, t.previous) for t in trends["occupations"]]
    assert codes == [("815", 5, 1), ("522", 3, 0)]
    assert trends["sectors"]  # the factories' employers have a sector
    assert trends["sectors"][0].growth > 0


def test_the_webinar_form_shows_the_topic_ideas(client, cast):
    _published("8153", days_ago=5, count=2)
    programme = ProgrammeFactory()
    client.force_login(cast.coordinator)
    page = client.get(reverse("training:event_new", args=[programme.pk]) + "?tier=webinar").content.decode()
    assert "Topic ideas from labour-market trends" in page
    assert "815 " in page
    tot_page = client.get(reverse("training:event_new", args=[programme.pk]) + "?tier=tot").content.decode()
    assert "Topic ideas" not in tot_page
