from django.urls import path  # noqa: F401

from openpes.employers import views  # noqa: F401

app_name = "employers"
urlpatterns: list = []  # type: ignore[type-arg]
