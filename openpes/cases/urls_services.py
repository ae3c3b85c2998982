from django.urls import URLPattern, path

from openpes.cases import views_services as views

urlpatterns: list[URLPattern] = [
    # Appointments: the calendar, free times, booking for a case, attendance.
    path("appointments/", views.calendar, name="calendar"),
    path("appointments/slots/new/", views.slot_new, name="slot_new"),
    path("appointments/slots/<int:pk>/delete/", views.slot_delete, name="slot_delete"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/outcome/", views.appointment_outcome, name="appointment_outcome"),
    path("cases/<int:pk>/appointments/new/", views.book, name="book"),
    # The jobseeker's own appointments.
    path("me/appointments/", views.my_appointments, name="my_appointments"),
    path("me/appointments/book/<int:slot>/", views.my_book, name="my_book"),
    path("me/appointments/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
    # The partner directory and referrals to services.
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.partner_form, name="partner_new"),
    path("partners/<int:pk>/", views.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", views.partner_form, name="partner_edit"),
    path("partners/<int:pk>/services/new/", views.service_form, name="service_new"),
    path("partners/<int:pk>/services/<int:service>/edit/", views.service_form, name="service_edit"),
    path("cases/<int:pk>/services/refer/", views.refer_service, name="refer_service"),
    path("cases/referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    # Placements and follow-ups.
    path("cases/<int:pk>/placements/new/", views.placement_new, name="placement_new"),
    path("cases/<int:pk>/placed/close/", views.close_placed, name="close_placed"),
    path("cases/placements/<int:pk>/", views.placement_detail, name="placement"),
    path("cases/placements/<int:pk>/evidence/", views.placement_evidence, name="placement_evidence"),
    path("cases/follow-ups/", views.follow_ups, name="follow_ups"),
    path("cases/follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("cases/follow-ups/<int:pk>/message/", views.follow_up_message, name="follow_up_message"),
    # Employer services.
    path("cases/employers/due/", views.employers_due, name="employers_due"),
    path("cases/employers/<int:pk>/contacts/", views.employer_contacts, name="employer_contacts"),
    path("cases/vacancies/<int:pk>/shortlist/", views.shortlist_new, name="shortlist_new"),
    path("cases/shortlists/<int:pk>/", views.shortlist_detail, name="shortlist"),
]
