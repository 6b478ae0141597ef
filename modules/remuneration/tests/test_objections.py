"""Objections: within the window only, resolved through the core's approval chain (the supervisor in
the employee's agency, then the personnel agency), audited."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from core.kit import ApprovalError, User, ValidationError, approvals, db, tenant_scope

from ..models import Adjustment, Employee, Excuse, Objection, Result, Run
from ..objections import OwnObjection, file_objection, may_decide, objections_to, open_objections, resolve_step
from ..services import import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, three_employees


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
    db.session.commit()
    with pytest.raises(ValidationError) as missing:   # upholding makes the correction: its amount is required
        resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima.")
    assert missing.value.where == "amount"
    db.session.rollback()
    with tenant_scope(tenant):
        before = db.session.execute(db.select(Result.tpp, Run.amount).join(Run, Run.id == Result.run_id)
                                    .where(Result.employee_id == employee_id)).one()
    resolved = resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima: SPT 2 Maret.", "150000")
    db.session.commit()
    with tenant_scope(tenant):
        assert resolved.status == "granted" and resolved.decision.startswith("Diterima")
        # re-trial of issue 16: upholding made no correction; now an adjustment of the open month, shown at once
        [adjustment] = db.session.execute(db.select(Adjustment)).scalars().all()
        assert (adjustment.employee_id, adjustment.year, adjustment.month, adjustment.amount) == (employee_id, 2026, 3, 150_000)
        result = db.session.execute(db.select(Result).where(Result.employee_id == employee_id)).scalar_one()
        assert result.tpp == before[0] + 150_000 and result.lines[-1]["code"] == "adjustment"
        assert db.session.execute(db.select(Run.amount)).scalar_one() == before[1] + 150_000
    assert open_objections(tenant) == []
    assert [h["action"] for h in approvals.history(tenant, MODULE, "objection", objection_id)] == ["start", "approve", "approve"]
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("remuneration.objection")] == [
        "remuneration.objection.file", "remuneration.objection.grant"]
    [grant] = audit_entries(tenant, "remuneration.objection.grant")
    assert grant["summary"]["after"]["amount"] == 150_000 and grant["summary"]["after"]["paid_in"] == "2026-03"
    run_month(tenant, "test", 2026, 3)                   # a run again keeps the correction
    db.session.commit()
    with tenant_scope(tenant):
        again = db.session.execute(db.select(Result).where(Result.employee_id == employee_id)).scalar_one()
        assert again.tpp == before[0] + 150_000


def test_an_objection_is_rejected_with_a_reason_and_the_tpp_stays(app_ctx, create_tenant, create_user, frozen_clock,
                                                                  audit_entries):
    from ..objections import reject_step

    tenant, employee = setup(create_tenant, frozen_clock)
    supervisor = user(create_user(tenant, role="officer", agency="DLH"))
    employee_id = employee.id
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya hadir tanggal 2 Maret.").id
    db.session.commit()
    with tenant_scope(tenant):
        before = db.session.execute(db.select(Result.tpp).where(Result.employee_id == employee_id)).scalar_one()
    with pytest.raises(ValidationError):
        reject_step(tenant, supervisor, objection_id, 0, "  ")           # a reason is required
    db.session.rollback()
    rejected = reject_step(tenant, supervisor, objection_id, 0, "Tidak ada bukti kehadiran.")
    db.session.commit()
    with tenant_scope(tenant):
        assert rejected.status == "rejected" and rejected.decision == "Tidak ada bukti kehadiran."
        assert db.session.execute(db.select(Result.tpp).where(Result.employee_id == employee_id)).scalar_one() == before
        assert db.session.execute(db.select(Adjustment)).first() is None
        assert approvals.get_chain(tenant, MODULE, "objection", objection_id).status == approvals.REJECTED
    assert open_objections(tenant) == []
    assert [h["action"] for h in approvals.history(tenant, MODULE, "objection", objection_id)] == ["start", "reject"]
    [entry] = audit_entries(tenant, "remuneration.objection.reject")
    assert entry["summary"]["after"] == {"status": "rejected", "decision": "Tidak ada bukti kehadiran."}
    with pytest.raises(ApprovalError):                                  # a rejected objection is decided
        resolve_step(tenant, user(create_user(tenant, role="admin")), objection_id, 1, "x", 1000)
    db.session.rollback()
    # the employee may object again (the rejected one changed nothing), but not twice at once
    file_objection(tenant, "pegawai", employee, 2026, 3, "Ada surat keterangan hadir.")
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        file_objection(tenant, "pegawai", employee, 2026, 3, "Sekali lagi.")
    db.session.rollback()
    assert refused.value.code == "objection_twice" and refused.value.where == "month"
    assert len(audit_entries(tenant, "remuneration.objection.file")) == 2


def test_no_second_objection_to_an_upheld_month(app_ctx, create_tenant, create_user, frozen_clock, audit_entries):
    """Upheld, the month's correction is paid: another objection would correct it again (``second_refused``)."""
    tenant, employee = setup(create_tenant, frozen_clock)
    supervisor = user(create_user(tenant, role="officer", agency="DLH"))
    bkpsdm = user(create_user(tenant, role="admin"))
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya dinas luar.").id
    resolve_step(tenant, supervisor, objection_id, 0, "Benar.")
    resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima.", 50_000)
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        file_objection(tenant, "pegawai", employee, 2026, 3, "Juga tanggal 3 Maret.")
    db.session.rollback()
    assert (refused.value.code, refused.value.where) == ("objection_upheld", "month")
    assert "upheld already" in refused.value.message
    assert len(audit_entries(tenant, "remuneration.objection.file")) == 1
    with tenant_scope(tenant):
        assert [o.status for o in db.session.execute(db.select(Objection)).scalars()] == ["granted"]
        assert len(db.session.execute(db.select(Adjustment)).all()) == 1


