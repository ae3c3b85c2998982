from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpes.accounts.access import get_staff_for_user
from openpes.centres.access import get_centre_for_user, get_centres_for_user
from openpes.lib.decorators import staff_required


@staff_required
def centre_list(request: HttpRequest) -> HttpResponse:
    centres = get_centres_for_user(request.user).annotate(staff_count=Count("staff"))
    return render(request, "centres/list.html", {"centres": centres})


@staff_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_centre_for_user(request.user, pk)
    staff = get_staff_for_user(request.user).filter(centre=centre).order_by("role", "full_name")
    return render(request, "centres/detail.html", {"centre": centre, "staff": staff})
