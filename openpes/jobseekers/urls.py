from django.urls import path

from openpes.jobseekers import views, views_import

app_name = "jobseekers"
urlpatterns = [
    # The person's own profile.
    path("me/profile/", views.my_profile, name="my_profile"),
    path("me/profile/experience/<int:item>/", views.my_section, {"section": "experience"}, name="my_experience"),
    path("me/profile/experience/<int:item>/delete/", views.my_experience_delete, name="my_experience_delete"),
    path("me/profile/<slug:section>/", views.my_section, name="my_section"),
    # Staff.
    path("jobseekers/", views.jobseeker_list, name="list"),
    path("jobseekers/new/", views.register, name="register"),
    path("jobseekers/<int:pk>/", views.detail, name="detail"),
    path(
        "jobseekers/<int:pk>/edit/experience/<int:item>/",
        views.edit_section,
        {"section": "experience"},
        name="edit_experience",
    ),
    path("jobseekers/<int:pk>/edit/experience/<int:item>/delete/", views.experience_delete, name="experience_delete"),
    path("jobseekers/<int:pk>/edit/<slug:section>/", views.edit_section, name="edit_section"),
    path("jobseekers/<int:pk>/merge/<int:other>/", views.merge, name="merge"),
    path("jobseekers/<int:pk>/not-duplicate/<int:other>/", views.not_duplicate, name="not_duplicate"),
    # CV files: the person, staff in scope, and employers the person applied to (see access.py).
    path("cv/<int:pk>/", views.cv_download, name="cv_download"),
    path("cv/<int:pk>/delete/", views.cv_delete, name="cv_delete"),
    # Bulk import (views_import.py): keep these two routes.
    path("jobseekers/import/", views_import.upload, name="import"),
    path("jobseekers/import/<str:token>/", views_import.review, name="import_review"),
]
