"""The profile sections: each maps a name to its form, how to fill the form from the record, and the action
that saves it. The person's own profile and the staff view share them, and one generic view edits any of them
(see views.py). Also: how complete a profile is, and the record's history in words."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openpes.accounts.enums import Role
from openpes.accounts.models import User
from openpes.jobseekers import actions, forms
from openpes.jobseekers.access import CASEWORKERS, can_see_wgss
from openpes.jobseekers.enums import (
    ConsentMethod,
    ConsentPurpose,
    DeregistrationReason,
    EventKind,
    JobSeekerStatus,
    RegistrationChannel,
)
from openpes.jobseekers.models import JobSeeker, JobSeekerEvent, WgssAnswers, WorkExperience
from openpes.lib.http import AuthedRequest

Data = dict[str, Any]


def _fields(*names: str) -> Callable[[AuthedRequest, JobSeeker, Data], None]:
    def save(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
        actions.update_jobseeker(
            actor=request.user, jobseeker=jobseeker, fields={n: data[n] for n in names}, request=request
        )

    return save


def _initial(*names: str) -> Callable[[JobSeeker], Data]:
    def initial(jobseeker: JobSeeker) -> Data:
        return {name: getattr(jobseeker, name) for name in names}

    return initial


def _save_skills(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.save_skills(
        actor=request.user,
        jobseeker=jobseeker,
        skill_ids=[s.pk for s in data["all_skills"]],
        free_text=data["skills_free_text"],
        request=request,
    )


def _save_languages(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.set_languages(actor=request.user, jobseeker=jobseeker, levels=data["levels"], request=request)


def _save_occupations(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    ids = [group.pk for group in data["occupations"]]
    actions.set_desired_occupations(actor=request.user, jobseeker=jobseeker, isco_group_ids=ids, request=request)


def _save_cv(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.attach_cv(
        actor=request.user,
        jobseeker=jobseeker,
        checked=data["checked"],
        original_name=safe_file_name(data["file"].name or ""),
        request=request,
    )


def _save_wgss(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.set_wgss(actor=request.user, jobseeker=jobseeker, answers=data["answers"], request=request)


def _save_accommodation(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.set_accommodation_needs(
        actor=request.user, jobseeker=jobseeker, kinds=data["kinds"], note=data["note"], request=request
    )


def _save_consents(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    method = data.get("method") or ConsentMethod.ONLINE
    actions.record_consents(
        actor=request.user, jobseeker=jobseeker, answers=data["answers"], method=method, request=request
    )


def _save_status(request: AuthedRequest, jobseeker: JobSeeker, data: Data) -> None:
    actions.change_status(
        actor=request.user, jobseeker=jobseeker, status=data["status"], reason=data["reason"], request=request
    )


def local_phone(e164: str) -> str:
    """A stored number as people write it in Cambodia ("012 345 678"); others stay international."""
    import phonenumbers

    if not e164.startswith("+855"):
        return e164
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def _initial_contact(jobseeker: JobSeeker) -> Data:
    return {
        "phone": local_phone(jobseeker.phone),
        "phone_alt": local_phone(jobseeker.phone_alt),
        "email": jobseeker.email,
        "address": jobseeker.address,
        "province": jobseeker.province_id,
        "district": jobseeker.district_id,
        "commune": jobseeker.commune_id,
    }


def _initial_skills(jobseeker: JobSeeker) -> Data:
    return {"skills": [s.skill for s in jobseeker.skills.all()], "skills_free_text": jobseeker.skills_free_text}


def _initial_languages(jobseeker: JobSeeker) -> Data:
    return {f"lang_{row.language}": row.level for row in jobseeker.languages.all()}


def _initial_occupations(jobseeker: JobSeeker) -> Data:
    return {f"occupation_{row.rank}": row.isco_group for row in jobseeker.desired_occupations.all()}


def _initial_preferences(jobseeker: JobSeeker) -> Data:
    names = ("willing_to_relocate", "employment_types", "expected_wage", "available_from", "driving_licences")
    return {**_initial(*names)(jobseeker), "preferred_provinces": list(jobseeker.preferred_provinces.all())}


def _initial_wgss(jobseeker: JobSeeker) -> Data:
    answers = WgssAnswers.objects.filter(jobseeker=jobseeker).first()
    return {d: getattr(answers, d) for d in WgssAnswers.DOMAINS} if answers else {}


def _initial_accommodation(jobseeker: JobSeeker) -> Data:
    needs = list(jobseeker.accommodation_needs.all())
    return {"kinds": [n.kind for n in needs], "note": next((n.note for n in needs if n.note), "")}


def _initial_consents(jobseeker: JobSeeker) -> Data:
    return {purpose: "yes" if given else "no" for purpose, given in actions.current_consents(jobseeker).items()}


@dataclass(frozen=True)
class Section:
    name: str
    title: Promise
    form: type[django_forms.Form]
    initial: Callable[[JobSeeker], Data]
    save: Callable[[AuthedRequest, JobSeeker, Data], None]
    intro: Promise | str = ""
    staff_only: bool = False  # status: counsellors and managers only
    health: bool = False  # WG-SS: only people allowed by access.can_see_wgss


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in [
        Section(
            "personal",
            gettext_lazy("Personal details"),
            forms.PersonalForm,
            _initial("name_km", "name_latin", "sex", "date_of_birth", "national_id"),
            _fields("name_km", "name_latin", "sex", "date_of_birth", "national_id"),
        ),
        Section(
            "contact",
            gettext_lazy("Contact and address"),
            forms.ContactForm,
            _initial_contact,
            _fields("phone", "phone_alt", "email", "province", "district", "commune", "address"),
        ),
        Section(
            "education",
            gettext_lazy("Education"),
            forms.EducationForm,
            lambda j: {"education_level": j.education_level_id, **_initial("field_of_study", "institution")(j)},
            _fields("education_level", "field_of_study", "institution"),
        ),
        Section(
            "experience",
            gettext_lazy("Work history"),
            forms.ExperienceForm,
            lambda j: {},
            lambda r, j, d: None,  # entries are saved one by one, see _save_experience
        ),
        Section("skills", gettext_lazy("Skills"), forms.SkillsForm, _initial_skills, _save_skills),
        Section("languages", gettext_lazy("Languages"), forms.LanguagesForm, _initial_languages, _save_languages),
        Section(
            "occupations",
            gettext_lazy("Work I am looking for"),
            forms.OccupationsForm,
            _initial_occupations,
            _save_occupations,
            intro=gettext_lazy("Up to three occupations, the one you want most first."),
        ),
        Section(
            "preferences",
            gettext_lazy("Preferences"),
            forms.PreferencesForm,
            _initial_preferences,
            _fields(
                "preferred_provinces",
                "willing_to_relocate",
                "employment_types",
                "expected_wage",
                "available_from",
                "driving_licences",
            ),
        ),
        Section(
            "migration",
            gettext_lazy("Work abroad"),
            forms.MigrationForm,
            _initial("returning_migrant", "migration_country", "returned_on"),
            _fields("returning_migrant", "migration_country", "returned_on"),
        ),
        Section("cv", gettext_lazy("CV"), forms.CvForm, lambda j: {}, _save_cv),
        Section(
            "wgss",
            gettext_lazy("Questions about difficulties"),
            forms.WgssForm,
            _initial_wgss,
            _save_wgss,
            intro=gettext_lazy(
                "These six questions are optional. The answers are for statistics only and are never used to "
                "decide anything about you. Only you and your counsellors can see them."
            ),
            health=True,
        ),
        Section(
            "accommodation",
            gettext_lazy("Adjustments at work"),
            forms.AccommodationForm,
            _initial_accommodation,
            _save_accommodation,
            intro=gettext_lazy("Tell us if you need something at work so that employers can prepare it."),
        ),
        Section(
            "consents",
            gettext_lazy("Consents"),
            forms.ConsentForm,
            _initial_consents,
            _save_consents,
            intro=gettext_lazy("What you agree we may do with your details. You can change your answer at any time."),
        ),
        Section(
            "status",
            gettext_lazy("Status"),
            forms.StatusForm,
            lambda j: {"status": j.status, "reason": j.inactive_reason},
            _save_status,
            staff_only=True,
        ),
    ]
}


def section_or_404(name: str, *, user: User, jobseeker: JobSeeker) -> Section:
    section = SECTIONS.get(name)
    if section is None:
        raise Http404
    if section.staff_only and user.role not in CASEWORKERS:
        raise Http404
    if section.health and not can_see_wgss(user, jobseeker):
        raise Http404
    return section


def make_form(
    section: Section, request: AuthedRequest, jobseeker: JobSeeker, experience: WorkExperience | None
) -> django_forms.Form:
    kwargs: Data = {}
    if section.name == "consents":
        kwargs["staff"] = request.user.role != Role.JOBSEEKER
    if section.name == "contact":
        kwargs["places_url"] = request.path
    if section.name == "experience":
        initial = {f: getattr(experience, f) for f in forms.ExperienceForm.base_fields} if experience else {}
    else:
        initial = section.initial(jobseeker)
    if request.method == "POST":
        return section.form(request.POST, request.FILES, initial=initial, **kwargs)
    return section.form(initial=initial, **kwargs)


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    url: str


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[Step]


def completeness(jobseeker: JobSeeker, urls: dict[str, str]) -> Completeness:
    """How much of the profile is filled in, and the sections still empty (in page order)."""
    done = {  # in the order of the profile page
        "contact": bool(jobseeker.district_id or jobseeker.address),
        "occupations": jobseeker.desired_occupations.exists(),
        "experience": jobseeker.experience.exists(),
        "education": jobseeker.education_level_id is not None,
        "skills": jobseeker.skills.exists() or bool(jobseeker.skills_free_text),
        "languages": jobseeker.languages.exists(),
        "preferences": bool(jobseeker.employment_types or jobseeker.available_from),
        "cv": jobseeker.documents.exists(),
    }
    missing = [Step(name, str(SECTIONS[name].title), urls.get(name, "")) for name, ok in done.items() if not ok]
    # Personal details are always there: they are needed to register.
    total = len(done) + 1
    return Completeness(percent=round(100 * (total - len(missing)) / total), missing=missing)


def field_label(name: str) -> str:
    special = {
        "wgss": gettext_lazy("questions about difficulties"),
        "skills": gettext_lazy("skills"),
        "experience": gettext_lazy("work history"),
        "languages": gettext_lazy("languages"),
        "desired_occupations": gettext_lazy("work looked for"),
        "accommodation_needs": gettext_lazy("adjustments at work"),
    }
    if name in special:
        return str(special[name])
    try:
        return str(getattr(JobSeeker._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # an old event may name a field that no longer exists
        return name


def event_text(event: JobSeekerEvent) -> str:
    detail = event.detail or {}
    if event.kind == EventKind.REGISTERED:
        channel = detail.get("channel", "")
        return str(RegistrationChannel(channel).label) if channel in RegistrationChannel.values else ""
    if event.kind == EventKind.STATUS_CHANGED:
        labels = dict(JobSeekerStatus.choices)
        text = _("%(old)s → %(new)s") % {
            "old": labels.get(event.from_status, event.from_status),
            "new": labels.get(event.to_status, event.to_status),
        }
        if event.reason:
            text += " · " + str(dict(DeregistrationReason.choices).get(event.reason, event.reason))
        return text
    if event.kind == EventKind.PROFILE_UPDATED:
        return ", ".join(field_label(name) for name in detail.get("fields", []))
    if event.kind == EventKind.MERGED:
        return _("Record %(number)s was merged into this one.") % {"number": detail.get("merged", "")}
    if event.kind == EventKind.DUPLICATE_DISMISSED:
        return _("Not the same person as record %(number)s.") % {"number": detail.get("other", "")}
    if event.kind == EventKind.CONSENT_RECORDED:
        purpose = str(dict(ConsentPurpose.choices).get(detail.get("purpose", ""), ""))
        return purpose + " · " + (_("agreed") if detail.get("given") else _("withdrawn"))
    return ""


def event_rows(jobseeker: JobSeeker) -> list[dict[str, Any]]:
    events = JobSeekerEvent.objects.filter(jobseeker=jobseeker).select_related("actor", "centre").order_by("-at", "-id")
    return [
        {
            "event": event,
            "text": event_text(event),
            "actor": (
                _("The person")
                if event.actor_id and event.actor_id == jobseeker.user_id
                else (str(event.actor) if event.actor else _("The system"))
            ),
        }
        for event in events[:100]
    ]


def safe_file_name(name: str) -> str:
    """The uploaded file's name for display and downloads: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "cv"
