"""Who may be shown which matches. Views and the API load suggestions only through these helpers.

* a jobseeker sees recommended jobs for their own record (published, open vacancies only);
* staff see, for a vacancy they may open, a shortlist of jobseekers **within their scope** (centre, province or
  nation — `jobseekers.access.get_jobseekers_for_user`), and recommended jobs for a person in their scope;
  counsellors and centre managers act on them (refer, dismiss);
* an employer user sees anonymous suggestions for their own published vacancies, drawn only from people whose
  current answer to "show my profile to employers" is yes; names and contacts never leave this module for them;
* the fairness audit is for national officers, administrators (nation) and centre managers (their province).

The engine ranks nationally. `ranked_jobseekers` asks it for a wide list and keeps the allowed people, then
scores the allowed set with the reference scorer when too few remain — one function, so a future engine
parameter (`top_jobseekers(..., allowed=...)`) can replace its body.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from openpes.accounts.enums import Role
from openpes.jobseekers.access import get_jobseekers_for_user
from openpes.jobseekers.enums import ConsentPurpose, JobSeekerStatus
from openpes.jobseekers.models import Consent, JobSeeker
from openpes.lib.access import Level, scope_for
from openpes.matching import service
from openpes.matching.engine import Match
from openpes.matching.models import MatchDismissal, Recommendation
from openpes.vacancies.access import get_managed_vacancy, get_public_vacancies, get_vacancy_for_user
from openpes.vacancies.models import Vacancy

LIST_SIZE = 20
NATIONAL_POOL = 500  # how many the engine is asked for before filtering to a scope
FALLBACK_POOL = 1000  # at most this many allowed people are scored one by one when the filtered list is short

CASEWORKERS = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
SHORTLIST_ROLES = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR})
FAIRNESS_ROLES = frozenset({Role.CENTRE_MANAGER, Role.NATIONAL_OFFICER, Role.ADMINISTRATOR})


def can_act_on_matches(user: Any) -> bool:
    """Refer or dismiss from a list of suggestions (caseworkers only; national staff read)."""
    return getattr(user, "role", None) in CASEWORKERS


# ------------------------------------------------------------------------------------------------ vacancies


def get_vacancy_for_shortlist(user: Any, pk: Any) -> Vacancy:
    """A vacancy a staff member may see candidates for: any published one, or one in their scope."""
    if getattr(user, "role", None) not in SHORTLIST_ROLES:
        raise PermissionDenied
    return get_vacancy_for_user(user, pk)


def get_vacancy_for_suggestions(user: Any, pk: Any) -> Vacancy:
    """One of the employer user's own vacancies (others are 404)."""
    if getattr(user, "role", None) != Role.EMPLOYER:
        raise PermissionDenied
    return get_managed_vacancy(user, pk)


def open_vacancies() -> QuerySet[Vacancy]:
    return get_public_vacancies().filter(closing_date__gte=timezone.localdate())


# ------------------------------------------------------------------------------------------------ people


def consenting_jobseekers() -> QuerySet[JobSeeker]:
    """Active people whose latest answer to "show my profile to employers" is yes (as
    `jobseekers.actions.current_consents` reads it: the last answer by time, then id)."""
    latest = (
        Consent.objects.filter(jobseeker=OuterRef("pk"), purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS)
        .order_by("-at", "-id")
        .values("given")[:1]
    )
    return (
        JobSeeker.objects.current()
        .filter(status=JobSeekerStatus.ACTIVE)
        .annotate(shares_with_employers=Subquery(latest))
        .filter(shares_with_employers=True)
    )


def shortlist_pool(user: Any) -> QuerySet[JobSeeker]:
    """The people a staff member may see in a shortlist: active records in their scope."""
    return get_jobseekers_for_user(user).filter(status=JobSeekerStatus.ACTIVE)


def blocked_vacancies(jobseeker_id: int) -> set[int]:
    """Vacancies never to suggest to this person again: applied, referred or dismissed (read from the
    database, so a change shows at once even before the index syncs)."""
    from openpes.applications.models import Application

    applied = Application.objects.filter(jobseeker_id=jobseeker_id).order_by().values_list("vacancy_id", flat=True)
    dismissed = MatchDismissal.objects.filter(jobseeker_id=jobseeker_id).values_list("vacancy_id", flat=True)
    return set(applied.union(dismissed))


def blocked_jobseekers(vacancy_id: int) -> set[int]:
    from openpes.applications.models import Application

    applied = Application.objects.filter(vacancy_id=vacancy_id).order_by().values_list("jobseeker_id", flat=True)
    dismissed = MatchDismissal.objects.filter(vacancy_id=vacancy_id).values_list("jobseeker_id", flat=True)
    return set(applied.union(dismissed))


