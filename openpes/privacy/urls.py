from django.urls import path

from openpes.privacy import views

app_name = "privacy"
urlpatterns = [
    path("me/my-data.json", views.my_export, name="my_export"),
    path("jobseekers/<int:pk>/personal-data/", views.person, name="person"),
    path("jobseekers/<int:pk>/personal-data/export.json", views.export, name="export"),
    path("jobseekers/<int:pk>/personal-data/anonymise/", views.anonymise, name="anonymise"),
]
