"""Data-subject rights pages: the export download (the person, or a caseworker in scope) and anonymisation
(a centre manager, after confirming). Access helper → form → action → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.jobseekers.models import JobSeeker
from openpes.lib.http import AuthedRequest
from openpes.privacy import actions
from openpes.privacy.access import (
    can_anonymise,
    get_jobseeker_for_anonymisation,
    get_jobseeker_for_export,
    get_own_jobseeker_for_export,
)
from openpes.privacy.export import export_person
from openpes.privacy.forms import AnonymiseForm
from openpes.privacy.models import Anonymisation


def _download(request: AuthedRequest, jobseeker: JobSeeker) -> JsonResponse:
    data = export_person(jobseeker)
    record(actor=request.user, action=AuditAction.EXPORT, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="openpes-{jobseeker.pk}-{stamp}.json"'
    return response


def my_export(request: AuthedRequest) -> JsonResponse:
    """The signed-in jobseeker's own data, as a JSON file."""
    return _download(request, get_own_jobseeker_for_export(request.user))


def export(request: AuthedRequest, pk: int) -> JsonResponse:
    return _download(request, get_jobseeker_for_export(request.user, pk))


def _page(request: AuthedRequest, jobseeker: JobSeeker, form: AnonymiseForm | None, status: int = 200) -> HttpResponse:
    anonymisation = Anonymisation.objects.filter(jobseeker=jobseeker).first()
    context = {
        "jobseeker": jobseeker,
        "anonymisation": anonymisation,
        "last_activity": actions.last_activity(jobseeker),
        "can_anonymise": can_anonymise(request.user) and anonymisation is None,
        "form": form or AnonymiseForm(),
    }
    return render(request, "privacy/person.html", context, status=status)


def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the service holds about a person and what staff can do about it (export, anonymise)."""
    jobseeker = get_jobseeker_for_export(request.user, pk)
    record(actor=request.user, action=AuditAction.VIEW, obj=jobseeker, subject_id=jobseeker.pk, request=request)
    return _page(request, jobseeker, None)


def anonymise(request: AuthedRequest, pk: int) -> HttpResponse:
    jobseeker = get_jobseeker_for_anonymisation(request.user, pk)
    if request.method != "POST":
        return redirect("privacy:person", jobseeker.pk)
    form = AnonymiseForm(request.POST)
    if not form.is_valid():
        return _page(request, jobseeker, form, status=400)
    if not Anonymisation.objects.filter(jobseeker=jobseeker).exists():
        actions.anonymise_person(jobseeker=jobseeker, actor=request.user, request=request)
        messages.success(request, _("The person's data was removed. The record stays for the statistics."))
    return redirect("privacy:person", jobseeker.pk)
