"""S3: walk the whole URLconf anonymously and as public roles; only the allow-list below is public."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public pages, each with the reason it must be reachable without an account.
PUBLIC = {
    r"^/$": "landing page",
    r"^/language/$": "switching language before signing in",
    r"^/health$": "load-balancer health check (no data)",
    r"^/accounts/(login|signup|inactive|password/reset|confirm-email|login/code|2fa/authenticate|reauthenticate"
    r"|logout|email/verify|password/reset/key|password/reset/done|phone/verify|signup/passkey)": "allauth's sign-in, "
    "sign-up and recovery flows",
    r"^/accounts/.*/done/?$": "allauth confirmation pages",
    r"^/api/v1/(reference/.*|openapi\.json|docs)$": "public reference data and the API description",
    r"^/api/v1/vacancies(/\d+)?$": "the public job search and published vacancies, as on /jobs/ (API)",
    r"^/jobs/(\d+/)?$": "the public job search and published vacancies (unpublished ones are 404)",
    r"^/employers/register/$": "a business registers itself and its first user (rate-limited like sign-up)",
    r"^/classifications/skills/suggest/$": "ESCO skill names for the skills input (public data)",
    r"^/classifications/isco/suggest/$": "ISCO-08 suggestions for a job title (public data, as in the API)",
    r"^/admin/(login|logout)/": "admin sign-in (admin itself requires an administrator)",
    r"^/training/certificates/verify/": "anyone holding a paper certificate checks it by its code (shows only name, "
    "title, kind and date)",
}

STAFF_ONLY_PREFIXES = ("/centres/", "/classifications/")


def _sample_value(converter: str) -> str:
    return "1" if converter in ("int", "") else "x"


def _paths(patterns=None, prefix: str = "") -> list[str]:
    out = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            out.extend(_paths(entry.url_patterns, prefix + route))
        elif isinstance(entry, URLPattern):
            path = prefix + route
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _sample_value(m.group(1) or ""), path)
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
            path = path.replace("\\", "").replace("?", "")
            out.append("/" + path)
    return sorted(set(out))


def _is_public(path: str) -> bool:
    return any(re.search(pattern, path) for pattern in PUBLIC)


ALL_PATHS = _paths()


def test_the_walk_finds_the_urlconf():
    assert "/" in ALL_PATHS
    assert "/centres/1/" in ALL_PATHS
    assert len(ALL_PATHS) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in ALL_PATHS if not _is_public(p)])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 404, 405), (path, response.status_code)
    else:
        assert response.status_code in (302, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (path, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a"])
def test_public_roles_get_403_or_404_on_staff_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    for path in [p for p in ALL_PATHS if p.startswith(STAFF_ONLY_PREFIXES) and not _is_public(p)]:
        assert client.get(path).status_code in (403, 404), path
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
