"""Who sees which staff accounts — allowed and forbidden side by side."""

import pytest
from django.http import Http404

from openpes.accounts.access import get_staff_for_user, get_staff_member_for_user
from openpes.lib.access import Level, scope_for


@pytest.mark.django_db
def test_scopes_follow_role_and_centre(cast):
    assert scope_for(cast.counsellor_pursat).level is Level.CENTRE
    assert scope_for(cast.manager_pursat).level is Level.PROVINCE
    assert scope_for(cast.national).level is Level.NATION
    assert scope_for(cast.admin).level is Level.NATION
    for nobody in (cast.jobseeker_a, cast.employer_a, cast.trainer, cast.coordinator, cast.deactivated, None):
        assert scope_for(nobody).level is Level.NONE


@pytest.mark.django_db
def test_a_counsellor_sees_colleagues_of_their_own_centre_only(cast):
    visible = set(get_staff_for_user(cast.counsellor_pursat))
    assert cast.manager_pursat in visible
    assert cast.counsellor_pursat_van not in visible  # same province, other centre
    assert cast.counsellor_battambang not in visible


@pytest.mark.django_db
def test_a_centre_manager_sees_their_whole_province_and_nothing_else(cast):
    visible = set(get_staff_for_user(cast.manager_pursat))
    assert {cast.counsellor_pursat, cast.counsellor_pursat_van} <= visible
    assert cast.counsellor_battambang not in visible
    assert cast.national not in visible


@pytest.mark.django_db
def test_national_staff_see_everyone(cast):
    visible = set(get_staff_for_user(cast.national))
    assert {cast.counsellor_pursat, cast.counsellor_battambang, cast.manager_battambang} <= visible


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a", "deactivated", "trainer"])
def test_public_roles_trainers_and_deactivated_users_see_no_staff(cast, who):
    assert not get_staff_for_user(getattr(cast, who)).exists()


@pytest.mark.django_db
def test_a_staff_member_outside_the_scope_is_not_found(cast):
    assert get_staff_member_for_user(cast.manager_pursat, cast.counsellor_pursat.pk) == cast.counsellor_pursat
    with pytest.raises(Http404):
        get_staff_member_for_user(cast.manager_pursat, cast.counsellor_battambang.pk)
    with pytest.raises(Http404):
        get_staff_member_for_user(cast.manager_pursat, "not-a-number")
