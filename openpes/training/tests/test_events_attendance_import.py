"""Webinar participant reports and paper sign-in sheets: matched by e-mail, phone or staff ID — never by name."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from openpes.audit.models import AuditEvent
from openpes.training import attendance as files
from openpes.training.actions import events as actions
from openpes.training.enums import AttendanceMethod, Tier
from openpes.training.models import Attendance, AttendanceImportRow, Registration
from openpes.training.tests.events_helpers import staff
from openpes.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)

ZOOM = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Labour-market trends,06/15/2026 09:00:00 AM,06/15/2026 11:00:00 AM,host@nea.example,120,5

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Dara (Sok Dara),DARA@staff.example,06/15/2026 09:01:22 AM,06/15/2026 10:00:00 AM,59,No
Dara (Sok Dara),dara@staff.example,06/15/2026 10:05:00 AM,06/15/2026 10:59:00 AM,54,No
Chan Sophea,,06/15/2026 09:03:00 AM,06/15/2026 10:50:00 AM,107,Yes
Unknown Guest,guest@gmail.example,06/15/2026 09:03:00 AM,06/15/2026 09:30:00 AM,27,Yes
"""


@pytest.fixture
def webinar(cast):
    event = EventFactory(tier=Tier.WEBINAR, starts_on=DAY, ends_on=DAY, link="https://zoom.example/j/1", hours=2)
    event.facilitators.add(cast.trainer)
    return event


def test_a_zoom_report_with_meeting_details_above_is_read():
    rows = files.parse_attendance_file(ZOOM.encode(), [DAY])
    assert [r.display_name for r in rows] == ["Dara (Sok Dara)", "Dara (Sok Dara)", "Chan Sophea", "Unknown Guest"]
    assert rows[0].email == "dara@staff.example"
    assert rows[0].day == DAY and rows[0].minutes == 59
    assert rows[0].line == 5


def test_bigbluebutton_and_jitsi_style_columns_are_read():
    bbb = (
        "Name,Moderator,External User ID,Join,Left,Duration\n"
        "Sok Dara,false,42,2026-06-15 09:00,2026-06-15 10:30,01:30:00\n"
    )
    [row] = files.parse_attendance_file(bbb.encode(), [DAY])
    assert (row.staff_id, row.minutes, row.day) == ("42", 90, DAY)
    jitsi = "Name;Email;Joined;Left\nSok Dara;d@x.example;15/06/2026 09:00;15/06/2026 09:45\n"
    [row] = files.parse_attendance_file(jitsi.encode(), [DAY])
    assert (row.email, row.minutes, row.day) == ("d@x.example", 45, DAY)


def test_a_paper_sheet_in_xlsx_with_khmer_headings_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ឈ្មោះ", "លេខទូរស័ព្ទ", "ថ្ងៃ"])
    sheet.append(["សុខ ដារ៉ា", "012 345 678", datetime.datetime(2026, 6, 16)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = files.parse_attendance_file(buffer.getvalue(), [DAY, DAY + datetime.timedelta(days=1)])
    assert (row.display_name, row.phone, row.day) == ("សុខ ដារ៉ា", "012 345 678", DAY + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"foo,bar\n1,2\n", "file_missing_columns"),
        (b"name,email\n", "file_no_rows"),
        ("name,email\nSok,s@x.example\n".encode("cp1252") + b"\xff\xfe\x00", "file_encoding"),
        (b"PK\x03\x04not really a zip", "file_unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "file_xls"),
    ],
)
def test_unreadable_files_get_a_clear_error(data, code):
    with pytest.raises(ValidationError) as error:
        files.parse_attendance_file(data, [DAY])
    assert error.value.code == code


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("45", 45),
        ("45.4", 45),
        ("00:45:12", 45),
        ("1:05:00", 65),
        ("1:05", 65),
        ("1h 5m", 65),
        ("65 mins", 65),
        ("", None),
        ("soon", None),
    ],
)
def test_durations_in_the_formats_platforms_use(value, minutes):
    assert files.parse_minutes(value) == minutes


def test_rows_are_matched_by_email_phone_or_staff_id_and_never_by_name(webinar, cast):
    by_email = staff(email="dara@staff.example", full_name="Sok Dara")
    by_phone = staff(phone="+85512345678", full_name="Keo Phone")
    by_id = staff(full_name="Lim Staffid")
    namesake = staff(full_name="Chan Sophea")  # same name as a row with no identifier
    csv = (
        "Name,Email,Phone,Staff ID,Duration\n"
        "Sok Dara,dara@staff.example,,,60\n"
        "Keo,,012 345 678,,50\n"
        f"Lim,,,{by_id.pk},40\n"
        "Chan Sophea,,,,45\n"
    )
    rows = files.parse_attendance_file(csv.encode(), webinar.days)
    batch = actions.import_attendance(actor=cast.trainer, event=webinar, file_name="zoom.csv", rows=rows)
    matched = {row.line: row.matched for row in batch.rows.all()}
    assert matched == {2: by_email, 3: by_phone, 4: by_id, 5: None}
    present = set(Attendance.objects.filter(event=webinar).values_list("participant_id", flat=True))
    assert present == {by_email.pk, by_phone.pk, by_id.pk}
    assert namesake.pk not in present
    assert Attendance.objects.get(participant=by_email).method == AttendanceMethod.PLATFORM
    assert Registration.objects.filter(event=webinar).count() == 3
    assert AuditEvent.objects.filter(object_type="training.attendanceimport", action="import", count=4).exists()


