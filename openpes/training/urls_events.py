"""Tiers 2–4 (ToT, provincial sessions, webinars), evaluation and reports, under /training/."""

from django.urls import URLPattern, path

from openpes.training import views_attendance as attendance
from openpes.training import views_certification as certification
from openpes.training import views_evaluation as evaluation
from openpes.training import views_events as events
from openpes.training import views_reports as reports

urlpatterns: list[URLPattern] = [
    # Programmes and events
    path("programmes/", events.programme_list, name="programmes"),
    path("programmes/new/", events.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", events.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", events.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_pk>/events/new/", events.event_new, name="event_new"),
    path("events/", events.event_list, name="events"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/enrol/", events.event_self_enrol, name="event_self_enrol"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<int:pk>/participants/", events.event_participants, name="event_participants"),
    path("events/<int:pk>/participants/<int:person_pk>/remove/", events.event_unenrol, name="event_unenrol"),
    # Materials
    path("events/<int:pk>/materials/new/", events.material_new, name="material_new"),
    path("materials/<int:pk>/", events.material_download, name="material_download"),
    path("materials/<int:pk>/delete/", events.material_delete, name="material_delete"),
    # Attendance
    path("events/<int:pk>/attendance/<str:day>/", attendance.event_roster, name="event_roster"),
    path("events/<int:pk>/check-in/", attendance.event_check_in, name="event_check_in"),
    path("check-in/", attendance.check_in, name="check_in"),
    path("events/<int:pk>/imports/", attendance.event_import, name="event_import"),
    path("events/<int:pk>/imports/<int:batch_pk>/", attendance.event_import_detail, name="event_import_detail"),
    # ToT: teach-backs and trainer certification
    path("events/<int:pk>/teach-back/<int:person_pk>/", certification.event_teach_back, name="event_teach_back"),
    path("events/<int:pk>/certification/", certification.event_certification, name="event_certification"),
    path("trainers/", certification.trainer_list, name="trainers"),
    path("trainer-certifications/<int:pk>/", certification.certification_detail, name="certification_detail"),
    path("trainer-certifications/<int:pk>/renew/", certification.certification_renew, name="certification_renew"),
    path("trainer-certifications/<int:pk>/revoke/", certification.certification_revoke, name="certification_revoke"),
    # Evaluation
    path("events/<int:pk>/survey/", evaluation.event_survey, name="event_survey"),
    path("events/<int:pk>/evaluation/", evaluation.event_evaluation, name="event_evaluation"),
    path("events/<int:pk>/certificates/issue/", evaluation.event_issue_certificates, name="event_issue_certificates"),
    path("follow-ups/", evaluation.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:event_pk>/<int:person_pk>/<str:kind>/", evaluation.follow_up_rate, name="follow_up_rate"),
    # Reports
    path("reports/", reports.report_index, name="reports"),
    path("reports/cascade/", reports.report_cascade, name="report_cascade"),
    path("reports/casework/", reports.report_casework, name="report_casework"),
    path("reports/projects/<int:pk>/", reports.report_project, name="report_project"),
    path("reports/<str:kind>.<str:fmt>", reports.report_export, name="report_export"),
]
