import datetime
import pytest
from django.utils import timezone
from openpes.cases.actions import casefile as actions
from openpes.cases.plan_pdf import render_plan_pdf
from openpes.cases.tests.factories import CaseFactory
from openpes.jobseekers.tests.factories import JobSeekerFactory

@pytest.mark.django_db
def test_tmp(cast):
    person = JobSeekerFactory(name_km="ចាន់ ដារា", name_latin="Chan Dara")
    case = CaseFactory(jobseeker=person, counsellor=cast.counsellor_pursat)
    a = cast.counsellor_pursat
    plan = actions.start_plan(actor=a, case=case)
    b = actions.add_barrier(actor=a, plan=plan, theme="documents", description="បាត់អត្តសញ្ញាណប័ណ្ណ ហើយមិនដឹងថាត្រូវទៅណាដើម្បីសុំថ្មី")
    o = actions.add_objective(actor=a, plan=plan, barrier=b, text="មានអត្តសញ្ញាណប័ណ្ណថ្មីមុនខែក្រោយ")
    x = actions.add_plan_action(actor=a, objective=o, text="ទៅសាលាឃុំដើម្បីសុំអត្តសញ្ញាណប័ណ្ណ និងយករូបថតពីរសន្លឹកនិងសៀវភៅគ្រួសារទៅជាមួយ", owner="jobseeker", due_on=timezone.localdate()+datetime.timedelta(days=7))
    actions.add_plan_action(actor=a, objective=o, text="Call the commune office to ask about the ID card", owner="counsellor", due_on=timezone.localdate()+datetime.timedelta(days=3))
    b2 = actions.add_barrier(actor=a, plan=plan, theme="mobility", description="No transport to the factory")
    o2 = actions.add_objective(actor=a, plan=plan, barrier=b2, text="Get to work every day")
    actions.add_plan_action(actor=a, objective=o2, text="Ask the factory about its bus", owner="jobseeker")
    actions.agree_plan(actor=a, plan=plan, review_every_days=30)
    actions.set_action_status(actor=a, action=x, status="done")
    for lang in ("km", "en"):
        open(f"/tmp/plan-{lang}.pdf", "wb").write(render_plan_pdf(case, plan, language=lang))
