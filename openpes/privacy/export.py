"""S13: everything the service holds about one jobseeker, as one JSON document (the right of access).

`export_person` reads across apps on purpose: it is the one place that must know every table holding a
person's data, so that nothing is forgotten. A new model that refers to a jobseeker belongs here (and in
`actions.anonymise_person`); `tests/test_export.py` fails when a model refers to a jobseeker and is in neither.
Staff are named by their id only: their names are not the person's data.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from openpes.jobseekers.models import JobSeeker

FORMAT = "openpes-person-export/1"

# Models whose rows are the person's data, in the order they appear in the export, with what to leave out.
# Fields left out are internal (search keys) or files (the export lists documents; the files are downloaded
# one by one from the profile).
OMIT = {"name_keys", "file", "digest"}


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if field.many_to_one or field.one_to_one:
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        related = field.related_model
        assert related is not None and not isinstance(related, str)
        if related._meta.label == settings.AUTH_USER_MODEL or related is JobSeeker:
            return pk  # people other than the subject appear by id only
        return {"id": pk, "label": str(getattr(obj, field.name))}
    value = field.value_from_object(obj)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def row(obj: models.Model, *, omit: Iterable[str] = ()) -> dict[str, Any]:
    """The stored fields of one row, JSON-ready (relations as ids, reference data with a readable label)."""
    skip = OMIT | set(omit)
    return {field.name: _value(obj, field) for field in obj._meta.concrete_fields if field.name not in skip}


def rows(queryset: Iterable[models.Model], *, omit: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [row(obj, omit=omit) for obj in queryset]


def _account(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    fields = ("id", "email", "phone", "phone_verified", "full_name", "role", "preferred_language", "is_active",
              "date_joined", "last_login")  # fmt: skip
    out = {name: _value(user, user._meta.get_field(name)) for name in fields}
    from allauth.account.models import EmailAddress

    out["email_addresses"] = rows(EmailAddress.objects.filter(user=user), omit={"user"})
    return out


def _profile(jobseeker: JobSeeker) -> dict[str, Any]:
    out = row(jobseeker)
    out["preferred_provinces"] = [{"id": p.pk, "label": str(p)} for p in jobseeker.preferred_provinces.all()]
    return out


def _record(jobseeker: JobSeeker) -> dict[str, Any]:
    """One jobseeker record with what hangs off it directly."""
    from openpes.jobseekers.models import WgssAnswers

    wgss = WgssAnswers.objects.filter(jobseeker=jobseeker).first()
    return {
        "profile": _profile(jobseeker),
        "work_experience": rows(jobseeker.experience.select_related("isco_group"), omit={"jobseeker"}),
        "skills": rows(jobseeker.skills.select_related("skill"), omit={"jobseeker"}),
        "languages": rows(jobseeker.languages.all(), omit={"jobseeker"}),
        "desired_occupations": rows(jobseeker.desired_occupations.select_related("isco_group"), omit={"jobseeker"}),
        "wgss": row(wgss, omit={"jobseeker"}) if wgss is not None else None,
        "accommodation_needs": rows(jobseeker.accommodation_needs.all(), omit={"jobseeker"}),
        "consents": rows(jobseeker.consents.all(), omit={"jobseeker"}),
        "documents": rows(jobseeker.documents.all(), omit={"jobseeker"}),
        "events": rows(jobseeker.events.select_related("centre"), omit={"jobseeker"}),
    }


def _applications(jobseeker: JobSeeker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from openpes.applications.models import Application, ApplicationEvent, Placement

    applications = []
    for application in Application.objects.filter(jobseeker=jobseeker).select_related("vacancy", "referral_centre"):
        item = row(application, omit={"jobseeker"})
        item["events"] = rows(ApplicationEvent.objects.filter(application=application), omit={"application"})
        applications.append(item)
    placements = rows(
        Placement.objects.filter(jobseeker=jobseeker).select_related("vacancy", "employer", "centre"),
        omit={"jobseeker"},
    )
    return applications, placements


def _cases(jobseeker: JobSeeker) -> list[dict[str, Any]]:
    if not apps.is_installed("openpes.cases"):
        return []
    from openpes.cases import models as cases

    out = []
    for case in cases.Case.objects.filter(jobseeker=jobseeker).select_related("owner_centre").order_by("episode"):
        intake = cases.Intake.objects.filter(case=case).first()
        plans = []
        for plan in cases.Plan.objects.filter(case=case).order_by("version"):
            item = row(plan, omit={"case"})
            item["barriers"] = rows(cases.Barrier.objects.filter(plan=plan), omit={"plan"})
            objectives = []
            for objective in cases.Objective.objects.filter(plan=plan):
                entry = row(objective, omit={"plan"})
                entry["actions"] = rows(
                    cases.PlanAction.objects.filter(objective=objective).select_related("partner"), omit={"objective"}
                )
                objectives.append(entry)
            item["objectives"] = objectives
            plans.append(item)
        follow_ups = cases.FollowUp.objects.filter(placement__jobseeker=jobseeker, case=case)
        out.append(
            {
                "case": row(case, omit={"jobseeker"}),
                "transfers": rows(
                    cases.CaseTransfer.objects.filter(case=case).select_related("from_centre", "to_centre"),
                    omit={"case"},
                ),
                "intake": row(intake, omit={"case"}) if intake is not None else None,
                "assessments": rows(cases.Assessment.objects.filter(case=case), omit={"case"}),
                "plans": plans,
                "appointments": rows(
                    cases.Appointment.objects.filter(case=case).select_related("centre", "slot"), omit={"case"}
                ),
                "notes": rows(cases.CaseNote.objects.filter(case=case), omit={"case"}),
                "service_referrals": rows(
                    cases.ServiceReferral.objects.filter(case=case).select_related("service", "action"),
                    omit={"case"},
                ),
                "follow_ups": rows(follow_ups.select_related("placement"), omit={"case"}),
                "events": rows(cases.CaseEvent.objects.filter(case=case).select_related("centre"), omit={"case"}),
            }
        )
    return out


def _follow_ups_without_case(jobseeker: JobSeeker) -> list[dict[str, Any]]:
    if not apps.is_installed("openpes.cases"):
        return []
    from openpes.cases.models import FollowUp, PlacementEvidence

    return rows(
        FollowUp.objects.filter(placement__jobseeker=jobseeker, case__isnull=True).select_related("placement")
    ) + rows(PlacementEvidence.objects.filter(placement__jobseeker=jobseeker).select_related("placement"))


def _matching(jobseeker: JobSeeker) -> dict[str, list[dict[str, Any]]]:
    if not apps.is_installed("openpes.matching"):
        return {}
    from openpes.matching.models import Invitation, MatchDismissal, Recommendation

    return {
        "invitations": rows(Invitation.objects.filter(jobseeker=jobseeker).select_related("vacancy")),
        "dismissed_suggestions": rows(MatchDismissal.objects.filter(jobseeker=jobseeker).select_related("vacancy")),
        "recommendations_shown": rows(Recommendation.objects.filter(jobseeker=jobseeker).select_related("vacancy")),
    }


def contact_points(jobseekers: Iterable[JobSeeker]) -> set[str]:
    """The phone numbers and e-mail addresses the person can be reached at (records and account)."""
    found: set[str] = set()
    for jobseeker in jobseekers:
        found.update(value for value in (jobseeker.phone, jobseeker.phone_alt, jobseeker.email) if value)
        user = jobseeker.user
        if user is not None:
            found.update(value for value in (user.phone, user.email) if value)
    return found


def related_records(jobseeker: JobSeeker) -> list[JobSeeker]:
    """The record and the duplicates that were merged into it (they still hold the person's old details)."""
    merged = list(JobSeeker.objects.filter(merged_into=jobseeker).select_related("user"))
    return [jobseeker, *merged]


def export_person(jobseeker: JobSeeker) -> dict[str, Any]:
    """Everything held about this person, JSON-ready. Reads only; the caller audits the export."""
    from openpes.notifications.models import OutboundMessage

    records = related_records(jobseeker)
    applications, placements = _applications(jobseeker)
    out: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "jobseeker_id": jobseeker.pk,
        "account": _account(jobseeker.user),
        **_record(jobseeker),
        "merged_records": [_record(other) for other in records[1:]],
        "applications": applications,
        "placements": placements,
        "cases": _cases(jobseeker),
        "placement_follow_ups_and_evidence": _follow_ups_without_case(jobseeker),
        **_matching(jobseeker),
        "messages": rows(OutboundMessage.objects.filter(to__in=sorted(contact_points(records))).order_by("created_at")),
    }
    return out
