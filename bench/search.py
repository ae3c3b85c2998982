"""P3: Khmer + English vacancy search with filters over 100,000 vacancies, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.search [--vacancies 100000] [--engines sqlite,postgresql] [--explain 3]

(`--explain N` prints each SQL statement of the N slowest searches, with its time.)

For each engine, in a scratch database created for the run and dropped after it: imports ESCO, generates
5,000 employers and `--vacancies` vacancies (deterministic: titles from ESCO occupation labels and our Khmer
ISCO-08 titles, descriptions in Khmer and English, essential ESCO skills, provinces weighted by population,
publication dates over a year), indexes them with `vacancy_index`, then runs ~200 searches the way the public
search page does (`search_vacancies` on the open published vacancies: the first page of 20 and the count, which
stops past 1,000 as the page does):
English words and prefixes, Khmer words, Khmer words inside longer words, places and employers, with and
without filters, by relevance and by date. One warm-up pass, then three measured passes; then the same again
counting every match, side by side.
Goal: p95 ≤ 50 ms in-process on each engine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.synthetic import (
    BRANDS,
    COMMON_ISCO,
    PROVINCE_POPULATION,
    SECTORS,
    percentile,
    run_child,
    scratch_database,
    setup_django,
    weighted_provinces,
    workdir,
)

GOAL_MS = 50.0
EMPLOYERS = 5000
ESCO_DIR = Path("/work/shared/data/esco-v1.1.1")

KHMER_INTRO = [
    "ក្រុមហ៊ុនយើងខ្ញុំកំពុងជ្រើសរើស{title}ជាបន្ទាន់",
    "ត្រូវការ{title}ដែលមានបទពិសោធន៍",
    "រោងចក្រយើងខ្ញុំត្រូវការ{title}ច្រើននាក់",
    "ហាងយើងខ្ញុំកំពុងស្វែងរក{title}ធ្វើការពេញម៉ោង",
]
KHMER_BODY = [
    "មានប្រាក់ខែ និងប្រាក់រង្វាន់ប្រចាំខែ។",
    "ធ្វើការ ៦ ថ្ងៃក្នុងមួយសប្តាហ៍ ចាប់ពីម៉ោង ៧ ព្រឹក ដល់ម៉ោង ៤ រសៀល។",
    "មានកន្លែងស្នាក់នៅ និងអាហារថ្ងៃត្រង់ជូនបុគ្គលិក។",
    "ទទួលយកអ្នកមិនទាន់មានបទពិសោធន៍ ក្រុមហ៊ុននឹងបណ្តុះបណ្តាលជូន។",
    "សូមមកដាក់ពាក្យដោយផ្ទាល់នៅមជ្ឈមណ្ឌលការងារ ឬទូរស័ព្ទមកយើងខ្ញុំ។",
    "មានធានារាប់រងសុខភាព និងបេឡាជាតិរបបសន្តិសុខសង្គម។",
    "ជនពិការត្រូវបានលើកទឹកចិត្តឱ្យដាក់ពាក្យ។",
]
ENGLISH_BODY = [
    "Monthly salary plus attendance bonus.",
    "Six days a week, 7 am to 4 pm.",
    "Free accommodation and lunch for staff.",
    "No experience needed: we train you.",
    "Apply in person at the job centre or call us.",
    "NSSF health insurance and paid annual leave.",
]
STOPWORDS = {"and", "the", "for", "with", "other", "not", "elsewhere", "classified", "related", "workers"}


# --------------------------------------------------------------------------------------------- building data


def _build(count: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from openpes.centres.models import JobCentre
    from openpes.demo.world import build_centres
    from openpes.employers.models import Employer
    from openpes.geography.models import District, Province
    from openpes.taxonomy.enums import EmploymentType, SkillRelation
    from openpes.taxonomy.loaders import import_esco
    from openpes.taxonomy.models import EducationLevel, IscoGroup, Occupation, OccupationSkill, Sector
    from openpes.vacancies.enums import VacancyStatus
    from openpes.vacancies.models import Vacancy, VacancySkill
    from openpes.vacancies.search import vacancy_index

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    import_esco(ESCO_DIR / "classification-en-csv.zip", ESCO_DIR / "relations-csv.zip")
    build_centres()
    timings["reference_and_esco_s"] = round(time.perf_counter() - started, 1)

    provinces = {p.code: p for p in Province.objects.all()}
    centres = {c.province_id: c for c in JobCentre.objects.filter(kind="provincial")}
    districts: dict[int, list[int]] = {}
    for pk, province_id in District.objects.values_list("pk", "province_id"):
        districts.setdefault(province_id, []).append(pk)
    sectors = {s.code: s for s in Sector.objects.all()}
    education = list(EducationLevel.objects.values_list("pk", flat=True))

    started = time.perf_counter()
    employers = []
    sector_codes = list(SECTORS)
    for index, code in enumerate(weighted_provinces(rng, EMPLOYERS)):
        brand_km, brand_en = rng.choice(BRANDS)
        sector = rng.choices(sector_codes, weights=[SECTORS[c][0] for c in sector_codes])[0]
        trade_km, trade_en = SECTORS[sector][1]
        province = provinces[code]
        employers.append(
            Employer(
                registration_number=f"BENCH-{index:06d}",
                name_en=f"{brand_en} {trade_en} {rng.choice(['Co., Ltd.', 'Group', 'Enterprise', ''])}".strip(),
                name_km=f"{trade_km}{brand_km}",
                sector=sectors[sector],
                size_band=rng.choice(["1-9", "10-49", "50-99", "100-499", "500+"]),
                province=province,
                owner_centre=centres[province.pk],
                verification="verified",
            )
        )
    Employer.objects.bulk_create(employers, batch_size=1000)
    employers = list(Employer.objects.select_related("sector", "province"))

    units = {g.code: g for g in IscoGroup.objects.filter(level=4)}
    occupations = [o for o in Occupation.objects.select_related("isco_group") if o.isco_group.code in units]
    by_group: dict[str, list[Any]] = {}
    for occupation in occupations:
        by_group.setdefault(occupation.isco_group.code, []).append(occupation)
    essential: dict[int, list[int]] = {}
    for occupation_id, skill_id in OccupationSkill.objects.filter(relation=SkillRelation.ESSENTIAL).values_list(
        "occupation_id", "skill_id"
    ):
        essential.setdefault(occupation_id, []).append(skill_id)
    types = list(EmploymentType.values)
    now = timezone.now()
    today = timezone.localdate()
    codes = list(PROVINCE_POPULATION)
    weights = [PROVINCE_POPULATION[c] for c in codes]

    created = 0
    for batch_start in range(0, count, 2000):
        vacancies, skills = [], []
        for _ in range(min(2000, count - batch_start)):
            # Two thirds recruit for the trades of the employer's sector, the rest anything in ESCO.
            employer = rng.choice(employers)
            trade_groups = [g for g in SECTORS.get(employer.sector.code, (0, ("", ""), []))[2] if g in by_group]
            if trade_groups and rng.random() < 0.67:
                occupation = rng.choice(by_group[rng.choice(trade_groups)])
            else:
                occupation = rng.choice(occupations)
            group = occupation.isco_group
            province = employer.province if rng.random() < 0.8 else provinces[rng.choices(codes, weights)[0]]
            label = occupation.label_en[:1].upper() + occupation.label_en[1:]
            language = rng.random()
            title_km = group.title_km or group.title_en
            positions = rng.choice([1, 1, 2, 3, 5, 10, 20, 50])
            english = " ".join(
                [re.split(r"(?<=\.)\s", occupation.description_en or label)[0][:400], *rng.sample(ENGLISH_BODY, 3)]
            )
            khmer = " ".join(
                [
                    rng.choice(KHMER_INTRO).format(title=title_km) + f" ចំនួន {positions} នាក់។",
                    *rng.sample(KHMER_BODY, 3),
                ]
            )
            if language < 0.45:
                title, description = label, english
            elif language < 0.8:
                title, description = title_km, khmer
            else:
                title, description = f"{title_km} / {label}", f"{khmer}\n\n{english}"
            published = now - timedelta(days=int(rng.triangular(0, 365, 0)), minutes=rng.randrange(1440))
            open_ = rng.random() < 0.9
            wage = rng.choice([None, 200, 220, 250, 300, 350, 400, 500, 700])
            vacancies.append(
                Vacancy(
                    employer=employer,
                    owner_centre_id=employer.owner_centre_id,
                    title=title[:200],
                    isco_group=group,
                    description=description[:5000],
                    positions=positions,
                    province=province,
                    district_id=rng.choice(districts[province.pk]) if rng.random() < 0.5 else None,
                    employment_type=rng.choices(types, weights=[60, 10, 15, 5, 10])[0],
                    wage_min=wage,
                    wage_max=wage + 100 if wage else None,
                    education_level_id=rng.choice(education) if rng.random() < 0.5 else None,
                    disability_friendly=rng.random() < 0.12,
                    closing_date=today + timedelta(days=rng.randint(1, 90)) if open_ else today - timedelta(days=5),
                    status=VacancyStatus.PUBLISHED
                    if open_
                    else rng.choice([VacancyStatus.FILLED, VacancyStatus.CLOSED]),
                    published_at=published,
                    created_at=published,
                )
            )
            skills.append(rng.sample(essential.get(occupation.pk, []), min(5, len(essential.get(occupation.pk, [])))))
        with transaction.atomic():
            Vacancy.objects.bulk_create(vacancies, batch_size=500)
            VacancySkill.objects.bulk_create(
                [
                    VacancySkill(vacancy=v, skill_id=skill, relation=SkillRelation.ESSENTIAL)
                    for v, chosen in zip(vacancies, skills, strict=True)
                    for skill in chosen
                ],
                batch_size=2000,
            )
        created += len(vacancies)
    timings["generate_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    with transaction.atomic():
        vacancy_index.rebuild()
    timings["index_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {vacancy_index.table}({vacancy_index.table}) VALUES ('optimize')")
        cursor.execute("ANALYZE")
    return {"vacancies": created, "skills": VacancySkill.objects.count(), **timings}


# --------------------------------------------------------------------------------------------- the queries


def _queries(seed: int) -> list[dict[str, Any]]:
    """About 200 searches people make, built from the words in the data (the same list on each engine)."""
    from khmercut import seg_kcc

    from openpes.employers.models import Employer
    from openpes.geography.models import Province
    from openpes.lib.khmer import segment
    from openpes.taxonomy.models import IscoGroup, Occupation, Sector

    rng = random.Random(seed)
    common = list(Occupation.objects.filter(isco_group__code__in=list(COMMON_ISCO)).values_list("label_en", flat=True))
    english = Counter(w for label in common for w in re.findall(r"[a-z]{4,}", label.lower()) if w not in STOPWORDS)
    english_words = [w for w, _ in english.most_common(120)]
    titles_km = [
        t for t in IscoGroup.objects.filter(level=4, code__in=list(COMMON_ISCO)).values_list("title_km", flat=True) if t
    ]
    titles_km += list(
        IscoGroup.objects.filter(level=4).exclude(code__in=list(COMMON_ISCO)).values_list("title_km", flat=True)[:80]
    )
    khmer_words = sorted({w for t in titles_km for w in segment(t) if len(w) >= 2 and not w.isascii()})
    long_words = [w for w in khmer_words if len(seg_kcc(w)) >= 3]
    provinces = list(Province.objects.values_list("code", "name_en", "name_km"))
    employer_words = sorted(
        {w for name in Employer.objects.values_list("name_en", flat=True)[:500] for w in name.split()[:1]}
    )
    sectors = list(Sector.objects.values_list("code", flat=True))
    specs: list[dict[str, Any]] = []

    def add(kind: str, q: str) -> None:
        specs.append({"kind": kind, "q": q})

    for _ in range(45):
        add("english word", rng.choice(english_words))
    for _ in range(10):
        add("english words", " ".join(rng.sample(english_words[:40], 2)))
    for _ in range(15):
        word = rng.choice(english_words)
        add("english prefix", word[: rng.randint(3, 5)])
    for _ in range(50):
        add("khmer word", rng.choice(khmer_words))
    for _ in range(30):
        clusters = [c for c in seg_kcc(rng.choice(long_words)) if c.strip()]
        start = rng.randrange(1, max(2, len(clusters) - 1))
        add("khmer inside word", "".join(clusters[start : start + 2]))
    for _ in range(25):
        code, name_en, name_km = rng.choice(provinces)
        add("place or employer", rng.choice([name_en, name_km, rng.choice(employer_words)]))
    for _ in range(25):
        add("filters only", "")
    for spec in specs:
        filtered = spec["kind"] == "filters only" or rng.random() < 0.5
        if filtered:
            for key in rng.sample(
                ["province", "isco", "sector", "employment_type", "disability", "since"], rng.randint(1, 2)
            ):
                if key == "province":
                    spec["province"] = rng.choices(
                        list(PROVINCE_POPULATION), weights=list(PROVINCE_POPULATION.values())
                    )[0]
                elif key == "isco":
                    spec["isco"] = rng.choice(list(COMMON_ISCO))[: rng.choice([1, 2, 4])]
                elif key == "sector":
                    spec["sector"] = rng.choice(sectors)
                elif key == "employment_type":
                    spec["employment_type"] = rng.choice(["full_time", "part_time", "temporary", "daily"])
                elif key == "disability":
                    spec["disability_friendly"] = True
                else:
                    spec["posted_since_days"] = rng.choice([7, 30, 90])
        spec["sort"] = "date" if rng.random() < 0.3 else "relevance"
        spec["filtered"] = filtered
    return specs


def _filters(spec: dict[str, Any]) -> Any:
    from django.utils import timezone

    from openpes.vacancies.search import VacancyFilters

    today = timezone.localdate()
    return VacancyFilters(
        q=spec["q"],
        province=spec.get("province", ""),
        isco=spec.get("isco", ""),
        sector=spec.get("sector", ""),
        employment_type=spec.get("employment_type", ""),
        disability_friendly=spec.get("disability_friendly", False),
        posted_since=today - timedelta(days=spec["posted_since_days"]) if "posted_since_days" in spec else None,
        sort=spec["sort"],
    )


def _run(spec: dict[str, Any], *, exact_count: bool = False) -> tuple[float, int, float]:
    """One search as the public page runs it: (milliseconds, total found, milliseconds of the count alone).
    `exact_count` counts every match instead of stopping at the app's cap ("more than 1,000 jobs")."""
    from django.core.paginator import Paginator

    from openpes.vacancies.access import get_public_vacancies
    from openpes.vacancies.search import search_vacancies

    filters = _filters(spec)
    started = time.perf_counter()
    found = search_vacancies(get_public_vacancies(), filters, exact_count)  # as the page: open vacancies
    page = Paginator(found, 20).get_page(1)
    items = list(page.object_list)
    total = page.paginator.count
    elapsed = (time.perf_counter() - started) * 1000
    assert len(items) <= 20
    started = time.perf_counter()
    search_vacancies(get_public_vacancies(), filters, exact_count).count()
    return elapsed, total, (time.perf_counter() - started) * 1000


