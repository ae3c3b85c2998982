import pytest
from django.urls import reverse

from openpes.centres.access import get_centres_for_user


@pytest.mark.django_db
def test_centre_visibility_by_role(cast):
    assert set(get_centres_for_user(cast.counsellor_pursat)) == {cast.pursat}
    assert set(get_centres_for_user(cast.manager_pursat)) == {cast.pursat, cast.pursat_van}
    assert {cast.pursat, cast.battambang, cast.hq} <= set(get_centres_for_user(cast.national))
    assert not get_centres_for_user(cast.jobseeker_a).exists()


@pytest.mark.django_db
def test_manager_opens_a_centre_of_their_province_but_gets_404_for_another(client, cast):
    client.force_login(cast.manager_pursat)
    own = client.get(reverse("centres:detail", args=[cast.pursat_van.pk]))
    assert own.status_code == 200
    assert "Counsellor Pursat Van" in own.content.decode()
    assert client.get(reverse("centres:detail", args=[cast.battambang.pk])).status_code == 404


@pytest.mark.django_db
def test_counsellor_from_another_centre_gets_404(client, cast):
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("centres:detail", args=[cast.pursat.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a"])
def test_public_roles_are_refused_staff_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("centres:list")).status_code == 403
    assert client.get(reverse("centres:detail", args=[cast.pursat.pk])).status_code == 403


@pytest.mark.django_db
def test_centre_list_query_count_does_not_grow_with_centres(client, cast, django_assert_max_num_queries):
    client.force_login(cast.national)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("centres:list"))
    assert response.status_code == 200
