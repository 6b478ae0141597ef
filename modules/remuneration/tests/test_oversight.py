"""Oversight: the per-agency figures, and a province's auditor sees its cities' totals (read-only,
across tenants); another province's cities never appear."""
from __future__ import annotations

from core.i18n import LOCALE_COOKIE
from core.kit import db

from ..oversight import child_totals
from ..services import close_month, import_employees, run_month
from .helpers import MODULE, SETTINGS, three_employees


def test_a_province_auditor_sees_its_cities_totals(app, client, create_tenant, create_user, login):
    province = create_tenant(kind="province", modules={MODULE: SETTINGS}, locales=["id", "en"])
    elsewhere = create_tenant(kind="province", modules={MODULE: SETTINGS})
    city = create_tenant(parent=province.slug, modules={MODULE: SETTINGS}, name="Kota Satu")
    regency = create_tenant(parent=province.slug, modules={MODULE: SETTINGS}, name="Kabupaten Dua")
    foreign = create_tenant(parent=elsewhere.slug, modules={MODULE: SETTINGS}, name="Kota Lain")
    with app.app_context():
        for tenant in (city, foreign):
            import_employees(tenant, "test", three_employees())
            run_month(tenant, "test", 2026, 3)
        close_month(tenant=city, actor="test", year=2026, month=3)
        db.session.commit()
        rows = {r["name"]: r for r in child_totals(province, 2026, 3)}
    assert set(rows) == {"Kota Satu", "Kabupaten Dua"}
    assert rows["Kota Satu"]["status"] == "closed" and rows["Kota Satu"]["employees"] == 3
    assert rows["Kota Satu"]["ceiling"] == 24_000_000 and 0 <= rows["Kota Satu"]["tpp"] <= 24_000_000
    assert rows["Kabupaten Dua"]["status"] is None and rows["Kabupaten Dua"]["tpp"] == 0
    auditor = create_user(province, role="auditor")
    login(client, auditor, province)
    url = f"/t/{province.slug}/{MODULE}/oversight?month=2026-03"
    page = client.get(url).get_data(as_text=True)                                  # the province's own language
    assert "Kota dan kabupaten, Maret 2026" in page and "Cities and regencies" not in page
    client.set_cookie(LOCALE_COOKIE, "en")                                         # English on the language switch
    page = client.get(url).get_data(as_text=True)
    assert "Cities and regencies, March 2026" in page and "Per agency, March 2026" in page and "Kota dan kabupaten" not in page
    assert "Kota Satu" in page and "Kabupaten Dua" in page and "Kota Lain" not in page
    citizen = create_user(province, role="citizen")
    other = app.test_client()
    login(other, citizen, province)
    assert other.get(f"/t/{province.slug}/{MODULE}/oversight").status_code == 403
