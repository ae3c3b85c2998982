"""Evaluation: L1 reaction survey, L2 learning gain, L3 competency follow-ups, L4 casework before and after."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openpes.applications.models import Placement
from openpes.applications.tests.factories import ApplicationFactory
from openpes.jobseekers.models import JobSeekerEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.training import casework, reports
from openpes.training.actions import events as actions
from openpes.training.enums import QuizKind, RaterKind
from openpes.training.models import Competence, CompetencyRating, ReactionResponse
from openpes.training.tests.events_helpers import attend, score, staff, tot_with_tests
from openpes.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

RATINGS = {"relevance": "5", "trainer": "4", "materials": "3", "overall": "4", "comment": "Very useful."}


def test_a_participant_answers_the_survey_once_and_the_summary_counts_it(client, cast):
    event = EventFactory()
    event.facilitators.add(cast.trainer)
    person = staff()
    attend(event, person)
    client.force_login(person)
    response = client.post(reverse("training:event_survey", args=[event.pk]), RATINGS)
    assert response.status_code == 302
    assert ReactionResponse.objects.get().overall == 4
    response = client.post(reverse("training:event_survey", args=[event.pk]), RATINGS, follow=True)
    assert "already answered" in response.content.decode()
    assert ReactionResponse.objects.count() == 1
    with pytest.raises(ValidationError):
        actions.answer_reaction(
            actor=person, event=event, ratings={"relevance": 5, "trainer": 5, "materials": 5, "overall": 5}
        )
    client.force_login(cast.trainer)
    page = client.get(reverse("training:event_evaluation", args=[event.pk])).content.decode()
    assert "1 answer." in page and "Very useful." in page


def test_ratings_outside_1_to_5_and_non_participants_are_refused(client, cast):
    event = EventFactory()
    person = staff()
    attend(event, person)
    client.force_login(person)
    response = client.post(reverse("training:event_survey", args=[event.pk]), {**RATINGS, "overall": "9"})
    assert response.status_code == 200
    assert not ReactionResponse.objects.exists()
    outsider = staff()
    event.self_enrolment = True
    event.save()
    client.force_login(outsider)
    assert client.get(reverse("training:event_survey", args=[event.pk])).status_code == 404


def test_the_survey_opens_only_when_the_event_starts(cast):
    event = EventFactory(
        starts_on=timezone.localdate() + datetime.timedelta(days=3),
        ends_on=timezone.localdate() + datetime.timedelta(days=4),
    )
    person = staff()
    attend(event, person, days=[])
    with pytest.raises(ValidationError):
        actions.answer_reaction(
            actor=person, event=event, ratings={"relevance": 5, "trainer": 5, "materials": 5, "overall": 5}
        )


def test_learning_gain_pairs_the_first_pre_test_with_the_best_post_test(client, cast):
    tot = tot_with_tests()
    tot.facilitators.add(cast.trainer)
    a, b, c = staff(full_name="A"), staff(full_name="B"), staff(full_name="C")
    now = timezone.now()
    score(tot, a, QuizKind.PRE_TEST, 40, at=now - datetime.timedelta(hours=2))
    score(tot, a, QuizKind.PRE_TEST, 60, at=now - datetime.timedelta(hours=1))  # a retake does not count
    score(tot, a, QuizKind.POST_TEST, 70)
    score(tot, a, QuizKind.POST_TEST, 80)
    score(tot, b, QuizKind.PRE_TEST, 50)
    score(tot, b, QuizKind.POST_TEST, 70)
    score(tot, c, QuizKind.PRE_TEST, 30)  # no post-test: no pair
    pairs = {p.person_id: p for p in reports.event_score_pairs([tot.pk])[tot.pk]}
    assert set(pairs) == {a.pk, b.pk}
    assert (pairs[a.pk].pre, pairs[a.pk].post, pairs[a.pk].gain) == (40, 80, 40)
    assert pairs[b.pk].gain == 20
    client.force_login(cast.trainer)
    page = client.get(reverse("training:event_evaluation", args=[tot.pk])).content.decode()
    assert "a gain of 30.0 points" in page


def test_the_evaluation_page_is_for_those_who_run_or_read_the_programme(client, cast):
    event = EventFactory(self_enrolment=True)
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:event_evaluation", args=[event.pk])).status_code == 404
    client.force_login(cast.national)
    assert client.get(reverse("training:event_evaluation", args=[event.pk])).status_code == 200


@pytest.fixture
def past_session(cast):
    """A ToT that ended four months ago, attended by a Pursat counsellor."""
    end = timezone.localdate() - datetime.timedelta(days=120)
    event = EventFactory(starts_on=end - datetime.timedelta(days=1), ends_on=end)
    event.programme.framework_id = Competence.objects.first().area.framework_id
    event.programme.save()
    attend(event, cast.counsellor_pursat)
    return event


def test_follow_ups_are_due_three_to_six_months_after_training(past_session, cast):
    recent = EventFactory()
    attend(recent, cast.counsellor_pursat)
    old_end = timezone.localdate() - datetime.timedelta(days=200)
    old = EventFactory(starts_on=old_end, ends_on=old_end)
    attend(old, cast.counsellor_pursat)
    due = reports.follow_ups_due(type(cast.counsellor_pursat).objects.all())
    assert [(f.event, f.person) for f in due] == [(past_session, cast.counsellor_pursat)]


def test_the_person_rates_themself_and_their_manager_rates_them(client, past_session, cast):
    competences = Competence.objects.filter(area__framework=past_session.programme.framework)
    levels = {f"c{c.pk}": "3" for c in competences}
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("training:follow_ups")).content.decode()
    assert "Rate my competences" in page and "Rate as supervisor" not in page
    url = reverse("training:follow_up_rate", args=[past_session.pk, cast.counsellor_pursat.pk, "self"])
    assert client.post(url, {}).status_code == 200  # every competence needs a level
    assert client.post(url, levels).status_code == 302
    assert CompetencyRating.objects.filter(rater_kind=RaterKind.SELF).count() == competences.count()
    assert (
        client.get(
            reverse("training:follow_up_rate", args=[past_session.pk, cast.counsellor_pursat.pk, "supervisor"])
        ).status_code
        == 404
    )

    client.force_login(cast.manager_battambang)  # another province: not their supervisor
    url = reverse("training:follow_up_rate", args=[past_session.pk, cast.counsellor_pursat.pk, "supervisor"])
    assert client.get(url).status_code == 404
    client.force_login(cast.manager_pursat)
    assert "Rate as supervisor" in client.get(reverse("training:follow_ups")).content.decode()
    assert client.post(url, dict.fromkeys(levels, "2")).status_code == 302
    assert (
        CompetencyRating.objects.filter(rater_kind=RaterKind.SUPERVISOR, rater=cast.manager_pursat).count()
        == competences.count()
    )
    assert reports.follow_ups_due(type(cast.counsellor_pursat).objects.all()) == []


def _casework(person, when):
    jobseeker = JobSeekerFactory()
    JobSeekerEvent.objects.create(
        jobseeker=jobseeker, kind="registered", actor=person, centre=jobseeker.owner_centre, at=when
    )
    application = ApplicationFactory(referred=True, referred_by=person, jobseeker=jobseeker)
    application.created_at = when
    application.save()
    return application


def test_casework_before_and_after_training_counts_registrations_referrals_and_placements(client, cast):
    trained = cast.counsellor_pursat
    end = timezone.localdate() - datetime.timedelta(days=100)
    event = EventFactory(starts_on=end, ends_on=end)
    attend(event, trained)
    noon = datetime.time(12, tzinfo=datetime.UTC)
    before = datetime.datetime.combine(end - datetime.timedelta(days=30), noon)
    after = datetime.datetime.combine(end + datetime.timedelta(days=20), noon)
    too_early = datetime.datetime.combine(end - datetime.timedelta(days=200), noon)
    _casework(trained, before)
    _casework(trained, too_early)
    for _ in range(3):
        application = _casework(trained, after)
    Placement.objects.create(
        jobseeker=application.jobseeker,
        employer=application.vacancy.employer,
        vacancy=application.vacancy,
        application=application,
        via_referral=True,
        centre=cast.pursat,
        recorded_at=after + datetime.timedelta(days=5),
    )
    _casework(cast.counsellor_battambang, after)  # someone else's work does not count
    [row] = casework.casework_before_after(casework.cohort_people(event), window_days=90)
    assert row.before == {"registrations": 1, "referrals": 1, "placements": 0}
    assert row.after == {"registrations": 3, "referrals": 3, "placements": 1}
    assert row.days_after == 90
    client.force_login(cast.national)
    page = client.get(reverse("training:report_casework"), {"event": event.pk, "window": 90}).content.decode()
    assert "Counsellor Pursat" in page and "Placements from their referrals" in page
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("training:report_casework"), {"event": event.pk}).status_code == 403


def test_whoever_runs_an_event_issues_participation_certificates_to_those_who_attended(client, cast):
    from openpes.training.models import Certificate

    event = EventFactory()
    event.facilitators.add(cast.trainer)
    present, absent = staff(), staff()
    attend(event, present)
    attend(event, absent, days=[])
    client.force_login(cast.counsellor_pursat)
    assert client.post(reverse("training:event_issue_certificates", args=[event.pk])).status_code == 404
    client.force_login(cast.trainer)
    client.post(reverse("training:event_issue_certificates", args=[event.pk]))
    assert list(Certificate.objects.values_list("person", "kind", "event")) == [(present.pk, "participation", event.pk)]
    client.post(reverse("training:event_issue_certificates", args=[event.pk]))  # again: nothing new
    assert Certificate.objects.count() == 1
