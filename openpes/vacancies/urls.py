from django.urls import path  # noqa: F401

from openpes.vacancies import views  # noqa: F401

app_name = "vacancies"
urlpatterns: list = []  # type: ignore[type-arg]
