"""The fairness audit of recommendations and referrals (four-fifths rule), by sex, age band and the Washington
Group disability identifier, per vacancy group (ISCO-08 major group of the vacancy).

Definitions, for a period and the people in the reader's scope:

* **on the register** — current jobseeker records registered before the end of the period;
* **recommended** for a vacancy group — distinct people shown (to themselves, a counsellor or an employer) as a
  suggestion for at least one vacancy of that group during the period (`Recommendation` rows);
* **referred** — of those, the people a counsellor referred to a vacancy of the same group during the period;
* **recommendation rate** = recommended ÷ on the register; **referral rate** = referred ÷ recommended;
* **ratio** = a group's rate ÷ the highest rate among the groups compared (the best-off group); a ratio under
  0.8 is flagged (the "four-fifths rule"). "Not answered" (no WG-SS answers) is shown but not compared.
* **small cells**: counts from 1 to 4 are shown as "fewer than 5" (zero is shown). A rate whose denominator is
  under 5 is not computed and its group is not compared. A rate whose numerator is hidden is hidden too, and
  so is any ratio that would reveal it; the flag is still shown, since it reveals only "under 0.8".

Age is taken on the last day of the period. Sex, age and disability are read here, for the audit only: they are
never inputs of matching (see weights.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from openpes.accounts.enums import Sex
from openpes.applications.enums import ApplicationSource
from openpes.applications.models import Application
from openpes.jobseekers.models import JobSeeker
from openpes.lib.exports import Sheet
from openpes.lib.i18n import pick
from openpes.matching.models import Recommendation

SMALL = 5
FOUR_FIFTHS = 0.8
ALL_GROUPS = ""
AGE_BANDS = (("15-24", 0), ("25-34", 25), ("35-54", 35), ("55+", 55))
DIMENSIONS = ("sex", "age", "disability")
# Categories that are reported but never compared (no answer is not a group of people).
NOT_COMPARED = frozenset({("disability", "unknown")})


# ------------------------------------------------------------------------------------------------ arithmetic


@dataclass
class Rate:
    """One rate of one group, compared with the best-off group of the same table."""

    numerator: int
    denominator: int
    comparable: bool = True
    ratio: float | None = None
    flagged: bool = False
    reference: bool = False
    ratio_hidden: bool = False

    @property
    def computed(self) -> bool:
        return self.denominator >= SMALL

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.computed else None

    @property
    def hidden(self) -> bool:
        """The numerator is a small count, so the rate (which would reveal it) is not shown."""
        return is_small(self.numerator)

    @property
    def shown_value(self) -> float | None:
        return None if self.hidden else self.value

    @property
    def shown_ratio(self) -> float | None:
        return None if self.ratio_hidden else self.ratio


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def compare(rates: dict[str, Rate]) -> dict[str, Rate]:
    """Fill in ratios to the best-off comparable group and the four-fifths flags (in place; returned)."""
    usable = {key: rate for key, rate in rates.items() if rate.comparable and rate.computed}
    if len(usable) < 2:
        return rates
    best_key = max(usable, key=lambda key: (usable[key].value or 0.0, key))
    best = usable[best_key].value or 0.0
    if best <= 0:
        return rates
    for key, rate in usable.items():
        rate.ratio = (rate.value or 0.0) / best
        rate.flagged = rate.ratio < FOUR_FIFTHS
        rate.reference = key == best_key
        rate.ratio_hidden = rate.hidden or usable[best_key].hidden
    return rates


# ------------------------------------------------------------------------------------------------ the report


@dataclass
class Row:
    """One group of people (e.g. women) in one vacancy group."""

    dimension: str
    category: str
    register: int
    recommended: int
    referred: int
    recommendation: Rate
    referral: Rate

    @property
    def dimension_label(self) -> str:
        return dimension_label(self.dimension)

    @property
    def category_label(self) -> str:
        return category_label(self.dimension, self.category)


@dataclass
class Group:
    """The tables of one vacancy group (or of all vacancies)."""

    code: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def by_dimension(self) -> list[tuple[str, list[Row]]]:
        return [(dimension_label(d), [r for r in self.rows if r.dimension == d]) for d in DIMENSIONS]

    @property
    def flags(self) -> int:
        return sum(r.recommendation.flagged + r.referral.flagged for r in self.rows)


@dataclass
class Report:
    start: date
    end: date
    direction: str
    groups: list[Group]

    @property
    def flags(self) -> int:
        return sum(g.flags for g in self.groups)


def dimension_label(dimension: str) -> str:
    return {
        "sex": gettext("Sex"),
        "age": gettext("Age band"),
        "disability": gettext("Disability (Washington Group identifier)"),
    }[dimension]


def category_label(dimension: str, category: str) -> str:
    if dimension == "sex":
        try:
            return str(Sex(category).label)
        except ValueError:
            return category
    if dimension == "age":
        return category.replace("-", "–")
    return {
        "yes": gettext("With a disability"),
        "no": gettext("Without a disability"),
        "unknown": gettext("Not answered"),
    }.get(category, category)


def categories(dimension: str) -> list[str]:
    if dimension == "sex":
        return list(Sex.values)
    if dimension == "age":
        return [band for band, _ in AGE_BANDS]
    return ["yes", "no", "unknown"]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def category_expression(dimension: str, prefix: str, end: date) -> Any:
    """The person's group in `dimension` as an SQL expression (`prefix` leads to the jobseeker)."""
    if dimension == "sex":
        return F(f"{prefix}sex")
    if dimension == "age":
        whens = [
            When(**{f"{prefix}date_of_birth__gt": _years_before(end, next_lower)}, then=Value(band))
            for (band, _), (_, next_lower) in zip(AGE_BANDS, AGE_BANDS[1:], strict=False)
        ]
        return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())
    return Case(
        When(**{f"{prefix}wgss__disability": True}, then=Value("yes")),
        When(**{f"{prefix}wgss__disability": False}, then=Value("no")),
        default=Value("unknown"),
        output_field=CharField(),
    )


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _cells(
    queryset: QuerySet[Any], prefix: str, end: date, *, by_group: bool, count: str
) -> dict[str, dict[tuple[str, str], int]]:
    """Distinct people per (vacancy group, category) for every dimension, from one grouped query.

    Each person is in exactly one category of each dimension, so the counts of the (sex × age × disability)
    cells add up, per dimension, to the distinct people of each category. Across vacancy groups they do not
    (one person can be recommended jobs of several groups): "all vacancies" is a query of its own."""
    expressions = {f"cat_{d}": category_expression(d, prefix, end) for d in DIMENSIONS}
    fields = ["major"] if by_group else []
    rows = queryset.values(*fields, **expressions).annotate(n=Count(count, distinct=True)).order_by()
    out: dict[str, dict[tuple[str, str], int]] = {d: defaultdict(int) for d in DIMENSIONS}
    for row in rows:
        major = row["major"] if by_group else ALL_GROUPS
        for dimension in DIMENSIONS:
            out[dimension][(major, row[f"cat_{dimension}"] or "")] += row["n"]
    return out


