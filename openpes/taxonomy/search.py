"""Finding ISCO-08 groups by code or by words in Khmer or English (the picker behind every ISCO field)."""

from __future__ import annotations

from django.db.models import Q

from openpes.lib.khmer import normalize
from openpes.taxonomy.models import IscoGroup, Skill


def search_isco(query: str, *, level: int | None = None, limit: int = 20) -> list[IscoGroup]:
    query = normalize(query or "").strip()
    groups = IscoGroup.objects.all()
    if level is not None:
        groups = groups.filter(level=level)
    if query.isdigit():
        return list(groups.filter(code__startswith=query)[:limit])
    for word in query.split():
        groups = groups.filter(Q(title_en__icontains=word) | Q(title_km__contains=word))
    return list(groups.order_by("-level", "code")[:limit] if query else groups[:limit])


def search_skills(query: str, *, limit: int = 20) -> list[Skill]:
    """ESCO skills whose English or Khmer label contains every word, shortest labels first."""
    from django.db.models.functions import Length

    query = normalize(query or "").strip()
    skills = Skill.objects.all()
    for word in query.split()[:5]:
        skills = skills.filter(Q(label_en__icontains=word) | Q(label_km__contains=word))
    return list(skills.order_by(Length("label_en"), "label_en")[:limit]) if query else []
