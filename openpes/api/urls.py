"""The versioned API: one NinjaAPI, each app mounts its router. Schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from openpes.accounts.api import router as accounts_router
from openpes.api.auth import API_AUTH
from openpes.api.errors import validation_messages
from openpes.api.schemas import install_error_handlers
from openpes.applications.api import router as applications_router
from openpes.centres.api import router as centres_router
from openpes.employers.api import router as employers_router
from openpes.geography.api import router as geography_router
from openpes.jobseekers.api import router as jobseekers_router
from openpes.matching.api import router as matching_router
from openpes.taxonomy.api import router as taxonomy_router
from openpes.vacancies.api import router as vacancies_router

api = NinjaAPI(
    title="OpenPES API",
    version="1",
    description="JSON API for partners of the public employment service. Errors are in the caller's language "
    "(Accept-Language: km or en).",
    urls_namespace="api-1",
    auth=API_AUTH,
)


install_error_handlers(api)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": validation_messages(exc.errors)}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Sign in or send a valid API token.")}, status=401)


api.add_router("/me", accounts_router)
api.add_router("/reference", geography_router)
api.add_router("/reference", taxonomy_router)
api.add_router("/centres", centres_router)
api.add_router("/jobseekers", jobseekers_router)
api.add_router("/employers", employers_router)
api.add_router("/vacancies", vacancies_router)
api.add_router("/applications", applications_router)
api.add_router("/matching", matching_router)


def _exempt_from_login_redirect(patterns: list[Any]) -> list[Any]:
    """The API answers 401 itself (per operation auth); the HTML sign-in redirect must not intercept it."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _exempt_from_login_redirect(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback = login_not_required(entry.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls
urls = (_exempt_from_login_redirect(list(_patterns)), _app_name, _namespace)
