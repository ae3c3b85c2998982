from django.urls import path

from openpes.jobseekers import views, views_import

app_name = "jobseekers"
urlpatterns = [
    # Bulk import (views_import.py): keep these two routes.
    path("jobseekers/import/", views_import.upload, name="import"),
    path("jobseekers/import/<str:token>/", views_import.review, name="import_review"),
]
