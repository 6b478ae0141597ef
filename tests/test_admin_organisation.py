"""The admin's organisation page (issue 12.4): units and positions listed, positions added, holders
assigned (acting ones with a period) and removed; refused input shows the page again (400) with the
message and changes nothing; every change audited."""
import re

from core.audit import AuditEntry
from core.extensions import db
from core.tenancy.models import Position, PositionHolder
from core.tenancy.scope import tenant_scope

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup",
             "sections": [{"code": "DLH-UM", "name": "Sekretariat DLH"}],
             "positions": [{"code": "KADIS", "name": "Kepala Dinas", "head": True}]}]


def _admin(client, create_tenant, create_user, login):
    tenant = create_tenant(agencies=AGENCIES, districts=[{"code": "MRS", "name": "Mariso",
                                                          "villages": [{"code": "MRS-LTM", "name": "Lette"}]}],
                           locales=["en", "id"])
    login(client, create_user(tenant, "admin"), tenant)
    return tenant


def _unit_id(page, name):
    return re.search(r'id="unit-(\d+)">\s*<th[^>]*>[^<]*' + re.escape(name), page).group(1)


def _counts(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return tuple(db.session.execute(db.select(db.func.count()).select_from(m)).scalar()
                     for m in (Position, PositionHolder, AuditEntry))


def test_list_add_assign_and_remove(app, client, create_tenant, create_user, login, frozen_clock):
    """On 2026-03-02 (the frozen clock) the acting period from November has not started: removing it
    deletes it (an ended holding is kept: tests/test_position_history.py)."""
    tenant = _admin(client, create_tenant, create_user, login)
    officer = create_user(tenant, "officer", agency="DLH")
    base = f"/t/{tenant.slug}/admin/organisation"
    page = client.get(base).get_data(as_text=True)
    assert client.get(base).status_code == 200
    for text in ("Dinas Lingkungan Hidup", "Sekretariat DLH", "Mariso", "Lette", "Kepala Dinas", "KADIS"):
        assert text in page, text
    section = _unit_id(page, "↳ Sekretariat DLH")
    response = client.post(f"{base}/units/{section}/positions", data={"code": "SEK", "name": "Sekretaris", "head": "1"})
    assert response.status_code == 302
    response = client.post(f"{base}/positions/KADIS/holders",
                           data={"email": officer, "acting": "1", "from": "2026-11-01", "until": "2026-12-31"})
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Sekretaris" in page and officer in page and "2026-11-01" in page
    assert '<option value="plh">' in page and '<option value="pj">' in page and '<option value="pjs">' in page  # Permendagri 1/2023 Pasal 44's kinds
    with app.app_context(), tenant_scope(tenant):
        holder = db.session.execute(db.select(PositionHolder)).scalar_one()
        assert holder.acting and holder.starts_on.isoformat() == "2026-11-01"
        actions = db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["org.position.create", "org.position.assign"]
    assert client.post(f"{base}/holders/{holder.id}/remove").status_code == 302
    assert officer not in client.get(base).get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(PositionHolder)).first() is None
        last = db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
    assert last.action == "org.position.unassign" and last.summary["before"]["email"] == officer
    # the TOML export now carries what the admin did
    from core.tenancy.export import export_doc
    from core.tenancy.service import get_tenant
    with app.app_context():
        doc = export_doc(get_tenant(tenant.slug))
    assert doc["agencies"][0]["sections"][0]["positions"] == [{"code": "SEK", "name": "Sekretaris", "head": True}]


def test_refused_input_shows_the_page_again_and_changes_nothing(app, client, create_tenant, create_user, login):
    tenant = _admin(client, create_tenant, create_user, login)
    outsider = create_user(None)  # an account, but no role in this tenant
    base = f"/t/{tenant.slug}/admin/organisation"
    page = client.get(base).get_data(as_text=True)
    agency, village = _unit_id(page, "Dinas Lingkungan Hidup"), _unit_id(page, "↳ Lette")
    before = _counts(app, tenant)
    cases = [
        (f"{base}/positions/KADIS/holders", {"email": outsider}, f"{outsider} has no role in this tenant"),
        (f"{base}/positions/KADIS/holders", {"email": "nobody@nowhere.test"}, "nobody@nowhere.test has no role"),
        (f"{base}/units/{agency}/positions", {"code": "KADIS", "name": "Lagi"}, "The position code KADIS is already used"),
        (f"{base}/units/{agency}/positions", {"code": "KADIS2", "name": "Kepala lain", "head": "1"}, "This unit already has a head position."),
        (f"{base}/units/{village}/positions", {"code": "STAF", "name": "Staf"}, "A unit's first position is its head"),
        (f"{base}/units/{agency}/positions", {"code": "bad code", "name": "X"}, "Code: letters"),
        (f"{base}/units/{agency}/positions", {"code": "OK1", "name": ""}, "Name: 1 to 200"),
    ]
    officer = create_user(tenant, "officer", agency="DLH")
    before = _counts(app, tenant)
    cases += [
        (f"{base}/positions/KADIS/holders", {"email": officer, "acting": "1"}, "needs a start date"),
        (f"{base}/positions/KADIS/holders", {"email": officer, "acting": "pjx", "from": "2026-11-01"}, "choose Plt., Plh., Pj. or Pjs."),
        (f"{base}/positions/KADIS/holders", {"email": officer, "from": "2026-02-31"}, "YYYY-MM-DD"),
        (f"{base}/positions/KADIS/holders", {"email": officer, "from": "2026-12-01", "until": "2026-11-01"}, "end date is before the start date"),
    ]
    for url, data, message in cases:
        response = client.post(url, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, (data, response.status_code)
        assert message in body.replace("&#39;", "'"), (data, body[body.find('role="alert"'):][:300])
        assert _counts(app, tenant) == before, data
    assert client.post(f"{base}/positions/NOPE/holders", data={"email": officer}).status_code == 404
    assert client.post(f"{base}/units/999999/positions", data={"code": "X", "name": "X", "head": "1"}).status_code == 404


def test_only_admins_see_the_page(app, client, create_tenant, create_user, login):
    tenant = create_tenant(agencies=AGENCIES)
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    assert client.get(f"/t/{tenant.slug}/admin/organisation").status_code == 403
    assert client.post(f"/t/{tenant.slug}/admin/positions/KADIS/holders", data={}).status_code in (403, 404)