def test_an_objection_to_a_closed_month_is_paid_in_a_later_open_month(app_ctx, create_tenant, create_user,
                                                                     frozen_clock, audit_entries):
    from ..services import close_month

    tenant, employee = setup(create_tenant, frozen_clock)
    supervisor = user(create_user(tenant, role="officer", agency="DLH"))
    bkpsdm = user(create_user(tenant, role="admin"))
    employee_id = employee.id
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya dinas luar.").id
    close_month(tenant, "test", 2026, 3)
    db.session.commit()
    resolve_step(tenant, supervisor, objection_id, 0, "Benar.")
    resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima.", -25000)
    db.session.commit()
    with tenant_scope(tenant):
        [adjustment] = db.session.execute(db.select(Adjustment)).scalars().all()
        assert ((adjustment.source_year, adjustment.source_month), (adjustment.year, adjustment.month),
                adjustment.amount) == ((2026, 3), (2026, 4), -25_000)      # March is closed: paid in April
    run_month(tenant, "test", 2026, 4)
    db.session.commit()
    with tenant_scope(tenant):
        lines = db.session.execute(db.select(Result.lines).join(Run, Run.id == Result.run_id)
                                   .where(Run.month == 4, Result.employee_id == employee_id)).scalar_one()
    assert {"code": "adjustment", "detail": "2026-03", "count": 1, "bp": 0, "amount": -25_000} in lines


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


def test_a_run_again_keeps_the_objection_linked_to_the_new_result(app_ctx, create_tenant, create_user, frozen_clock,
                                                                  audit_entries):
    """The usual flow: the employee objects, personnel fixes the inputs, the open month is run
    again. The objection, its history and its approval chain survive, on the employee's result."""
    tenant, employee = setup(create_tenant, frozen_clock)
    supervisor = user(create_user(tenant, role="officer", agency="DLH"))
    bkpsdm = user(create_user(tenant, role="admin"))
    employee_id = employee.id
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya dinas luar tanggal 2 Maret.").id
    db.session.commit()
    resolve_step(tenant, supervisor, objection_id, 0, "Benar, ada SPT.")
    db.session.commit()
    with tenant_scope(tenant):
        db.session.add(Excuse(employee_id=employee_id, kind="duty_travel", first_day=date(2026, 3, 2),
                              last_day=date(2026, 3, 2), reference="SPT 1"))
    db.session.commit()
    run_month(tenant, "test", 2026, 3)                        # the month run again with the fixed inputs
    db.session.commit()
    db.session.expire_all()
    with tenant_scope(tenant):
        objection = db.session.get(Objection, objection_id)
        assert objection is not None and objection.status == "open"
        result = db.session.execute(db.select(Result).join(Run, Run.id == Result.run_id).where(
            Run.year == 2026, Run.month == 3, Result.employee_id == employee_id)).scalar_one()
        assert objection.result_id == result.id
        assert [o.id for o in objections_to(tenant, result.id)] == [objection_id]
        assert db.session.execute(db.select(db.func.count(Result.id))).scalar() == 3
    [(still, _, waiting)] = open_objections(tenant)
    assert still.id == objection_id and waiting["index"] == 1
    resolved = resolve_step(tenant, bkpsdm, objection_id, 1, "Diterima: dikoreksi.", 50_000)
    db.session.commit()
    with tenant_scope(tenant):
        assert resolved.status == "granted"
    assert [h["action"] for h in approvals.history(tenant, MODULE, "objection", objection_id)] == ["start", "approve", "approve"]
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("remuneration.objection")] == [
        "remuneration.objection.file", "remuneration.objection.grant"]


def test_a_run_again_never_deletes_an_objection_of_an_employee_no_longer_active(app_ctx, create_tenant, frozen_clock):
    tenant, employee = setup(create_tenant, frozen_clock)
    objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Keberatan").id
    with tenant_scope(tenant):
        employee.active = False
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        run_month(tenant, "test", 2026, 3)
    assert exc.value.code == "objection_keeps_result"
    db.session.rollback()
    with tenant_scope(tenant):
        assert db.session.get(Objection, objection_id) is not None
        db.session.execute(db.update(Employee).where(Employee.id == employee.id).values(active=True))
        other = db.session.execute(db.select(Employee).where(Employee.id != employee.id)
                                   .order_by(Employee.id)).scalars().first()
        other.active = False                                   # no objection: their result just goes
    db.session.commit()
    run_month(tenant, "test", 2026, 3)
    db.session.commit()
    with tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count(Result.id))).scalar() == 2
        assert db.session.get(Objection, objection_id) is not None



