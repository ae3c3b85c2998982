"""Demo case management for `manage.py load_demo`: open cases for a share of the demo jobseekers with intake,
assessment, agreed plans, notes, appointments (past and coming), free times, partner referrals, placements with
their follow-ups (done and due), employer contacts and a few closed cases — most of all for the demo counsellor
(counsellor@openpes.example, Pursat job centre) so their caseload looks alive on the first sign-in.

Deterministic for a given generator and day; idempotent (does nothing once cases exist). Rows are written in
bulk with the same events the actions write, dated in the past, so indicators computed from events work on the
demo too.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.applications.models import Placement
from openpes.cases import assessment as rules
from openpes.cases.actions.services import FOLLOW_UP_MONTHS, add_months
from openpes.cases.enums import (
    ActionOwner,
    ActionStatus,
    AppointmentKind,
    AppointmentStatus,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactChannel,
    ContactKind,
    DigitalAccess,
    FollowUpChannel,
    NoteCategory,
    PlanStatus,
    ServiceOutcome,
    Situation,
)
from openpes.cases.loaders import load_partners
from openpes.cases.models import (
    Appointment,
    AppointmentSlot,
    Assessment,
    Barrier,
    Case,
    CaseEvent,
    CaseNote,
    EmployerContact,
    FollowUp,
    Intake,
    Objective,
    PartnerService,
    PlacementEvidence,
    Plan,
    PlanAction,
    ServiceReferral,
)
from openpes.employers.models import Employer
from openpes.jobseekers.enums import JobSeekerStatus
from openpes.jobseekers.models import JobSeeker

DEMO_COUNSELLOR = "counsellor@openpes.example"
PURSAT_CENTRE = "jc-15"
PURSAT_SHARE = 0.6
OTHER_SHARE = 0.12

# What a counsellor writes down, in Khmer and English (staff use both).
NOTES = [
    (NoteCategory.INTAKE, "ចង់ធ្វើការនៅរោងចក្រក្បែរផ្ទះ ព្រោះត្រូវមើលកូនពេលល្ងាច។"),
    (NoteCategory.GUIDANCE, "Talked about factory work versus construction; prefers regular hours."),
    (NoteCategory.JOB_SEARCH, "បានដាក់ពាក្យនៅរោងចក្រកាត់ដេរពីរកន្លែង។ រង់ចាំការឆ្លើយតប។"),
    (NoteCategory.GENERAL, "Phone number changed; updated on the record."),
    (NoteCategory.EMPLOYER_FEEDBACK, "The employer liked the interview; asked for a second visit next week."),
    (NoteCategory.GUIDANCE, "ពិភាក្សាអំពីវគ្គបណ្តុះបណ្តាលជួសជុលម៉ូតូនៅមជ្ឈមណ្ឌលខេត្ត។"),
]
OBJECTIVES = {
    "employment": ("Find a first job in a factory", "Look for work every week"),
    "training": ("Learn a trade with a short course", "Get a skills certificate"),
    "mobility": ("Get to work every day", "Find work within reach"),
    "childcare": ("Arrange care for the children during work hours", "Find work with day shifts"),
    "digital": ("Use a smartphone to find job offers", "Apply for jobs online"),
    "documents": ("Get a national ID card", "Get a birth certificate"),
    "language": ("Read job offers and contracts", "Join a literacy class"),
}
ACTIONS = [
    ("Visit two factories with the counsellor's list", ActionOwner.JOBSEEKER),
    ("Call the Provincial Training Centre about the next course", ActionOwner.COUNSELLOR),
    ("Bring the family book to the commune office", ActionOwner.JOBSEEKER),
    ("Enrol in the next course", ActionOwner.PARTNER),
    ("Practise an interview with the counsellor", ActionOwner.COUNSELLOR),
]
CONTACT_SUMMARIES = [
    "Visited the factory: 20 sewing operators needed next month; will send the vacancy by phone.",
    "Phone call with HR: two referred people started; happy with them.",
    "Met the owner at the centre: explained free pre-screening and the disability quota.",
    "ជួបជាមួយផ្នែកធនធានមនុស្ស៖ ត្រូវការកម្មករសំណង់ ១០ នាក់ ខែក្រោយ។",
]


def _at(base: datetime.datetime, days: float) -> datetime.datetime:
    return base + datetime.timedelta(days=days)


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Builder:
    """Collects rows per model, then writes them in bulk."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.events: list[CaseEvent] = []

    def event(self, case: Case, kind: str, at: datetime.datetime, actor: Any, **detail: Any) -> None:
        self.events.append(
            CaseEvent(case=case, kind=kind, at=at, actor=actor, centre_id=case.owner_centre_id, detail=detail)
        )


