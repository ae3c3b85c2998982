"""The demo world: a deterministic, realistic Cambodian employment service, sized by a parameter.

Every figure comes from a seeded random generator, so two runs with the same size and seed build the same
world; benchmarks reuse the generators at 100,000+ records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from openpes.accounts.enums import Role, Sex
from openpes.accounts.models import User
from openpes.centres.enums import CentreKind
from openpes.centres.models import JobCentre
from openpes.demo.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
from openpes.geography.models import Province

DEMO_PASSWORD = "demo-openpes-2026"
PHNOM_PENH = "12"
PURSAT = "15"
# Provinces whose centres also run a mobile job-centre van.
MOBILE_UNIT_PROVINCES = ["02", "03", "14", "17", "21"]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    login: str
    name: str
    centre_code: str | None


# One account per role; the Pursat job centre is the article's example centre.
DEMO_ACCOUNTS = [
    DemoAccount(Role.JOBSEEKER, "012000001", "Sok Sreymom", None),
    DemoAccount(Role.EMPLOYER, "employer@openpes.example", "Chan Dara", None),
    DemoAccount(Role.COUNSELLOR, "counsellor@openpes.example", "Keo Sophea", f"jc-{PURSAT}"),
    DemoAccount(Role.CENTRE_MANAGER, "manager@openpes.example", "Ly Vichet", f"jc-{PURSAT}"),
    DemoAccount(Role.NATIONAL_OFFICER, "national@openpes.example", "Heng Chanthy", "hq"),
    DemoAccount(Role.TRAINER, "trainer@openpes.example", "Sun Rathana", f"jc-{PURSAT}"),
    DemoAccount(Role.TRAINING_COORDINATOR, "coordinator@openpes.example", "Mao Davy", "hq"),
    DemoAccount(Role.ADMINISTRATOR, "admin@openpes.example", "Seng Piseth", "hq"),
]


def person_name(rng: random.Random, sex: str) -> tuple[str, str]:
    """A (Khmer, Latin) full name, family name first as Cambodians write it."""
    family_km, family_en = rng.choice(FAMILY_NAMES)
    given_km, given_en = rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
    return f"{family_km} {given_km}", f"{family_en} {given_en}"


@transaction.atomic
def build_centres() -> int:
    """HQ in Phnom Penh, one job centre per province, and mobile units in five provinces."""
    provinces = {p.code: p for p in Province.objects.all()}
    if not provinces:
        raise RuntimeError("Load reference data first: manage.py load_reference")
    wanted = [
        JobCentre(
            code="hq",
            kind=CentreKind.HEADQUARTERS,
            name_km="ទីភ្នាក់ងារជាតិមុខរបរ និងការងារ (ទីស្នាក់ការកណ្តាល)",
            name_en="National Employment Agency (Headquarters)",
            province=provinces[PHNOM_PENH],
            address="Phnom Penh",
        )
    ]
    for code, province in sorted(provinces.items()):
        wanted.append(
            JobCentre(
                code=f"jc-{code}",
                kind=CentreKind.PROVINCIAL,
                name_km=f"មជ្ឈមណ្ឌលការងារ{province.name_km}",
                name_en=f"{province.name_en} Job Centre",
                province=province,
            )
        )
    for code in MOBILE_UNIT_PROVINCES:
        province = provinces[code]
        wanted.append(
            JobCentre(
                code=f"mu-{code}",
                kind=CentreKind.MOBILE,
                name_km=f"អង្គភាពការងារចល័ត{province.name_km}",
                name_en=f"{province.name_en} Mobile Job Unit",
                province=province,
            )
        )
    existing = set(JobCentre.objects.values_list("code", flat=True))
    JobCentre.objects.bulk_create([c for c in wanted if c.code not in existing])
    return len(wanted)


def _centre(code: str | None) -> JobCentre | None:
    return JobCentre.objects.get(code=code) if code else None


@transaction.atomic
def build_demo_accounts() -> list[DemoAccount]:
    """One sign-in per role, all with the demo password. Existing accounts are left as they are."""
    from openpes.lib.phone import normalize_phone

    for account in DEMO_ACCOUNTS:
        is_email = "@" in account.login
        lookup = {"email": account.login} if is_email else {"phone": normalize_phone(account.login)}
        if User.objects.filter(**lookup).exists():
            continue
        User.objects.create_user(
            email=account.login if is_email else None,
            phone=None if is_email else lookup["phone"],
            password=DEMO_PASSWORD,
            full_name=account.name,
            role=account.role,
            centre=_centre(account.centre_code),
            sex=Sex.FEMALE if account.name.split()[-1] in {n for _, n in FEMALE_NAMES} else Sex.MALE,
            position=str(Role(account.role).label),
            is_staff=account.role == Role.ADMINISTRATOR,
            is_superuser=account.role == Role.ADMINISTRATOR,
        )
    return DEMO_ACCOUNTS


@transaction.atomic
def build_staff(rng: random.Random) -> int:
    """About a hundred officials: a manager and counsellors in every centre, trainers in some provinces."""
    if User.objects.filter(email__endswith="@staff.openpes.example").exists():
        return 0
    users = []
    # Centres that already have a demo manager don't get a second one.
    managed = set(User.objects.filter(role=Role.CENTRE_MANAGER).values_list("centre_id", flat=True))
    for centre in JobCentre.objects.order_by("code"):
        roles = [Role.COUNSELLOR] * (1 if centre.kind == CentreKind.MOBILE else rng.randint(2, 4))
        if centre.kind == CentreKind.PROVINCIAL and centre.pk not in managed:
            roles.append(Role.CENTRE_MANAGER)
        elif centre.kind == CentreKind.HEADQUARTERS:
            roles.append(Role.NATIONAL_OFFICER)
        if centre.kind == CentreKind.PROVINCIAL and rng.random() < 0.3:
            roles.append(Role.TRAINER)
        for index, role in enumerate(roles, start=1):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            _, latin = person_name(rng, sex)
            users.append(
                User(
                    email=f"{centre.code}.{role}.{index}@staff.openpes.example",
                    full_name=latin,
                    role=role,
                    centre=centre,
                    sex=sex,
                    position=str(Role(role).label),
                    password="!",  # unusable: these colleagues are scenery, not sign-ins
                )
            )
    User.objects.bulk_create(users)
    return len(users)


def build_world(*, size: int = 2000, seed: int = 2026) -> dict[str, int]:
    """The whole demo: centres, staff, then (once) employers, vacancies, jobseekers and applications."""
    from openpes.demo.registry import build_registry

    rng = random.Random(seed)
    counts = {"centres": build_centres()}
    build_demo_accounts()
    counts["staff"] = build_staff(rng)
    counts.update(build_registry(rng, size=size))
    from openpes.training.demo import build_training_demo

    # Its own generator, so the training demo stays the same whatever the other parts draw.
    counts.update(build_training_demo(random.Random(seed + 4)))
    from openpes.cases.demo import build_cases_demo

    counts.update(build_cases_demo(random.Random(seed + 5)))
    return counts
