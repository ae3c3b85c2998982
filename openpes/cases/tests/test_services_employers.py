"""Employer services: staff record contacts and visits on the employer's page, see which employers are due for a
contact, take vacancies by phone, and send pre-screened shortlists that become referrals the employer sees with
only what each person shares."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from openpes.applications.enums import ApplicationSource
from openpes.applications.models import Application
from openpes.cases.actions import casefile
from openpes.cases.actions import services as actions
from openpes.cases.enums import CaseEventKind
from openpes.cases.models import CaseEvent, EmployerContact, Shortlist
from openpes.cases.tests.factories import CaseFactory
from openpes.employers.tests.factories import EmployerFactory, EmployerMemberFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PHNOM_PENH)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer(cast):
    business = EmployerFactory(name_en="Angkor Garments")
    EmployerMemberFactory(employer=business, user=cast.employer_a)
    return business


# -- contacts and visits ---------------------------------------------------------------------------------------


def test_staff_record_a_visit_that_shows_on_the_employers_page(client, cast, employer):
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(
        reverse("cases:employer_contacts", args=[employer.pk]),
        {
            "kind": "visit",
            "day": "2026-12-05",
            "summary": "Needs 20 sewing operators in January",
            "next_contact_on": "2027-01-05",
        },
    )
    assert response.status_code == 302
    contact = EmployerContact.objects.get()
    assert (contact.staff, contact.kind, contact.next_contact_on) == (
        cast.counsellor_pursat,
        "visit",
        datetime.date(2027, 1, 5),
    )
    assert timezone_day(contact.at) == datetime.date(2026, 12, 5)
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "Contacts and visits" in page and "Needs 20 sewing operators" in page
    contacts_page = client.get(reverse("cases:employer_contacts", args=[employer.pk])).content.decode()
    assert f"{reverse('vacancies:new')}?employer={employer.pk}" in contacts_page  # take a vacancy by phone


def timezone_day(value):
    return value.astimezone(PHNOM_PENH).date()


def test_the_employer_never_sees_staff_contacts(client, cast, employer):
    actions.record_employer_contact(
        actor=cast.counsellor_pursat,
        employer=employer,
        kind="phone",
        summary="Owner is hard to reach; late with wages last year",
    )
    client.force_login(cast.employer_a)
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "late with wages" not in page
    assert client.get(reverse("cases:employer_contacts", args=[employer.pk])).status_code == 403
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("cases:employer_contacts", args=[employer.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "visit", "day": "2026-12-08", "summary": "Tomorrow"}, "day"),
        ({"kind": "visit", "day": "2025-01-01", "summary": "Long ago"}, "day"),
        ({"kind": "visit", "day": "2026-12-07", "summary": "   "}, "summary"),
        ({"kind": "telepathy", "day": "2026-12-07", "summary": "Hi"}, "kind"),
        ({"kind": "visit", "day": "2026-12-07", "summary": "Hi", "next_contact_on": "2026-12-01"}, "next_contact_on"),
        ({"kind": "visit", "day": "2026-12-07", "summary": "x" * 2001}, "summary"),
    ],
)
def test_bad_contact_input_gets_a_clear_error_and_saves_nothing(client, cast, employer, data, field):
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(reverse("cases:employer_contacts", args=[employer.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not EmployerContact.objects.exists()


def test_employers_due_for_a_contact(client, cast, django_assert_max_num_queries):
    planned = EmployerFactory(name_en="Planned Call Ltd")
    actions.record_employer_contact(
        actor=cast.counsellor_pursat,
        employer=planned,
        kind="visit",
        summary="Visit",
        at=NOW - datetime.timedelta(days=30),
        next_contact_on=datetime.date(2026, 12, 7),
    )
    recent = EmployerFactory(name_en="Recently Called Ltd")
    actions.record_employer_contact(actor=cast.counsellor_pursat, employer=recent, kind="phone", summary="Call")
    forgotten = EmployerFactory(name_en="Forgotten Ltd")
    actions.record_employer_contact(
        actor=cast.counsellor_pursat,
        employer=forgotten,
        kind="phone",
        summary="Call",
        at=NOW - datetime.timedelta(days=200),
    )
    EmployerFactory(name_en="Never Called Ltd")
    EmployerFactory(name_en="Pending Ltd", pending=True)
    EmployerFactory(name_en="Battambang Ltd", province_code="02")
    client.force_login(cast.counsellor_pursat)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("cases:employers_due")).content.decode()
    for name in ("Planned Call Ltd", "Forgotten Ltd", "Never Called Ltd"):
        assert name in page
    for name in ("Recently Called Ltd", "Pending Ltd", "Battambang Ltd"):
        assert name not in page


# -- shortlists ------------------------------------------------------------------------------------------------


@pytest.fixture
def vacancy(employer):
    return VacancyFactory(employer=employer, title="Sewing machine operator")


@pytest.fixture
def candidates(cast):
    first = JobSeekerFactory(name_latin="Chan Sophea", national_id="123456789", phone="+85512000555")
    WgssAnswersFactory(jobseeker=first)
    case = CaseFactory(jobseeker=first, counsellor=cast.counsellor_pursat)
    casefile.add_note(actor=cast.counsellor_pursat, case=case, category="sensitive", text="Canary debt note 41")
    second = JobSeekerFactory(name_latin="Keo Dara")
    return first, second, case


def test_a_shortlist_becomes_referrals_the_employer_sees_with_shared_profiles_only(client, cast, vacancy, candidates):
    first, second, case = candidates
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("cases:shortlist_new", args=[vacancy.pk]), {"q": "Chan"}).content.decode()
    assert "Chan Sophea" in page
    response = client.post(
        reverse("cases:shortlist_new", args=[vacancy.pk]),
        {
            "candidate": [first.pk, second.pk],
            f"note-{first.pk}": "3 years of sewing; ready in January",
            f"note-{second.pk}": "Fast learner, lives nearby",
            "message": "Two good people for you",
        },
    )
    shortlist = Shortlist.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:shortlist", args=[shortlist.pk])
    applications = Application.objects.filter(vacancy=vacancy).order_by("jobseeker__name_latin")
    assert [(a.jobseeker, a.source, a.note) for a in applications] == [
        (first, ApplicationSource.REFERRED, "3 years of sewing; ready in January"),
        (second, ApplicationSource.REFERRED, "Fast learner, lives nearby"),
    ]
    assert set(shortlist.applications.all()) == set(applications) and shortlist.sent_at is not None
    assert CaseEvent.objects.get(case=case, kind=CaseEventKind.VACANCY_REFERRAL).detail["vacancy"] == vacancy.pk

    client.force_login(cast.employer_a)
    client.cookies["openpes_language"] = "en"
    vacancy_page = client.get(reverse("vacancies:detail_manage", args=[vacancy.pk])).content.decode()
    assert reverse("cases:shortlist", args=[shortlist.pk]) in vacancy_page
    page = client.get(reverse("cases:shortlist", args=[shortlist.pk])).content.decode()
    assert "Chan Sophea" in page and "3 years of sewing" in page and "Two good people" in page
    assert "+85512000555" in page  # shared contact details, so the employer can invite them
    for secret in ("123456789", "Canary debt note 41", "difficulty", "Walking"):
        assert secret not in page


def test_other_employers_and_the_public_never_see_a_shortlist(client, cast, vacancy, candidates):
    first, _, _ = candidates
    shortlist = actions.send_shortlist(actor=cast.counsellor_pursat, vacancy=vacancy, candidates=[(first, "Good")])
    for who, status in (("employer_b", 404), ("jobseeker_a", 403), ("counsellor_battambang", 404), ("trainer", 403)):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("cases:shortlist", args=[shortlist.pk])).status_code == status, who
    client.force_login(cast.employer_b)
    assert client.get(reverse("cases:shortlist_new", args=[vacancy.pk])).status_code == 403


def test_a_shortlist_is_all_or_nothing(client, cast, vacancy, candidates):
    first, second, _ = candidates
    client.force_login(cast.counsellor_pursat)
    client.cookies["openpes_language"] = "en"
    response = client.post(
        reverse("cases:shortlist_new", args=[vacancy.pk]),
        {"candidate": [first.pk, second.pk], f"note-{first.pk}": "Good", f"note-{second.pk}": " "},
    )
    assert response.status_code == 200
    assert "write the pre-screening note" in response.content.decode()
    assert not Application.objects.exists() and not Shortlist.objects.exists()


def test_people_out_of_scope_or_already_referred_cannot_be_shortlisted(client, cast, vacancy, candidates):
    first, second, _ = candidates
    stranger = JobSeekerFactory(province_code="02", name_latin="Battambang Person")
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("cases:shortlist_new", args=[vacancy.pk])).content.decode()
    assert "Battambang Person" not in page
    response = client.post(
        reverse("cases:shortlist_new", args=[vacancy.pk]), {"candidate": [stranger.pk], f"note-{stranger.pk}": "x"}
    )
    assert response.status_code == 404
    actions.send_shortlist(actor=cast.counsellor_pursat, vacancy=vacancy, candidates=[(first, "Good")])
    page = client.get(reverse("cases:shortlist_new", args=[vacancy.pk])).content.decode()
    assert f'value="{first.pk}"' not in page and f'value="{second.pk}"' in page
    response = client.post(
        reverse("cases:shortlist_new", args=[vacancy.pk]), {"candidate": [first.pk], f"note-{first.pk}": "Again"}
    )
    assert response.status_code == 200
    assert Application.objects.count() == 1 and Shortlist.objects.count() == 1


def test_no_shortlist_for_a_closed_vacancy_or_without_candidates(client, cast, vacancy, candidates):
    client.force_login(cast.counsellor_pursat)
    assert client.post(reverse("cases:shortlist_new", args=[vacancy.pk]), {"message": "Nobody"}).status_code == 200
    closed = VacancyFactory(draft=True, employer=vacancy.employer)
    assert client.get(reverse("cases:shortlist_new", args=[closed.pk])).status_code == 302
    assert not Shortlist.objects.exists()
