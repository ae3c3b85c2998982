from django.urls import path

from openpes.vacancies import views

app_name = "vacancies"
urlpatterns = [
    # Public
    path("jobs/", views.search, name="search"),
    path("jobs/<int:pk>/", views.public_detail, name="public_detail"),
    # Employers and staff
    path("vacancies/", views.manage, name="manage"),
    path("vacancies/new/", views.vacancy_new, name="new"),
    path("vacancies/<int:pk>/", views.detail_manage, name="detail_manage"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="edit"),
    path("vacancies/<int:pk>/submit/", views.vacancy_submit, name="submit"),
    path("vacancies/<int:pk>/publish/", views.vacancy_publish, name="publish"),
    path("vacancies/<int:pk>/return/", views.vacancy_return, name="return"),
    path("vacancies/<int:pk>/close/", views.vacancy_close, name="close"),
]