def _choose_cases(rng: random.Random, jobseekers: list[JobSeeker], pursat_id: int | None) -> list[JobSeeker]:
    """A share of the people everywhere; in Pursat, most of them (at least a dozen when there are)."""
    pursat = [person for person in jobseekers if person.owner_centre_id == pursat_id]
    rng.shuffle(pursat)
    wanted = min(len(pursat), max(12, round(len(pursat) * PURSAT_SHARE)))
    others = [person for person in jobseekers if person.owner_centre_id != pursat_id and rng.random() < OTHER_SHARE]
    return sorted(pursat[:wanted] + others, key=lambda person: person.pk)


def _intake(b: _Builder, case: Case, counsellor: Any) -> Intake:
    rng = b.rng
    situation = (
        Situation.RETURNING_MIGRANT
        if case.jobseeker.returning_migrant
        else rng.choice(
            [Situation.UNEMPLOYED] * 4
            + [Situation.UNDEREMPLOYED, Situation.INFORMAL, Situation.STUDENT, Situation.CARING]
        )
    )
    digital = rng.choice(
        [DigitalAccess.BASIC_PHONE, DigitalAccess.SMARTPHONE, DigitalAccess.SMARTPHONE, DigitalAccess.NONE]
    )
    return Intake(
        case=case,
        situation=situation,
        months_without_work=rng.choice([0, 2, 4, 7, 9, 13, 18, 26]),
        has_caring_duties=rng.random() < 0.3,
        has_transport=rng.random() < 0.75,
        health_limits_work=rng.random() < 0.08,
        has_id_documents=rng.random() < 0.9,
        can_read_write=rng.random() < 0.85,
        digital_access=digital,
        can_use_apps=digital == DigitalAccess.SMARTPHONE and rng.random() < 0.7,
        contact_channel=ContactChannel.SMS
        if digital == DigitalAccess.BASIC_PHONE
        else rng.choice([ContactChannel.PHONE_CALL, ContactChannel.SMS, ContactChannel.TELEGRAM]),
        goals=rng.choice(["ការងាររោងចក្រ", "Work as a driver", "ជួសជុលម៉ូតូ", "Shop assistant in town", ""]),
        done_by=counsellor,
        done_at=_at(case.opened_at, 1),
    )


def _inputs(intake: Intake, person: JobSeeker) -> rules.Inputs:
    return rules.Inputs(
        months_without_work=intake.months_without_work,
        months_of_experience=0 if intake.situation == Situation.STUDENT else 12,
        education_level=person.education_level.code if person.education_level else None,
        has_caring_duties=intake.has_caring_duties,
        has_transport=intake.has_transport,
        returning_migrant=person.returning_migrant or intake.situation == Situation.RETURNING_MIGRANT,
        digital_access=intake.digital_access,
        can_use_apps=intake.can_use_apps,
        has_id_documents=intake.has_id_documents,
        can_read_write=intake.can_read_write,
    )


