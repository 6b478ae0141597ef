"""The TPP of one employee-month, to the rupiah, with one breakdown line per rule. Pure Python: no
database, no Flask; the monthly run (``runs.py``) feeds it and stores what it returns.

How the amount is made (the tenant's rule set, ``rules.RuleSet``)::

    employed for e of the month's w working days (0 < e < w: hired or left during the month):
      the month's ceiling is C' = floor(C × e / w); everything below is computed on C' and one line
      ``employment`` (detail ``e/w``) of −(C − C') says why; the performance and discipline lines
      still show the parts of the full C, so the lines add up to the TPP
    ceiling C (rupiah) = performance part P + discipline part D,  P = floor(C × weight_p / 100), D = C − P
    performance earned = floor(P × achieved / target)  (achieved capped at the target; SKP: the rating's %)
      target = the rule set's monthly target; for a month that has not ended (a provisional run) it is
      prorated to the working days that have ended: ceil(target × ended / total working days), and a
      target of 0 (no working day has ended yet) counts as met
    discipline deductions, per rule, in this order:
        unexcused absence  days × absence %          late arrival / early leave  occurrences × band %
        no check-in / check-out record  × last band %     missed assembly  occurrences × assembly %
      together floor(D × Σ% / 100), at most floor(D × cap / 100) (later lines shrink to fit)
    subtotal S = performance earned + D − deductions
    sanctions cut floor(S × Σ sanction % / 100) (Σ at most the sanction cap)
    TPP = S − sanction cut = the sum of the lines

Rounding (documented as the issue asks): whole rupiah, always rounded down (floor). Earned
performance is floor(P × share); the deductions are rounded down as a running total (each line is
the growth of floor(D × Σ% so far)), so together they never exceed their exact share and a line may
differ by one rupiah from its own share alone; the sanction cut is floor(S × %). The TPP is exactly
the sum of the lines shown. 0 ≤ TPP ≤ C always; more lateness, absence or missed
assemblies never raise it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .rules import FULL, RuleSet

EXCUSES = ("leave", "duty_travel")
# the lines that are deductions (discipline and sanctions), in the order computed: what "deductions by
# reason" reports. Performance is its own factor (its shortfall is performance not earned, reported as
# the average performance), and neither the employment proration nor an adjustment is a deduction.
DEDUCTIONS = ("absence", "late", "early_leave", "no_record", "missed_assembly", "sanction")


@dataclass(frozen=True)
class Day:
    """One working day of one employee. ``late_minutes``/``early_minutes``: minutes after the start
    / before the end of work (0 when on time; None: no record). ``excused``: ``leave`` or
    ``duty_travel`` (an approved excuse: nothing is deducted). ``absent``: no record at all and no
    excuse. ``missed_assembly``: an assembly day with no assembly record."""
    day: date
    late_minutes: int | None = 0
    early_minutes: int | None = 0
    excused: str | None = None
    absent: bool = False
    missed_assembly: bool = False


@dataclass(frozen=True)
class EmployeeMonth:
    """What the engine needs of one employee for one month. ``ceiling``: rupiah; ``achieved``:
    approved activity minutes or points; ``skp_rating``: a key of the rule set's ``skp_ratings``;
    ``sanctions``: codes of the rule set's ``sanctions`` in force this month; ``target``: the
    activity minutes/points due so far (None: the rule set's ``monthly_target``, a month that has
    ended; see :func:`prorated_target` for the current month)."""
    ceiling: int
    achieved: int = 0
    skp_rating: str | None = None
    days: tuple = ()
    sanctions: tuple = ()
    target: int | None = None
    employed_days: int | None = None
    working_days: int | None = None

    @property
    def prorated(self) -> bool:
        """Employed for only part of the month: ``employed_days`` of ``working_days`` (the month's
        working days of the tenant's calendar; None: the whole month)."""
        return (self.employed_days is not None and bool(self.working_days)
                and 0 <= self.employed_days < self.working_days)


def prorated_target(rule: RuleSet, elapsed: int, total: int) -> int:
    """The monthly target due after ``elapsed`` of ``total`` working days, rounded up (never below
    the exact share); the full target once the month has ended (``elapsed >= total``)."""
    if total <= 0 or elapsed >= total:
        return rule.monthly_target
    return -(-rule.monthly_target * max(0, elapsed) // total)


@dataclass(frozen=True)
class Line:
    """One breakdown line: ``code`` (the rule), ``detail`` (a band like ``1-30``), ``count``
    (occurrences or days), ``bp`` (the rate in basis points applied, count × rate), ``amount``
    (signed rupiah: + earned, − deducted)."""
    code: str
    amount: int
    count: int = 0
    bp: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Result:
    tpp: int
    ceiling: int
    performance_bp: int
    deduction_bp: int
    lines: tuple = field(default_factory=tuple)


def performance_bp(rule: RuleSet, month: EmployeeMonth) -> int:
    """Achievement in basis points (0..10,000) on the rule set's basis."""
    if rule.performance_basis == "skp":
        return rule.skp_ratings.get(month.skp_rating or "", 0)
    target = rule.monthly_target if month.target is None else month.target
    if target <= 0:
        return FULL  # nothing was due yet
    achieved = max(0, min(month.achieved, target))
    return achieved * FULL // target


def _occurrences(rule: RuleSet, days) -> list[tuple[str, str, int, int]]:
    """(code, detail, count, rate bp) of every discipline rule that applies, in deduction order."""
    bands = rule.lateness_bands
    late, early = [0] * len(bands), [0] * len(bands)
    absent = no_record = missed = 0
    for d in days:  # one pass over the month
        if d.excused:
            continue
        if d.absent:
            absent += 1
            continue
        for minutes, counts in ((d.late_minutes, late), (d.early_minutes, early)):
            if minutes is None:
                no_record += 1
            elif minutes > 0:
                for i, band in enumerate(bands):
                    if band.covers(minutes):
                        counts[i] += 1
                        break
        missed += d.missed_assembly
    found = [("absence", "", absent, rule.absence_bp_per_day)]
    for code, counts in (("late", late), ("early_leave", early)):
        for band, count in zip(bands, counts):
            detail = f"{band.low}-{band.high}" if band.high is not None else f"{band.low}+"
            found.append((code, detail, count, band.bp))
    found.append(("no_record", "", no_record, rule.no_record_band.bp))
    found.append(("missed_assembly", "", missed, rule.missed_assembly_bp))
    return [row for row in found if row[2]]


def compute(rule: RuleSet, month: EmployeeMonth) -> Result:
    """The TPP of ``month`` under ``rule`` (see the module's docstring for the arithmetic)."""
    if month.ceiling < 0:
        raise ValueError("ceiling must not be negative")
    full = month.ceiling
    ceiling = full * month.employed_days // month.working_days if month.prorated else full
    full_perf = full * rule.performance_weight // 100
    perf_part = ceiling * rule.performance_weight // 100
    disc_part = ceiling - perf_part
    achieved = performance_bp(rule, month)
    earned = perf_part * achieved // FULL
    lines = [Line("performance", full_perf, bp=rule.performance_weight * 100)]
    if earned < perf_part:
        lines.append(Line("performance_shortfall", earned - perf_part, bp=FULL - achieved))
    lines.append(Line("discipline", full - full_perf, bp=rule.discipline_weight * 100))
    if month.prorated:
        lines.append(Line("employment", ceiling - full, count=month.employed_days,
                          bp=FULL - month.employed_days * FULL // month.working_days,
                          detail=f"{month.employed_days}/{month.working_days}"))
    room = disc_part * rule.discipline_cap_bp // FULL
    total_bp = deducted = 0
    for code, detail, count, rate in _occurrences(rule, month.days):
        bp = count * rate
        total_bp += bp
        running = min(disc_part * total_bp // FULL, room)  # rounded as a running total: monotone
        lines.append(Line(code, deducted - running, count=count, bp=bp, detail=detail))
        deducted = running
    subtotal = sum(line.amount for line in lines)
    cut_bp = min(sum(rule.sanctions.get(code, 0) for code in month.sanctions), rule.sanction_cap_bp)
    if cut_bp:
        lines.append(Line("sanction", -(subtotal * cut_bp // FULL), count=len(month.sanctions), bp=cut_bp,
                          detail=",".join(sorted(month.sanctions))))
    tpp = sum(line.amount for line in lines)
    return Result(tpp=tpp, ceiling=full, performance_bp=achieved, deduction_bp=min(total_bp, rule.discipline_cap_bp),
                  lines=tuple(lines))
