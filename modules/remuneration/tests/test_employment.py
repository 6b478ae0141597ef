"""Dates of employment (TMT / tanggal mulai, tanggal berhenti): the engine's pro rata pay (a worked
example and properties), the run (a mid-month hire is not docked for the days before they started,
someone who left is not paid), the import's checks, the admin page (audited), and closed months."""
from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.kit import PamongError, ValidationError, calendar_of, db, tenant_scope

from ..engine import Day, EmployeeMonth, compute
from ..models import Employee, EmployeeChange, Result
from ..rules import DEFAULT_RULE, parse_rule
from ..services import close_month, import_employees, run_month, set_employment
from .helpers import MODULE, NIPS, SETTINGS

RULE = parse_rule(DEFAULT_RULE, "rules[0]")
C = 10_000_000


def people(*rows, header="nip,name,agency,position_class,start,end") -> bytes:
    return ("\n".join([header] + [",".join(r) for r in rows]) + "\n").encode()


def march_working(tenant) -> list[date]:
    cal = calendar_of(tenant)
    return [date(2026, 3, d) for d in range(1, 32) if cal.is_working_day(date(2026, 3, d))]


def results(tenant, run) -> dict[int, Result]:
    with tenant_scope(tenant):
        return {r.employee_id: r for r in db.session.execute(db.select(Result).where(Result.run_id == run.id)).scalars()}


def ids(tenant) -> dict[str, int]:
    with tenant_scope(tenant):
        return {e.name: e.id for e in db.session.execute(db.select(Employee)).scalars()}


# --- the engine ---------------------------------------------------------------------------------

def test_worked_example_half_a_month_employed_pays_half_the_ceiling():
    # employed 11 of 22 working days: C' = 10,000,000 × 11 / 22 = 5,000,000 (P' 3,000,000, D' 2,000,000);
    # the target (prorated by the run: 3,000 of 6,000 minutes) met, every employed day on time
    days = tuple(Day(date(2026, 3, d)) for d in range(16, 27))
    result = compute(RULE, EmployeeMonth(C, 3000, days=days, target=3000, employed_days=11, working_days=22))
    lines = {x.code: x for x in result.lines}
    assert result.tpp == 5_000_000 and result.ceiling == C
    assert lines["performance"].amount == 6_000_000 and lines["discipline"].amount == 4_000_000
    assert lines["employment"].amount == -5_000_000 and lines["employment"].detail == "11/22"
    assert sum(x.amount for x in result.lines) == result.tpp
    # one unexcused day absent of the 11: 3 % of D' = 60,000
    absent = (Day(date(2026, 3, 16), late_minutes=None, early_minutes=None, absent=True),) + days[1:]
    assert compute(RULE, EmployeeMonth(C, 3000, days=absent, target=3000, employed_days=11,
                                       working_days=22)).tpp == 4_940_000


def test_the_whole_month_employed_is_the_same_as_no_dates():
    days = (Day(date(2026, 3, 2)), Day(date(2026, 3, 3), late_minutes=40))
    plain = compute(RULE, EmployeeMonth(C, 4000, days=days))
    assert compute(RULE, EmployeeMonth(C, 4000, days=days, employed_days=22, working_days=22)) == plain


@settings(max_examples=40, deadline=None)
@given(ceiling=st.integers(0, 50_000_000), working=st.integers(1, 23), data=st.data(),
       achieved=st.integers(0, 8000), absent=st.integers(0, 23), sanctioned=st.booleans())
def test_pay_is_at_most_the_prorated_ceiling_and_grows_with_the_days_employed(ceiling, working, data, achieved,
                                                                             absent, sanctioned):
    fewer = data.draw(st.integers(0, working))
    more = data.draw(st.integers(fewer, working))
    days = tuple(Day(date(2026, 3, 1), late_minutes=None, early_minutes=None, absent=True) for _ in range(absent))
    sanctions = (next(iter(RULE.sanctions)),) if sanctioned and RULE.sanctions else ()

    def pay(employed):
        return compute(RULE, EmployeeMonth(ceiling, achieved, days=days, sanctions=sanctions,
                                           employed_days=employed, working_days=working))

    low, high = pay(fewer), pay(more)
    assert 0 <= low.tpp <= ceiling * fewer // working <= ceiling
    assert low.tpp <= high.tpp
    assert sum(x.amount for x in low.lines) == low.tpp


# --- the run ------------------------------------------------------------------------------------

def test_a_mid_month_hire_is_paid_pro_rata_and_not_docked_before_the_start_and_a_leaver_not_at_all(
        app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "2026-03-16", ""),
                                            (NIPS[1], "Sitti Rahmawati", "DLH", "PELAKSANA", "2019-01-02", "2026-02-27"),
                                            (NIPS[2], "Muhammad Arfah", "DLH", "JF-AHLI", "", "")))
    run = run_month(tenant, "test", 2026, 3)
    db.session.commit()
    rows, who = results(tenant, run), ids(tenant)
    working = march_working(tenant)
    employed = [d for d in working if d >= date(2026, 3, 16)]
    assert 0 < len(employed) < len(working)
    assert who["Sitti Rahmawati"] not in rows and run.total == 2           # left before March: no row, not paid
    andi, arfah = rows[who["Andi Baso"]], rows[who["Muhammad Arfah"]]
    lines = {x["code"]: x for x in andi.lines}
    assert lines["employment"]["detail"] == f"{len(employed)}/{len(working)}"
    assert lines["employment"]["amount"] == C * len(employed) // len(working) - C
    assert lines["absence"]["count"] == len(employed)                         # absent only on days employed
    assert {x["code"]: x for x in arfah.lines}["absence"]["count"] == len(working)
    assert "employment" not in {x["code"] for x in arfah.lines}
    assert andi.ceiling == C and 0 <= andi.tpp <= C * len(employed) // len(working)
    assert andi.tpp == sum(x["amount"] for x in andi.lines)