def test_identifiers_pointing_at_two_different_people_leave_the_row_for_a_person_to_decide(webinar, cast):
    one = staff(email="one@staff.example")
    staff(phone="+85512000111")
    rows = files.parse_attendance_file(b"Name,Email,Phone\nX,one@staff.example,012 000 111\n", webinar.days)
    batch = actions.import_attendance(actor=cast.trainer, event=webinar, file_name="x.csv", rows=rows)
    assert batch.rows.get().matched is None
    assert not Attendance.objects.filter(participant=one).exists()


def test_public_accounts_and_deactivated_staff_are_never_matched(webinar, cast):
    rows = files.parse_attendance_file(
        f"Name,Email\nA,{cast.jobseeker_a.email}\nB,{cast.deactivated.email}\n".encode(), webinar.days
    )
    batch = actions.import_attendance(actor=cast.trainer, event=webinar, file_name="x.csv", rows=rows)
    assert [row.matched for row in batch.rows.all()] == [None, None]


def test_minutes_add_up_when_a_person_joined_twice(webinar, cast):
    dara = staff(email="dara@staff.example")
    rows = files.parse_attendance_file(ZOOM.encode(), webinar.days)
    actions.import_attendance(actor=cast.trainer, event=webinar, file_name="zoom.csv", rows=rows)
    assert Attendance.objects.get(participant=dara).minutes == 59 + 54


def test_the_trainer_uploads_a_zoom_report_and_matches_one_row_by_hand(client, webinar, cast):
    staff(email="dara@staff.example", full_name="Sok Dara")
    sophea = staff(full_name="Chan Sophea")
    client.force_login(cast.trainer)
    upload = SimpleUploadedFile("participants_812.csv", ZOOM.encode(), content_type="text/csv")
    response = client.post(reverse("training:event_import", args=[webinar.pk]), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2 rows to match by hand." in page
    assert "Chan Sophea" in page and "Unknown Guest" in page
    row = AttendanceImportRow.objects.get(display_name="Chan Sophea")
    response = client.post(response["Location"], {"row": row.pk, f"row{row.pk}-person": sophea.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.matched == sophea and row.matched_by_hand
    assert Attendance.objects.filter(event=webinar, participant=sophea, day=DAY).exists()


def test_a_bad_file_shows_its_error_on_the_upload_page(client, webinar, cast):
    client.force_login(cast.trainer)
    upload = SimpleUploadedFile("list.csv", b"foo,bar\n1,2\n", content_type="text/csv")
    response = client.post(reverse("training:event_import", args=[webinar.pk]), {"file": upload})
    assert response.status_code == 200
    assert "No column with an e-mail address" in response.content.decode()
    assert not AttendanceImportRow.objects.exists()


def test_a_row_without_a_day_in_a_multi_day_event_asks_for_the_day(client, cast):
    event = EventFactory(starts_on=DAY, ends_on=DAY + datetime.timedelta(days=1))
    event.facilitators.add(cast.trainer)
    person = staff(full_name="Paper Person")
    rows = files.parse_attendance_file(b"name,phone\nPaper Person,\n", event.days)
    batch = actions.import_attendance(actor=cast.trainer, event=event, file_name="sheet.csv", rows=rows)
    row = batch.rows.get()
    assert row.day is None
    with pytest.raises(ValidationError):
        actions.match_row_by_hand(actor=cast.trainer, row=row, person=person)
    actions.match_row_by_hand(actor=cast.trainer, row=row, person=person, day=DAY + datetime.timedelta(days=1))
    assert Attendance.objects.get(participant=person).method == AttendanceMethod.SHEET


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
@example(b"\r\x01")  # found by Hypothesis in CI: a carriage return the csv module refused
@example(b'"a\rb",c\r\n"x')  # a line end inside quotes, and a quote never closed
def test_any_bytes_either_give_rows_or_a_clear_error(data):
    try:
        rows = files.parse_attendance_file(data, [DAY])
    except ValidationError as error:
        assert error.code and error.messages
    else:
        assert rows and all(r.minutes is None or 0 <= r.minutes <= 32767 for r in rows)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_duration_text_gives_minutes_or_nothing(text):
    minutes = files.parse_minutes(text)
    assert minutes is None or minutes >= 0