# ------------------------------------------------------------------------------------------------ ranking


def recommended_jobs(jobseeker: JobSeeker, k: int = LIST_SIZE) -> list[Match]:
    """The k best open, published vacancies for this person, best first."""
    index = service.get_index()
    found = index.top_vacancies(jobseeker.pk, k + LIST_SIZE)
    if not found:
        return []
    ids = [m.id for m in found]
    open_ids = set(open_vacancies().filter(pk__in=ids).values_list("pk", flat=True))
    blocked = blocked_vacancies(jobseeker.pk)
    return [m for m in found if m.id in open_ids and m.id not in blocked][:k]


def ranked_jobseekers(vacancy: Vacancy, allowed: QuerySet[JobSeeker], k: int = LIST_SIZE) -> list[Match]:
    """The k best people for `vacancy` among `allowed`, best first.

    Asks the national index for NATIONAL_POOL people and keeps the allowed ones; if fewer than k remain, scores
    up to FALLBACK_POOL more allowed people with the reference rules (people who want or did work in the same
    ISCO-08 major group, or who have one of the job's skills, first). Replace with the engine's `allowed=`
    parameter once it has one."""
    if not vacancy.is_open:
        return []
    index = service.get_index()
    blocked = blocked_jobseekers(vacancy.pk)
    found = [m for m in index.top_jobseekers(vacancy.pk, NATIONAL_POOL) if m.id not in blocked]
    permitted = set(allowed.filter(pk__in=[m.id for m in found]).values_list("pk", flat=True))
    kept = [m for m in found if m.id in permitted]
    if len(kept) >= k:
        return kept[:k]
    seen = {m.id for m in found} | blocked
    extra = _score_allowed(index, vacancy, _fallback_pool(vacancy, allowed, seen))
    merged = sorted([*kept, *extra], key=lambda m: (-m.score, m.id))
    return merged[:k]


def _fallback_pool(vacancy: Vacancy, allowed: QuerySet[JobSeeker], seen: set[int]) -> list[int]:
    major = vacancy.isco_group.code[:1]
    skills = vacancy.skills.values("skill_id")
    candidates = allowed.exclude(pk__in=seen)
    relevant = JobSeeker.objects.filter(
        Q(desired_occupations__isco_group__code__startswith=major)
        | Q(experience__isco_group__code__startswith=major)
        | Q(skills__skill_id__in=skills)
    ).values("pk")
    first = list(
        candidates.filter(pk__in=relevant).order_by("-updated_at", "-pk").values_list("pk", flat=True)[:FALLBACK_POOL]
    )
    if len(first) < FALLBACK_POOL:
        rest = candidates.exclude(pk__in=first).order_by("-updated_at", "-pk").values_list("pk", flat=True)
        first += list(rest[: FALLBACK_POOL - len(first)])
    return first


def _score_allowed(index: Any, vacancy: Vacancy, jobseeker_ids: list[int]) -> list[Match]:
    if not jobseeker_ids:
        return []
    from openpes.matching.explain import scoring_context
    from openpes.matching.loaders import jobseeker_features, vacancy_features
    from openpes.matching.scoring import excluded, score

    ctx = scoring_context(index)
    job = next(iter(vacancy_features(Vacancy.objects.filter(pk=vacancy.pk), ctx)), None)
    if job is None:
        return []
    weights = service.current_weights()
    people = jobseeker_features(JobSeeker.objects.filter(pk__in=jobseeker_ids), ctx)
    return [
        Match(id=js.id, score=score(js, job, ctx, weights=weights, direction="people").total)
        for js in people
        if not excluded(js, job)
    ]


# ------------------------------------------------------------------------------------------------ audit


def get_recommendations_for_user(user: Any) -> QuerySet[Recommendation]:
    """Logged recommendations of people in the user's scope, for the fairness audit (aggregates only)."""
    if getattr(user, "role", None) not in FAIRNESS_ROLES:
        raise PermissionDenied
    scope = scope_for(user)
    rows = Recommendation.objects.filter(jobseeker__merged_into__isnull=True)
    if scope.level is Level.NONE:
        raise PermissionDenied
    return scope.filter(rows, centre="jobseeker__owner_centre", province="jobseeker__owner_centre__province")


def get_register_for_user(user: Any) -> QuerySet[JobSeeker]:
    """The jobseekers the fairness audit compares against (everyone on the register in the user's scope)."""
    if getattr(user, "role", None) not in FAIRNESS_ROLES:
        raise PermissionDenied
    return get_jobseekers_for_user(user)
