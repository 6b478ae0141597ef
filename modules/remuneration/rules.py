"""TPP rules as dated tenant configuration (PP 12/2019 art. 58: each region pays TPP by its own
head-of-region regulation, so every figure here is the tenant's, never a constant).

A tenant's ``rules`` setting is a list of rule sets, each valid from its ``effective_from`` date
(the first of a month) until the next one; a month is computed with the newest set that took effect
on or before its first day. Percentages are written as numbers with at most two decimals (``1.25``)
and held as basis points (hundredths of a percent: 1.25 % -> 125) so that every sum is exact.

Shapes (after :func:`parse_rules`)::

    RuleSet(effective_from=date(2026, 1, 1), performance_weight=60, discipline_weight=40,
            performance_basis="minutes", monthly_target=6000,
            lateness_bands=(Band(1, 30, 50), Band(31, 60, 100), Band(61, 90, 125), Band(91, None, 150)),
            missed_assembly_bp=200, absence_bp_per_day=300, discipline_cap_bp=10000,
            sanctions={"ringan": 1000, ...}, sanction_cap_bp=10000, ...)

Errors: :class:`core.kit.ValidationError` with ``where`` = ``rules[i].<key>`` naming the rule set
and key (weights not summing to 100 %, overlapping or gapped bands, a date that is not the first of a
month, two sets from the same date, a percentage with more than two decimals).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from core.kit import ValidationError, raise_all

from . import _l
from .refusals import refuse

BASES = ("minutes", "points", "skp")
FULL = 10_000  # 100 % in basis points

# The defaults the issue names (Bandung's e-RK practice): 60/40, 6,000 activity minutes a month,
# lateness bands 0.5 / 1 / 1.25 / 1.5 %, missed assembly 2 %; an unexcused absence costs 3 % a day
# (a common figure in regional regulations; every tenant sets its own).
DEFAULT_RULE = {
    "effective_from": "2026-01-01",
    "performance_weight": 60,
    "discipline_weight": 40,
    "performance_basis": "minutes",
    "monthly_target": 6000,
    "skp_ratings": {"sangat_baik": 100, "baik": 90, "butuh_perbaikan": 70, "kurang": 50, "sangat_kurang": 25},
    "lateness_bands": [
        {"from_minutes": 1, "to_minutes": 30, "percent": 0.5},
        {"from_minutes": 31, "to_minutes": 60, "percent": 1},
        {"from_minutes": 61, "to_minutes": 90, "percent": 1.25},
        {"from_minutes": 91, "percent": 1.5},
    ],
    "missed_assembly_percent": 2,
    "absence_percent_per_day": 3,
    "discipline_cap_percent": 100,
    "sanctions": {"ringan": 10, "sedang": 25, "berat": 50},
    "sanction_cap_percent": 100,
    "work_start": "07:30",
    "work_end": "16:00",
    "friday_work_end": "16:30",
    "assembly_weekdays": [0],
}


@dataclass(frozen=True)
class Band:
    """Lateness (or early leave) of ``low``..``high`` minutes (``high`` None: and more) costs ``bp``."""
    low: int
    high: int | None
    bp: int

    def covers(self, minutes: int) -> bool:
        return minutes >= self.low and (self.high is None or minutes <= self.high)


@dataclass(frozen=True)
class RuleSet:
    effective_from: date
    performance_weight: int
    discipline_weight: int
    performance_basis: str
    monthly_target: int
    skp_ratings: dict = field(default_factory=dict)
    lateness_bands: tuple = ()
    missed_assembly_bp: int = 200
    absence_bp_per_day: int = 300
    discipline_cap_bp: int = FULL
    sanctions: dict = field(default_factory=dict)
    sanction_cap_bp: int = FULL
    work_start: time = time(7, 30)
    work_end: time = time(16, 0)
    friday_work_end: time = time(16, 30)
    assembly_weekdays: tuple = (0,)

    def band_for(self, minutes: int) -> Band | None:
        """The band ``minutes`` of lateness fall in (None for 0 or below the first band)."""
        for band in self.lateness_bands:
            if band.covers(minutes):
                return band
        return None

    @property
    def no_record_band(self) -> Band:
        """A missing check-in or check-out counts as the last (open-ended) band."""
        return self.lateness_bands[-1]

    def end_of_work(self, day: date) -> time:
        return self.friday_work_end if day.weekday() == 4 else self.work_end


def basis_points(value, where: str) -> int:
    """``1.25`` -> 125; refuses negatives, more than 100 % and more than two decimals."""
    try:
        exact = Decimal(str(value)) * 100
    except (InvalidOperation, ValueError):
        raise refuse(ValidationError, _l("%(value)s is not a percentage.", value=str(value)[:40]), where=where) from None
    if isinstance(value, bool) or exact != exact.to_integral_value():
        raise refuse(ValidationError, _l("%(value)s has more than two decimals.", value=value), where=where)
    bp = int(exact)
    if not 0 <= bp <= FULL:
        raise refuse(ValidationError, _l("%(value)s is not between 0 and 100 %%.", value=value), where=where)
    return bp


def _date(value, where: str) -> date:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise refuse(ValidationError, _l("%(value)s is not a date: write the first day of a month, YYYY-MM-01 "
                                         "(e.g. 2026-12-01).", value=str(value)[:40]), where=where) from None
    if day.day != 1:
        raise refuse(ValidationError, _l("%(day)s is not the first day of a month: write YYYY-MM-01 (e.g. 2026-12-01).",
                                         day=day.isoformat()), where=where)
    return day


def _time(value, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise refuse(ValidationError, _l("%(value)s is not a time (HH:MM).", value=str(value)[:40]), where=where) from None


def _bands(rows, where: str) -> tuple:
    if not rows:
        raise refuse(ValidationError, _l("At least one lateness band is needed."), where=where)
    bands = []
    for i, row in sorted(enumerate(rows), key=lambda pair: pair[1].get("from_minutes", 0)):  # i: as written
        low, high = int(row.get("from_minutes", 0)), row.get("to_minutes")
        here = f"{where}[{i}]"
        if low < 1:
            raise refuse(ValidationError, _l("A band starts at 1 minute or later."), where=f"{here}.from_minutes")
        if high is not None and int(high) < low:
            raise refuse(ValidationError, _l("The band ends at %(high)s minutes, before it starts at %(low)s.", high=high, low=low),
                         where=f"{here}.to_minutes")
        if bands:
            prev = bands[-1]
            if prev.high is None or low <= prev.high:
                raise refuse(ValidationError, _l("The band from %(low)s minutes overlaps the band from %(other)s.", low=low,
                                                 other=prev.low), where=here)
            if low != prev.high + 1:
                raise refuse(ValidationError, _l("No band covers %(gap)s minutes.", gap=f"{prev.high + 1}-{low - 1}"), where=here)
            if basis_points(row.get("percent"), f"{here}.percent") < prev.bp:
                raise refuse(ValidationError, _l("A longer lateness must not cost less."), where=f"{here}.percent")
        bands.append(Band(low, None if high is None else int(high), basis_points(row.get("percent"), f"{here}.percent")))
    first, last = (min(rows, key=lambda r: r.get("from_minutes", 0)), max(rows, key=lambda r: r.get("from_minutes", 0)))
    if bands[0].low != 1:
        raise refuse(ValidationError, _l("The first band must start at 1 minute."),
                     where=f"{where}[{rows.index(first)}].from_minutes")
    if bands[-1].high is not None:
        raise refuse(ValidationError, _l("The last band must be open-ended (no end)."), where=f"{where}[{rows.index(last)}]")
    return tuple(bands)


def parse_rule(raw: dict, where: str) -> RuleSet:
    """One rule set from its settings table (defaults filled from :data:`DEFAULT_RULE`)."""
    data = {**DEFAULT_RULE, **raw}
    pw, dw = int(data["performance_weight"]), int(data["discipline_weight"])
    if pw < 0 or dw < 0 or pw + dw != 100:
        raise refuse(ValidationError, _l("The performance weight %(pw)s and the discipline weight %(dw)s must add up to "
                                         "100 %%.", pw=pw, dw=dw), where=f"{where}.performance_weight")
    basis = data["performance_basis"]
    if basis not in BASES:
        raise refuse(ValidationError, _l("Choose one of: %(kinds)s.", kinds=", ".join(BASES)), where=f"{where}.performance_basis")
    if int(data["monthly_target"]) < 1:
        raise refuse(ValidationError, _l("The monthly target must be at least 1."), where=f"{where}.monthly_target")
    return RuleSet(
        effective_from=_date(data["effective_from"], f"{where}.effective_from"),
        performance_weight=pw, discipline_weight=dw, performance_basis=basis,
        monthly_target=int(data["monthly_target"]),
        skp_ratings={k: basis_points(v, f"{where}.skp_ratings.{k}") for k, v in data["skp_ratings"].items()},
        lateness_bands=_bands(data["lateness_bands"], f"{where}.lateness_bands"),
        missed_assembly_bp=basis_points(data["missed_assembly_percent"], f"{where}.missed_assembly_percent"),
        absence_bp_per_day=basis_points(data["absence_percent_per_day"], f"{where}.absence_percent_per_day"),
        discipline_cap_bp=basis_points(data["discipline_cap_percent"], f"{where}.discipline_cap_percent"),
        sanctions={k: basis_points(v, f"{where}.sanctions.{k}") for k, v in data["sanctions"].items()},
        sanction_cap_bp=basis_points(data["sanction_cap_percent"], f"{where}.sanction_cap_percent"),
        work_start=_time(data["work_start"], f"{where}.work_start"),
        work_end=_time(data["work_end"], f"{where}.work_end"),
        friday_work_end=_time(data["friday_work_end"], f"{where}.friday_work_end"),
        assembly_weekdays=tuple(sorted(set(int(d) for d in data["assembly_weekdays"]))),
    )


def parse_rules(rows: list[dict] | None) -> list[RuleSet]:
    """Every rule set of the ``rules`` setting, oldest first (the default alone when empty). A
    ValidationError names the first problem of each rule set that has one, all at once
    (``raise_all``: ``Problems`` for more than one)."""
    rules, problems = [], []
    for i, raw in enumerate(rows or [DEFAULT_RULE]):
        try:
            rules.append((i, parse_rule(raw, f"rules[{i}]")))
        except ValidationError as exc:
            problems.extend(getattr(exc, "problems", None) or [exc])
    seen: dict[date, int] = {}
    for i, rule in rules:
        if rule.effective_from in seen:
            problems.append(refuse(ValidationError, _l("Another rule set takes effect on the same date %(day)s.",
                                                       day=rule.effective_from.isoformat()),
                                   where=f"rules[{i}].effective_from"))
        seen[rule.effective_from] = i
    raise_all(problems)
    return sorted((rule for _i, rule in rules), key=lambda r: r.effective_from)


def rule_for(rules: list[RuleSet], year: int, month: int) -> RuleSet:
    """The rule set in force for ``year``-``month``; ValidationError when none had taken effect."""
    first = date(year, month, 1)
    current = [r for r in rules if r.effective_from <= first]
    if not current:
        raise refuse(ValidationError, _l("No rule set is in force on %(day)s: add one in the settings.",
                                         day=first.isoformat()), where="rules")
    return current[-1]


def ceiling_for(ceilings: list[dict], position_class: str, year: int) -> int:
    """The TPP ceiling (rupiah a month) of ``position_class`` in ``year``; ValidationError when unset."""
    for row in ceilings:
        if row["position_class"] == position_class and int(row["year"]) == year:
            return int(row["amount"])
    raise refuse(ValidationError, _l("No TPP ceiling for position class %(cls)s in %(year)s: add one in the settings.",
                                     cls=position_class, year=year), where="ceilings")


def check_ceilings(ceilings: list[dict]) -> None:
    """One ceiling per position class and year: every second one refused at once (``raise_all``)."""
    seen, problems = set(), []
    for i, row in enumerate(ceilings):
        key = (row["position_class"], int(row["year"]))
        if key in seen:
            problems.append(refuse(ValidationError, _l("A second ceiling for %(cls)s in %(year)s.", cls=key[0],
                                                       year=key[1]), where=f"ceilings[{i}]"))
        seen.add(key)
    raise_all(problems)
