"""The calculation engine alone: a worked example per default rule, checked by hand, and properties
(hypothesis) that hold for every rule set and month."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.remuneration.engine import Day, EmployeeMonth, compute, performance_bp, prorated_target
from modules.remuneration.rules import DEFAULT_RULE, parse_rule, parse_rules, rule_for

RULE = parse_rule(DEFAULT_RULE, "rules[0]")
C = 10_000_000  # ceiling: P = 6,000,000 (60 %), D = 4,000,000 (40 %)
MON, TUE = date(2026, 3, 2), date(2026, 3, 3)


def tpp(*days, achieved=6000, ceiling=C, sanctions=(), rule=RULE):
    return compute(rule, EmployeeMonth(ceiling, achieved, days=tuple(days), sanctions=tuple(sanctions)))


def line(result, code, detail=""):
    return next(x for x in result.lines if x.code == code and x.detail == detail)


def test_a_perfect_month_pays_the_ceiling_split_60_40():
    result = tpp(Day(TUE))
    assert result.tpp == C
    assert line(result, "performance").amount == 6_000_000 and line(result, "discipline").amount == 4_000_000


def test_performance_is_the_share_of_the_6000_minute_target():
    result = tpp(Day(TUE), achieved=4500)            # 4,500 / 6,000 = 75 % of 6,000,000 = 4,500,000
    assert line(result, "performance_shortfall").amount == -1_500_000
    assert result.tpp == 8_500_000 and result.performance_bp == 7500
    assert tpp(Day(TUE), achieved=9000).tpp == C     # more than the target earns no more than 100 %


@pytest.mark.parametrize("minutes, detail, deduction", [
    (1, "1-30", 20_000),      # 0.5 % of 4,000,000
    (30, "1-30", 20_000),
    (31, "31-60", 40_000),    # 1 %
    (60, "31-60", 40_000),
    (61, "61-90", 50_000),    # 1.25 %
    (90, "61-90", 50_000),
    (91, "91+", 60_000),      # 1.5 %
    (240, "91+", 60_000),
])
def test_each_lateness_band_deducts_its_share_of_the_discipline_part(minutes, detail, deduction):
    late = tpp(Day(TUE, late_minutes=minutes))
    assert line(late, "late", detail).amount == -deduction and late.tpp == C - deduction
    early = tpp(Day(TUE, early_minutes=minutes))
    assert line(early, "early_leave", detail).amount == -deduction and early.tpp == C - deduction


def test_a_missing_check_out_costs_the_last_band():
    result = tpp(Day(TUE, early_minutes=None))      # 1.5 % of 4,000,000
    assert line(result, "no_record").amount == -60_000 and result.tpp == 9_940_000


def test_a_missed_assembly_costs_two_percent():
    result = tpp(Day(MON, missed_assembly=True))   # 2 % of 4,000,000
    assert line(result, "missed_assembly").amount == -80_000 and result.tpp == 9_920_000


def test_each_unexcused_absence_costs_three_percent_a_day_and_an_excuse_nothing():
    result = tpp(Day(MON, absent=True), Day(TUE, absent=True))   # 2 × 3 % = 6 % of 4,000,000
    assert line(result, "absence").count == 2 and line(result, "absence").bp == 600
    assert line(result, "absence").amount == -240_000 and result.tpp == 9_760_000
    assert tpp(Day(MON, excused="leave"), Day(TUE, excused="duty_travel")).tpp == C


def test_deductions_stop_at_the_cap():
    capped = parse_rule({**DEFAULT_RULE, "discipline_cap_percent": 10}, "rules[0]")
    days = [Day(date(2026, 3, d), absent=True) for d in range(2, 7)]    # 5 × 3 % = 15 % > 10 %
    result = tpp(*days, rule=capped)
    assert line(result, "absence").amount == -400_000 and result.tpp == 9_600_000


def test_a_sanction_cuts_its_share_of_what_is_left():
    result = tpp(Day(TUE, late_minutes=10), sanctions=["ringan"])   # (10,000,000 − 20,000) × 10 %
    assert line(result, "sanction", "ringan").amount == -998_000 and result.tpp == 8_982_000


def test_rounding_is_down_to_the_rupiah_line_by_line():
    result = tpp(Day(TUE, late_minutes=5), ceiling=3_333_333)
    # P = floor(3,333,333 × 0.6) = 1,999,999; D = 1,333,334; 0.5 % of D = 6,666.67 -> 6,666
    assert line(result, "performance").amount == 1_999_999 and line(result, "discipline").amount == 1_333_334
    assert line(result, "late", "1-30").amount == -6_666 and result.tpp == 3_326_667


def test_skp_ratings_map_to_percentages():
    skp = parse_rule({**DEFAULT_RULE, "performance_basis": "skp"}, "rules[0]")
    result = compute(skp, EmployeeMonth(C, skp_rating="baik", days=(Day(TUE),)))   # 90 % of 6,000,000
    assert result.tpp == 5_400_000 + 4_000_000


# -- properties ------------------------------------------------------------------------------------

minutes = st.one_of(st.none(), st.integers(0, 600))
days_st = st.lists(st.builds(
    Day, day=st.just(TUE), late_minutes=minutes, early_minutes=minutes,
    excused=st.sampled_from([None, None, None, "leave"]), absent=st.booleans(), missed_assembly=st.booleans(),
), max_size=23)
rules_st = st.builds(
    lambda pw, cap, absence, assembly: parse_rule({**DEFAULT_RULE, "performance_weight": pw, "discipline_weight": 100 - pw,
                                                   "discipline_cap_percent": cap, "absence_percent_per_day": absence,
                                                   "missed_assembly_percent": assembly}, "rules[0]"),
    st.integers(0, 100), st.integers(0, 100), st.integers(0, 10), st.integers(0, 5))
months_st = st.builds(EmployeeMonth, ceiling=st.integers(0, 50_000_000), achieved=st.integers(0, 8000),
                      days=days_st.map(tuple), sanctions=st.lists(st.sampled_from(["ringan", "sedang", "berat"]),
                                                                  max_size=3, unique=True).map(tuple),
                      target=st.one_of(st.none(), st.integers(0, 6000)))


@settings(max_examples=300, deadline=None)
@given(rules_st, months_st)
def test_tpp_lies_between_zero_and_the_ceiling_and_is_the_sum_of_its_lines(rule, month):
    result = compute(rule, month)
    assert 0 <= result.tpp <= month.ceiling
    assert result.tpp == sum(x.amount for x in result.lines)
    assert all(isinstance(x.amount, int) for x in result.lines)


@settings(max_examples=300, deadline=None)
@given(rules_st, months_st, st.integers(0, 22), st.integers(1, 200), st.sampled_from(["late_minutes", "early_minutes"]))
def test_more_lateness_never_pays_more(rule, month, index, more, attr):
    if not month.days:
        return
    days = list(month.days)
    day = days[index % len(days)]
    if getattr(day, attr) is None:
        return
    days[index % len(days)] = replace(day, **{attr: getattr(day, attr) + more})
    assert compute(rule, replace(month, days=tuple(days))).tpp <= compute(rule, month).tpp


@settings(max_examples=300, deadline=None)
@given(rules_st, months_st, st.integers(1, 5))
def test_more_absence_or_missed_assemblies_never_pays_more(rule, month, extra):
    before = compute(rule, month).tpp
    absent = month.days + tuple(Day(TUE, late_minutes=None, early_minutes=None, absent=True) for _ in range(extra))
    on_time = month.days + tuple(Day(TUE) for _ in range(extra))
    assert compute(rule, replace(month, days=absent)).tpp <= compute(rule, replace(month, days=on_time)).tpp
    missed = tuple(replace(d, missed_assembly=True) for d in month.days)
    assert compute(rule, replace(month, days=missed)).tpp <= before


def test_the_target_of_an_open_month_is_prorated_to_the_working_days_elapsed():
    assert prorated_target(RULE, 1, 21) == 286            # ceil(6000 / 21): never below the exact share
    assert prorated_target(RULE, 7, 21) == 2000
    assert prorated_target(RULE, 21, 21) == prorated_target(RULE, 30, 21) == 6000   # the month has ended
    assert performance_bp(RULE, EmployeeMonth(ceiling=C, achieved=2000, target=2000)) == 10_000
    assert performance_bp(RULE, EmployeeMonth(ceiling=C, achieved=1000, target=2000)) == 5_000
    assert performance_bp(RULE, EmployeeMonth(ceiling=C, achieved=0, target=0)) == 10_000  # nothing due yet
    assert compute(RULE, EmployeeMonth(ceiling=C, achieved=2000, target=2000)).tpp == C


@settings(deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(1, 30))
def test_a_prorated_target_grows_with_the_days_and_never_exceeds_the_full_target(a, b, total):
    low, high = sorted((a, b))
    assert 0 <= prorated_target(RULE, low, total) <= prorated_target(RULE, high, total) <= RULE.monthly_target


@settings(deadline=None)
@given(st.integers(-50, 150), st.integers(-50, 150))
def test_weights_must_sum_to_one_hundred(pw, dw):
    raw = {**DEFAULT_RULE, "performance_weight": pw, "discipline_weight": dw}
    if pw >= 0 and dw >= 0 and pw + dw == 100:
        assert parse_rule(raw, "rules[0]").performance_weight + parse_rule(raw, "rules[0]").discipline_weight == 100
    else:
        with pytest.raises(Exception) as exc:
            parse_rule(raw, "rules[0]")
        assert exc.value.where == "rules[0].performance_weight"


@settings(max_examples=50, deadline=None)  # no timing: the machine is shared
@given(st.integers(2026, 2030), st.integers(1, 12), st.integers(1, 36), st.integers(0, 100))
def test_a_later_rule_never_changes_an_earlier_month(year, month, later_by, pw):
    first = {**DEFAULT_RULE, "effective_from": "2026-01-01"}
    index = year * 12 + month - 1 + later_by
    later = {**DEFAULT_RULE, "effective_from": f"{index // 12}-{index % 12 + 1:02d}-01",
             "performance_weight": pw, "discipline_weight": 100 - pw}
    assert rule_for(parse_rules([first, later]), year, month) == rule_for(parse_rules([first]), year, month)


@pytest.mark.parametrize("bands, where", [
    ([{"from_minutes": 1, "to_minutes": 30, "percent": 0.5}, {"from_minutes": 20, "percent": 1}], "rules[0].lateness_bands[1]"),
    ([{"from_minutes": 1, "to_minutes": 30, "percent": 0.5}, {"from_minutes": 40, "percent": 1}], "rules[0].lateness_bands[1]"),
    ([{"from_minutes": 1, "percent": 0.5}, {"from_minutes": 40, "percent": 1}], "rules[0].lateness_bands[1]"),
    ([{"from_minutes": 1, "to_minutes": 30, "percent": 0.5}], "rules[0].lateness_bands[0]"),
    ([{"from_minutes": 1, "percent": 0.125}], "rules[0].lateness_bands[0].percent"),
])
def test_overlapping_gapped_or_unbounded_bands_are_refused(bands, where):
    with pytest.raises(Exception) as exc:
        parse_rule({**DEFAULT_RULE, "lateness_bands": bands}, "rules[0]")
    assert exc.value.where == where


def test_a_rule_set_from_mid_month_or_twice_from_one_date_is_refused():
    with pytest.raises(Exception) as exc:
        parse_rules([{**DEFAULT_RULE, "effective_from": "2026-03-15"}])
    assert exc.value.where == "rules[0].effective_from"
    with pytest.raises(Exception) as exc:
        parse_rules([DEFAULT_RULE, DEFAULT_RULE])
    assert exc.value.where == "rules[1].effective_from"


def test_every_rule_sets_problem_is_named_at_once():
    """Two bad rule sets and a second one from the same date: three problems in one refusal (it
    stopped at the first)."""
    from core.kit import Problems

    with pytest.raises(Problems) as exc:
        parse_rules([{**DEFAULT_RULE, "performance_weight": 70}, {**DEFAULT_RULE, "effective_from": "2026-03-15"},
                     DEFAULT_RULE, DEFAULT_RULE])
    assert [p.where for p in exc.value.problems] == [
        "rules[0].performance_weight", "rules[1].effective_from", "rules[3].effective_from"]


def test_a_band_error_names_the_band_as_written_not_as_sorted():
    bands = [{"from_minutes": 31, "percent": 1}, {"from_minutes": 1, "to_minutes": 40, "percent": 0.5}]
    with pytest.raises(Exception) as exc:
        parse_rule({**DEFAULT_RULE, "lateness_bands": bands}, "rules[0]")
    assert exc.value.where == "rules[0].lateness_bands[0]"     # the band from 31 overlaps 1-40
