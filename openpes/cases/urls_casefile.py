from django.urls import URLPattern, path

from openpes.cases import views_casefile as views

urlpatterns: list[URLPattern] = [
    # Staff: lists.
    path("cases/", views.case_list, name="list"),
    path("cases/caseload/", views.caseload, name="caseload"),
    path("cases/team/", views.team, name="team"),
    path("cases/how-the-assessment-works/", views.assessment_rules, name="assessment_rules"),
    path("cases/open/<int:jobseeker>/", views.open_case, name="open"),
    # Staff: one case.
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("cases/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("cases/<int:pk>/intake/", views.intake, name="intake"),
    path("cases/<int:pk>/intake/education/", views.intake_education, name="intake_education"),
    path("cases/<int:pk>/intake/work/", views.intake_work, name="intake_work"),
    path("cases/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("cases/<int:pk>/assessment/<int:assessment_pk>/override/", views.override, name="override"),
    path("cases/<int:pk>/plan/", views.plan, name="plan"),
    path("cases/<int:pk>/plan/barriers/", views.plan_barrier, name="plan_barrier"),
    path("cases/<int:pk>/plan/suggestions/", views.plan_suggestion, name="plan_suggestion"),
    path("cases/<int:pk>/plan/objectives/", views.plan_objective, name="plan_objective"),
    path("cases/<int:pk>/plan/actions/", views.plan_action, name="plan_action"),
    path("cases/<int:pk>/plan/actions/<int:action>/status/", views.plan_action_status, name="plan_action_status"),
    path("cases/<int:pk>/plan/remove/<slug:kind>/<int:item>/", views.plan_remove, name="plan_remove"),
    path("cases/<int:pk>/plan/agree/", views.plan_agree, name="plan_agree"),
    path("cases/<int:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("cases/<int:pk>/plan/new-version/", views.plan_new_version, name="plan_new_version"),
    path("cases/<int:pk>/plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("cases/<int:pk>/notes/", views.notes, name="notes"),
    # The jobseeker's own case.
    path("me/plan/", views.my_case, name="my_case"),
    path("me/plan/actions/<int:action>/", views.my_action, name="my_action"),
    path("me/plan/pdf/", views.my_plan_pdf, name="my_plan_pdf"),
]
