"""A person whose data is spread over every app, marked with canary values that must vanish on anonymisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.tests.factories import UserFactory
from openpes.applications import actions as application_actions
from openpes.jobseekers import actions as jobseeker_actions
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose
from openpes.jobseekers.models import Document, JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory, WgssAnswersFactory
from openpes.lib.uploads import CheckedFile
from openpes.notifications.actions import queue_message
from openpes.taxonomy.models import EducationLevel, IscoGroup
from openpes.vacancies.tests.factories import VacancyFactory

# Values that occur nowhere else; after anonymisation none may remain in any column of any table.
NAME_LATIN = "Zorvexa Qintarou"
NAME_KM = "ស៊ីវហ្សរវិចសា"
NATIONAL_ID = "987654321012"
PHONE = "+85512987654"
PHONE_ALT = "+85516987653"
EMAIL = "zorvexa.person@example.org"
ACCOUNT_EMAIL = "qintarou.account@example.org"
ACCOUNT_PHONE = "+85517555444"
ADDRESS = "House 77, Phum Yxwelvor"
CANARIES = [
    "Zorvexa",
    "Qintarou",
    NAME_KM,
    NATIONAL_ID,
    "12987654",  # the phone numbers without +855, as the search index holds them
    "16987653",
    "17555444",
    "zorvexa.person",
    "qintarou.account",
    "Yxwelvor",
]


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@dataclass
class Person:
    jobseeker: JobSeeker
    duplicate: JobSeeker
    document: Document


def _cases(jobseeker, counsellor, placement, application):
    from openpes.cases import models as cases

    case = cases.Case.objects.create(jobseeker=jobseeker, owner_centre=jobseeker.owner_centre, counsellor=counsellor)
    cases.Intake.objects.create(
        case=case,
        situation="unemployed",
        digital_access="basic_phone",
        contact_channel="sms",
        goals="Zorvexa wants to sew near Phum Yxwelvor",
        constraints="Qintarou family duties",
    )
    plan = cases.Plan.objects.create(case=case)
    barrier = cases.Barrier.objects.create(plan=plan, theme="training", description="Zorvexa cannot read well")
    objective = cases.Objective.objects.create(plan=plan, barrier=barrier, text="Qintarou to finish a course")
    cases.PlanAction.objects.create(objective=objective, text="Call Zorvexa on 012987654", owner="counsellor")
    start = timezone.now() + datetime.timedelta(days=2)
    cases.Appointment.objects.create(
        case=case,
        counsellor=counsellor,
        centre=jobseeker.owner_centre,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        purpose="Meet Zorvexa",
    )
    cases.CaseNote.objects.create(
        case=case, text="Zorvexa Qintarou, ID 987654321012, lives in Yxwelvor", author=counsellor
    )
    from openpes.cases.tests.factories import PartnerServiceFactory

    cases.ServiceReferral.objects.create(
        case=case, service=PartnerServiceFactory(), note="Please help Zorvexa", referred_by=counsellor
    )
    cases.CaseTransfer.objects.create(
        case=case,
        from_centre=jobseeker.owner_centre,
        to_centre=jobseeker.owner_centre,
        reason="Qintarou moved",
        by=counsellor,
    )
    cases.FollowUp.objects.update_or_create(
        placement=placement,
        month=1,
        defaults={"case": case, "due_on": timezone.localdate(), "notes": "Zorvexa is happy at work"},
    )
    cases.PlacementEvidence.objects.create(
        placement=placement,
        case=case,
        note="Contract of Zorvexa seen",
        file=ContentFile(b"%PDF-1.4 contract", name="evidence.pdf"),
        original_name="zorvexa-contract.pdf",
        content_type="application/pdf",
        size=17,
    )
    shortlist = cases.Shortlist.objects.create(
        vacancy=application.vacancy,
        created_by=counsellor,
        message="Candidates: Zorvexa Qintarou (012987654) and another person",
    )
    shortlist.applications.add(application)
    cases.CaseEvent.objects.create(case=case, kind="opened", centre=jobseeker.owner_centre, actor=counsellor)
    return case


@pytest.fixture
def person(cast, settings) -> Person:
    """Someone with an account, a merged duplicate, a CV, an application, a placement and a case."""
    counsellor = cast.counsellor_pursat
    user = UserFactory(role=Role.JOBSEEKER, email=ACCOUNT_EMAIL, phone=ACCOUNT_PHONE, full_name=NAME_LATIN)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=ACCOUNT_EMAIL, primary=True, verified=True)
    jobseeker = JobSeekerFactory(
        user=user,
        name_latin=NAME_LATIN,
        name_km=NAME_KM,
        national_id=NATIONAL_ID,
        phone=PHONE,
        phone_alt=PHONE_ALT,
        email=EMAIL,
        address=ADDRESS,
        sex="F",
        date_of_birth=datetime.date(1994, 3, 9),
        education_level=EducationLevel.objects.order_by("pk").first(),
        skills_free_text="Zorvexa sews fast",
        field_of_study="Yxwelvor school sewing",
        institution="Qintarou institute",
    )
    duplicate = JobSeekerFactory(
        name_latin="Zorvexa Q.", phone=PHONE_ALT, national_id="", date_of_birth=jobseeker.date_of_birth
    )
    jobseeker_actions.merge_jobseekers(actor=counsellor, keep=jobseeker, duplicate=duplicate)
    jobseeker_actions.save_experience(
        actor=counsellor,
        jobseeker=jobseeker,
        fields={
            "title": "Sewer at Zorvexa Garments",
            "employer_name": "Qintarou Garment Factory",
            "isco_group": IscoGroup.objects.get(code="8153"),
            "description": "Worked for Zorvexa's uncle",
        },
    )
    jobseeker_actions.set_desired_occupations(
        actor=counsellor, jobseeker=jobseeker, isco_group_ids=[IscoGroup.objects.get(code="8153").pk]
    )
    jobseeker_actions.set_languages(actor=counsellor, jobseeker=jobseeker, levels={"en": 2})
    jobseeker_actions.set_accommodation_needs(
        actor=counsellor, jobseeker=jobseeker, kinds=["step_free"], note="Zorvexa uses a wheelchair"
    )
    WgssAnswersFactory(jobseeker=jobseeker)
    jobseeker_actions.record_consent(
        actor=counsellor,
        jobseeker=jobseeker,
        purpose=ConsentPurpose.CONTACT_BY_SMS,
        given=True,
        method=ConsentMethod.VERBAL,
    )
    document = jobseeker_actions.attach_cv(
        actor=user,
        jobseeker=jobseeker,
        checked=CheckedFile(kind="pdf", content_type="application/pdf", data=b"%PDF-1.4 Zorvexa Qintarou CV"),
        original_name="Zorvexa-Qintarou-CV.pdf",
    )
    vacancy = VacancyFactory()
    application = application_actions.refer(
        actor=counsellor, vacancy=vacancy, jobseeker=jobseeker, note="Zorvexa is punctual; call 012987654"
    )
    application_actions.move_application(actor=counsellor, application=application, status="interview")
    placement = application_actions.record_hire(
        actor=counsellor, application=application, start_date=timezone.localdate(), monthly_wage=250
    )
    _cases(jobseeker, counsellor, placement, application)
    queue_message(to=PHONE, body="Dear Zorvexa, your appointment is tomorrow")
    queue_message(to="+85599111222", body="Zorvexa Qintarou applied for your vacancy")
    LogEntry.objects.create(
        user=cast.admin,
        content_type=ContentType.objects.get_for_model(JobSeeker),
        object_id=str(jobseeker.pk),
        object_repr=NAME_LATIN,
        action_flag=CHANGE,
        change_message="[]",
    )
    # The stored answer of an idempotent API registration repeats the record.
    from openpes.privacy.models import IdempotencyKey

    IdempotencyKey.objects.create(
        key="registration-1",
        user=counsellor,
        fingerprint="0" * 64,
        response_status=201,
        response_body={"id": jobseeker.pk, "name_latin": NAME_LATIN, "name_km": NAME_KM},
    )
    return Person(jobseeker=JobSeeker.objects.get(pk=jobseeker.pk), duplicate=duplicate, document=document)
