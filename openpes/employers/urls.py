from django.urls import path

from openpes.employers import views

app_name = "employers"
urlpatterns = [
    path("employers/register/", views.register, name="register"),
    path("employer/", views.home, name="home"),
    path("employers/", views.employer_list, name="list"),
    path("employers/new/", views.employer_new, name="new"),
    path("employers/<int:pk>/", views.employer_detail, name="detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="edit"),
    path("employers/<int:pk>/verify/", views.employer_verify, name="verify"),
    path("employers/<int:pk>/refuse/", views.employer_refuse, name="refuse"),
]
