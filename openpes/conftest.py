"""Shared fixtures: reference data loaded once per test database, and a small named cast of users."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import translation

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.accounts.tests.factories import UserFactory
from openpes.centres.models import JobCentre
from openpes.centres.tests.factories import JobCentreFactory


def _ensure_reference() -> None:
    from openpes.geography.loaders import load_geography
    from openpes.geography.models import Province
    from openpes.taxonomy.loaders import load_education_levels, load_isco, load_sectors
    from openpes.taxonomy.models import IscoGroup

    if not Province.objects.exists():
        load_geography()
    if not IscoGroup.objects.exists():
        load_isco()
        load_education_levels()
        load_sectors()
    from openpes.training.loaders import load_training_reference
    from openpes.training.models import CompetencyFramework

    if not CompetencyFramework.objects.exists():
        load_training_reference()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_reference()


@pytest.fixture
def reference(db):
    """Geography and classifications (reloaded if a transactional test flushed them)."""
    _ensure_reference()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test speaks English, whatever the previous test (or a request made by it)
    left active in this thread; requests still choose their language as in production (Khmer by default)."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files (CVs, evidence, materials) go to a fresh folder per test, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium per test process."""
    from openpes.browser import chromium

    # Playwright's sync API keeps an event loop in this thread; the ORM calls in our fixtures are still
    # synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with chromium() as instance:
        yield instance


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (own cookies) with a given viewport and language."""
    from openpes.browser import DESKTOP

    contexts = []

    def factory(viewport=DESKTOP, locale="en-GB"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@dataclass
class Cast:
    """The people every permission test uses: two of each public role, staff of two centres in two
    provinces, national and admin staff, and a deactivated counsellor."""

    pursat: JobCentre
    battambang: JobCentre
    pursat_van: JobCentre
    hq: JobCentre
    jobseeker_a: User
    jobseeker_b: User
    employer_a: User
    employer_b: User
    counsellor_pursat: User
    counsellor_pursat_van: User
    counsellor_battambang: User
    manager_pursat: User
    manager_battambang: User
    national: User
    admin: User
    trainer: User
    coordinator: User
    deactivated: User


@pytest.fixture
def cast(reference) -> Cast:
    pursat = JobCentreFactory(province_code="15", code="jc-15")
    pursat_van = JobCentreFactory(province_code="15", code="mu-15", kind="mobile")
    battambang = JobCentreFactory(province_code="02", code="jc-02")
    hq = JobCentreFactory(province_code="12", code="hq", kind="hq")
    cast = Cast(
        pursat=pursat,
        battambang=battambang,
        pursat_van=pursat_van,
        hq=hq,
        jobseeker_a=UserFactory(role=Role.JOBSEEKER, full_name="Jobseeker A"),
        jobseeker_b=UserFactory(role=Role.JOBSEEKER, full_name="Jobseeker B"),
        employer_a=UserFactory(role=Role.EMPLOYER, full_name="Employer A"),
        employer_b=UserFactory(role=Role.EMPLOYER, full_name="Employer B"),
        counsellor_pursat=UserFactory(counsellor=True, centre=pursat, full_name="Counsellor Pursat"),
        counsellor_pursat_van=UserFactory(counsellor=True, centre=pursat_van, full_name="Counsellor Pursat Van"),
        counsellor_battambang=UserFactory(counsellor=True, centre=battambang, full_name="Counsellor Battambang"),
        manager_pursat=UserFactory(role=Role.CENTRE_MANAGER, centre=pursat, full_name="Manager Pursat"),
        manager_battambang=UserFactory(role=Role.CENTRE_MANAGER, centre=battambang, full_name="Manager Battambang"),
        national=UserFactory(role=Role.NATIONAL_OFFICER, centre=hq, full_name="National Officer"),
        admin=UserFactory(role=Role.ADMINISTRATOR, centre=hq, full_name="Administrator"),
        trainer=UserFactory(role=Role.TRAINER, centre=pursat, full_name="Trainer Pursat"),
        coordinator=UserFactory(role=Role.TRAINING_COORDINATOR, centre=hq, full_name="Coordinator"),
        deactivated=UserFactory(counsellor=True, centre=pursat, is_active=False, full_name="Former Counsellor"),
    )
    # Staff have a second factor, as in production (S6); tests sign them in with force_login.
    for user in vars(cast).values():
        if isinstance(user, User) and user.is_pes_staff:
            enrol_totp(user)
    return cast


def enrol_totp(user: User) -> str:
    """Give `user` a TOTP authenticator and return its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now. (allauth's first counter is the oldest one it still accepts,
    one step back: a test typing that code failed whenever a 30-second step turned over before the check.)"""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
