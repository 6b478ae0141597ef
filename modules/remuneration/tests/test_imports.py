"""Employees and attendance files, and the bad input they must survive: every error names the line
and the field, and nothing is written."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from core.kit import ValidationError, db, tenant_scope

from ..employees import history
from ..models import Employee, Punch, Run
from ..services import import_attendance, import_employees
from .helpers import MODULE, NIPS, SETTINGS, attendance_csv, employees_csv, three_employees


def count(tenant, model) -> int:
    with tenant_scope(tenant):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def test_employees_are_added_then_updated_with_their_history(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS}, agencies=[{"code": "DLH", "name": "DLH"}, {"code": "PU", "name": "PU"}])
    assert import_employees(tenant, "test", three_employees()) == {"added": 3, "updated": 0, "unchanged": 0}
    db.session.commit()
    moved = employees_csv((NIPS[0], "Andi Baso", "PU", "PELAKSANA", "andi@example.test"))
    assert import_employees(tenant, "test", moved) == {"added": 0, "updated": 1, "unchanged": 0}
    db.session.commit()
    with tenant_scope(tenant):
        andi = db.session.execute(db.select(Employee).where(Employee.agency == "PU")).scalar_one()
        assert andi.nip == NIPS[0] and andi.position_class == "PELAKSANA"
        assert [(c.field, c.before, c.after) for c in history(tenant, andi.id)] == [
            ("agency", "DLH", "PU"), ("position_class", "JF-AHLI", "PELAKSANA")]
    assert len(audit_entries(tenant, "remuneration.employees.import")) == 2


def test_employees_come_from_xlsx_too(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    book = Workbook()
    book.active.append(["nip", "name", "agency", "position_class"])
    book.active.append([NIPS[0], "Andi Baso", "DLH", "JF-AHLI"])
    data = io.BytesIO()
    book.save(data)
    assert import_employees(tenant, "test", data.getvalue(), "pegawai.xlsx")["added"] == 1
    with pytest.raises(ValidationError) as exc:
        import_employees(tenant, "test", b"not a workbook", "pegawai.xlsx")
    assert exc.value.message == "Not a readable XLSX workbook."  # the CLI names the file: "error: FILE: Not ..."


@pytest.mark.parametrize("row, where", [
    (("123", "X", "DLH", "JF-AHLI", ""), "line 3: nip"),                        # not 18 digits
    ((NIPS[1], "X", "DLH", "JF-AHLI", ""), "line 3: nip"),                      # the same NIP twice
    (("199007242015032003", "X", "DINSOS", "JF-AHLI", ""), "line 3: agency"),   # no such agency
    (("199007242015032003", "X", "DLH", "ESELON-9", ""), "line 3: position_class"),  # no ceiling
    (("199007242015032003", "", "DLH", "JF-AHLI", ""), "line 3: name"),
])
def test_a_bad_employee_row_is_named_and_nothing_written(app_ctx, create_tenant, row, where):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with pytest.raises(ValidationError) as exc:
        import_employees(tenant, "test", employees_csv((NIPS[1], "Sitti", "DLH", "PELAKSANA", ""), row))
    assert exc.value.where == where
    db.session.rollback()
    assert count(tenant, Employee) == 0


def test_attendance_is_stored_once_however_often_the_file_comes(app_ctx, create_tenant, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    data = attendance_csv((NIPS[0], "2026-03-02T07:25:00+08:00", "in"), (NIPS[0], "2026-03-02T16:05:00+08:00", "OUT"),
                          (NIPS[1], "2026-03-01T23:30:00Z", "in"))  # Z is UTC: 07:30 WITA, the same instant
    with pytest.raises(ValidationError):
        import_attendance(tenant, "test", data)          # Z is not the tenant's offset
    db.session.rollback()
    data = data.replace(b"2026-03-01T23:30:00Z", b"2026-03-02T07:30:00+08:00")
    assert import_attendance(tenant, "test", data) == {"added": 3, "skipped": 0}
    assert import_attendance(tenant, "test", data) == {"added": 0, "skipped": 3}
    db.session.commit()
    assert count(tenant, Punch) == 3
    assert [e["summary"]["after"]["added"] for e in audit_entries(tenant, "remuneration.attendance.import")] == [3, 0]


@pytest.mark.parametrize("rows, where, words", [
    ([("199001012015031999", "2026-03-02T07:25:00+08:00", "in")], "line 3: nip", "No employee"),
    ([("12345", "2026-03-02T07:25:00+08:00", "in")], "line 3: nip", ""),
    ([(NIPS[0], "2026-03-02T07:20:00+08:00", "in")], "line 3", "line 2"),                     # duplicate row
    ([(NIPS[0], "2026-03-02T07:25:00+07:00", "in")], "line 3: timestamp", "Asia/Makassar"),   # WIB, not WITA
    ([(NIPS[0], "2026-03-02T07:25:00", "in")], "line 3: timestamp", "offset"),                # no zone at all
    ([(NIPS[0], "02/03/2026 07:25", "in")], "line 3: timestamp", "ISO 8601"),
    ([(NIPS[0], "2026-03-02T06:00:00+08:00", "out")], "line 3: timestamp", "check-out before"),  # out of order
    ([(NIPS[0], "2026-03-02T12:00:00+08:00", "lunch")], "line 3: kind", "in, out, assembly"),
])
def test_a_bad_attendance_row_is_named_and_nothing_written(app_ctx, create_tenant, rows, where, words):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-03-02T07:20:00+08:00", "in"), *rows))
    assert exc.value.where == where and words in exc.value.message
    db.session.rollback()
    assert count(tenant, Punch) == 0


def test_an_attendance_file_without_its_columns_is_refused(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with pytest.raises(ValidationError) as exc:
        import_attendance(tenant, "test", b"nip,time\n1,2\n", "mesin.csv")
    assert exc.value.where == "line 1" and "timestamp" in exc.value.message


def test_sanctions_cut_their_share_in_their_months_only(app_ctx, create_tenant, audit_entries):
    from ..inputs import import_sanctions
    from ..models import Result, Sanction
    from ..services import run_month

    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    data = f"nip,code,first_month,last_month\n{NIPS[0]},sedang,2026-03,2026-04\n".encode()
    assert import_sanctions(tenant, "test", data, "hukdis.csv") == {"added": 1}
    for month in (2, 3, 4, 5):
        run_month(tenant, "test", 2026, month)
    db.session.commit()
    with tenant_scope(tenant):
        cuts = {month: next((x["amount"] for x in lines if x["code"] == "sanction"), 0) for month, lines in
                db.session.execute(db.select(Run.month, Result.lines).join(Run, Run.id == Result.run_id)
                                   .join(Employee, Employee.id == Result.employee_id)
                                   .where(Employee.name == "Andi Baso")).all()}
    assert cuts[2] == 0 and cuts[5] == 0 and cuts[3] < 0 and cuts[4] < 0     # 25 % of what is left, March-April
    assert [e["summary"]["after"] for e in audit_entries(tenant, "remuneration.sanctions.import")] == [{"added": 1}]
    for row, where in (((NIPS[0], "dipecat", "2026-03", "2026-03"), "line 2: code"),
                       ((NIPS[0], "ringan", "Maret", "2026-03"), "line 2: first_month"),
                       ((NIPS[0], "ringan", "2026-04", "2026-03"), "line 2: last_month"),
                       (("198503122010011099", "ringan", "2026-03", "2026-03"), "line 2: nip")):
        with pytest.raises(ValidationError) as exc:
            import_sanctions(tenant, "test", ("nip,code,first_month,last_month\n" + ",".join(row) + "\n").encode())
        assert exc.value.where == where, (row, exc.value.where)
        db.session.rollback()
    assert count(tenant, Sanction) == 1


def test_every_problem_of_an_employee_file_is_said_at_once_and_capped(app, client, create_tenant, create_user,
                                                                      login):
    from core.i18n import LOCALE_COOKIE

    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    bad = employees_csv(("123", "Andi", "DINSOS", "JF-AHLI", ""), (NIPS[1], "", "DLH", "ESELON-9", ""))
    with app.app_context():
        with pytest.raises(ValidationError) as exc:
            import_employees(tenant, "test", bad)
        assert [p.where for p in exc.value.problems] == ["line 2: nip", "line 2: agency", "line 3: name",
                                                         "line 3: position_class"]
        assert str(exc.value).count("; ") == 3 and "\n" not in str(exc.value)      # the CLI's one line
        many = employees_csv(*[("123", "X", "DLH", "JF-AHLI", "")] * 60)
        with pytest.raises(ValidationError) as exc:
            import_employees(tenant, "test", many)
        assert len(exc.value.problems) == 50 and exc.value.more == 10 and "(and 10 more)" in exc.value.message
        db.session.rollback()
        assert count(tenant, Employee) == 0
    login(client, create_user(tenant, role="admin"), tenant)
    client.set_cookie(LOCALE_COOKIE, "id")
    page = client.post(f"/t/{tenant.slug}/{MODULE}/imports", data={"kind": "employees", "file": (io.BytesIO(bad), "p.csv")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Baris 2, kolom nip" in page and "Baris 2, kolom agency" in page and "Baris 3, kolom name" in page
    assert "Baris 3, kolom position_class" in page


def test_attendance_of_a_closed_month_is_refused_and_nothing_written(app_ctx, create_tenant):
    """A closed month is immutable: a late file that reaches into it is refused by line (its TPP could
    not change, and accepting it would say otherwise), the open month's rows are not stored either."""
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    with tenant_scope(tenant):
        db.session.add(Run(tenant_id=tenant.id, year=2026, month=2, status="closed"))
    db.session.commit()
    data = attendance_csv((NIPS[0], "2026-03-02T07:25:00+08:00", "in"),
                          (NIPS[0], "2026-02-27T07:25:00+08:00", "in"))       # February: closed
    with pytest.raises(ValidationError) as exc:
        import_attendance(tenant, "test", data)
    assert exc.value.where == "line 3: timestamp" and "February 2026 is closed" in exc.value.message
    db.session.rollback()
    assert count(tenant, Punch) == 0
    # the last minutes of February in Makassar are February's; the first of March are not
    assert import_attendance(tenant, "test", attendance_csv(
        (NIPS[0], "2026-03-01T00:00:00+08:00", "in"))) == {"added": 1, "skipped": 0}