def test_the_database_refuses_to_delete_a_result_an_objection_refers_to(app_ctx, create_tenant, frozen_clock):
    """ON DELETE RESTRICT (migration a4c7e2f91b58, was CASCADE): deleting the result, or the run
    whose results cascade, fails and the objection stays."""
    from sqlalchemy.exc import IntegrityError

    tenant, employee = setup(create_tenant, frozen_clock)
    objection = file_objection(tenant, "pegawai", employee, 2026, 3, "Keberatan")
    objection_id, result_id = objection.id, objection.result_id
    db.session.commit()
    for statement in (db.delete(Result).where(Result.id == result_id), db.delete(Run)):
        with tenant_scope(tenant), pytest.raises(IntegrityError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    with tenant_scope(tenant):
        assert db.session.get(Objection, objection_id).result_id == result_id
        assert db.session.get(Result, result_id) is not None

SUPERVISED = ("nip,name,agency,position_class,email,supervisor_email\n"
              f"{NIPS[0]},Andi Baso,DLH,JF-AHLI,andi@example.test,kabid@example.test\n"
              f"{NIPS[1]},Sitti Rahmawati,DLH,PELAKSANA,sitti@example.test,\n").encode()


def supervised(create_tenant, frozen_clock):
    tenant = create_tenant(modules={MODULE: {**SETTINGS, "objection_days": 5}})
    import_employees(tenant, "test", SUPERVISED)
    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    run_month(tenant, "test", 2026, 3)
    db.session.commit()
    with tenant_scope(tenant):
        return tenant, db.session.execute(db.select(Employee).order_by(Employee.id)).scalars().all()


def test_the_supervisor_decides_first_and_never_the_objector(app_ctx, create_tenant, create_user, frozen_clock):
    tenant, (andi, sitti) = supervised(create_tenant, frozen_clock)
    objector = user(create_user(tenant, role="officer", agency="DLH", email="andi@example.test"))
    colleague = user(create_user(tenant, role="officer", agency="DLH"))
    kabid = user(create_user(tenant, role="officer", agency="DLH", email="kabid@example.test"))
    objection_id = file_objection(tenant, objector, andi, 2026, 3, "Saya dinas luar.").id
    db.session.commit()
    [(objection, _, waiting)] = open_objections(tenant)
    assert waiting["step"] == {"user": "kabid@example.test", "label": "Atasan langsung"}
    assert [may_decide(tenant, objection, waiting["step"], u) for u in (objector, colleague, kabid)] == [False, False, True]
    with pytest.raises(OwnObjection) as exc:
        resolve_step(tenant, objector, objection_id, 0, "Saya setujui sendiri")
    assert exc.value.code == "objection_own"
    db.session.rollback()
    with pytest.raises(ApprovalError) as exc:
        resolve_step(tenant, colleague, objection_id, 0, "Bukan atasannya")   # an officer of the agency, not the supervisor
    assert exc.value.code == "approval_not_holder"
    db.session.rollback()
    resolve_step(tenant, kabid, objection_id, 0, "Benar, ada SPT.")
    db.session.commit()
    assert approvals.get_chain(tenant, MODULE, "objection", objection_id).current == 1


def test_without_a_supervisor_an_officer_of_the_agency_decides_but_not_the_objector(app_ctx, create_tenant, create_user,
                                                                                   frozen_clock):
    tenant, (andi, sitti) = supervised(create_tenant, frozen_clock)
    objector = user(create_user(tenant, role="officer", agency="DLH", email="sitti@example.test"))
    colleague = user(create_user(tenant, role="officer", agency="DLH"))
    bkpsdm = user(create_user(tenant, role="admin"))
    filed = file_objection(tenant, "pegawai", sitti, 2026, 3, "Saya cuti.").id
    andi_id = file_objection(tenant, bkpsdm, andi, 2026, 3, "Dinas luar.").id   # for him; kabid has no account
    db.session.commit()
    waiting = {o.id: step for o, _, step in open_objections(tenant)}
    assert waiting[filed]["step"] == waiting[andi_id]["step"] == {"role": "officer", "unit": "DLH",
                                                                  "label": "Atasan langsung"}
    with pytest.raises(OwnObjection):
        resolve_step(tenant, objector, filed, 0, "Setuju")
    db.session.rollback()
    resolve_step(tenant, colleague, filed, 0, "Benar, ada surat cuti.")
    db.session.commit()
    assert approvals.get_chain(tenant, MODULE, "objection", filed).current == 1
    resolve_step(tenant, colleague, andi_id, 0, "Benar.")
    with pytest.raises(OwnObjection):                          # whoever filed it for the employee: not them either
        resolve_step(tenant, bkpsdm, andi_id, 1, "Diterima")
