"""Tier 1 (online course, tests) and certificates, under /training/."""

from django.urls import URLPattern, path

from openpes.training import views_learning as views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    # Learners
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:pk>/resume/", views.resume, name="resume"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/read/", views.lesson_read, name="lesson_read"),
    path("lesson-images/<int:pk>/", views.lesson_image, name="lesson_image"),
    path("quizzes/<int:quiz_pk>/take/", views.take_quiz, name="take_quiz"),
    path("attempts/<int:pk>/", views.attempt_result, name="attempt"),
    # Authors (training coordinators, administrators)
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/import/", views.course_import, name="course_import"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/export/", views.course_export, name="course_export"),
    path("courses/<int:pk>/progress/", views.course_progress, name="course_progress"),
    path("courses/<int:pk>/modules/new/", views.module_form, name="module_create"),
    path("modules/<int:pk>/edit/", views.module_form, name="module_edit"),
    path("modules/<int:module_pk>/lessons/new/", views.lesson_form, name="lesson_create"),
    path("lessons/<int:pk>/edit/", views.lesson_form, name="lesson_edit"),
    path("lessons/<int:pk>/images/", views.lesson_images, name="lesson_images"),
    path("courses/<int:pk>/questions/", views.question_bank, name="questions"),
    path("courses/<int:course_pk>/questions/new/", views.question_form, name="question_create"),
    path("questions/<int:pk>/edit/", views.question_form, name="question_edit"),
    path("courses/<int:course_pk>/quizzes/new/", views.quiz_form, name="quiz_create"),
    path("quizzes/<int:pk>/edit/", views.quiz_form, name="quiz_edit"),
    # Certificates
    path("certificates/<int:pk>/download/", views.certificate_download, name="certificate_download"),
    path("courses/<int:pk>/certificates.zip", views.course_certificates_zip, name="course_certificates_zip"),
    path("events/<int:pk>/certificates.zip", views.event_certificates_zip, name="event_certificates_zip"),
    path("certificates/verify/", views.verify_form, name="verify"),
    path("certificates/verify/<str:code>/", views.verify_certificate, name="verify_certificate"),
]
