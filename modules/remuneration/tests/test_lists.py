"""Every list is paginated and exportable (issue 16, Pages): the employees with their history, the
runs, a month's per-agency table, the open objections and the oversight as CSV; and an employee
sees what became of their objection and until when they may object."""
from __future__ import annotations

import csv
import io

from core.kit import db

from ..objections import file_objection, resolve_step
from ..services import employee_of, import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, employees_csv

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup"}, {"code": "PU", "name": "Dinas Pekerjaan Umum"}]


def rows_of(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv", response.status_code
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_employees_list_pages_searches_exports_and_keeps_the_history(app, client, create_tenant, create_user,
                                                                        login):
    tenant = create_tenant(modules={MODULE: SETTINGS}, agencies=AGENCIES)
    admin = create_user(tenant, role="admin")
    people = [(f"1985031220100110{i:02d}", f"Pegawai {i:02d}", "DLH", "PELAKSANA", "") for i in range(1, 56)]
    with app.app_context():
        import_employees(tenant, "test", employees_csv(*people, (NIPS[1], "=Sitti", "PU", "JF-AHLI", "")))
        import_employees(tenant, "test", employees_csv((NIPS[1], "Sitti Rahmawati", "DLH", "JF-AHLI", "")), "mutasi.csv")
        db.session.commit()
    login(client, admin, tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    first = client.get(f"{base}/employees").get_data(as_text=True)
    assert first.count('data-label="NIP"') == 50 and "page=2" in first
    second = client.get(f"{base}/employees?page=2").get_data(as_text=True)
    assert second.count('data-label="NIP"') == 6 and "page=3" not in second
    found = client.get(f"{base}/employees?q=rahma").get_data(as_text=True)
    assert found.count('data-label="NIP"') == 1 and "Sitti Rahmawati" in found
    assert client.get(f"{base}/employees?q={NIPS[1]}").get_data(as_text=True).count('data-label="NIP"') == 1
    assert client.get(f"{base}/employees?agency=PU").get_data(as_text=True).count('data-label="NIP"') == 0
    exported = rows_of(client.get(f"{base}/employees.csv"))
    assert len(exported) == 56 and {"nip", "name", "agency", "position_class"} <= set(exported[0])
    assert rows_of(client.get(f"{base}/employees.csv?q=rahma"))[0]["nip"] == NIPS[1]
    with app.app_context():
        from core.kit import tenant_scope

        from ..models import Employee
        with tenant_scope(tenant):
            sitti = db.session.execute(db.select(Employee.id).where(Employee.name == "Sitti Rahmawati")).scalar_one()
    history = client.get(f"{base}/employees/{sitti}").get_data(as_text=True)
    assert "mutasi.csv" in history and "=Sitti" in history and "PU" in history     # name and agency before
    assert client.get(f"{base}/employees/999999").status_code == 404


def test_runs_agencies_objections_and_oversight_download_as_csv(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: SETTINGS}, agencies=AGENCIES)
    admin = create_user(tenant, role="admin")
    andi = create_user(tenant, role="officer", agency="DLH")
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", andi),
                                                       (NIPS[1], "Sitti", "PU", "PELAKSANA", "")))
        run_month(tenant, "test", 2026, 3)
        file_objection(tenant, "test", employee_of(tenant, andi), 2026, 3, "=HYPERLINK(1) tanggal 2 dinas luar")
        db.session.commit()
    login(client, admin, tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    runs = rows_of(client.get(f"{base}/runs.csv"))
    assert [(r["month"], r["status"], r["employees"]) for r in runs] == [("2026-03", "open", "2")]
    agencies = rows_of(client.get(f"{base}/runs/2026/3/agencies.csv"))
    assert [r["agency"] for r in agencies] == ["DLH", "PU"] and int(agencies[0]["tpp"]) > 0
    assert client.get(f"{base}/runs/2026/4/agencies.csv").status_code == 404
    objections = rows_of(client.get(f"{base}/objections.csv"))
    assert len(objections) == 1 and objections[0]["reason"].startswith("'=HYPERLINK")  # never a formula
    assert objections[0]["awaiting"] == "Atasan langsung"   # the tenant speaks Indonesian first
    from core.i18n import LOCALE_COOKIE

    client.set_cookie(LOCALE_COOKIE, "en")  # re-trial of issue 16: Indonesian for English readers
    assert rows_of(client.get(f"{base}/objections.csv"))[0]["awaiting"] == "Direct supervisor"
    client.delete_cookie(LOCALE_COOKIE)
    assert rows_of(client.get(f"{base}/oversight/2026/3.csv")) == []                   # a city has no children
    assert 'href="/t/%s/%s/runs.csv"' % (tenant.slug, MODULE) in client.get(f"{base}/runs").get_data(as_text=True)


def test_an_employee_sees_their_objection_decided_and_the_window(app, client, create_tenant, create_user, login,
                                                                frozen_clock):
    from datetime import datetime, timezone

    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    admin = create_user(tenant, role="admin")
    supervisor = create_user(tenant, role="officer", agency="DLH")
    andi = create_user(tenant, role="citizen")
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", andi)))
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    login(client, andi, tenant)
    page = client.get(f"/t/{tenant.slug}/{MODULE}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You may object until" in page and 'name="reason"' in page
    with app.app_context():
        objection_id = file_objection(tenant, "test", employee_of(tenant, andi), 2026, 3, "Saya cuti tanggal 2.").id
        db.session.commit()
    page = client.get(f"/t/{tenant.slug}/{MODULE}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Saya cuti tanggal 2." in page and "Awaiting: Direct supervisor" in page and 'name="reason"' not in page
    with app.app_context():
        from core.kit import User

        officer = db.session.execute(db.select(User).where(User.email == supervisor)).scalar_one()
        boss = db.session.execute(db.select(User).where(User.email == admin)).scalar_one()
        resolve_step(tenant, officer, objection_id, 0, "Diteruskan.")
        resolve_step(tenant, boss, objection_id, 1, "Cuti terbukti; dikoreksi pada bulan Mei.", 100_000)
        db.session.commit()
    page = client.get(f"/t/{tenant.slug}/{MODULE}/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Cuti terbukti; dikoreksi pada bulan Mei." in page
    frozen_clock.set(datetime(2026, 5, 1, 2, 0, tzinfo=timezone.utc))               # long after the window
    with app.app_context():
        from core.kit import tenant_scope

        from ..models import Objection
        with tenant_scope(tenant):
            db.session.execute(db.delete(Objection))
        db.session.commit()
    page = client.get(f"/t/{tenant.slug}/{MODULE}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The time to object to this month ended on" in page and 'name="reason"' not in page
