"""ToT certification: attended + passed the post-test threshold + passed teach-back, then renew and revoke."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.training.actions import events as actions
from openpes.training.enums import CertificationStatus, QuizKind, TeachBackResult
from openpes.training.models import TeachBack, TrainerCertification
from openpes.training.tests.events_helpers import (
    TODAY,
    attend,
    eligible_participant,
    score,
    staff,
    teach_back,
    tot_with_tests,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tot(cast):
    event = tot_with_tests(starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=2))
    event.facilitators.add(cast.trainer)
    return event


def test_a_participant_who_meets_all_three_conditions_is_eligible(tot, cast):
    person = eligible_participant(tot, cast.trainer)
    status = actions.certification_status(tot)[person.pk]
    assert status.attended and status.passed_post_test and status.teach_back_passed
    assert status.eligible


@pytest.mark.parametrize("missing", ["a_day", "post_test", "post_score", "teach_back", "teach_back_not_yet"])
def test_missing_any_one_condition_blocks_certification(tot, cast, missing):
    person = staff()
    attend(tot, person, days=tot.days[:2] if missing == "a_day" else None)
    if missing != "post_test":
        score(tot, person, QuizKind.POST_TEST, 69 if missing == "post_score" else 90)
    if missing == "teach_back_not_yet":
        teach_back(tot, person, cast.trainer, result=TeachBackResult.NOT_YET)
    elif missing != "teach_back":
        teach_back(tot, person, cast.trainer)
    assert not actions.certification_status(tot)[person.pk].eligible
    with pytest.raises(ValidationError) as error:
        actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    assert error.value.code == "not_eligible"
    assert not TrainerCertification.objects.exists()


def test_the_post_test_threshold_is_the_events_own(cast):
    strict = tot_with_tests(post_test_threshold=90)
    person = eligible_participant(strict, cast.trainer, post=85)
    assert not actions.certification_status(strict)[person.pk].passed_post_test
    score(strict, person, QuizKind.POST_TEST, 92)  # a better second attempt counts
    assert actions.certification_status(strict)[person.pk].eligible


def test_a_post_test_taken_outside_the_event_does_not_count(tot, cast):
    person = staff()
    attend(tot, person)
    teach_back(tot, person, cast.trainer)
    attempt = score(tot, person, QuizKind.POST_TEST, 95)
    attempt.event = None
    attempt.save()
    assert actions.certification_status(tot)[person.pk].post_score is None


def test_the_latest_teach_back_decides(tot, cast):
    person = eligible_participant(tot, cast.trainer)
    first = TeachBack.objects.get(participant=person)
    later = teach_back(tot, person, cast.trainer, result=TeachBackResult.NOT_YET)
    later.observed_on = first.observed_on + datetime.timedelta(days=1)
    later.save()
    assert not actions.certification_status(tot)[person.pk].eligible
    first.observed_on = later.observed_on + datetime.timedelta(days=1)  # a pass observed after the "not yet"
    first.save()
    assert actions.certification_status(tot)[person.pk].eligible


@time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC))
def test_certification_is_valid_for_two_years_and_written_to_the_audit_log(tot, cast):
    person = eligible_participant(tot, cast.trainer)
    [certification] = actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    assert certification.certified_on == datetime.date(2026, 3, 12)
    assert certification.valid_until == datetime.date(2028, 3, 12)
    assert certification.status == CertificationStatus.ACTIVE
    assert AuditEvent.objects.filter(object_type="training.trainercertification", action="create").count() == 1
    # Certifying again is harmless: nobody is certified twice from the same ToT.
    assert actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person]) == []


def test_the_certification_page_shows_each_condition_and_certifies_the_ticked(client, tot, cast):
    ready = eligible_participant(tot, cast.trainer, person=staff(full_name="Ready Person"))
    not_ready = staff(full_name="Not Ready")
    attend(tot, not_ready, days=tot.days[:1])
    client.force_login(cast.coordinator)
    page = client.get(reverse("training:event_certification", args=[tot.pk])).content.decode()
    assert "Ready Person" in page and "Not Ready" in page
    assert "Attended 3 of 3 days" in page and "Attended 1 of 3 days" in page
    assert "Post-test not taken" in page and "Teach-back not observed" in page
    assert "Ready to certify" in page
    response = client.post(reverse("training:event_certification", args=[tot.pk]), {"people": [not_ready.pk]})
    assert response.status_code == 200  # not a choice: only eligible people can be ticked
    assert not TrainerCertification.objects.exists()
    response = client.post(reverse("training:event_certification", args=[tot.pk]), {"people": [ready.pk]})
    assert response.status_code == 302
    assert TrainerCertification.objects.get().trainer == ready


def test_a_facilitator_records_teach_backs_but_only_coordinators_certify(client, tot, cast):
    person = staff(full_name="Trainee")
    attend(tot, person)
    score(tot, person, QuizKind.POST_TEST, 80)
    client.force_login(cast.trainer)
    response = client.post(
        reverse("training:event_teach_back", args=[tot.pk, person.pk]),
        {"result": "pass", "notes": "Clear, open questions.", "observed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert TeachBack.objects.get(participant=person).evaluator == cast.trainer
    page = client.get(reverse("training:event_certification", args=[tot.pk])).content.decode()
    assert "Ready to certify" in page
    assert "Certify the people ticked" not in page
    assert (
        client.post(reverse("training:event_certification", args=[tot.pk]), {"people": [person.pk]}).status_code == 403
    )
    assert not TrainerCertification.objects.exists()


def test_teach_backs_are_only_for_enrolled_participants_of_a_tot(tot, cast):
    outsider = staff()
    with pytest.raises(ValidationError):
        actions.record_teach_back(actor=cast.trainer, event=tot, participant=outsider, result="pass")


def test_renewal_is_a_new_row_pointing_at_the_old_one_with_the_same_tot(client, tot, cast):
    person = eligible_participant(tot, cast.trainer)
    [first] = actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    client.force_login(cast.coordinator)
    response = client.post(reverse("training:certification_renew", args=[first.pk]))
    renewal = TrainerCertification.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("training:certification_detail", args=[renewal.pk])
    assert renewal.renews == first and renewal.tot_event == tot and renewal.trainer == person
    assert renewal.valid_until > first.valid_until
    with pytest.raises(ValidationError):
        actions.renew_certification(actor=cast.coordinator, certification=first)


def test_revoking_needs_a_reason_and_stops_the_trainer_leading_sessions(client, tot, cast):
    person = eligible_participant(tot, cast.trainer)
    [certification] = actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    client.force_login(cast.coordinator)
    url = reverse("training:certification_revoke", args=[certification.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.ACTIVE
    client.post(url, {"reason": "Did not follow the code of conduct."})
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED
    assert certification.revoked_reason == "Did not follow the code of conduct."
    assert actions.valid_certification(person, starts_on=certification.certified_on) is None
    with pytest.raises(ValidationError):
        actions.renew_certification(actor=cast.coordinator, certification=certification)


def test_a_trainer_sees_their_own_certification_but_not_a_colleagues(client, tot, cast):
    person = eligible_participant(tot, cast.trainer, person=staff())
    [certification] = actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    client.force_login(person)
    assert client.get(reverse("training:certification_detail", args=[certification.pk])).status_code == 200
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("training:certification_detail", args=[certification.pk])).status_code == 404
    assert client.post(reverse("training:certification_renew", args=[certification.pk])).status_code == 403


def test_the_trainer_list_shows_valid_certifications(client, tot, cast):
    person = eligible_participant(tot, cast.trainer, person=staff(full_name="Certified Trainer"))
    actions.certify_trainers(actor=cast.coordinator, event=tot, people=[person])
    client.force_login(cast.national)
    page = client.get(reverse("training:trainers")).content.decode()
    assert "Certified Trainer" in page
    page = client.get(reverse("training:trainers"), {"status": "revoked"}).content.decode()
    assert "Certified Trainer" not in page