def test_a_date_set_later_removes_the_row_of_an_open_month_but_never_changes_a_closed_one(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "", ""),
                                            (NIPS[1], "Sitti Rahmawati", "DLH", "PELAKSANA", "", "")))
    who = ids(tenant)
    march = run_month(tenant, "test", 2026, 3)
    close_month(tenant, "test", 2026, 3)
    april = run_month(tenant, "test", 2026, 4)
    db.session.commit()
    paid = {k: r.tpp for k, r in results(tenant, march).items()}
    set_employment(tenant, "test", who["Sitti Rahmawati"], None, date(2026, 2, 27))
    db.session.commit()
    with pytest.raises(PamongError):
        run_month(tenant, "test", 2026, 3)
    db.session.rollback()
    assert {k: r.tpp for k, r in results(tenant, march).items()} == paid and len(paid) == 2   # closed: as paid
    run_month(tenant, "test", 2026, 4)
    db.session.commit()
    assert set(results(tenant, april)) == {who["Andi Baso"]}                                # open: run again


# --- the import ---------------------------------------------------------------------------------

@pytest.mark.parametrize("row, where, words", [
    ((NIPS[0], "Andi", "DLH", "JF-AHLI", "2026-03-16", "2026-03-15"), "line 2: end", "before its start"),
    ((NIPS[0], "Andi", "DLH", "JF-AHLI", "16/03/2026", ""), "line 2: start", "not a date"),
    ((NIPS[0], "Andi", "DLH", "JF-AHLI", "", "2026-02-30"), "line 2: end", "not a date"),
])
def test_bad_dates_are_refused_naming_line_and_column(app_ctx, create_tenant, row, where, words):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with pytest.raises(ValidationError) as refused:
        import_employees(tenant, "test", people(row))
    assert refused.value.where == where and words in str(refused.value.message)
    db.session.rollback()
    assert ids(tenant) == {}                                                                # nothing written


def test_an_import_changes_the_dates_with_history_and_an_end_column_alone_is_checked_against_the_record(
        app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "2026-03-16", "")))
    db.session.commit()
    counts = import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "2026-03-16",
                                                      "2026-06-30")), "pegawai.csv")
    db.session.commit()
    assert counts == {"added": 0, "updated": 1, "unchanged": 0}
    with tenant_scope(tenant):
        andi = db.session.execute(db.select(Employee)).scalar_one()
        assert (andi.started_on, andi.ended_on) == (date(2026, 3, 16), date(2026, 6, 30))
        change = db.session.execute(db.select(EmployeeChange)).scalar_one()
        assert (change.field, change.before, change.after, change.source) == ("ended_on", "", "2026-06-30", "pegawai.csv")
    with pytest.raises(ValidationError) as refused:
        import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "2026-01-31"),
                                                header="nip,name,agency,position_class,end"))
    assert refused.value.where == "line 2: end"
    db.session.rollback()
    # a file without the columns leaves the dates as they are
    import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI"),
                                            header="nip,name,agency,position_class"))
    db.session.commit()
    with tenant_scope(tenant):
        assert db.session.execute(db.select(Employee.ended_on)).scalar_one() == date(2026, 6, 30)


# --- the page -----------------------------------------------------------------------------------

def test_the_personnel_agency_sets_the_dates_on_the_employee_page_audited(app, client, create_tenant, create_user,
                                                                         login, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    admin, officer = create_user(tenant, role="admin"), create_user(tenant, role="officer", agency="DLH")
    with app.app_context():
        import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "", "")))
        db.session.commit()
        andi = ids(tenant)["Andi Baso"]
    page = f"/t/{tenant.slug}/{MODULE}/employees/{andi}"
    login(client, admin, tenant)
    assert 'name="start"' in client.get(page).get_data(as_text=True)
    done = client.post(f"{page}/employment", data={"start": "2026-03-16", "end": ""}, follow_redirects=True)
    assert done.status_code == 200 and "2026-03-16" in done.get_data(as_text=True)
    entry = audit_entries(tenant, "remuneration.employee.employment")[-1]
    assert entry["summary"]["before"] == {"start": "", "end": ""}
    assert entry["summary"]["after"] == {"start": "2026-03-16", "end": ""}
    client.set_cookie("pamong_locale", "en")
    refused = client.post(f"{page}/employment", data={"start": "2026-03-16", "end": "2026-03-01"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="end-err">The end of employment 2026-03-01 is before its start' in html
    assert 'value="2026-03-01"' in html                                          # what was typed is kept
    assert len(audit_entries(tenant, "remuneration.employee.employment")) == 1                # nothing saved
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Employee, andi).ended_on is None
    assert client.post(f"/t/{tenant.slug}/{MODULE}/employees/999999/employment", data={"start": ""}).status_code == 404
    other = app.test_client()
    login(other, officer, tenant)
    assert other.post(f"{page}/employment", data={"start": "2020-01-01"}).status_code == 403


def test_an_xlsx_date_cell_is_read_as_its_day(app_ctx, create_tenant):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["nip", "name", "agency", "position_class", "start", "end"])
    book.active.append([NIPS[0], "Andi Baso", "DLH", "JF-AHLI", datetime(2026, 3, 16), None])
    data = io.BytesIO()
    book.save(data)
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", data.getvalue(), "pegawai.xlsx")
    db.session.commit()
    with tenant_scope(tenant):
        andi = db.session.execute(db.select(Employee)).scalar_one()
        assert (andi.started_on, andi.ended_on) == (date(2026, 3, 16), None)
