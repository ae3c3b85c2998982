from django.urls import path  # noqa: F401

from openpes.jobseekers import views  # noqa: F401

app_name = "jobseekers"
urlpatterns: list = []  # type: ignore[type-arg]
