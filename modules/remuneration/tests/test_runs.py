"""The monthly run on the database: inputs to stored results, idempotent re-runs, closing, and the
rules a closed month keeps."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from core.kit import PamongError, ValidationError, calendar_of, db, module_settings, tenant_scope

from ..engine import prorated_target
from ..inputs import import_activities
from ..models import Employee, Excuse, Result
from ..rules import DEFAULT_RULE, parse_rule
from ..services import add_adjustment, close_month, import_attendance, import_employees, payroll, run_month
from .helpers import CEILINGS, MODULE, NIPS, SETTINGS, attendance_csv, three_employees

# March 2026 in Makassar (WITA, +08:00); its working days come from the core's calendar (Nyepi, Idul Fitri off)
MARCH = (2026, 3)


def results(tenant, run):
    with tenant_scope(tenant):
        return {r.employee_id: r for r in db.session.execute(db.select(Result).where(Result.run_id == run.id)).scalars()}


def test_a_month_is_computed_per_employee_with_lines_and_audited(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    import_attendance(tenant, "test", attendance_csv(
        (NIPS[0], "2026-03-02T07:45:00+08:00", "in"),          # 15 minutes late: 0.5 %
        (NIPS[0], "2026-03-02T16:10:00+08:00", "out"),
        (NIPS[0], "2026-03-02T07:50:00+08:00", "assembly"),
    ))
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    rows = results(tenant, run)
    with tenant_scope(tenant):
        assert run.total == 3 and len(rows) == 3 and run.amount == sum(r.tpp for r in rows.values())
    # two employees have the 10,000,000 ceiling (Andi and Muhammad): Andi, imported first, has the
    # lower id (rows come back in no set order: PostgreSQL gave Muhammad first once)
    andi = min((r for r in rows.values() if r.ceiling == 10_000_000), key=lambda r: r.employee_id)
    codes = {line["code"]: line for line in andi.lines}
    # present one day of the month's working days, absent the others (3 % a day, capped at 100 % of D)
    assert codes["late"]["amount"] == -20_000 and codes["late"]["detail"] == "1-30"
    working = calendar_of(tenant).working_days_between(date(2026, 3, 1), date(2026, 4, 1))
    assert codes["absence"]["count"] == working - 1 and codes["absence"]["bp"] == (working - 1) * 300
    assert andi.tpp == sum(line["amount"] for line in andi.lines)
    assert 0 <= andi.tpp <= andi.ceiling
    assert audit_entries(tenant, "remuneration.run")[0]["summary"]["after"]["employees"] == 3
    # oversight per agency: the three are DLH's; average performance and the deductions by reason
    from ..services import agency_table

    with tenant_scope(tenant):
        (dlh,) = agency_table(tenant, run)
    assert (dlh["agency"], dlh["employees"], dlh["tpp"]) == ("DLH", 3, run.amount)
    assert dlh["performance_bp"] == sum(r.performance_bp for r in rows.values()) // 3
    assert dlh["deductions"]["late"] == 20_000                                 # Andi's one late morning
    assert dlh["deductions"]["absence"] == -sum(
        line["amount"] for r in rows.values() for line in r.lines if line["code"] == "absence")
    # only deductions (discipline, sanctions): performance is its own factor (re-trial of issue 16)
    assert any(line["code"] == "performance_shortfall" for r in rows.values() for line in r.lines)
    assert set(dlh["deductions"]) <= {"absence", "late", "early_leave", "no_record", "missed_assembly", "sanction"}
    assert "performance_shortfall" not in dlh["deductions"]


def test_a_run_again_replaces_the_results_and_a_closed_month_is_immutable(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    first = run_month(tenant, "test", *MARCH)
    db.session.commit()
    before = {k: r.tpp for k, r in results(tenant, first).items()}
    first_id = first.id
    again = run_month(tenant, "test", *MARCH)
    again_id = again.id
    db.session.commit()
    assert again_id == first_id and {k: r.tpp for k, r in results(tenant, again).items()} == before
    employee_id = next(iter(before))
    with tenant_scope(tenant):
        db.session.add(Excuse(employee_id=employee_id, kind="leave", first_day=date(2026, 3, 1),
                              last_day=date(2026, 3, 31)))
    run_month(tenant, "test", *MARCH)
    db.session.commit()
    assert results(tenant, first)[employee_id].tpp > before[employee_id]
    close_month(tenant, "test", *MARCH)
    db.session.commit()
    closed = {k: r.tpp for k, r in results(tenant, first).items()}
    with pytest.raises(PamongError) as exc:
        run_month(tenant, "test", *MARCH)
    assert exc.value.code == "month_closed"
    db.session.rollback()
    with pytest.raises(PamongError) as exc:
        close_month(tenant, "test", *MARCH)
    assert exc.value.code == "month_closed"
    db.session.rollback()
    assert {k: r.tpp for k, r in results(tenant, first).items()} == closed
    assert [e["summary"]["after"]["status"] for e in audit_entries(tenant, "remuneration.close")] == ["closed"]


def test_a_later_rule_set_never_changes_a_closed_month(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    march = run_month(tenant, "test", *MARCH)
    close_month(tenant, "test", *MARCH)
    db.session.commit()
    closed = {k: (r.tpp, r.lines) for k, r in results(tenant, march).items()}
    with tenant_scope(tenant):
        rules_json = march.rules
    # a rule set dated back into closed March is refused (trial of issue 16); from April it is taken
    later = {"effective_from": "2026-03-01", "performance_weight": 100, "discipline_weight": 0}
    with pytest.raises(PamongError) as refused:
        create_tenant(slug=tenant.slug, modules={MODULE: {**SETTINGS, "rules": [{"effective_from": "2026-01-01"}, later]}})
    assert "rules[1].effective_from" in str(refused.value) and "2026-03 is closed" in str(refused.value)
    db.session.rollback()
    later["effective_from"] = "2026-04-01"
    create_tenant(slug=tenant.slug, modules={MODULE: {**SETTINGS, "rules": [{"effective_from": "2026-01-01"}, later]}})
    assert module_settings(tenant, MODULE)["rules"][1]["performance_weight"] == 100
    with pytest.raises(PamongError):
        run_month(tenant, "test", *MARCH)
    db.session.rollback()
    assert {k: (r.tpp, r.lines) for k, r in results(tenant, march).items()} == closed
    with tenant_scope(tenant):
        assert march.rules == rules_json and march.rules_from == date(2026, 1, 1)
    april = run_month(tenant, "test", 2026, 4)
    db.session.commit()
    with tenant_scope(tenant):
        assert april.rules_from == date(2026, 4, 1)
    # with no discipline part, four weeks of absence cost nothing but the (unlogged) performance
    assert all(line["code"] != "absence" or line["amount"] == 0 for r in results(tenant, april).values() for line in r.lines)


def test_a_month_without_a_ceiling_or_rules_is_refused_and_nothing_written(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: {"ceilings": [{**CEILINGS[0], "year": 2025}, {**CEILINGS[1], "year": 2025}]}})
    import_employees(tenant, "test", three_employees())
    with pytest.raises(ValidationError) as exc:
        run_month(tenant, "test", *MARCH)
    assert exc.value.where == "ceilings"
    db.session.rollback()
    with pytest.raises(ValidationError) as exc:
        run_month(tenant, "test", 2025, 12)    # the default rule set takes effect in January 2026
    assert exc.value.where == "rules"
    with pytest.raises(ValidationError):
        close_month(tenant, "test", *MARCH)


def test_a_closed_month_is_corrected_by_an_adjustment_in_a_later_month(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    march = run_month(tenant, "test", *MARCH)
    db.session.commit()
    employee_id = next(iter(results(tenant, march)))
    with pytest.raises(ValidationError) as exc:
        add_adjustment(tenant, "test", employee_id, MARCH, (2026, 4), 150_000, "Dinas luar 2 Maret")
    assert exc.value.where == "source"                         # an open month is simply run again
    db.session.rollback()
    close_month(tenant, "test", *MARCH)
    db.session.commit()
    with pytest.raises(ValidationError):
        add_adjustment(tenant, "test", employee_id, MARCH, (2026, 2), 150_000, "Mundur")
    db.session.rollback()
    add_adjustment(tenant, "test", employee_id, MARCH, (2026, 4), 150_000, "Dinas luar 2 Maret")
    april = run_month(tenant, "test", 2026, 4)
    db.session.commit()
    row = results(tenant, april)[employee_id]
    [line] = [x for x in row.lines if x["code"] == "adjustment"]
    assert line == {"code": "adjustment", "detail": "2026-03", "count": 1, "bp": 0, "amount": 150_000}
    assert row.tpp == sum(x["amount"] for x in row.lines)
    paid = {r["nip"]: r for r in payroll(tenant, april)}           # the payroll says which part corrects March
    assert [r["corrections"] for r in paid.values() if r["corrections"]] == [150_000]
    assert audit_entries(tenant, "remuneration.adjustment")[0]["summary"]["after"]["amount"] == 150_000


def test_each_employee_gets_their_own_punches_and_the_inactive_none(app_ctx, create_tenant):
    from ..models import Employee

    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    import_attendance(tenant, "test", attendance_csv(
        *[(nip, "2026-03-03T07:40:00+08:00", "in") for nip in NIPS],          # all 10 minutes late
        (NIPS[2], "2026-03-04T09:00:00+08:00", "in")))                        # the third also 90 minutes
    with tenant_scope(tenant):
        first = db.session.execute(db.select(Employee).order_by(Employee.id)).scalars().first()
        first.active, first_id = False, first.id
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    rows = results(tenant, run)
    assert first_id not in rows and len(rows) == 2
    late = {k: sorted((x["detail"], x["count"]) for x in r.lines if x["code"] == "late") for k, r in rows.items()}
    assert sorted(late.values()) == [[("1-30", 1)], [("1-30", 1), ("61-90", 1)]]


def _andi_lines(tenant, run):
    # Andi and Muhammad share the JF-AHLI ceiling: Andi is the first imported (the lower employee id),
    # not whichever of the two the database happens to return first
    andi = min((r for r in results(tenant, run).values() if r.ceiling == 10_000_000), key=lambda r: r.employee_id)
    return andi, {line["code"]: line for line in andi.lines}


def _one_good_day(tenant):
    import_employees(tenant, "test", three_employees())
    import_attendance(tenant, "test", attendance_csv(
        (NIPS[0], "2026-03-02T07:25:00+08:00", "in"),
        (NIPS[0], "2026-03-02T16:10:00+08:00", "out"),
        (NIPS[0], "2026-03-02T07:50:00+08:00", "assembly"),
    ))


def test_a_run_inside_the_month_counts_only_the_days_ended_in_the_tenants_zone(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    # 23:00 UTC on 9 March is 07:00 on Tuesday 10 March in Makassar: the 9th has ended and counts,
    # today (the 10th) is still going on and does not, nor the 11th on
    frozen_clock.set(datetime(2026, 3, 9, 23, 0, tzinfo=timezone.utc))
    _one_good_day(tenant)  # punches of the 2nd: past by now (a punch from the future is refused)
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    cal = calendar_of(tenant)
    elapsed = cal.working_days_between(date(2026, 3, 1), date(2026, 3, 10))
    total = cal.working_days_between(date(2026, 3, 1), date(2026, 4, 1))
    assert 1 < elapsed < total
    andi, codes = _andi_lines(tenant, run)
    assert codes["absence"]["count"] == elapsed - 1      # no absence for a day that has not ended
    assert "missed_assembly" not in codes and "late" not in codes
    # the activity target is prorated to the days ended: what is due by the 9th met is 100 %
    due = prorated_target(parse_rule(DEFAULT_RULE, "rules[0]"), elapsed, total)
    assert due < 6000
    chunks = [min(1440, due - i) for i in range(0, due, 1440)]           # at most 1,440 minutes a day
    import_activities(tenant, "test", ("nip,day,minutes\n" + "".join(
        f"{NIPS[0]},2026-03-{2 + i:02d},{m}\n" for i, m in enumerate(chunks))).encode())
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    andi, codes = _andi_lines(tenant, run)
    assert andi.performance_bp == 10_000 and "performance_shortfall" not in codes
    assert codes["absence"]["count"] == elapsed - 1


def test_a_run_on_the_first_day_of_the_month_deducts_nothing_for_it(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    frozen_clock.set(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))   # Monday 2 March, 09:00 WITA
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    andi, codes = _andi_lines(tenant, run)
    assert "absence" not in codes and andi.tpp == andi.ceiling  # nobody has checked in yet: not absent yet
    frozen_clock.set(datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc))   # Tuesday 3 March, 09:00 WITA
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    _, codes = _andi_lines(tenant, run)
    assert codes["absence"]["count"] == 1                 # the 2nd has ended: counted, the 3rd not yet


def test_a_deduction_never_takes_effect_on_the_day_it_is_recorded(app_ctx, create_tenant, frozen_clock):
    """Late at 08:40 on Tuesday 3 March (70 minutes: 61-90 band) and no check-out yet: a run that
    day at 10:00 shows no line for the 3rd; a run the next morning has the lateness and, the day
    being over without a check-out, the missing record (rule source: ``days.py``)."""
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    frozen_clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc))   # Tuesday 3 March, 10:00 WITA
    import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-03-02T07:25:00+08:00", "in"),
                                                     (NIPS[0], "2026-03-02T16:05:00+08:00", "out"),
                                                     (NIPS[0], "2026-03-02T07:50:00+08:00", "assembly"),
                                                     (NIPS[0], "2026-03-03T08:40:00+08:00", "in")))
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    andi, codes = _andi_lines(tenant, run)
    assert not {"late", "no_record", "absence"} & set(codes) and andi.deduction_bp == 0
    frozen_clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=timezone.utc))  # 00:00 on Wednesday 4 March, WITA
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    andi, codes = _andi_lines(tenant, run)
    assert (codes["late"]["detail"], codes["late"]["count"], codes["late"]["bp"]) == ("61-90", 1, 125)
    assert (codes["no_record"]["count"], codes["no_record"]["bp"]) == (1, 150)
    assert andi.deduction_bp == 125 + 150


def test_a_run_for_a_month_that_has_ended_counts_every_working_day(app_ctx, create_tenant, frozen_clock):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    frozen_clock.set(datetime(2026, 3, 31, 16, 0, tzinfo=timezone.utc))  # 00:00 on 1 April in Makassar
    _one_good_day(tenant)
    run = run_month(tenant, "test", *MARCH)
    db.session.commit()
    total = calendar_of(tenant).working_days_between(date(2026, 3, 1), date(2026, 4, 1))
    andi, codes = _andi_lines(tenant, run)
    assert codes["absence"]["count"] == total - 1
    frozen_clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc))  # months later: the same figures
    again = run_month(tenant, "test", *MARCH)
    db.session.commit()
    later, _ = _andi_lines(tenant, again)
    assert later.tpp == andi.tpp and later.lines == andi.lines


def test_a_citys_month_total_above_two_to_the_31_rupiah_is_stored(app_ctx, create_tenant):
    """18,000 employees at a few million rupiah each is ~3e10: PostgreSQL's INTEGER refused the
    run's total mid-run (found by bench/remuneration.py); the column is BIGINT (migration b7d3e5a1c920)."""
    from ..models import Run

    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    run = run_month(tenant, "test", *MARCH)
    with tenant_scope(tenant):
        run.amount = 30_000_000_000
        db.session.commit()
        db.session.expire_all()
        assert db.session.execute(db.select(Run.amount).where(Run.id == run.id)).scalar_one() == 30_000_000_000


