"""Objections: within the window only, resolved through the core's approval chain (the supervisor in
the employee's agency, then the personnel agency), audited."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.kit import ApprovalError, User, ValidationError, approvals, db, tenant_scope

from ..models import Employee
from ..objections import file_objection, open_objections, resolve_step
from ..services import import_employees, run_month
from .helpers import MODULE, SETTINGS, three_employees


def user(email):
    return db.session.execute(db.select(User).where(User.email == email)).scalar_one()


def setup(create_tenant, frozen_clock):
    tenant = create_tenant(modules={MODULE: {**SETTINGS, "objection_days": 5}})
    import_employees(tenant, "test", three_employees())
    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))   # Wednesday 1 April, 10:00 WITA
    run_month(tenant, "test", 2026, 3)
    db.session.commit()
    with tenant_scope(tenant):
        employee = db.session.execute(db.select(Employee).order_by(Employee.id)).scalars().first()
    return tenant, employee


def test_an_objection_goes_to_the_supervisor_then_the_personnel_agency(app_ctx, create_tenant, create_user,
                                                                      frozen_clock, audit_entries):
    tenant, employee = setup(create_tenant, frozen_clock)
    supervisor = user(create_user(tenant, role="officer", agency="DLH"))
    bkpsdm = user(create_user(tenant, role="admin"))
    employee_id = employee.id
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya dinas luar tanggal 2 Maret.").id
    db.session.commit()
    [(_, who, waiting)] = open_objections(tenant)
    assert who.id == employee_id and waiting["index"] == 0 and waiting["label"] == "Atasan langsung"
    with pytest.raises(ApprovalError):
        resolve_step(tenant, bkpsdm, objection_id, 1, "Belum gilirannya")     # out of turn
    db.session.rollback()
    with tenant_scope(tenant), pytest.raises(ValidationError):
        file_objection(tenant, "pegawai", employee, 2026, 3, "Lagi")    # one open objection a month
    db.session.rollback()
    resolve_step(tenant, supervisor, objection_id, 0, "Benar, ada SPT.")
    resolved = resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima: dikoreksi pada bulan April.")
    db.session.commit()
    with tenant_scope(tenant):
        assert resolved.status == "resolved" and resolved.decision.startswith("Diterima")
    assert open_objections(tenant) == []
    assert [h["action"] for h in approvals.history(tenant, MODULE, "objection", objection_id)] == ["start", "approve", "approve"]
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("remuneration.objection")] == [
        "remuneration.objection.file", "remuneration.objection.resolve"]


def test_an_objection_after_the_window_is_refused(app_ctx, create_tenant, frozen_clock):
    tenant, employee = setup(create_tenant, frozen_clock)
    # five working days after Wednesday 1 April 2026: Good Friday (3 April) is a day off -> 9 April
    frozen_clock.set(datetime(2026, 4, 9, 15, 0, tzinfo=timezone.utc))      # 23:00 WITA on the 9th: still open
    with tenant_scope(tenant):
        file_objection(tenant, "test", employee, 2026, 3, "Masih dalam batas waktu")
        db.session.rollback()
    frozen_clock.set(datetime(2026, 4, 9, 16, 1, tzinfo=timezone.utc))      # 00:01 WITA on the 10th
    with tenant_scope(tenant), pytest.raises(ValidationError) as exc:
        file_objection(tenant, "test", employee, 2026, 3, "Terlambat")
    assert exc.value.code == "objection_window_closed"
    with tenant_scope(tenant), pytest.raises(ValidationError) as exc:
        file_objection(tenant, "test", employee, 2026, 3, "   ")
    assert exc.value.where == "reason"


def test_the_objection_list_is_paginated(app, client, create_tenant, create_user, login, frozen_clock):
    from ..views_objections import PER_PAGE

    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        rows = "\n".join(f"{1970 + i:04d}0101200001{i % 2 + 1}{i + 1:03d},Pegawai {i},DLH,PELAKSANA"
                         for i in range(PER_PAGE + 2))
        import_employees(tenant, "test", f"nip,name,agency,position_class\n{rows}\n".encode())
        run_month(tenant, "test", 2026, 3)
        with tenant_scope(tenant):
            for employee in db.session.execute(db.select(Employee)).scalars():
                file_objection(tenant, "test", employee, 2026, 3, f"Keberatan {employee.name}")
        db.session.commit()
    login(client, create_user(tenant, role="admin"), tenant)
    first = client.get(f"/t/{tenant.slug}/{MODULE}/objections").get_data(as_text=True)
    second = client.get(f"/t/{tenant.slug}/{MODULE}/objections?page=2").get_data(as_text=True)
    def items(html):
        return html.split('<ul class="objections">')[1].split("</ul>")[0].count("<li>")

    assert items(first) == PER_PAGE and "page=2" in first
    assert items(second) == 2 and "page=3" not in second
    assert client.get(f"/t/{tenant.slug}/{MODULE}/objections?page=0").status_code == 400
