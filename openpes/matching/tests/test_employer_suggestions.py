"""Employers: anonymous suggestions for their own vacancy, only of people who agreed to be shown, without name,
contacts, sex, age or anything about disability; "invite to apply" tells the person by SMS in their language,
and the employer learns who they are only when they apply."""

import datetime

import pytest
from django.urls import reverse

from openpes.accounts.enums import Role
from openpes.accounts.tests.factories import UserFactory
from openpes.applications.actions import apply
from openpes.audit.models import AuditEvent
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.jobseekers.models import AccommodationNeed, WorkExperience
from openpes.jobseekers.tests.factories import WgssAnswersFactory
from openpes.matching.actions import invitation_text
from openpes.matching.models import Invitation, Recommendation
from openpes.matching.tests.builders import fresh_index, job, person, shares_with_employers
from openpes.notifications.models import OutboundMessage
from openpes.taxonomy.models import EducationLevel, IscoGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(cast):
    khmer_user = UserFactory(role=Role.JOBSEEKER, preferred_language="km")
    willing = person(
        user=khmer_user,
        has=("sew", "cut"),
        name_latin="Sok Dara",
        national_id="111222333",
        phone="+85512345678",
        education_level=EducationLevel.objects.get(code=2),
        date_of_birth=datetime.date(1990, 5, 17),
    )
    WorkExperience.objects.create(
        jobseeker=willing,
        title="Line leader at Angkor Secret Garments",
        employer_name="Angkor Secret Garments",
        isco_group=IscoGroup.objects.get(code="8153"),
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2022, 1, 1),
    )
    AccommodationNeed.objects.create(jobseeker=willing, kind="step_free")
    WgssAnswersFactory(jobseeker=willing)
    shares_with_employers(willing)
    unwilling = person(has=("sew", "cut"), name_latin="Keo Mealea")
    shares_with_employers(unwilling, False)
    changed_mind = person(has=("sew", "cut"), name_latin="Chan Bopha")
    shares_with_employers(changed_mind)
    shares_with_employers(changed_mind, False)
    never_asked = person(has=("sew", "cut"), name_latin="Mao Vanna")
    sewing = job(title="Sewing machine operator", accommodations=["step_free"])
    EmployerMemberFactory(employer=sewing.employer, user=cast.employer_a)
    fresh_index()
    return willing, unwilling, changed_mind, never_asked, sewing


def _page(client, user, vacancy):
    client.force_login(user)
    client.cookies["openpes_language"] = "en"
    return client.get(reverse("matching:employer_suggestions", args=[vacancy.pk]))


def test_only_people_whose_current_answer_is_yes_are_suggested(client, cast, market):
    willing, unwilling, changed_mind, never_asked, sewing = market
    response = _page(client, cast.employer_a, sewing)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h2>") == 1 and "Suggested person 1" in page
    assert list(Recommendation.objects.filter(direction="employer").values_list("jobseeker_id", flat=True)) == [
        willing.pk
    ]


def test_the_employer_never_sees_who_a_suggested_person_is(client, cast, market):
    willing, *_, sewing = market
    page = _page(client, cast.employer_a, sewing).content.decode()
    # What the person offers is shown...
    assert "operate sewing machines" in page and "cut fabrics" in page
    assert "Sewing machine operators, 24 months" in page
    assert "Lower secondary education" in page
    assert "Pursat" in page
    assert "Has all 2 skills asked for" in page
    # ...but not who they are, how to reach them, their age, sex, health or past employer.
    for secret in ("Sok Dara", "សុខ ស្រីមុំ", "111222333", "12345678", "1990", "Female", "Angkor Secret", "Line leader"):
        assert secret not in page, secret
    assert "Step-free" not in page and "WG" not in page and "difficulty" not in page.lower()
    assert 'name="jobseeker"' not in page and "/jobseekers/" not in page
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    assert f'name="suggestion" value="{shown.pk}"' in page  # the only handle: the suggestion, not the record
    assert AuditEvent.objects.filter(actor_id=cast.employer_a.pk, action="list", count=1).exists()