def _measure(specs: list[dict[str, Any]], **options: Any) -> list[tuple[float, dict[str, Any], int, float]]:
    for spec in specs:  # warm-up: caches, the segmenter, the database's buffers
        _run(spec, **options)
    samples = []
    for _ in range(3):
        for spec in specs:
            elapsed, total, count_ms = _run(spec, **options)
            samples.append((elapsed, spec, total, count_ms))
    return samples


def _summary(samples: list[tuple[float, dict[str, Any], int, float]]) -> dict[str, Any]:
    times = [s[0] for s in samples]
    return {
        "p50": round(percentile(times, 0.5), 1),
        "p95": round(percentile(times, 0.95), 1),
        "max": round(max(times), 1),
        "count_share": round(sum(s[3] for s in samples) / sum(times), 2),
    }


def _explain(spec: dict[str, Any]) -> list[str]:
    """Each SQL statement one search runs, with its time."""
    from django.db import connection

    lines: list[str] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            lines.append(f"{(time.perf_counter() - started) * 1000:7.1f} ms  {' '.join(sql.split())[:160]}")

    with connection.execute_wrapper(timed):
        _run(spec)
    return lines


def child(engine: str, count: int, seed: int, explain: int) -> dict[str, Any]:
    setup_django(engine)

    built = _build(count, seed)
    specs = _queries(seed)
    samples = _measure(specs)
    by_kind: dict[str, list[float]] = {}
    for elapsed, spec, _, _ in samples:
        by_kind.setdefault(spec["kind"] + (" + filters" if spec["filtered"] and spec["q"] else ""), []).append(elapsed)
    slowest = sorted(samples, key=lambda s: -s[0])[:8]
    out = {
        "engine": engine,
        **built,
        "queries": len(specs),
        **_summary(samples),
        "kinds": {
            k: [len(v), round(percentile(v, 0.5), 1), round(percentile(v, 0.95), 1)] for k, v in sorted(by_kind.items())
        },
        "slowest": [
            {
                "ms": round(ms, 1),
                "count_ms": round(cms, 1),
                "found": total,
                **{k: v for k, v in spec.items() if k != "filtered"},
            }
            for ms, spec, total, cms in slowest
        ],
    }
    if explain:
        seen: set[str] = set()
        plans: list[dict[str, Any]] = []
        for _, spec, _, _ in sorted(samples, key=lambda s: -s[0]):
            key = json.dumps(spec, sort_keys=True)
            if key in seen or len(plans) >= explain:
                continue
            seen.add(key)
            plans.append({"search": {k: v for k, v in spec.items() if k != "filtered"}, "plan": _explain(spec)})
        out["plans"] = plans
    # Side by side on the same data and searches: counting every match instead of stopping at the cap.
    out["exact"] = _summary(_measure(specs, exact_count=True))
    return out


