"""Opening, assigning, transferring, closing and reopening cases: the rules, the history, and bad input that
gets a clear error and saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpes.accounts.tests.factories import UserFactory
from openpes.audit.models import AuditEvent
from openpes.cases.actions import casefile as actions
from openpes.cases.enums import CaseEventKind, CaseStatus
from openpes.cases.models import Case, CaseEvent, CaseTransfer
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.models import JobSeekerEvent
from openpes.jobseekers.tests.factories import JobSeekerFactory


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


@pytest.mark.django_db
def test_a_second_open_case_for_the_same_person_is_refused(cast):
    person = JobSeekerFactory()
    actions.open_case(actor=cast.counsellor_pursat, jobseeker=person)
    with pytest.raises(ValidationError, match="already has an open case"):
        actions.open_case(actor=cast.counsellor_pursat, jobseeker=person)
    assert Case.objects.filter(jobseeker=person).count() == 1
    assert CaseEvent.objects.filter(kind=CaseEventKind.OPENED).count() == 1


@pytest.mark.django_db
def test_opening_through_the_page_when_a_case_is_open_goes_to_that_case(en, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    en.force_login(cast.counsellor_pursat)
    response = en.post(reverse("cases:open", args=[case.jobseeker_id]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert Case.objects.filter(jobseeker=case.jobseeker).count() == 1


@pytest.mark.django_db
def test_a_manager_opens_an_unassigned_case_or_names_a_counsellor_of_the_centre(en, cast):
    first, second = JobSeekerFactory(), JobSeekerFactory()
    en.force_login(cast.manager_pursat)
    en.post(reverse("cases:open", args=[first.pk]))
    assert Case.objects.get(jobseeker=first).counsellor is None
    en.post(reverse("cases:open", args=[second.pk]), {"counsellor": cast.counsellor_pursat.pk})
    assert Case.objects.get(jobseeker=second).counsellor == cast.counsellor_pursat
    # A counsellor of another centre is not offered and not accepted.
    third = JobSeekerFactory()
    page = en.post(reverse("cases:open", args=[third.pk]), {"counsellor": cast.counsellor_pursat_van.pk})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not Case.objects.filter(jobseeker=third).exists()


@pytest.mark.django_db
def test_a_manager_assigns_and_reassigns_and_each_is_an_event(en, cast):
    case = CaseFactory()
    colleague = UserFactory(counsellor=True, centre=cast.pursat, full_name="Second Counsellor")
    en.force_login(cast.manager_pursat)
    en.post(reverse("cases:assign", args=[case.pk]), {"counsellor": cast.counsellor_pursat.pk})
    en.post(reverse("cases:assign", args=[case.pk]), {"counsellor": colleague.pk})
    case.refresh_from_db()
    assert case.counsellor_id == colleague.pk
    events = CaseEvent.objects.filter(case=case, kind=CaseEventKind.ASSIGNED).order_by("id")
    assert [e.detail["counsellor"] for e in events] == [cast.counsellor_pursat.pk, colleague.pk]
    assert events[1].detail["previous"] == cast.counsellor_pursat.pk


@pytest.mark.django_db
def test_counsellors_cannot_assign_and_managers_cannot_assign_outside_the_centre(client, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    client.force_login(cast.counsellor_pursat)
    assert (
        client.post(reverse("cases:assign", args=[case.pk]), {"counsellor": cast.counsellor_pursat.pk}).status_code
        == 403
    )
    client.force_login(cast.manager_pursat)
    client.post(reverse("cases:assign", args=[case.pk]), {"counsellor": cast.counsellor_battambang.pk})
    case.refresh_from_db()
    assert case.counsellor == cast.counsellor_pursat
    with pytest.raises(ValidationError):
        actions.assign_counsellor(actor=cast.manager_pursat, case=case, counsellor=cast.counsellor_pursat_van)


@pytest.mark.django_db
def test_a_transfer_to_another_centre_moves_the_case_and_the_record_and_keeps_the_history(en, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    person = case.jobseeker
    en.force_login(cast.counsellor_pursat)
    response = en.post(
        reverse("cases:transfer", args=[case.pk]),
        {"to_centre": cast.battambang.pk, "to_counsellor": "", "reason": "Moved to Battambang with family"},
    )
    assert response["Location"] == reverse("cases:caseload")  # the case is no longer ours to see
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.owner_centre == cast.battambang and case.counsellor is None
    assert person.owner_centre == cast.battambang
    transfer = CaseTransfer.objects.get(case=case)
    assert (transfer.from_centre, transfer.to_centre, transfer.from_counsellor, transfer.by) == (
        cast.pursat,
        cast.battambang,
        cast.counsellor_pursat,
        cast.counsellor_pursat,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.TRANSFERRED)
    assert event.centre == cast.pursat and event.detail["to_centre"] == cast.battambang.pk
    assert "Battambang with family" not in str(event.detail)
    assert JobSeekerEvent.objects.filter(jobseeker=person, detail__fields=["owner_centre"]).exists()
    # The old centre loses both; the new one gets both.
    assert en.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert en.get(reverse("jobseekers:detail", args=[person.pk])).status_code == 404
    en.force_login(cast.manager_pursat)
    assert en.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    en.force_login(cast.counsellor_battambang)
    page = en.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "Moved to Battambang with family" in page.content.decode()


@pytest.mark.django_db
def test_a_transfer_within_the_centre_changes_the_counsellor_only(cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    colleague = UserFactory(counsellor=True, centre=cast.pursat)
    actions.transfer_case(
        actor=cast.counsellor_pursat, case=case, to_centre=cast.pursat, to_counsellor=colleague, reason="Leave"
    )
    case.refresh_from_db()
    assert case.counsellor_id == colleague.pk and case.owner_centre == cast.pursat
    assert case.jobseeker.owner_centre == cast.pursat


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to", "counsellor", "reason", "field"),
    [
        ("pursat", None, "Holiday", "to_counsellor"),  # same centre, nobody named
        ("pursat", "counsellor_pursat", "Holiday", "to_counsellor"),  # already theirs
        ("battambang", "counsellor_pursat", "Moved", "to_counsellor"),  # not a counsellor of that centre
        ("battambang", None, "   ", "reason"),  # no reason
    ],
)
def test_a_transfer_with_bad_input_says_why_and_changes_nothing(cast, to, counsellor, reason, field):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    with pytest.raises(ValidationError) as error:
        actions.transfer_case(
            actor=cast.counsellor_pursat,
            case=case,
            to_centre=getattr(cast, to),
            to_counsellor=getattr(cast, counsellor) if counsellor else None,
            reason=reason,
        )
    assert field in error.value.error_dict
    case.refresh_from_db()
    assert case.owner_centre == cast.pursat and case.counsellor == cast.counsellor_pursat
    assert not CaseTransfer.objects.exists() and not CaseEvent.objects.filter(kind="transferred").exists()


@pytest.mark.django_db
def test_the_transfer_page_shows_a_missing_reason_on_the_field(en, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    en.force_login(cast.counsellor_pursat)
    page = en.post(reverse("cases:transfer", args=[case.pk]), {"to_centre": cast.battambang.pk, "reason": ""})
    assert page.status_code == 200
    assert "Please correct the following" in page.content.decode()
    assert not CaseTransfer.objects.exists()


@pytest.mark.django_db
def test_closing_needs_a_reason_and_closing_twice_is_refused(en, cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    en.force_login(cast.counsellor_pursat)
    page = en.post(reverse("cases:close", args=[case.pk]), {})
    assert "Please correct the following" in page.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    en.post(reverse("cases:close", args=[case.pk]), {"reason": "moved_away"})
    case.refresh_from_db()
    closed_at = case.closed_at
    assert case.status == CaseStatus.CLOSED
    page = en.post(reverse("cases:close", args=[case.pk]), {"reason": "placed"})
    assert "already closed" in page.content.decode()
    with pytest.raises(ValidationError, match="already closed"):
        actions.close_case(actor=cast.counsellor_pursat, case=case, reason="placed")
    case.refresh_from_db()
    assert case.closure_reason == "moved_away" and case.closed_at == closed_at
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.CLOSED).count() == 1


@pytest.mark.django_db
def test_a_closed_case_takes_no_more_work_and_reopening_is_a_new_episode(cast):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    actions.close_case(actor=cast.counsellor_pursat, case=case, reason="no_contact")
    with pytest.raises(ValidationError, match="closed"):
        actions.save_intake(actor=cast.counsellor_pursat, case=case, fields={})
    with pytest.raises(ValidationError, match="closed"):
        actions.transfer_case(actor=cast.counsellor_pursat, case=case, to_centre=cast.battambang, reason="x")
    new = actions.reopen_case(actor=cast.counsellor_pursat, case=case)
    assert (new.episode, new.status, new.owner_centre) == (2, CaseStatus.OPEN, cast.pursat)
    with pytest.raises(ValidationError, match="still open"):
        actions.reopen_case(actor=cast.counsellor_pursat, case=new)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CaseEvent.objects.get(case=new, kind=CaseEventKind.REOPENED).detail == {"episode": 2}


@pytest.mark.django_db
def test_every_change_writes_an_audit_row_without_free_text(cast):
    case = actions.open_case(actor=cast.counsellor_pursat, jobseeker=JobSeekerFactory())
    actions.transfer_case(actor=cast.counsellor_pursat, case=case, to_centre=cast.battambang, reason="Secret reason")
    actions.close_case(actor=cast.counsellor_battambang, case=case, reason="moved_away")
    rows = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id")
    assert [row.action for row in rows] == ["create", "update", "update"]
    assert all(row.subject_id == str(case.jobseeker_id) for row in rows)
    assert not AuditEvent.objects.filter(detail__icontains="Secret").exists()
