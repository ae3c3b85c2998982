"""The people search index: names in both scripts, phone numbers and national ID, for staff look-ups."""

from __future__ import annotations

from collections.abc import Iterable

from openpes.lib.search import Entry, TextIndex


def _phone_forms(e164: str) -> list[str]:
    if not e164.startswith("+855"):
        return [e164.lstrip("+")] if e164 else []
    national = e164[4:]
    return [national, "0" + national]


def _source(pks: Iterable[int]) -> dict[int, Entry]:
    from openpes.jobseekers.models import JobSeeker

    out = {}
    for row in JobSeeker.objects.filter(pk__in=list(pks)).values(
        "pk", "name_km", "name_latin", "phone", "phone_alt", "national_id"
    ):
        parts = [row["name_km"], row["name_latin"], row["national_id"], str(row["pk"])]
        parts += _phone_forms(row["phone"]) + _phone_forms(row["phone_alt"])
        out[row["pk"]] = Entry(title=" ".join(p for p in parts if p))
    return out


jobseeker_index = TextIndex("jobseekers.JobSeeker", _source)