def test_a_past_month_run_again_keeps_the_agency_and_class_the_record_had_then(app_ctx, create_tenant, frozen_clock):
    """Andi moves from DLH (JF-AHLI) to PU (PELAKSANA) on 10 April; March, still open, is run again
    after: it keeps DLH and JF-AHLI (the history), April takes PU and PELAKSANA."""
    tenant = create_tenant(modules={MODULE: SETTINGS}, agencies=[{"code": "DLH", "name": "Dinas Lingkungan Hidup"},
                                                                 {"code": "PU", "name": "Dinas Pekerjaan Umum"}])
    frozen_clock.set(datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc))
    import_employees(tenant, "test", three_employees())
    frozen_clock.set(datetime(2026, 4, 10, 2, 0, tzinfo=timezone.utc))
    import_employees(tenant, "test", three_employees().replace(b"Andi Baso,DLH,JF-AHLI", b"Andi Baso,PU,PELAKSANA"))
    march, april = run_month(tenant, "test", *MARCH), run_month(tenant, "test", 2026, 4)
    db.session.commit()
    with tenant_scope(tenant):
        andi = db.session.execute(db.select(Employee).where(Employee.name == "Andi Baso")).scalar_one().id
    assert (results(tenant, march)[andi].agency, results(tenant, march)[andi].position_class) == ("DLH", "JF-AHLI")
    assert results(tenant, march)[andi].ceiling == 10_000_000
    assert (results(tenant, april)[andi].agency, results(tenant, april)[andi].position_class) == ("PU", "PELAKSANA")
