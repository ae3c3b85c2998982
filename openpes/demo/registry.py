"""Demo employers, vacancies, jobseekers and applications, built in bulk (fast at 100,000+ records) with the
same event rows and search index the real actions write."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from openpes.accounts.enums import Role, Sex
from openpes.accounts.models import User
from openpes.applications.enums import ApplicationSource, ApplicationStatus, OutcomeReason
from openpes.applications.models import Application, ApplicationEvent, Placement
from openpes.centres.models import JobCentre
from openpes.demo.catalogue import BRANDS, EDUCATION_SHARES, MIGRATION_COUNTRIES, PROVINCE_POPULATION, SECTORS
from openpes.demo.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
from openpes.demo.world import PURSAT
from openpes.employers.enums import EmployerEventKind, MemberRole, Ownership, SizeBand, Verification
from openpes.employers.models import Employer, EmployerEvent, EmployerMember
from openpes.geography.models import District, Province
from openpes.jobseekers.duplicates import name_keys
from openpes.jobseekers.enums import ConsentMethod, ConsentPurpose, EventKind, JobSeekerStatus, RegistrationChannel
from openpes.jobseekers.models import (
    AccommodationNeed,
    Consent,
    DesiredOccupation,
    JobSeeker,
    JobSeekerEvent,
    JobSeekerSkill,
    LanguageSkill,
    WgssAnswers,
    WorkExperience,
)
from openpes.jobseekers.search import jobseeker_index
from openpes.lib.bulk import batched
from openpes.taxonomy.enums import Accommodation, EmploymentType, SkillRelation
from openpes.taxonomy.models import EducationLevel, IscoGroup, Occupation, OccupationSkill, Sector
from openpes.vacancies.enums import VacancyStatus
from openpes.vacancies.models import Vacancy, VacancyEvent, VacancySkill
from openpes.vacancies.search import vacancy_index

BATCH = 2000


def _demo_phone(rng: random.Random, index: int) -> str:
    if index == 0:
        return "+85512000001"  # the demo jobseeker's sign-in
    return f"+855{rng.choice(MOBILE_PREFIXES)}{rng.randint(100000, 999999)}"


MOBILE_PREFIXES = ("12", "15", "16", "17", "69", "70", "77", "78", "85", "89", "92", "96", "97", "98")


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class World:
    """Lookups shared by the builders."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.districts: dict[int, list[int]] = defaultdict(list)
        for pk, province_id in District.objects.values_list("pk", "province_id"):
            self.districts[province_id].append(pk)
        self.centres = {
            c.province.code: c for c in JobCentre.objects.filter(kind="provincial").select_related("province")
        }
        self.isco = {g.code: g for g in IscoGroup.objects.filter(level=4)}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.education = {e.code: e for e in EducationLevel.objects.all()}
        # ESCO occupations and their essential skills per ISCO unit group (when ESCO is imported).
        self.occupations: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for label, code in Occupation.objects.values_list("label_en", "isco_group__code"):
            self.occupations[code].append((label, code))
        self.skills: dict[str, list[int]] = defaultdict(list)
        links = OccupationSkill.objects.filter(relation=SkillRelation.ESSENTIAL).values_list(
            "occupation__isco_group__code", "skill_id"
        )
        for code, skill_id in links.iterator(chunk_size=20000):
            if len(self.skills[code]) < 40 and skill_id not in self.skills[code]:
                self.skills[code].append(skill_id)

    def province(self) -> Province:
        return self.provinces[_weighted(self.rng, PROVINCE_POPULATION)]

    def district(self, province: Province) -> int | None:
        options = self.districts.get(province.pk)
        return self.rng.choice(options) if options else None

    def sector_code(self) -> str:
        return str(_weighted(self.rng, {code: weight for code, (weight, _, _) in SECTORS.items()}))

    def isco_for_sector(self, sector: str) -> IscoGroup:
        return self.isco[self.rng.choice(SECTORS[sector][2])]

    def when(self, days_back: int) -> datetime.datetime:
        return timezone.now() - datetime.timedelta(
            days=self.rng.randint(0, days_back), minutes=self.rng.randint(0, 1440)
        )