def _report(results: list[dict[str, Any]]) -> None:
    print()
    first = results[0]
    print(f"P3 search: {first['vacancies']:,} vacancies, {first['queries']} searches × 3, goal p95 ≤ {GOAL_MS:.0f} ms")
    print(f"{'engine':<11} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  {'count share':>11}  setup (ESCO / data / index)")
    for r in results:
        flag = "ok" if r["p95"] <= GOAL_MS else "SLOW"
        print(
            f"{r['engine']:<11} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['max']:>7.1f}  {r['count_share']:>10.0%}  "
            f"{r['reference_and_esco_s']} s / {r['generate_s']} s / {r['index_s']} s  {flag}"
        )
    print("\nBy kind of search (n, p50 ms, p95 ms):")
    kinds = sorted({k for r in results for k in r["kinds"]})
    print(f"  {'kind':<32}" + "".join(f"{r['engine']:>24}" for r in results))
    for kind in kinds:
        cells = []
        for r in results:
            n, p50, p95 = r["kinds"].get(kind, [0, 0, 0])
            cells.append(f"{n:>5} {p50:>8.1f} {p95:>8.1f}")
        print(f"  {kind:<32}" + "".join(f"{c:>24}" for c in cells))
    for r in results:
        print(f"\nSlowest searches on {r['engine']}:")
        for s in r["slowest"]:
            search = {k: v for k, v in s.items() if k not in ("ms", "count_ms", "found")}
            found = f"{s['ms']:>7.1f} ms (count {s['count_ms']:.1f} ms, {s['found']:,} found)"
            print(f"  {found}  {json.dumps(search, ensure_ascii=False)}")
        for plan in r.get("plans", []):
            print(f"  plan for {json.dumps(plan['search'], ensure_ascii=False)}:")
            for line in plan["plan"]:
                print(f"    {line}")
    print("\nSide by side, same data and searches (p50 / p95 / max ms):")
    for r in results:
        print(f"  {r['engine']:<11} as the app does it today       {r['p50']:>7.1f} {r['p95']:>7.1f} {r['max']:>8.1f}")
        v, label = r["exact"], "… counting every match"
        print(f"  {r['engine']:<11} {label:<30} {v['p50']:>7.1f} {v['p95']:>7.1f} {v['max']:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres", help="server to use")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", type=int, default=0, help="print query plans of the N slowest searches")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.engine, args.vacancies, args.seed, args.explain), ensure_ascii=False))
        return
    results = []
    with workdir(keep=False) as folder:
        for engine_name in args.engines.split(","):
            with scratch_database(engine_name, folder, args.pg_url) as engine:
                print(f"{engine_name}: building {args.vacancies:,} vacancies in a scratch database …")
                result = run_child(
                    "bench.search",
                    engine,
                    folder,
                    ["--vacancies", str(args.vacancies), "--seed", str(args.seed), "--explain", str(args.explain)],
                )
                if result is not None:
                    results.append(result)
    if results:
        _report(results)
    sys.exit(0 if len(results) == len(args.engines.split(",")) else 1)


if __name__ == "__main__":
    main()
