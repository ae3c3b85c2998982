import pytest
from django.core.management import call_command

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.applications.models import Application
from openpes.centres.models import JobCentre
from openpes.demo.world import DEMO_ACCOUNTS, DEMO_PASSWORD
from openpes.jobseekers.models import JobSeeker


@pytest.mark.django_db
def test_the_demo_world_has_centres_and_a_sign_in_for_every_role(reference, capsys):
    call_command("load_demo", size=50)
    out = capsys.readouterr().out
    assert JobCentre.objects.filter(kind="provincial").count() == 25
    assert JobCentre.objects.filter(kind="hq").count() == 1
    assert JobCentre.objects.filter(kind="mobile").exists()
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    for account in DEMO_ACCOUNTS:
        assert account.login in out
        user = User.objects.get(email=account.login) if "@" in account.login else User.objects.get(phone="+85512000001")
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == account.role
    assert DEMO_PASSWORD in out
    assert User.objects.filter(role=Role.COUNSELLOR).count() > 25
    # The demo jobseeker has something to show: open applications, and an active record for "Jobs for you".
    person = JobSeeker.objects.get(user__phone="+85512000001")
    assert person.status == "active"
    statuses = set(Application.objects.filter(jobseeker=person).values_list("status", flat=True))
    assert statuses and statuses <= {"new", "in_review", "interview"}


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(reference):
    call_command("load_demo", size=50, quiet_accounts=True)
    first = sorted(User.objects.values_list("email", "full_name", "role"), key=str)
    call_command("load_demo", size=50, quiet_accounts=True)
    assert sorted(User.objects.values_list("email", "full_name", "role"), key=str) == first