@pytest.mark.parametrize("kind, csv_text, where", [
    ("activities", "nip,day,minutes\n{nip},2026-02-20,300\n", "line 2: day"),
    ("excuses", "nip,kind,first_day,last_day\n{nip},leave,2026-02-26,2026-03-03\n", "line 2: first_day"),
    ("sanctions", "nip,code,first_month,last_month\n{nip},sedang,2026-01,2026-04\n", "line 2: first_month"),
])
def test_no_input_file_reaches_into_a_closed_month(app_ctx, create_tenant, kind, csv_text, where):
    """Activities, excuses and sanctions touching a closed month (February here) are refused by line,
    as attendance is: the month's TPP can no longer change."""
    from .. import inputs

    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    with tenant_scope(tenant):
        db.session.add(Run(tenant_id=tenant.id, year=2026, month=2, status="closed"))
    db.session.commit()
    work = getattr(inputs, f"import_{kind}")
    with pytest.raises(ValidationError) as exc:
        work(tenant, "test", csv_text.format(nip=NIPS[0]).encode())
    assert exc.value.where == where and "February 2026 is closed" in exc.value.message


def test_attendance_and_activities_of_days_not_come_yet_are_refused(app_ctx, create_tenant, frozen_clock):
    """The frozen clock's day is 2 March 2026 in Makassar: 5 March has not come."""
    from .. import inputs

    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", three_employees())
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-03-05T07:25:00+08:00", "in")))
    assert exc.value.where == "line 2: timestamp" and "has not come yet" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        inputs.import_activities(tenant, "test", f"nip,day,minutes\n{NIPS[0]},2026-03-05,300\n".encode())
    assert exc.value.where == "line 2: day"
    db.session.rollback()
    assert count(tenant, Punch) == 0
