"""Case-management URLs: the case file (intake, assessment, plan, notes, caseloads) and services
(appointments, partner referrals, placement follow-up, employer services)."""

from openpes.cases.urls_casefile import urlpatterns as casefile_patterns
from openpes.cases.urls_services import urlpatterns as service_patterns

app_name = "cases"
urlpatterns = casefile_patterns + service_patterns
