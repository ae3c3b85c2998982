from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring (R10): "ok", "degraded" with the part that lags (both 200, the
    service works), or "down" with 503 when the database does not answer. See lib/health.py."""
    from openpes.lib.health import DOWN, check

    state = check()
    return JsonResponse(state.as_dict(), status=503 if state.status == DOWN else 200)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no database work here: the error may be the database itself.
    from openpes.lib.middleware import database_unavailable, is_database_outage

    if is_database_outage(sys.exc_info()[1]):  # raised in a middleware, before DatabaseUnavailableMiddleware
        return database_unavailable(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
