from django.urls import path

from openpes.matching import views

app_name = "matching"
urlpatterns = [
    # The jobseeker's own recommendations.
    path("me/jobs/", views.my_jobs, name="my_jobs"),
    path("me/jobs/<int:vacancy>/not-interested/", views.not_interested, name="not_interested"),
    # Staff: recommended jobs for a person, a shortlist of people for a vacancy, acting on them.
    path("jobseekers/<int:pk>/recommended-jobs/", views.jobseeker_jobs, name="jobseeker_jobs"),
    path("vacancies/<int:pk>/candidates/", views.vacancy_candidates, name="vacancy_candidates"),
    path("matching/refer/", views.refer, name="refer"),
    path("matching/dismiss/", views.dismiss, name="dismiss"),
    # Employers: anonymous suggestions for their vacancy.
    path("vacancies/<int:pk>/suggestions/", views.employer_suggestions, name="employer_suggestions"),
    path("vacancies/<int:pk>/suggestions/invite/", views.invite, name="invite"),
    # The fairness audit and the weights.
    path("matching/fairness/", views.fairness, name="fairness"),
    path("matching/fairness/export/", views.fairness_export, name="fairness_export"),
    path("matching/weights/", views.weights, name="weights"),
]