def _merged(*parts: dict[str, dict[tuple[str, str], int]]) -> dict[str, dict[tuple[str, str], int]]:
    return {d: {key: n for part in parts for key, n in part[d].items()} for d in DIMENSIONS}


def fairness_report(
    *,
    recommendations: QuerySet[Recommendation],
    register: QuerySet[JobSeeker],
    start: date,
    end: date,
    direction: str = "",
) -> Report:
    """The audit for a period (both days included). `recommendations` and `register` come already scoped
    (`matching.access.get_recommendations_for_user`, `get_register_for_user`)."""
    since, until = _bounds(start, end)
    shown = recommendations.filter(shown_at__gte=since, shown_at__lt=until)
    if direction:
        shown = shown.filter(direction=direction)
    shown = shown.annotate(major=Substr("vacancy__isco_group__code", 1, 1))
    referrals = (
        Application.objects.filter(source=ApplicationSource.REFERRED, created_at__gte=since, created_at__lt=until)
        .annotate(major=Substr("vacancy__isco_group__code", 1, 1))
        .filter(Exists(shown.filter(jobseeker_id=OuterRef("jobseeker_id"), major=OuterRef("major"))))
    )
    people = register.filter(created_at__lt=until)
    # Five grouped queries (recommended and referred, per vacancy group and overall; the register).
    recommended = _merged(
        _cells(shown, "jobseeker__", end, by_group=True, count="jobseeker_id"),
        _cells(shown, "jobseeker__", end, by_group=False, count="jobseeker_id"),
    )
    referred = _merged(
        _cells(referrals, "jobseeker__", end, by_group=True, count="jobseeker_id"),
        _cells(referrals, "jobseeker__", end, by_group=False, count="jobseeker_id"),
    )
    on_register = _cells(people, "", end, by_group=False, count="pk")
    registered = {d: {cat: n for (_, cat), n in on_register[d].items()} for d in DIMENSIONS}
    majors = sorted({major for counts in recommended.values() for major, _ in counts if major != ALL_GROUPS})
    groups = [Group(ALL_GROUPS, gettext("All vacancies"))] + [Group(code, _group_title(code)) for code in majors]
    for group in groups:
        for dimension in DIMENSIONS:
            cats = categories(dimension)
            extra = sorted({c for (m, c) in recommended[dimension] if m == group.code} - set(cats))
            rows = []
            for category in [*cats, *extra]:
                n_register = registered[dimension].get(category, 0)
                n_recommended = recommended[dimension].get((group.code, category), 0)
                n_referred = referred[dimension].get((group.code, category), 0)
                comparable = (dimension, category) not in NOT_COMPARED
                rows.append(
                    Row(
                        dimension=dimension,
                        category=category,
                        register=n_register,
                        recommended=n_recommended,
                        referred=n_referred,
                        recommendation=Rate(n_recommended, n_register, comparable),
                        referral=Rate(n_referred, n_recommended, comparable),
                    )
                )
            compare({r.category: r.recommendation for r in rows})
            compare({r.category: r.referral for r in rows})
            group.rows.extend(rows)
    return Report(start=start, end=end, direction=direction, groups=groups)