def test_invite_to_apply_tells_the_person_by_sms_in_their_language(client, cast, market):
    willing, *_, sewing = market
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    response = client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk}, follow=True)
    page = response.content.decode()
    assert "The invitation was sent. You will see the person&#x27;s details if they apply." in page
    assert "Invited on" in page and "Sok Dara" not in page
    invitation = Invitation.objects.get(jobseeker=willing, vacancy=sewing)
    assert invitation.by == cast.employer_a
    sms = OutboundMessage.objects.get(to="+85512345678")
    assert sewing.title in sms.body and f"/jobs/{sewing.pk}/" in sms.body
    assert sms.body == invitation_text(sewing, "km") != invitation_text(sewing, "en")
    assert AuditEvent.objects.filter(object_type="matching.invitation", subject_id=str(willing.pk)).exists()


def test_the_sms_follows_the_persons_language(market):
    sewing = market[-1]
    english = invitation_text(sewing, "en")
    assert english.startswith(sewing.employer.name_en) and "invites you to apply" in english
    assert invitation_text(sewing, "km").startswith(sewing.employer.name_km)


def test_someone_who_said_no_to_sms_is_invited_without_an_sms(client, cast, market):
    willing, *_, sewing = market
    shares_with_employers(willing, sms=False)
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk})
    assert Invitation.objects.filter(jobseeker=willing).exists()
    assert not OutboundMessage.objects.exists()


def test_the_invited_person_sees_the_invitation_and_applying_reveals_them_to_the_employer(client, cast, market):
    willing, *_, sewing = market
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk})
    willing.user.preferred_language = "en"
    willing.user.save()
    client.force_login(willing.user)
    mine = client.get(reverse("matching:my_jobs")).content.decode()
    assert "Employers invite you to apply" in mine and "The employer invites you" in mine
    application = apply(actor=willing.user, vacancy=sewing, jobseeker=willing)
    client.force_login(cast.employer_a)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Sok Dara" in detail
    assert "Sok Dara" not in _page(client, cast.employer_a, sewing).content.decode()


def test_inviting_twice_sends_one_sms(client, cast, market):
    willing, *_, sewing = market
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk})
    response = client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk}, follow=True)
    assert "You already invited this person." in response.content.decode()
    assert Invitation.objects.count() == 1 and OutboundMessage.objects.count() == 1


def test_a_person_who_withdraws_consent_can_no_longer_be_invited(client, cast, market):
    willing, *_, sewing = market
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    shares_with_employers(willing, False)
    response = client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk}, follow=True)
    assert "This person can no longer be invited." in response.content.decode()
    assert not Invitation.objects.exists() and not OutboundMessage.objects.exists()


def test_another_employer_gets_404_and_cannot_invite(client, cast, market):
    willing, *_, sewing = market
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    assert _page(client, cast.employer_b, sewing).status_code == 404
    assert client.post(reverse("matching:invite", args=[sewing.pk]), {"suggestion": shown.pk}).status_code == 404
    assert not Invitation.objects.exists()


def test_a_suggestion_shown_for_another_vacancy_cannot_be_used(client, cast, market):
    willing, *_, sewing = market
    other = job(title="Cutter", employer=sewing.employer)
    _page(client, cast.employer_a, sewing)
    shown = Recommendation.objects.get(direction="employer", jobseeker=willing)
    client.force_login(cast.employer_a)
    assert client.post(reverse("matching:invite", args=[other.pk]), {"suggestion": shown.pk}).status_code == 404


@pytest.mark.parametrize("who", ["jobseeker_a", "counsellor_pursat"])
def test_only_employer_users_open_suggestions(client, cast, market, who):
    assert _page(client, getattr(cast, who), market[-1]).status_code == 403


def test_a_draft_vacancy_has_no_suggestions_yet(client, cast, market):
    draft = job(title="Draft job", draft=True, employer=market[-1].employer)
    page = _page(client, cast.employer_a, draft).content.decode()
    assert "Suggestions appear once the vacancy is published and open." in page
    assert "Suggested person" not in page


def test_the_vacancy_page_links_to_the_suggestions(client, cast, market):
    sewing = market[-1]
    client.force_login(cast.employer_a)
    page = client.get(reverse("vacancies:detail_manage", args=[sewing.pk])).content.decode()
    assert reverse("matching:employer_suggestions", args=[sewing.pk]) in page
