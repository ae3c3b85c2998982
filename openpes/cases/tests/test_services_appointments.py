"""Appointments: counsellors publish free times (single or repeated), staff book them for a case, jobseekers
book open times of their own centre, nobody books a time twice, cancelling frees it, attendance is an event."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.cases.actions import services as actions
from openpes.cases.enums import AppointmentStatus, CaseEventKind, CaseStatus
from openpes.cases.models import Appointment, AppointmentSlot, Case, CaseEvent
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
MONDAY = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=PHNOM_PENH)


def at(day_offset, hour, minute=0):
    return (MONDAY + datetime.timedelta(days=day_offset)).replace(hour=hour, minute=minute)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(cast):
    return JobSeekerFactory(user=cast.jobseeker_a)


@pytest.fixture
def case(cast, person):
    return CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)


def slot(cast, start, **kwargs):
    return actions.publish_slots(
        actor=cast.counsellor_pursat, counsellor=cast.counsellor_pursat, starts_at=start, minutes=30, **kwargs
    )[0]


# -- publishing free times -------------------------------------------------------------------------------------


def test_a_counsellor_publishes_free_times_repeated_every_week(client, cast, clock):
    client.force_login(cast.counsellor_pursat)
    response = client.post(
        reverse("cases:slot_new"),
        {
            "counsellor": cast.counsellor_pursat.pk,
            "day": "2026-12-08",
            "time": "09:00",
            "minutes": 30,
            "count": 3,
            "weeks": 4,
            "kind": "in_person",
            "open_to_jobseekers": "on",
        },
    )
    assert response.status_code == 302
    slots = list(AppointmentSlot.objects.order_by("starts_at"))
    assert len(slots) == 12
    assert [s.starts_at for s in slots[:3]] == [at(1, 9), at(1, 9, 30), at(1, 10)]
    assert slots[3].starts_at == at(8, 9)
    assert all(s.centre == cast.pursat and s.open_to_jobseekers for s in slots)


def test_publishing_is_all_or_nothing_when_one_time_clashes(cast, clock):
    slot(cast, at(15, 9))  # the third week's first time is already published
    with pytest.raises(ValidationError) as error:
        actions.publish_slots(
            actor=cast.counsellor_pursat, counsellor=cast.counsellor_pursat, starts_at=at(1, 9), minutes=30, weeks=4
        )
    assert error.value.code == "clash"
    assert AppointmentSlot.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"day": "2026-12-06", "time": "09:00"}, "time"),  # yesterday
        ({"day": "2026-12-08", "time": "25:00"}, "time"),
        ({"day": "not a day", "time": "09:00"}, "day"),
        ({"day": "2026-12-08", "time": "09:00", "minutes": 7}, "minutes"),
        ({"day": "2026-12-08", "time": "09:00", "weeks": 13}, "weeks"),
        ({"day": "2026-12-08", "time": "09:00", "count": 0}, "count"),
        ({"day": "2026-12-08", "time": "09:00", "kind": "<script>"}, "kind"),
    ],
)
def test_bad_slot_input_gets_a_clear_error_and_saves_nothing(client, cast, clock, data, field):
    client.cookies["openpes_language"] = "en"
    client.force_login(cast.counsellor_pursat)
    form = {"counsellor": cast.counsellor_pursat.pk, "minutes": 30, "count": 1, "weeks": 1, "kind": "in_person", **data}
    response = client.post(reverse("cases:slot_new"), form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert AppointmentSlot.objects.count() == 0


def test_a_counsellor_cannot_publish_times_for_a_colleague_but_a_manager_can(client, cast, clock):
    client.force_login(cast.counsellor_pursat)
    form = {
        "counsellor": cast.counsellor_pursat_van.pk,
        "day": "2026-12-08",
        "time": "09:00",
        "minutes": 30,
        "count": 1,
        "weeks": 1,
        "kind": "in_person",
    }
    assert client.post(reverse("cases:slot_new"), form).status_code == 200
    assert AppointmentSlot.objects.count() == 0
    client.force_login(cast.manager_pursat)
    assert client.post(reverse("cases:slot_new"), form).status_code == 302
    assert AppointmentSlot.objects.get().centre == cast.pursat_van


# -- staff booking ---------------------------------------------------------------------------------------------


def test_staff_book_a_free_slot_for_a_case_and_it_is_an_event(client, cast, case, clock):
    free = slot(cast, at(1, 9))
    client.force_login(cast.counsellor_pursat)
    assert client.get(reverse("cases:book", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("cases:book", args=[case.pk]),
        {"slot": free.pk, "minutes": 30, "kind": "in_person", "purpose": "Review"},
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.slot, appointment.starts_at, appointment.booked_by) == (free, at(1, 9), cast.counsellor_pursat)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.APPOINTMENT_BOOKED)
    assert event.detail == {"appointment": appointment.pk, "appointment_kind": "in_person", "by": "staff"}
    assert event.centre == cast.pursat
    assert AuditEvent.objects.filter(object_type="cases.appointment", action="create").exists()


def test_staff_book_a_time_agreed_with_the_person_when_the_counsellor_is_free(client, cast, case, clock):
    client.force_login(cast.counsellor_pursat)
    form = {
        "counsellor": cast.counsellor_pursat.pk,
        "day": "2026-12-09",
        "time": "14:00",
        "minutes": 60,
        "kind": "phone",
    }
    assert client.post(reverse("cases:book", args=[case.pk]), form).status_code == 302
    other = CaseFactory(jobseeker=JobSeekerFactory(), counsellor=cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(reverse("cases:book", args=[other.pk]), {**form, "time": "14:30"})
    assert response.status_code == 200
    assert "already has an appointment" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_a_slot_is_never_booked_twice(cast, case, clock):
    free = slot(cast, at(1, 9))
    actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=free)
    other = CaseFactory(jobseeker=JobSeekerFactory(), counsellor=cast.counsellor_pursat)
    with pytest.raises(ValidationError) as error:
        actions.book_appointment(actor=cast.counsellor_pursat, case=other, slot=free)
    assert "slot" in error.value.error_dict
    assert Appointment.objects.count() == 1


def test_nothing_is_booked_on_a_closed_case_or_in_the_past(cast, case, clock):
    past = AppointmentSlot.objects.create(
        counsellor=cast.counsellor_pursat, centre=cast.pursat, starts_at=at(-1, 9), ends_at=at(-1, 9, 30)
    )
    with pytest.raises(ValidationError):
        actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=past)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=slot(cast, at(1, 9)))
    assert Appointment.objects.count() == 0


def test_cancelling_frees_the_slot_for_someone_else(client, cast, case, clock):
    free = slot(cast, at(1, 9))
    appointment = actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=free)
    client.force_login(cast.counsellor_pursat)
    assert client.post(reverse("cases:appointment_cancel", args=[appointment.pk])).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.slot is None
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.APPOINTMENT_CANCELLED).count() == 1
    other = CaseFactory(jobseeker=JobSeekerFactory(), counsellor=cast.counsellor_pursat)
    assert actions.book_appointment(actor=cast.counsellor_pursat, case=other, slot=free).slot == free


def test_the_counsellor_records_attended_or_no_show_once_it_started(client, cast, case, clock):
    first = actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=slot(cast, at(0, 9)))
    second = actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=slot(cast, at(0, 10)))
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("cases:appointment_outcome", args=[first.pk]), {"attended": "1"})
    first.refresh_from_db()
    assert first.status == AppointmentStatus.BOOKED  # not started yet
    clock.move_to(at(0, 11))
    client.force_login(cast.counsellor_pursat)  # staff sessions end after 30 idle minutes
    client.post(reverse("cases:appointment_outcome", args=[first.pk]), {"attended": "1"})
    client.post(reverse("cases:appointment_outcome", args=[second.pk]), {"attended": "0"})
    client.post(reverse("cases:appointment_outcome", args=[second.pk]), {"attended": "1"})  # already recorded
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count(CaseEventKind.APPOINTMENT_ATTENDED) == 1 and kinds.count(CaseEventKind.NO_SHOW) == 1
    case.refresh_from_db()
    assert case.last_contact_at == at(0, 11)  # attending is a contact


# -- the jobseeker books ---------------------------------------------------------------------------------------


def test_a_jobseeker_books_an_open_slot_of_their_centre(client, cast, case, clock):
    free = slot(cast, at(1, 9))
    client.force_login(cast.jobseeker_a)
    client.cookies["openpes_language"] = "en"
    page = client.get(reverse("cases:my_appointments"))
    assert reverse("cases:my_book", args=[free.pk]) in page.content.decode()
    response = client.post(reverse("cases:my_book", args=[free.pk]), follow=True)
    appointment = Appointment.objects.get()
    assert appointment.case == case and appointment.booked_by == cast.jobseeker_a
    assert "Your appointment is booked" in response.content.decode()
    assert CaseEvent.objects.get(kind=CaseEventKind.APPOINTMENT_BOOKED).detail["by"] == "jobseeker"


def test_a_jobseeker_without_a_case_gets_one_held_by_the_slots_counsellor(client, cast, person, clock):
    free = slot(cast, at(1, 9))
    client.force_login(cast.jobseeker_a)
    client.post(reverse("cases:my_book", args=[free.pk]))
    case = Case.objects.get(jobseeker=person)
    assert case.counsellor == cast.counsellor_pursat and case.owner_centre == cast.pursat
    assert Appointment.objects.get().case == case


def test_a_jobseeker_cannot_book_closed_taken_or_other_centres_slots(client, cast, case, clock):
    closed = slot(cast, at(1, 9), open_to_jobseekers=False)
    van = actions.publish_slots(
        actor=cast.counsellor_pursat_van, counsellor=cast.counsellor_pursat_van, starts_at=at(1, 9), minutes=30
    )[0]
    battambang = actions.publish_slots(
        actor=cast.counsellor_battambang, counsellor=cast.counsellor_battambang, starts_at=at(1, 9), minutes=30
    )[0]
    taken = slot(cast, at(1, 10))
    actions.book_appointment(actor=cast.counsellor_pursat, case=CaseFactory(jobseeker=JobSeekerFactory()), slot=taken)
    client.force_login(cast.jobseeker_a)
    page = client.get(reverse("cases:my_appointments")).content.decode()
    for refused in (closed, van, battambang, taken):
        assert reverse("cases:my_book", args=[refused.pk]) not in page
        assert client.post(reverse("cases:my_book", args=[refused.pk])).status_code == 404
    assert Appointment.objects.filter(case=case).count() == 0


def test_a_jobseeker_holds_one_coming_appointment_at_a_time(client, cast, case, clock):
    first, second = slot(cast, at(1, 9)), slot(cast, at(2, 9))
    client.force_login(cast.jobseeker_a)
    client.cookies["openpes_language"] = "en"
    client.post(reverse("cases:my_book", args=[first.pk]))
    response = client.post(reverse("cases:my_book", args=[second.pk]), follow=True)
    assert "Cancel it first" in response.content.decode()
    assert Appointment.objects.count() == 1
    mine = Appointment.objects.get()
    client.post(reverse("cases:my_cancel", args=[mine.pk]))
    client.post(reverse("cases:my_book", args=[second.pk]))
    assert Appointment.objects.get(status=AppointmentStatus.BOOKED).slot == second


def test_a_jobseeker_sees_and_cancels_only_their_own_appointments(client, cast, case, clock):
    theirs = CaseFactory(jobseeker=JobSeekerFactory(user=cast.jobseeker_b, name_latin="Other Person"))
    other = actions.book_appointment(actor=cast.counsellor_pursat, case=theirs, slot=slot(cast, at(1, 9)))
    mine = actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=slot(cast, at(1, 10)))
    client.force_login(cast.jobseeker_a)
    page = client.get(reverse("cases:my_appointments")).content.decode()
    assert reverse("cases:my_cancel", args=[mine.pk]) in page
    assert reverse("cases:my_cancel", args=[other.pk]) not in page
    assert client.post(reverse("cases:my_cancel", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == AppointmentStatus.BOOKED
    # Staff pages are not theirs.
    assert client.post(reverse("cases:appointment_cancel", args=[mine.pk])).status_code == 403
    assert client.get(reverse("cases:calendar")).status_code == 403


# -- the calendar ----------------------------------------------------------------------------------------------


def test_the_calendar_shows_the_day_and_the_week_with_a_fixed_number_of_queries(
    client, cast, clock, django_assert_max_num_queries
):
    for hour in range(9, 17):
        free = slot(cast, at(0, hour))
        if hour % 2:
            actions.book_appointment(
                actor=cast.counsellor_pursat,
                case=CaseFactory(jobseeker=JobSeekerFactory(name_latin=f"Person {hour}")),
                slot=free,
            )
    slot(cast, at(3, 9))
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    with django_assert_max_num_queries(15):
        day = client.get(reverse("cases:calendar"))
    page = day.content.decode()
    assert "Person 9" in page and "Person 15" in page
    assert page.count("Free") >= 4
    with django_assert_max_num_queries(15):
        week = client.get(reverse("cases:calendar"), {"view": "week", "day": "2026-12-09"})
    assert week.content.decode().count("<table") == 2  # Monday and Thursday
    assert AuditEvent.objects.filter(action="list", object_type="cases.appointment").exists()


def test_the_calendar_of_another_centre_stays_hidden(client, cast, clock):
    actions.book_appointment(
        actor=cast.counsellor_pursat,
        case=CaseFactory(jobseeker=JobSeekerFactory(name_latin="Pursat Person")),
        slot=slot(cast, at(0, 9)),
    )
    client.force_login(cast.counsellor_battambang)
    page = client.get(reverse("cases:calendar"), {"counsellor": "all"}).content.decode()
    assert "Pursat Person" not in page
    assert client.get(reverse("cases:calendar"), {"counsellor": cast.counsellor_pursat.pk}).status_code == 200
    assert "Pursat Person" not in client.get(reverse("cases:calendar"), {"counsellor": "all"}).content.decode()
    free = slot(cast, at(1, 9))
    assert client.post(reverse("cases:slot_delete", args=[free.pk])).status_code == 404
    assert AppointmentSlot.objects.filter(pk=free.pk).exists()


def test_a_booked_slot_cannot_be_removed_but_a_free_one_can(client, cast, case, clock):
    booked = slot(cast, at(1, 9))
    actions.book_appointment(actor=cast.counsellor_pursat, case=case, slot=booked)
    free = slot(cast, at(1, 10))
    client.force_login(cast.counsellor_pursat)
    client.post(reverse("cases:slot_delete", args=[booked.pk]))
    client.post(reverse("cases:slot_delete", args=[free.pk]))
    assert list(AppointmentSlot.objects.all()) == [booked]
