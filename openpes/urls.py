from django.contrib import admin
from django.urls import include, path

from openpes.accounts import views as account_views
from openpes.api.urls import urls as api_urls
from openpes.lib import views as lib_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("language/", account_views.set_language, name="set_language"),
    path("health", lib_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("centres/", include("openpes.centres.urls")),
    path("", include("openpes.jobseekers.urls")),
    path("", include("openpes.employers.urls")),
    path("", include("openpes.vacancies.urls")),
    path("", include("openpes.applications.urls")),
    path("training/", include("openpes.training.urls")),
    path("", include("openpes.cases.urls")),
    path("", include("openpes.privacy.urls")),
    path("", include("openpes.matching.urls")),
    path("classifications/", include("openpes.taxonomy.urls")),
    path("api/v1/", api_urls),
    path("admin/", admin.site.urls),
]

handler400 = "openpes.lib.views.bad_request"
handler403 = "openpes.lib.views.permission_denied"
handler404 = "openpes.lib.views.page_not_found"
handler500 = "openpes.lib.views.server_error"
