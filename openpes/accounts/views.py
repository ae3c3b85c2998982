from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.views.decorators.http import require_POST

from openpes.accounts.access import get_staff_for_user
from openpes.accounts.enums import Role
from openpes.accounts.forms import LanguageForm
from openpes.centres.access import get_centres_for_user
from openpes.geography.models import Province
from openpes.taxonomy.models import IscoGroup, Occupation, Skill


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The front door: a public landing page, or the signed-in user's home page for their role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "accounts/home/public.html")
    context: dict[str, object] = {"role": user.role}
    if user.role in (Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR):
        context["centres"] = (
            get_centres_for_user(user).annotate(staff_count=Count("staff")).order_by("province__code", "kind", "code")
        )
    if user.role in (Role.COUNSELLOR, Role.CENTRE_MANAGER):
        context["colleagues"] = get_staff_for_user(user).exclude(pk=user.pk).order_by("full_name")[:50]
        from openpes.cases.caseload import home_context as caseload_home_context

        context.update(caseload_home_context(user))
    if user.role == Role.EMPLOYER:
        from openpes.employers.views import home_context

        context.update(home_context(request))  # type: ignore[arg-type]
    if user.role == Role.JOBSEEKER:
        from openpes.jobseekers.views import home_context as jobseeker_home_context

        context.update(jobseeker_home_context(user))
    if user.role in (Role.NATIONAL_OFFICER, Role.ADMINISTRATOR):
        context["reference"] = {
            "provinces": Province.objects.count(),
            "isco": IscoGroup.objects.count(),
            "occupations": Occupation.objects.count(),
            "skills": Skill.objects.count(),
        }
    return render(request, f"accounts/home/{user.role}.html", context)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language for this browser and, for a signed-in user, remember it on their account."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        activate(language)
        from django.conf import settings

        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=True,
        )
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response
