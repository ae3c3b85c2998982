from django.urls import path

from openpes.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("isco/", views.isco_browser, name="isco"),
    path("isco/suggest/", views.isco_suggest, name="isco_suggest"),
    path("skills/suggest/", views.skill_suggestions, name="skill_suggestions"),
]
