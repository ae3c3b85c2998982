"""The caseload: what needs doing today (appointments today, overdue plan actions, follow-ups due, plan
reviews due, no contact for 60 days), filters, the counsellor's and manager's home pages, the manager's team
view (caseloads, overdue work, outcomes over 90 days, unassigned cases) — with bounded query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from openpes.applications.models import Placement
from openpes.audit.models import AuditEvent
from openpes.cases import caseload as work
from openpes.cases.actions import casefile as actions
from openpes.cases.enums import CaseEventKind
from openpes.cases.models import Appointment, Case, FollowUp
from openpes.cases.tests.factories import CaseFactory
from openpes.employers.tests.factories import EmployerFactory

NOON = datetime.time(12, 0)


@pytest.fixture
def en(client):
    client.cookies["openpes_language"] = "en"
    return client


def _at(day, time=NOON):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _appointment(case, when):
    return Appointment.objects.create(
        case=case,
        counsellor=case.counsellor,
        centre=case.owner_centre,
        starts_at=when,
        ends_at=when + datetime.timedelta(minutes=30),
    )


def _follow_up(case, due_on, *, done=False, link_case=True):
    placement = Placement.objects.create(
        jobseeker=case.jobseeker, employer=EmployerFactory(), centre=case.owner_centre, start_date=due_on
    )
    return FollowUp.objects.create(
        placement=placement,
        case=case if link_case else None,
        month=1,
        due_on=due_on,
        done_at=timezone.now() if done else None,
    )


def _plan_with_action(case, due_on, *, agree=True, review_days=30):
    actor = case.counsellor
    plan = actions.start_plan(actor=actor, case=case)
    objective = actions.add_objective(actor=actor, plan=plan, text="Find work")
    action = actions.add_plan_action(actor=actor, objective=objective, text="Visit", owner="jobseeker", due_on=due_on)
    if agree:
        actions.agree_plan(actor=actor, plan=plan, review_every_days=review_days)
    return plan, action


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_each_kind_of_work_due_shows_on_the_right_case(cast, today):
    mine = cast.counsellor_pursat
    quiet = CaseFactory(counsellor=mine, last_contact_at=timezone.now())
    meeting = CaseFactory(counsellor=mine, last_contact_at=timezone.now())
    _appointment(meeting, _at(today))
    _appointment(quiet, _at(today + datetime.timedelta(days=1)))  # tomorrow: not today's work
    late = CaseFactory(counsellor=mine, last_contact_at=timezone.now())
    with time_machine.travel(_at(today - datetime.timedelta(days=10)), tick=False):
        _plan_with_action(late, today - datetime.timedelta(days=2))
    follow = CaseFactory(counsellor=mine, last_contact_at=timezone.now())
    _follow_up(follow, today)
    _follow_up(quiet, today - datetime.timedelta(days=3), done=True)  # already done
    review = CaseFactory(counsellor=mine, last_contact_at=timezone.now())
    with time_machine.travel(_at(today - datetime.timedelta(days=31)), tick=False):
        _plan_with_action(review, today + datetime.timedelta(days=20), review_days=30)
    silent = CaseFactory(counsellor=mine, opened_at=timezone.now() - datetime.timedelta(days=90))
    CaseFactory(counsellor=cast.counsellor_pursat_van, jobseeker__owner_centre=cast.pursat_van)  # not mine

    rows = {case.pk: case for case in work.caseload(mine)}
    assert set(rows) == {quiet.pk, meeting.pk, late.pk, follow.pk, review.pk, silent.pk}
    assert rows[meeting.pk].appointments_today == 1 and rows[quiet.pk].appointments_today == 0
    assert rows[late.pk].overdue_actions == 1 and rows[quiet.pk].overdue_actions == 0
    assert rows[follow.pk].follow_ups_due == 1 and rows[quiet.pk].follow_ups_due == 0
    assert rows[review.pk].review_due and not rows[late.pk].review_due
    assert rows[silent.pk].no_contact and not rows[quiet.pk].no_contact
    assert rows[quiet.pk].urgency == 0
    assert list(work.caseload(mine))[-1].pk == quiet.pk  # nothing due: last
    summary = work.summarise(work.annotate_work(work.my_cases(mine)))
    assert summary == work.Summary(open_cases=6, appointments=1, overdue=1, follow_ups=1, reviews=1, no_contact=1)

    for due, expected in [("appointments", {meeting.pk}), ("overdue", {late.pk}), ("follow_ups", {follow.pk}),
                          ("review", {review.pk}), ("no_contact", {silent.pk}),
                          ("today", {meeting.pk, late.pk, follow.pk, review.pk, silent.pk})]:  # fmt: skip
        assert {c.pk for c in work.caseload(mine, work.Filters(due=due))} == expected, due


@pytest.mark.django_db
def test_only_the_latest_plan_version_counts_for_overdue_actions(cast, today):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    with time_machine.travel(_at(today - datetime.timedelta(days=10)), tick=False):
        plan, _ = _plan_with_action(case, today - datetime.timedelta(days=1))
        actions.new_plan_version(actor=cast.counsellor_pursat, plan=plan)
    row = work.caseload(cast.counsellor_pursat).get(pk=case.pk)
    assert row.overdue_actions == 1  # the copy in version 2, not twice


@pytest.mark.django_db
def test_a_follow_up_of_the_person_without_a_case_link_still_counts(cast, today):
    case = CaseFactory(counsellor=cast.counsellor_pursat)
    _follow_up(case, today, link_case=False)
    assert work.caseload(cast.counsellor_pursat).get(pk=case.pk).follow_ups_due == 1


@pytest.mark.django_db
def test_the_caseload_page_filters_by_what_is_due_and_by_group(en, cast, today):
    mine = cast.counsellor_pursat
    ready = CaseFactory(counsellor=mine, jobseeker__name_latin="Ready Person")
    actions.save_intake(
        actor=mine, case=ready,
        fields={"situation": "unemployed", "months_without_work": 0, "digital_access": "smartphone",
                "can_use_apps": True, "contact_channel": "sms"},
    )  # fmt: skip
    ready.jobseeker.experience.create(title="Sewer", started_on=datetime.date(2020, 1, 1))
    actions.run_assessment(actor=mine, case=ready)
    busy = CaseFactory(counsellor=mine, jobseeker__name_latin="Busy Person")
    _appointment(busy, _at(today))
    en.force_login(mine)
    page = en.get(reverse("cases:caseload")).content.decode()
    assert "Ready Person" in page and "Busy Person" in page and "1 appointment today" in page
    page = en.get(reverse("cases:caseload"), {"due": "appointments", "status": "open"}).content.decode()
    assert "Busy Person" in page and "Ready Person" not in page
    page = en.get(reverse("cases:caseload"), {"group": "job_ready", "status": "open"}).content.decode()
    assert "Ready Person" in page and "Busy Person" not in page
    page = en.get(reverse("cases:caseload"), {"status": "closed"}).content.decode()
    assert "Ready Person" not in page
    page = en.get(reverse("cases:caseload"), {"due": "nonsense"}).content.decode()
    assert "Select a valid choice" in page
    assert AuditEvent.objects.filter(actor_id=mine.pk, action="list", object_type="cases.case").count() == 5


@pytest.mark.django_db
def test_the_caseload_page_takes_a_bounded_number_of_queries(client, cast, today, django_assert_max_num_queries):
    mine = cast.counsellor_pursat

    def grow(n):
        for _ in range(n):
            case = CaseFactory(counsellor=mine)
            _appointment(case, _at(today))
            _follow_up(case, today)
            _plan_with_action(case, today + datetime.timedelta(days=3))

    grow(2)
    client.force_login(mine)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:caseload")).status_code == 200
    grow(6)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:caseload")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.django_db
def test_the_counsellor_home_page_shows_the_caseload_summary(en, cast, today, django_assert_max_num_queries):
    case = CaseFactory(counsellor=cast.counsellor_pursat, jobseeker__name_latin="Due Person")
    _appointment(case, _at(today))
    en.force_login(cast.counsellor_pursat)
    with django_assert_max_num_queries(20):
        page = en.get(reverse("home")).content.decode()
    assert "My caseload today" in page and "Due Person" in page and "1 appointment today" in page


@pytest.fixture
def team_world(cast, today):
    """Two Pursat counsellors with cases, outcomes in the last 90 days and before, and unassigned cases."""
    colleague = cast.counsellor_pursat_van
    a = [CaseFactory(counsellor=cast.counsellor_pursat) for _ in range(3)]
    van = CaseFactory(counsellor=colleague, jobseeker__owner_centre=cast.pursat_van)
    with time_machine.travel(_at(today - datetime.timedelta(days=10)), tick=False):
        _plan_with_action(a[0], today - datetime.timedelta(days=1))
    closed = CaseFactory(counsellor=cast.counsellor_pursat)
    actions.close_case(actor=cast.counsellor_pursat, case=closed, reason="placed")
    actions.record_event(closed, CaseEventKind.PLACED, cast.counsellor_pursat)
    with time_machine.travel(_at(today - datetime.timedelta(days=120)), tick=False):
        old = CaseFactory(counsellor=colleague, jobseeker__owner_centre=cast.pursat_van)
        actions.close_case(actor=colleague, case=old, reason="moved_away")
    unassigned = [CaseFactory(), CaseFactory(jobseeker__owner_centre=cast.pursat_van)]
    CaseFactory(counsellor=cast.counsellor_battambang, jobseeker__province_code="02")
    return a, van, unassigned


@pytest.mark.django_db
def test_the_manager_sees_caseloads_overdue_work_and_outcomes_per_counsellor(cast, team_world):
    overview = work.team(cast.manager_pursat)
    rows = {row.counsellor: row for row in overview.rows}
    assert cast.counsellor_battambang not in rows
    pursat = rows[cast.counsellor_pursat]
    assert (pursat.open_cases, pursat.overdue_cases, pursat.placements) == (3, 1, 1)
    assert pursat.closures == {"placed": 1}
    van = rows[cast.counsellor_pursat_van]
    assert (van.open_cases, van.overdue_cases, van.placements, van.closures) == (1, 0, 0, {})  # old closure: > 90 days
    assert {case.pk for case in overview.unassigned} == {case.pk for case in team_world[2]}
    assert overview.unassigned_count == 2


@pytest.mark.django_db
def test_the_team_page_assigns_a_waiting_case_with_a_counsellor_of_its_centre(
    en, cast, team_world, django_assert_max_num_queries
):
    waiting = team_world[2][1]  # at the mobile unit
    en.force_login(cast.manager_pursat)
    with django_assert_max_num_queries(16):
        page = en.get(reverse("cases:team")).content.decode()
    assert "Cases waiting for a counsellor" in page and "2 cases waiting" in page
    assert f'<option value="{cast.counsellor_pursat_van.pk}">' in page
    response = en.post(
        reverse("cases:assign", args=[waiting.pk]),
        {"counsellor": cast.counsellor_pursat_van.pk, "next": reverse("cases:team") + "#unassigned"},
    )
    assert response["Location"] == reverse("cases:team") + "#unassigned"
    waiting.refresh_from_db()
    assert waiting.counsellor == cast.counsellor_pursat_van
    response = en.post(
        reverse("cases:assign", args=[team_world[2][0].pk]),
        {"counsellor": cast.counsellor_pursat.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:detail", args=[team_world[2][0].pk])


@pytest.mark.django_db
def test_the_manager_home_page_shows_the_team(en, cast, team_world, django_assert_max_num_queries):
    en.force_login(cast.manager_pursat)
    with django_assert_max_num_queries(30):
        page = en.get(reverse("home")).content.decode()
    assert "Caseloads of my team" in page and "Counsellor Pursat Van" in page
    assert "2 open cases waiting for a counsellor." in page


@pytest.mark.django_db
def test_the_team_queries_do_not_grow_with_the_team(cast, team_world, django_assert_max_num_queries):
    from openpes.accounts.tests.factories import UserFactory

    for _ in range(5):
        extra = UserFactory(counsellor=True, centre=cast.pursat)
        CaseFactory(counsellor=extra)
    with django_assert_max_num_queries(6):
        overview = work.team(cast.manager_pursat)
    assert len(overview.rows) >= 8
    assert Case.objects.count() > 10


@pytest.mark.django_db
def test_a_follow_up_of_a_case_closed_as_placed_stays_on_the_caseload_until_done(client, cast):
    import datetime

    from django.utils import timezone

    from openpes.applications.models import Placement
    from openpes.cases.models import FollowUp
    from openpes.cases.tests.factories import CaseFactory
    from openpes.employers.tests.factories import EmployerFactory

    case = CaseFactory(counsellor=cast.counsellor_pursat, status="closed", closure_reason="placed")
    placement = Placement.objects.create(
        jobseeker=case.jobseeker, employer=EmployerFactory(), centre=cast.pursat, start_date=timezone.localdate()
    )
    FollowUp.objects.create(
        placement=placement, case=case, month=1, due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    from openpes.cases.caseload import caseload, home_context

    assert case in list(caseload(cast.counsellor_pursat))
    assert home_context(cast.counsellor_pursat)["caseload_summary"].follow_ups == 1
    FollowUp.objects.filter(case=case).update(done_at=timezone.now())
    assert case not in list(caseload(cast.counsellor_pursat))