@transaction.atomic
def build_cases_demo(rng: random.Random) -> dict[str, int]:
    if Case.objects.exists():
        return {}
    load_partners()
    b = _Builder(rng)
    demo = User.objects.filter(email=DEMO_COUNSELLOR).first()
    pursat_id = demo.centre_id if demo else None
    counsellors: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(role=Role.COUNSELLOR, is_active=True).order_by("pk"):
        if user.centre_id is not None and user != demo:
            counsellors[user.centre_id].append(user)
    jobseekers = list(
        JobSeeker.objects.current()
        .exclude(status=JobSeekerStatus.INACTIVE)
        .select_related("education_level")
        .order_by("pk")
    )
    chosen = [p for p in _choose_cases(rng, jobseekers, pursat_id) if p.created_at < b.now - datetime.timedelta(days=3)]

    # 1. Cases, held by the demo counsellor for most Pursat people.
    cases = []
    holder: User | None
    for person in chosen:
        if person.owner_centre_id == pursat_id and demo is not None and rng.random() < 0.8:
            holder = demo
        else:
            pool = counsellors[person.owner_centre_id]
            holder = rng.choice(pool) if pool else demo if person.owner_centre_id == pursat_id else None
        age_days = min((b.now - person.created_at).days, 200)
        opened = _at(b.now, -rng.randint(3, max(age_days, 4)))
        cases.append(
            Case(jobseeker=person, owner_centre_id=person.owner_centre_id, counsellor=holder, opened_at=opened)
        )
    Case.objects.bulk_create(cases)
    people = {person.pk: person for person in chosen}
    for case in cases:
        case.jobseeker = people[case.jobseeker_id]
        b.event(case, CaseEventKind.OPENED, case.opened_at, case.counsellor, episode=1)
        if case.counsellor is not None:
            b.event(case, CaseEventKind.ASSIGNED, case.opened_at, case.counsellor, counsellor=case.counsellor.pk)

    # 2. Intake and assessment.
    intakes, assessments = [], []
    for case in cases:
        if rng.random() > 0.85:
            continue
        intake = _intake(b, case, case.counsellor)
        intakes.append(intake)
        b.event(case, CaseEventKind.INTAKE_DONE, intake.done_at, case.counsellor, first=True)
        inputs = _inputs(intake, case.jobseeker)
        result = rules.assess(inputs)
        assessed_at = _at(intake.done_at, 0.01)
        assessments.append(
            Assessment(
                case=case,
                inputs=rules.inputs_as_dict(inputs),
                fired_rules=list(result.fired),
                group=result.group,
                rules_version=rules.RULES_VERSION,
                assessed_by=case.counsellor,
                assessed_at=assessed_at,
            )
        )
        b.event(
            case,
            CaseEventKind.ASSESSED,
            assessed_at,
            case.counsellor,
            group=str(result.group),
            score=result.score,
            fired=list(result.fired),
            rules_version=rules.RULES_VERSION,
        )
    Intake.objects.bulk_create(intakes)
    Assessment.objects.bulk_create(assessments)

    # 3. Plans: a barrier per theme the rules found, an objective each, one or two actions.
    plans, plan_cases = [], []
    for assessment in assessments:
        case = assessment.case
        if rng.random() > 0.75:
            continue
        agreed = _at(assessment.assessed_at, rng.randint(1, 7))
        if agreed >= b.now:
            continue
        plans.append(
            Plan(
                case=case,
                version=1,
                status=PlanStatus.AGREED,
                agreed_at=agreed,
                agreed_by=case.counsellor,
                review_every_days=30,
                next_review_on=timezone.localdate(_at(agreed, 30)),
                created_at=assessment.assessed_at,
            )
        )
        plan_cases.append((case, assessment))
        b.event(case, CaseEventKind.PLAN_AGREED, agreed, case.counsellor, version=1)
    Plan.objects.bulk_create(plans)
    barriers, objectives, plan_actions = [], [], []
    themes_of: dict[int, list[str]] = {}
    rule_theme = {rule.code: str(rule.theme) for rule in rules.RULES}
    for plan, (case, assessment) in zip(plans, plan_cases, strict=True):
        themes = list(dict.fromkeys(rule_theme[code] for code in assessment.fired_rules))[:3] or ["employment"]
        themes_of[case.pk] = themes
        for theme in themes:
            barrier = Barrier(plan=plan, theme=theme, description=str(rules.RULES[0].description))
            for rule in rules.RULES:
                if rule.code in assessment.fired_rules and str(rule.theme) == theme:
                    barrier.description = str(rule.description)
                    break
            barriers.append(barrier)
    Barrier.objects.bulk_create(barriers)
    for barrier in barriers:
        text = rng.choice(OBJECTIVES.get(barrier.theme, OBJECTIVES["employment"]))
        objectives.append(Objective(plan=barrier.plan, barrier=barrier, text=text))
    Objective.objects.bulk_create(objectives)
    for objective in objectives:
        for text, owner in rng.sample(ACTIONS, k=rng.randint(1, 2)):
            due = timezone.localdate(objective.plan.agreed_at) + datetime.timedelta(days=rng.randint(7, 60))
            status = ActionStatus.DONE if due < b.today and rng.random() < 0.6 else ActionStatus.TODO
            plan_actions.append(
                PlanAction(
                    objective=objective,
                    text=text,
                    owner=owner,
                    due_on=due,
                    status=status,
                    done_at=_local(due, 10) if status == ActionStatus.DONE else None,
                )
            )
    PlanAction.objects.bulk_create(plan_actions)
    for action in plan_actions:
        if action.status == ActionStatus.DONE and action.done_at:
            b.event(action.objective.plan.case, CaseEventKind.ACTION_DONE, action.done_at, None, action=action.pk)

    # 4. Notes.
    notes = []
    for case in cases:
        if case.counsellor is None or rng.random() > 0.6:
            continue
        for _ in range(rng.randint(1, 3)):
            category, text = rng.choice(NOTES)
            notes.append(
                CaseNote(
                    case=case,
                    category=category,
                    text=text,
                    author=case.counsellor,
                    created_at=_at(case.opened_at, rng.uniform(0.1, (b.now - case.opened_at).days or 1)),
                )
            )
    CaseNote.objects.bulk_create(notes)

    # 5. Appointments: one in the past for most, a coming one for some; three today for the demo counsellor.
    appointments = []
    demo_today = 0
    for case in cases:
        worker = case.counsellor
        if worker is None or worker.centre_id is None:
            continue
        if (b.now - case.opened_at).days > 7 and rng.random() < 0.8:
            day = timezone.localdate(_at(case.opened_at, rng.randint(2, 6)))
            start = _local(day, rng.choice([8, 9, 10, 14, 15]), rng.choice([0, 30]))
            if start < b.now:
                outcome = AppointmentStatus.ATTENDED if rng.random() < 0.8 else AppointmentStatus.NO_SHOW
                appointments.append(
                    Appointment(
                        case=case,
                        counsellor=worker,
                        centre_id=worker.centre_id,
                        starts_at=start,
                        ends_at=_at(start, 1 / 48),
                        status=outcome,
                        kind=AppointmentKind.IN_PERSON,
                        purpose="Plan review",
                        booked_by=worker,
                        booked_at=_at(start, -3),
                        reminder_queued=True,
                    )
                )
        coming = None
        if worker == demo and demo_today < 3:
            coming = _local(b.today, [10, 11, 14][demo_today])
            demo_today += 1
        elif rng.random() < 0.3:
            coming = _local(b.today + datetime.timedelta(days=rng.randint(1, 14)), rng.choice([9, 10, 14, 15]))
        if coming is not None:
            appointments.append(
                Appointment(
                    case=case,
                    counsellor=worker,
                    centre_id=worker.centre_id,
                    starts_at=coming,
                    ends_at=_at(coming, 1 / 48),
                    kind=rng.choice([AppointmentKind.IN_PERSON, AppointmentKind.PHONE]),
                    purpose="Follow-up of the plan",
                    booked_by=worker,
                    booked_at=b.now - datetime.timedelta(days=2),
                )
            )
    Appointment.objects.bulk_create(appointments)
    for appointment in appointments:
        case = appointment.case
        b.event(
            case,
            CaseEventKind.APPOINTMENT_BOOKED,
            appointment.booked_at,
            appointment.booked_by,
            appointment=appointment.pk,
            appointment_kind=appointment.kind,
            by="staff",
        )
        if appointment.status == AppointmentStatus.ATTENDED:
            b.event(
                case,
                CaseEventKind.APPOINTMENT_ATTENDED,
                appointment.ends_at,
                case.counsellor,
                appointment=appointment.pk,
            )
        elif appointment.status == AppointmentStatus.NO_SHOW:
            b.event(case, CaseEventKind.NO_SHOW, appointment.ends_at, case.counsellor, appointment=appointment.pk)

    # 6. Free times for the demo counsellor: the next ten working days, 8:00–10:00 in half hours.
    slots = []
    if demo is not None and demo.centre_id is not None:
        taken = {a.starts_at for a in appointments if a.counsellor_id == demo.pk}
        day, added_days = b.today, 0
        while added_days < 10:
            day += datetime.timedelta(days=1)
            if day.weekday() >= 5:
                continue
            added_days += 1
            for hour, minute in ((8, 0), (8, 30), (9, 0), (9, 30)):
                start = _local(day, hour, minute)
                if start not in taken:
                    slots.append(
                        AppointmentSlot(
                            counsellor=demo,
                            centre_id=demo.centre_id,
                            starts_at=start,
                            ends_at=_at(start, 1 / 48),
                            kind=AppointmentKind.IN_PERSON,
                        )
                    )
    AppointmentSlot.objects.bulk_create(slots)

    # 7. Referrals to partner services matching a barrier of the plan, available in the person's province.
    services_by_province: dict[int, list[PartnerService]] = defaultdict(list)
    for service in PartnerService.objects.select_related("partner").prefetch_related("provinces").order_by("pk"):
        for province in service.provinces.all():
            services_by_province[province.pk].append(service)
    referrals = []
    for case in cases:
        wanted = themes_of.get(case.pk)
        if not wanted or rng.random() > 0.5:
            continue
        fitting = [s for s in services_by_province.get(case.jobseeker.province_id, []) if set(s.themes) & set(wanted)]
        if not fitting:
            continue
        service = rng.choice(fitting)
        referred = _at(case.opened_at, rng.randint(5, 20))
        if referred >= b.now:
            continue
        referral_outcome: str = (
            rng.choice(
                [
                    ServiceOutcome.PENDING,
                    ServiceOutcome.STARTED,
                    ServiceOutcome.COMPLETED,
                    ServiceOutcome.DID_NOT_ATTEND,
                ]
            )
            if (b.now - referred).days > 10
            else ServiceOutcome.PENDING
        )
        referrals.append(
            ServiceReferral(
                case=case,
                service=service,
                referred_by=case.counsellor,
                referred_at=referred,
                outcome=referral_outcome,
                outcome_at=_at(referred, 10) if referral_outcome != ServiceOutcome.PENDING else None,
            )
        )
    ServiceReferral.objects.bulk_create(referrals)
    for referral in referrals:
        b.event(
            referral.case,
            CaseEventKind.SERVICE_REFERRAL,
            referral.referred_at,
            referral.referred_by,
            referral=referral.pk,
            service=referral.service_id,
            partner=referral.service.partner_id,
            partner_kind=referral.service.partner.kind,
        )
        if referral.outcome_at:
            b.event(
                referral.case,
                CaseEventKind.SERVICE_OUTCOME,
                referral.outcome_at,
                referral.referred_by,
                referral=referral.pk,
                service=referral.service_id,
                partner_kind=referral.service.partner.kind,
                outcome=referral.outcome,
                previous=ServiceOutcome.PENDING,
            )

    # 8. Placements: hires from the registry, and jobs counsellors recorded with evidence (Pursat).
    case_of = {case.jobseeker_id: case for case in cases}
    hires = list(Placement.objects.filter(jobseeker_id__in=case_of).order_by("pk"))
    # The demo jobseeker account stays on the active register, so "Jobs for you" has something to show.
    demo_person = set(JobSeeker.objects.filter(user__phone="+85512000001").values_list("pk", flat=True))
    pursat_employers = list(Employer.objects.filter(owner_centre_id=pursat_id, verification="verified").order_by("pk"))
    recorded, evidence = [], []
    for case in cases:
        if case.owner_centre_id != pursat_id or case.jobseeker_id in {p.jobseeker_id for p in hires} | demo_person:
            continue
        if not pursat_employers or (b.now - case.opened_at).days < 45 or rng.random() > 0.35:
            continue
        start_day = timezone.localdate(_at(case.opened_at, rng.randint(20, 40)))
        recorded.append(
            Placement(
                jobseeker_id=case.jobseeker_id,
                employer=rng.choice(pursat_employers),
                centre_id=case.owner_centre_id,
                start_date=start_day,
                monthly_wage=rng.choice([200, 210, 230, 250, 280]),
                recorded_by=case.counsellor,
                recorded_at=_local(start_day, 16),
            )
        )
    # The demo counsellor's 1-month follow-ups: one due today, one overdue, whatever the draw above.
    mine = [
        c
        for c in cases
        if c.counsellor == demo and c.jobseeker_id not in {p.jobseeker_id for p in recorded} | demo_person
    ]
    for offset, case in zip(
        (0, 3), [c for c in mine if c.jobseeker_id not in {p.jobseeker_id for p in hires}][:2], strict=False
    ):
        if pursat_employers:
            start_day = add_months(b.today - datetime.timedelta(days=offset), -1)
            recorded.append(
                Placement(
                    jobseeker_id=case.jobseeker_id,
                    employer=pursat_employers[0],
                    centre_id=case.owner_centre_id,
                    start_date=start_day,
                    monthly_wage=220,
                    recorded_by=case.counsellor,
                    recorded_at=_local(start_day, 16),
                )
            )
    Placement.objects.bulk_create(recorded)
    for placement in recorded:
        evidence.append(
            PlacementEvidence(
                placement=placement,
                case=case_of[placement.jobseeker_id],
                note="Called the employer's HR office: confirmed the start date and wage.",
                recorded_by=placement.recorded_by,
                recorded_at=placement.recorded_at,
            )
        )
    PlacementEvidence.objects.bulk_create(evidence)
    JobSeeker.objects.filter(pk__in=[p.jobseeker_id for p in recorded]).update(status=JobSeekerStatus.PLACED)

    follow_ups, closed = [], []
    for placement in [*hires, *recorded]:
        case = case_of[placement.jobseeker_id]
        at = max(placement.recorded_at, case.opened_at)
        b.event(
            case,
            CaseEventKind.PLACED,
            at,
            placement.recorded_by,
            placement=placement.pk,
            employer=placement.employer_id,
            vacancy=placement.vacancy_id,
            via_referral=placement.via_referral,
            source="hire" if placement.application_id else "counsellor",
        )
        if placement.application_id is None and case.counsellor != demo and rng.random() < 0.7:
            closed.append((case, _at(at, 0.01), ClosureReason.PLACED))
        for month in FOLLOW_UP_MONTHS:
            due = add_months(placement.start_date, month)
            item = FollowUp(placement=placement, case=case, month=month, due_on=due)
            if due < b.today - datetime.timedelta(days=2) and rng.random() < 0.8:
                item.done_at = _local(due + datetime.timedelta(days=rng.randint(0, 2)), 11)
                item.done_by = case.counsellor
                item.channel = rng.choice([FollowUpChannel.PHONE_CALL, FollowUpChannel.PHONE_CALL, FollowUpChannel.SMS])
                item.reached = rng.random() < 0.9
                if item.reached:
                    item.still_employed = rng.random() < 0.85
                    item.same_employer = item.still_employed and rng.random() < 0.85
                    raise_ = rng.choice([0, 0, 10, 20])
                    item.monthly_wage = (placement.monthly_wage or 220) + raise_ if item.still_employed else None
                    item.satisfaction = rng.randint(2, 5) if item.still_employed else None
                    if not item.still_employed:
                        item.same_employer = None
                b.event(
                    case,
                    CaseEventKind.FOLLOW_UP_DONE,
                    item.done_at,
                    case.counsellor,
                    placement=placement.pk,
                    month=month,
                    channel=item.channel,
                    reached=item.reached,
                    still_employed=item.still_employed,
                    same_employer=item.same_employer,
                    monthly_wage=item.monthly_wage,
                    satisfaction=item.satisfaction,
                )
            follow_ups.append(item)
    FollowUp.objects.bulk_create(follow_ups)

    # 9. Some older cases end without a job.
    for case in cases:
        if case.counsellor == demo or any(c is case for c, _, _ in closed):
            continue
        if (
            (b.now - case.opened_at).days > 120
            and case.jobseeker_id not in {p.jobseeker_id for p in hires}
            and rng.random() < 0.25
        ):
            reason = rng.choice([ClosureReason.NO_CONTACT, ClosureReason.TRAINING, ClosureReason.MOVED_AWAY])
            closed.append((case, _at(case.opened_at, rng.randint(90, 115)), reason))
    for case, at, reason in closed:
        case.status, case.closed_at, case.closure_reason = CaseStatus.CLOSED, at, reason
        b.event(case, CaseEventKind.CLOSED, at, case.counsellor, reason=reason)

    # Contact events move `last_contact_at`, as `record_event` does.
    contact_kinds = {
        CaseEventKind.OPENED,
        CaseEventKind.INTAKE_DONE,
        CaseEventKind.PLAN_AGREED,
        CaseEventKind.APPOINTMENT_ATTENDED,
        CaseEventKind.FOLLOW_UP_DONE,
    }
    for event in b.events:
        if event.kind in contact_kinds and event.at <= b.now:
            last = event.case.last_contact_at
            event.case.last_contact_at = event.at if last is None or event.at > last else last
    Case.objects.bulk_update(cases, ["status", "closed_at", "closure_reason", "last_contact_at"], batch_size=1000)
    CaseEvent.objects.bulk_create(b.events, batch_size=2000)

    # 10. Employer contacts in Pursat: visits and calls over the last months, some with a next contact due.
    contacts = []
    staff = [demo, *counsellors.get(pursat_id or 0, [])] if demo else []
    for employer in pursat_employers if staff else []:
        for _ in range(rng.randint(0, 2)):
            at = b.now - datetime.timedelta(days=rng.randint(5, 200))
            contacts.append(
                EmployerContact(
                    employer=employer,
                    staff=rng.choice(staff),
                    at=at,
                    kind=rng.choice(list(ContactKind.values)),
                    summary=rng.choice(CONTACT_SUMMARIES),
                    next_contact_on=timezone.localdate(at) + datetime.timedelta(days=30)
                    if rng.random() < 0.5
                    else None,
                )
            )
    EmployerContact.objects.bulk_create(contacts)
    return {
        "cases": len(cases),
        "appointments": len(appointments),
        "slots": len(slots),
        "service_referrals": len(referrals),
        "follow_ups": len(follow_ups),
    }