def _group_title(code: str) -> str:
    from openpes.taxonomy.models import IscoGroup

    group = IscoGroup.objects.filter(code=code).values_list("title_km", "title_en").first()
    return f"{code} — {pick(*group)}" if group else code


# ------------------------------------------------------------------------------------------------ export


def shown_count(count: int) -> str | int:
    return gettext("fewer than 5") if is_small(count) else count


def _number(value: float | None) -> str | float:
    return "—" if value is None else round(value, 3)


def report_sheet(report: Report) -> Sheet:
    """The report as one table (small counts hidden as on the page); cells are neutralised by lib.exports."""
    header = [
        gettext("Vacancy group"),
        gettext("Characteristic"),
        gettext("Group of people"),
        gettext("On the register"),
        gettext("Recommended"),
        gettext("Recommendation rate"),
        gettext("Ratio to the best-off group"),
        gettext("Under four-fifths"),
        gettext("Referred"),
        gettext("Referral rate"),
        gettext("Ratio to the best-off group"),
        gettext("Under four-fifths"),
    ]
    yes, no = gettext("yes"), gettext("no")
    rows = [
        [
            group.title,
            row.dimension_label,
            row.category_label,
            shown_count(row.register),
            shown_count(row.recommended),
            _number(row.recommendation.shown_value),
            _number(row.recommendation.shown_ratio),
            yes if row.recommendation.flagged else no,
            shown_count(row.referred),
            _number(row.referral.shown_value),
            _number(row.referral.shown_ratio),
            yes if row.referral.flagged else no,
        ]
        for group in report.groups
        for row in group.rows
    ]
    return Sheet(title=gettext("Fairness audit"), header=header, rows=rows)


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=89), today
