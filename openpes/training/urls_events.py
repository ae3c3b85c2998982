"""Tiers 2–4 (ToT, provincial sessions, webinars), evaluation and reports, under /training/."""

from django.urls import URLPattern, path

from openpes.training import views_events as views

urlpatterns: list[URLPattern] = [
    # Programmes and events
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_pk>/events/new/", views.event_new, name="event_new"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/enrol/", views.event_self_enrol, name="event_self_enrol"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/participants/", views.event_participants, name="event_participants"),
    path("events/<int:pk>/participants/<int:person_pk>/remove/", views.event_unenrol, name="event_unenrol"),
    # Attendance
    path("events/<int:pk>/attendance/<str:day>/", views.event_roster, name="event_roster"),
    path("events/<int:pk>/check-in/", views.event_check_in, name="event_check_in"),
    path("check-in/", views.check_in, name="check_in"),
    path("events/<int:pk>/imports/", views.event_import, name="event_import"),
    path("events/<int:pk>/imports/<int:batch_pk>/", views.event_import_detail, name="event_import_detail"),
    # ToT: teach-backs and trainer certification
    path("events/<int:pk>/teach-back/<int:person_pk>/", views.event_teach_back, name="event_teach_back"),
    path("events/<int:pk>/certification/", views.event_certification, name="event_certification"),
    path("trainers/", views.trainer_list, name="trainers"),
    path("trainer-certifications/<int:pk>/", views.certification_detail, name="certification_detail"),
    path("trainer-certifications/<int:pk>/renew/", views.certification_renew, name="certification_renew"),
    path("trainer-certifications/<int:pk>/revoke/", views.certification_revoke, name="certification_revoke"),
    # Materials
    path("events/<int:pk>/materials/new/", views.material_new, name="material_new"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    # Evaluation
    path("events/<int:pk>/survey/", views.event_survey, name="event_survey"),
    path("events/<int:pk>/evaluation/", views.event_evaluation, name="event_evaluation"),
    path("events/<int:pk>/certificates/issue/", views.event_issue_certificates, name="event_issue_certificates"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:event_pk>/<int:person_pk>/<str:kind>/", views.follow_up_rate, name="follow_up_rate"),
    # Reports
    path("reports/", views.report_index, name="reports"),
    path("reports/cascade/", views.report_cascade, name="report_cascade"),
    path("reports/casework/", views.report_casework, name="report_casework"),
    path("reports/projects/<int:pk>/", views.report_project, name="report_project"),
    path("reports/<str:kind>.<str:fmt>", views.report_export, name="report_export"),
]