def build_registry(rng: random.Random, *, size: int) -> dict[str, int]:
    if Employer.objects.exists():
        return {}
    world = World(rng)
    with transaction.atomic():
        employers = _employers(world, max(size // 10, 10))
        vacancies = _vacancies(world, employers, max(size // 4, 20))
        jobseekers = _jobseekers(world, size)
        applications = _applications(world, jobseekers, vacancies)
        vacancy_index.update([v.pk for v in vacancies])
        for batch in batched(iter([j.pk for j in jobseekers]), BATCH):
            jobseeker_index.update(batch)
    return {"employers": len(employers), "vacancies": len(vacancies), "jobseekers": len(jobseekers),
            "applications": applications}  # fmt: skip


def _employers(world: World, count: int) -> list[Employer]:
    rng = world.rng
    rows = []
    for index in range(count):
        sector = "C" if index == 0 else world.sector_code()
        province = world.provinces[PURSAT] if index < 3 else world.province()
        brand_km, brand_en = rng.choice(BRANDS)
        word_km, word_en = SECTORS[sector][1]
        verification = Verification.VERIFIED if index < 3 or rng.random() < 0.85 else Verification.PENDING
        rows.append(
            Employer(
                registration_number=f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
                name_km=f"ក្រុមហ៊ុន{word_km}{brand_km}",
                name_en=f"{brand_en} {word_en} Co., Ltd." if index else "Angkor Garment Co., Ltd.",
                sector=world.sectors[sector],
                size_band=rng.choice(list(SizeBand.values)),
                ownership=Ownership.PUBLIC if rng.random() < 0.05 else Ownership.PRIVATE,
                province=province,
                district_id=world.district(province),
                contact_name=" ".join(rng.choice(FAMILY_NAMES)[1:] + rng.choice(MALE_NAMES)[1:]),
                phone=f"+8552{rng.randint(3, 6)}{rng.randint(100000, 999999)}",
                owner_centre=world.centres[province.code],
                declared_staff=(total := rng.randint(10, 2000)),
                declared_staff_with_disabilities=int(total * rng.choice([0, 0, 0.005, 0.01, 0.02])),
                verification=verification,
                verified_at=timezone.now() if verification == Verification.VERIFIED else None,
                created_at=world.when(700),
            )
        )
    if rows:
        rows[0].name_km = "ក្រុមហ៊ុនកាត់ដេរអង្គរ"
    employers = Employer.objects.bulk_create(rows, batch_size=BATCH)
    events = []
    for employer in employers:
        events.append(EmployerEvent(employer=employer, kind=EmployerEventKind.REGISTERED, at=employer.created_at))
        if employer.verification == Verification.VERIFIED:
            events.append(EmployerEvent(employer=employer, kind=EmployerEventKind.VERIFIED, at=employer.created_at))
    EmployerEvent.objects.bulk_create(events, batch_size=BATCH)
    demo_employer = User.objects.filter(role=Role.EMPLOYER, email="employer@openpes.example").first()
    if demo_employer is not None:
        EmployerMember.objects.get_or_create(
            employer=employers[0], user=demo_employer, defaults={"role": MemberRole.OWNER}
        )
    return employers


def _vacancies(world: World, employers: list[Employer], count: int) -> list[Vacancy]:
    rng = world.rng
    verified = [e for e in employers if e.verification == Verification.VERIFIED]
    rows = []
    today = timezone.localdate()
    for index in range(count):
        employer = employers[0] if index < 3 else rng.choice(verified if rng.random() < 0.95 else employers)
        group = world.isco_for_sector(employer.sector.code)
        esco = world.occupations.get(group.code)
        khmer = rng.random() < 0.5 and group.title_km
        title = (group.title_km if khmer else (rng.choice(esco)[0].capitalize() if esco else group.title_en))[:200]
        published = employer.verification == Verification.VERIFIED and rng.random() < 0.8
        created = world.when(300)
        closing = created.date() + datetime.timedelta(days=rng.randint(20, 90))
        status = VacancyStatus.PUBLISHED if published else rng.choice([VacancyStatus.DRAFT, VacancyStatus.SUBMITTED])
        if published and closing < today:
            status = rng.choice([VacancyStatus.EXPIRED, VacancyStatus.FILLED, VacancyStatus.CLOSED])
        if index < 3:
            status, closing = VacancyStatus.PUBLISHED, today + datetime.timedelta(days=30 + index)
        wage = rng.choice([204, 210, 220, 250, 300, 350, 400, 500, 700])
        rows.append(
            Vacancy(
                employer=employer,
                owner_centre_id=employer.owner_centre_id,
                title=title,
                isco_group=group,
                description=(
                    f"{employer.name_km} ត្រូវការ{group.title_km}។ ការងារពេញម៉ោង ប្រាក់ខែទៀងទាត់ និងបណ្តុះបណ្តាលនៅកន្លែងការងារ។"
                    if khmer
                    else f"{employer.name_en} is recruiting: {group.title_en.lower()}. Regular pay, on-site training."
                ),
                positions=rng.choice([1, 1, 2, 3, 5, 10, 20]),
                province_id=employer.province_id,
                district_id=employer.district_id,
                employment_type=rng.choice([EmploymentType.FULL_TIME] * 6 + list(EmploymentType.values)),
                hours_per_week=rng.choice([40, 44, 48]),
                wage_min=wage,
                wage_max=wage + rng.choice([0, 30, 50, 100]),
                education_level=world.education.get(rng.choice([0, 1, 2, 3, 3, 6])),
                experience_months=rng.choice([0, 0, 6, 12, 24]),
                disability_friendly=rng.random() < 0.2,
                accommodations=rng.sample(list(Accommodation.values), k=rng.choice([0, 0, 1, 2])),
                closing_date=closing,
                status=status,
                published_at=created if status not in (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED) else None,
                created_at=created,
            )
        )
    vacancies = Vacancy.objects.bulk_create(rows, batch_size=BATCH)
    events, skills = [], []
    for vacancy in vacancies:
        events.append(VacancyEvent(vacancy=vacancy, to_status=VacancyStatus.DRAFT, at=vacancy.created_at))
        if vacancy.status != VacancyStatus.DRAFT:
            events.append(
                VacancyEvent(vacancy=vacancy, from_status="draft", to_status="submitted", at=vacancy.created_at)
            )
        if vacancy.published_at:
            events.append(
                VacancyEvent(vacancy=vacancy, from_status="submitted", to_status="published", at=vacancy.published_at)
            )
            if vacancy.status != VacancyStatus.PUBLISHED:
                events.append(
                    VacancyEvent(
                        vacancy=vacancy, from_status="published", to_status=vacancy.status, at=vacancy.published_at
                    )
                )
        pool = world.skills.get(vacancy.isco_group.code, [])
        for position, skill_id in enumerate(rng.sample(pool, k=min(len(pool), rng.randint(2, 6)))):
            relation = SkillRelation.ESSENTIAL if position < 3 else SkillRelation.OPTIONAL
            skills.append(VacancySkill(vacancy=vacancy, skill_id=skill_id, relation=relation))
    VacancyEvent.objects.bulk_create(events, batch_size=BATCH)
    VacancySkill.objects.bulk_create(skills, batch_size=BATCH)
    return vacancies


def _person(world: World) -> tuple[str, str, str]:
    sex = world.rng.choice([Sex.FEMALE, Sex.MALE])
    family_km, family_en = world.rng.choice(FAMILY_NAMES)
    given_km, given_en = world.rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
    return sex, f"{family_km} {given_km}", f"{family_en} {given_en}"


def _jobseekers(world: World, count: int) -> list[JobSeeker]:
    rng = world.rng
    demo_user = User.objects.filter(role=Role.JOBSEEKER, phone="+85512000001").first()
    rows = []
    for index in range(count):
        sex, name_km, name_latin = _person(world)
        province = world.province()
        if index == 0 and demo_user is not None:
            sex, name_km, name_latin, province = Sex.FEMALE, "សុខ ស្រីមុំ", "Sok Sreymom", world.provinces[PURSAT]
        born = datetime.date(rng.randint(1970, 2009), rng.randint(1, 12), rng.randint(1, 28))
        channel = rng.choice(list(RegistrationChannel.values))
        has_phone = channel == RegistrationChannel.SELF or rng.random() < 0.85
        migrant = rng.random() < 0.08
        rows.append(
            JobSeeker(
                user=demo_user if index == 0 else None,
                owner_centre=world.centres[province.code],
                channel=RegistrationChannel.SELF if index == 0 else channel,
                name_km=name_km if rng.random() < 0.95 or index == 0 else "",
                name_latin=name_latin,
                sex=sex,
                date_of_birth=born,
                national_id=f"{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.5 else "",
                phone=_demo_phone(rng, index) if has_phone else "",
                province=province,
                district_id=world.district(province),
                education_level=world.education.get(_weighted(rng, EDUCATION_SHARES)),
                willing_to_relocate=rng.random() < 0.3,
                employment_types=[EmploymentType.FULL_TIME],
                expected_wage=rng.choice([None, 200, 220, 250, 300, 400]),
                returning_migrant=migrant,
                migration_country=rng.choice(MIGRATION_COUNTRIES) if migrant else "",
                status=JobSeekerStatus.ACTIVE,
                name_keys=name_keys(name_km, name_latin),
                created_at=world.when(540),
            )
        )  # fmt: skip
    jobseekers = JobSeeker.objects.bulk_create(rows, batch_size=BATCH)
    events, consents, desired, experience, skills, languages, wgss, needs = [], [], [], [], [], [], [], []
    for jobseeker in jobseekers:
        events.append(
            JobSeekerEvent(
                jobseeker=jobseeker,
                kind=EventKind.REGISTERED,
                at=jobseeker.created_at,
                centre_id=jobseeker.owner_centre_id,
                to_status=JobSeekerStatus.ACTIVE,
                detail={"channel": jobseeker.channel},
            )
        )
        self_service = jobseeker.channel == RegistrationChannel.SELF
        consents.append(
            Consent(
                jobseeker=jobseeker,
                purpose=ConsentPurpose.REGISTRATION,
                given=True,
                method=ConsentMethod.ONLINE if self_service else ConsentMethod.VERBAL,
                on_behalf=not self_service,
                at=jobseeker.created_at,
            )
        )
        sector = world.sector_code()
        codes = list(dict.fromkeys(world.isco_for_sector(sector).code for _ in range(rng.randint(1, 3))))
        for rank, code in enumerate(codes, start=1):
            desired.append(DesiredOccupation(jobseeker=jobseeker, isco_group=world.isco[code], rank=rank))
        if rng.random() < 0.6:
            group = world.isco[codes[0]]
            start = jobseeker.created_at.date() - datetime.timedelta(days=rng.randint(200, 2500))
            experience.append(
                WorkExperience(
                    jobseeker=jobseeker,
                    title=group.title_km or group.title_en,
                    isco_group=group,
                    employer_name=rng.choice(BRANDS)[1] + " Co., Ltd.",
                    country=jobseeker.migration_country,
                    started_on=start,
                    ended_on=start + datetime.timedelta(days=rng.randint(90, 1500)),
                )
            )
        pool = world.skills.get(codes[0], [])
        for skill_id in rng.sample(pool, k=min(len(pool), rng.randint(1, 5))):
            skills.append(JobSeekerSkill(jobseeker=jobseeker, skill_id=skill_id))
        languages.append(LanguageSkill(jobseeker=jobseeker, language="km", level=4))
        if rng.random() < 0.25:
            languages.append(
                LanguageSkill(
                    jobseeker=jobseeker, language=rng.choice(["en", "th", "zh", "ko"]), level=rng.randint(1, 3)
                )
            )
        if rng.random() < 0.7:
            answers = dict.fromkeys(WgssAnswers.DOMAINS, 1)
            roll = rng.random()
            if roll < 0.06:
                answers[rng.choice(WgssAnswers.DOMAINS)] = rng.choice([3, 4])
                needs.append(AccommodationNeed(jobseeker=jobseeker, kind=rng.choice(list(Accommodation.values))))
            elif roll < 0.2:
                answers[rng.choice(WgssAnswers.DOMAINS)] = 2
            wgss.append(
                WgssAnswers(
                    jobseeker=jobseeker,
                    **answers,
                    disability=WgssAnswers.identifier(answers),
                    answered_at=jobseeker.created_at,
                )
            )
    batches: list[tuple[Any, list[Any]]] = [
        (JobSeekerEvent, events), (Consent, consents), (DesiredOccupation, desired), (WorkExperience, experience),
        (JobSeekerSkill, skills), (LanguageSkill, languages), (WgssAnswers, wgss), (AccommodationNeed, needs),
    ]  # fmt: skip
    for model, objects in batches:
        model.objects.bulk_create(objects, batch_size=BATCH)
    return jobseekers


def _applications(world: World, jobseekers: list[JobSeeker], vacancies: list[Vacancy]) -> int:
    rng = world.rng
    open_vacancies = [v for v in vacancies if v.status == VacancyStatus.PUBLISHED]
    if not open_vacancies:
        return 0
    by_province: dict[int, list[Vacancy]] = defaultdict(list)
    for vacancy in open_vacancies:
        by_province[vacancy.province_id].append(vacancy)
    counsellors = defaultdict(list)
    for user in User.objects.filter(role=Role.COUNSELLOR).only("pk", "centre_id"):
        counsellors[user.centre_id].append(user)
    rows = []
    for jobseeker in jobseekers:
        if rng.random() > 0.2 and jobseeker.user_id is None:  # the demo account always has applications
            continue
        pool = by_province.get(jobseeker.province_id) or open_vacancies
        for vacancy in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
            referred = rng.random() < 0.5 and counsellors.get(jobseeker.owner_centre_id)
            status = rng.choice([ApplicationStatus.NEW] * 4 + [ApplicationStatus.IN_REVIEW, ApplicationStatus.INTERVIEW,
                                 ApplicationStatus.REJECTED, ApplicationStatus.HIRED])  # fmt: skip
            if jobseeker.user_id is not None:  # the demo account stays active: its applications are pending
                status = ApplicationStatus.IN_REVIEW
            rows.append(
                Application(
                    vacancy=vacancy,
                    jobseeker=jobseeker,
                    source=ApplicationSource.REFERRED if referred else ApplicationSource.APPLIED,
                    referred_by=rng.choice(counsellors[jobseeker.owner_centre_id]) if referred else None,
                    referral_centre_id=jobseeker.owner_centre_id if referred else None,
                    status=status,
                    reason=rng.choice([OutcomeReason.LACKS_EXPERIENCE, OutcomeReason.DID_NOT_ATTEND])
                    if status == ApplicationStatus.REJECTED
                    else "",
                    created_at=max(vacancy.published_at or vacancy.created_at, jobseeker.created_at),
                )
            )
    applications = Application.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=False)
    events, placements, placed = [], [], set()
    for application in applications:
        events.append(ApplicationEvent(application=application, to_status="new", at=application.created_at))
        if application.status != ApplicationStatus.NEW:
            events.append(
                ApplicationEvent(
                    application=application,
                    from_status="new",
                    to_status=application.status,
                    reason=application.reason,
                    at=application.created_at + datetime.timedelta(days=rng.randint(1, 20)),
                )
            )
        if application.status == ApplicationStatus.HIRED and application.jobseeker_id not in placed:
            placed.add(application.jobseeker_id)
            placements.append(
                Placement(
                    jobseeker_id=application.jobseeker_id,
                    vacancy=application.vacancy,
                    employer_id=application.vacancy.employer_id,
                    application=application,
                    via_referral=application.source == ApplicationSource.REFERRED,
                    centre_id=application.referral_centre_id or application.jobseeker.owner_centre_id,
                    start_date=(application.created_at + datetime.timedelta(days=21)).date(),
                    monthly_wage=application.vacancy.wage_min,
                    recorded_at=application.created_at + datetime.timedelta(days=14),
                )
            )
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
    Placement.objects.bulk_create(placements, batch_size=BATCH)
    JobSeeker.objects.filter(pk__in=placed).update(status=JobSeekerStatus.PLACED)
    JobSeekerEvent.objects.bulk_create(
        [
            JobSeekerEvent(
                jobseeker_id=p.jobseeker_id,
                kind=EventKind.STATUS_CHANGED,
                at=p.recorded_at,
                centre_id=p.centre_id,
                from_status=JobSeekerStatus.ACTIVE,
                to_status=JobSeekerStatus.PLACED,
            )
            for p in placements
        ],
        batch_size=BATCH,
    )
    return len(applications)
