"""Employees on the admin pages (issue 16: "from a CSV or XLSX import and the admin pages"): added
and changed by hand with the import's checks, each change in the history and audited; a refusal is
the form again with its message beside the field and in the summary, the typed values kept."""
from __future__ import annotations

from core.i18n import LOCALE_COOKIE
from core.kit import db, tenant_scope

from ..models import Employee, EmployeeChange
from .helpers import MODULE, NIPS, SETTINGS

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup"}, {"code": "PU", "name": "Dinas Pekerjaan Umum"}]


def test_an_employee_is_added_and_changed_on_the_admin_pages(app, client, create_tenant, create_user, login,
                                                             audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS}, agencies=AGENCIES, locales=["id", "en"])
    admin, officer = create_user(tenant, role="admin"), create_user(tenant, role="officer", agency="DLH")
    base = f"/t/{tenant.slug}/{MODULE}"
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    form = {"nip": NIPS[0], "name": "Andi Baso", "agency": "DLH", "position_class": "JF-AHLI", "position": "",
            "email": "", "supervisor_email": ""}
    bad = client.post(f"{base}/employees/new", data={**form, "nip": "123", "agency": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "The employee was not saved" in page and 'href="#' in page
    assert 'id="nip-err"' in page and 'id="agency-err"' in page                # every field's problem at once
    assert 'value="Andi Baso"' in page                                          # what was typed is kept
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Employee)).first() is None           # nothing half-written
    added = client.post(f"{base}/employees/new", data=form)
    assert added.status_code == 302
    again = client.post(f"{base}/employees/new", data=form)
    assert again.status_code == 400 and "already recorded" in again.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        andi = db.session.execute(db.select(Employee)).scalar_one()
        andi_id = andi.id
        assert (andi.nip, andi.agency, andi.position_class) == (NIPS[0], "DLH", "JF-AHLI")
    unknown = client.post(f"{base}/employees/{andi_id}/edit", data={**form, "agency": "DINSOS"})
    said = unknown.get_data(as_text=True)
    assert unknown.status_code == 400 and 'id="agency-err"' in said and "DINSOS is not an agency here." in said
    moved = client.post(f"{base}/employees/{andi_id}/edit", data={**form, "agency": "PU", "position_class": "PELAKSANA"})
    assert moved.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        andi = db.session.get(Employee, andi_id)
        assert (andi.agency, andi.position_class) == ("PU", "PELAKSANA")
        changes = {(c.field, c.before, c.after, c.source) for c in db.session.execute(
            db.select(EmployeeChange).where(EmployeeChange.employee_id == andi_id)).scalars()}
        assert changes == {("agency", "DLH", "PU", "page"), ("position_class", "JF-AHLI", "PELAKSANA", "page")}
    assert len(audit_entries(tenant, "remuneration.employee.add")) == 1
    assert len(audit_entries(tenant, "remuneration.employee.edit")) == 1
    login(client, officer, tenant)
    assert client.post(f"{base}/employees/{andi_id}/edit", data=form).status_code == 403
    assert client.get(f"{base}/employees/999999/edit").status_code in (403, 404)
