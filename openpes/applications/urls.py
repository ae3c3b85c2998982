from django.urls import path

from openpes.applications import views

app_name = "applications"
urlpatterns = [
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.mine, name="mine"),
    path("applications/refer/", views.refer, name="refer"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/move/", views.move, name="move"),
    path("applications/<int:pk>/hire/", views.hire, name="hire"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
