"""The archive (issue 14.6): signed letters filed by classification, unit and year; closing a
dossier computes its retention dates from the JRA; the records unit's list."""
from datetime import date

import pytest

from core.kit import ValidationError, db, local_date, tenant_scope, utcnow

from ..archive import ACTIVE, INACTIVE, OPEN, REVIEW_DUE, add_years, close_dossier, records, retention, state
from .conftest import actor_of
from .helpers import signed


def test_retention_counts_active_then_inactive_years():
    assert retention(date(2026, 12, 31), 2, 3) == (date(2028, 12, 31), date(2031, 12, 31))
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    with pytest.raises(ValidationError):
        retention(date(2026, 1, 1), -1, 3)


def test_signed_letters_are_filed_by_classification_and_closed_with_their_jra(scoped, frozen_clock, audit_entries):
    tenant, people = scoped
    signed(tenant, people)
    signed(tenant, people)
    signed(tenant, people, classification="800.1.11")  # Administrasi Pegawai (leave): 1 active year, 2 inactive
    listing = {d.code: (s, n) for d, s, n in records(tenant)}
    year = local_date(tenant, utcnow()).year
    assert listing == {f"000.8.3.3/DLH/{year}": (OPEN, 2), f"800.1.11/DLH/{year}": (OPEN, 1)}
    dossier = next(d for d, _, _ in records(tenant) if d.classification == "800.1.11")
    closed = close_dossier(tenant, actor_of(tenant, people.drafter), dossier.id)
    db.session.commit()
    today = local_date(tenant, utcnow())
    assert (closed.inactive_on, closed.review_on) == (add_years(today, 1), add_years(today, 3))
    assert state(closed, today) == ACTIVE
    assert state(closed, add_years(today, 1)) == INACTIVE and state(closed, add_years(today, 3)) == REVIEW_DUE
    with pytest.raises(ValidationError) as error:
        close_dossier(tenant, actor_of(tenant, people.drafter), dossier.id)
    assert error.value.code == "already_closed"
    db.session.rollback()
    signed(tenant, people, classification="800.1.11")  # a closed dossier takes no more: a new one
    codes = sorted(d.code for d, _, _ in records(tenant) if d.classification == "800.1.11")
    assert codes == [f"800.1.11/DLH/{year}", f"800.1.11/DLH/{year}#2"]
    assert [e["summary"]["after"]["final"] for e in audit_entries(tenant, "eoffice.dossier.close")] == ["musnah"]


def test_a_tenant_code_overrides_the_retention(make_tenant, app_ctx):
    tenant, people = make_tenant({"classifications": [
        {"code": "000.8.3.3", "name": "SOP", "active_years": 5, "inactive_years": 10, "final": "permanen"},
        {"code": "000.8.3.3.1", "name": "SOP pelayanan"}]})
    with tenant_scope(tenant):
        signed(tenant, people, classification="000.8.3.3.1")  # the tenant's own code, under a built-in one
        signed(tenant, people)
        dates = {}
        for dossier, _, _ in records(tenant):
            closed = close_dossier(tenant, actor_of(tenant, people.drafter), dossier.id, date(2026, 1, 31))
            dates[closed.classification] = (closed.inactive_on, closed.review_on, closed.final)
        db.session.rollback()
    assert dates == {"000.8.3.3": (date(2031, 1, 31), date(2041, 1, 31), "permanen"),   # overridden: 5 + 10
                     "000.8.3.3.1": (date(2028, 1, 31), date(2031, 1, 31), "musnah")}   # a new code: 2 + 3


def test_only_retention_the_tenant_set_itself_counts_as_confirmed(make_tenant, app_ctx):
    """The built-in JRA figures are not confirmed against an official schedule (kka.py): a code is
    confirmed once the tenant's settings give all three retention values (from its own JRA)."""
    from ..archive import unconfirmed
    from ..settings import classifications

    tenant, _ = make_tenant({"classifications": [
        {"code": "000.8.3.3", "name": "SOP", "active_years": 5, "inactive_years": 10, "final": "permanen"},
        {"code": "000.1.2", "name": "Perjalanan dinas", "active_years": 1},  # partly: still a built-in figure
        {"code": "000.8.3.3.1", "name": "SOP pelayanan"}]})
    with tenant_scope(tenant):
        codes = classifications(tenant)
        assert codes["000.8.3.3"]["confirmed"] and not codes["000.1.2"]["confirmed"]
        assert not codes["000.8.3.3.1"]["confirmed"] and not codes["000"]["confirmed"]
        assert unconfirmed(tenant) == set(codes) - {"000.8.3.3"}
        db.session.rollback()


@pytest.mark.parametrize("entry, where", [
    ({"code": "000.8.3.3.1.2.7", "name": "Terlalu dalam"}, "classifications.0.code"),
    ({"code": "555.1", "name": "Tanpa induk"}, "classifications.0.code"),
    ({"code": "ABC", "name": "Bukan kode"}, "classifications.0.code"),
])
def test_a_classification_code_that_cannot_exist_is_refused(create_tenant, entry, where):
    with pytest.raises(ValidationError) as error:
        create_tenant(modules={"eoffice": {"classifications": [entry]}})
    assert error.value.where.endswith(f"modules.eoffice.settings.{where}")


def test_a_number_pattern_that_is_not_well_formed_is_refused(create_tenant):
    for pattern in ("{classification}/{serial/{unit}", "{classification}/{nomor}/{unit}", "{classification}/{unit}"):
        with pytest.raises(ValidationError) as error:
            create_tenant(modules={"eoffice": {"number_pattern": pattern}})
        assert "number_pattern" in error.value.where


def test_the_records_page_lists_and_closes_dossiers(app, client, office, create_user, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        signed(tenant, people)
    login(client, people.drafter, tenant)
    assert client.get(f"/t/{tenant.slug}/eoffice/archive").status_code == 403  # an officer is not the records unit
    admin = app.test_client()
    login(admin, create_user(tenant, "admin"), tenant)
    page = admin.get(f"/t/{tenant.slug}/eoffice/archive").get_data(as_text=True)
    assert "000.8.3.3/DLH/" in page
    assert 'class="eo-meta eo-unconfirmed"' in page  # a built-in retention figure, not the tenant's JRA
    dossier_id = int(page.split("/archive/")[1].split('"')[0])
    assert f"/archive/{dossier_id}/close" in page
    assert admin.post(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}/close").status_code == 302
    page = admin.get(f"/t/{tenant.slug}/eoffice/archive?state=active").get_data(as_text=True)
    assert "000.8.3.3/DLH/" in page and "/close" not in page


def test_figures_per_agency_count_letters_and_dispositions(app, client, office, login):
    from ..delivery import dispose, send
    from ..figures import per_agency

    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter = signed(tenant, people)
        signed(tenant, people, subject="Belum dikirim")
        send(tenant, actor_of(tenant, people.drafter), letter.id)
        staff = actor_of(tenant, people.staff_pu).user.id
        dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, staff, "Pelajari")
        db.session.commit()
        rows = {r["code"]: r for r in per_agency(tenant)}
    assert (rows["DLH"]["out"], rows["DLH"]["in"], rows["PU"]["in"], rows["PU"]["out"]) == (2, 0, 1, 0)
    assert rows["PU"]["open_dispositions"] == 1 and rows["PU"]["overdue_dispositions"] == 0
    assert rows["DLH"]["avg_hours_to_sign"] >= 0
    login(client, people.auditor, tenant)
    page = client.get(f"/t/{tenant.slug}/eoffice/figures")
    assert page.status_code == 200 and "Dinas Pekerjaan Umum" in page.get_data(as_text=True)


def test_the_api_gives_ordinary_letters_register_entries_only(app, client, office, create_token):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        signed(tenant, people, subject="Surat biasa")
        signed(tenant, people, subject="Surat rahasia", security="rahasia")
    token = create_token(tenant, "eoffice:read")
    answer = client.get(f"/t/{tenant.slug}/api/v1/eoffice/letters", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    (letter,) = answer.get_json()["letters"]
    assert letter["subject"] == "Surat biasa" and letter["number"] == "000.8.3.3/1/DLH" and "body_html" not in letter
    # the tenant's offset (Makassar, WITA), to the second, as the rest of the API
    assert letter["signed_at"].endswith("+08:00") and len(letter["signed_at"]) == 25 and letter["sent_at"] is None
    assert letter["revoked"] is False
    assert client.get(f"/t/{tenant.slug}/api/v1/eoffice/letters").get_json()["error"]["code"]
    figures = client.get(f"/t/{tenant.slug}/api/v1/eoffice/figures", headers={"Authorization": f"Bearer {token}"})
    assert {row["code"]: row["out"] for row in figures.get_json()["agencies"]}["DLH"] == 2


def test_a_dossiers_contents_list_its_letters_and_hide_a_secret_ones_subject(app, client, office, create_user, login):
    """Daftar isi berkas: the records unit opens a dossier and sees what was filed in it, in and
    out; a rahasia letter it may not read shows by its number only, not its subject."""
    from ..register import register
    from .test_register import incoming

    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        out = signed(tenant, people)
        secret = signed(tenant, people, security="rahasia", subject="Hasil pemeriksaan khusus pegawai")
        came = register(tenant, actor_of(tenant, people.drafter), incoming(classification="000.8.3.3"))
        numbers, came_number = (out.number, secret.number), came.origin_number
        db.session.commit()
    admin = app.test_client()
    login(admin, create_user(tenant, "admin"), tenant)
    page = admin.get(f"/t/{tenant.slug}/eoffice/archive").get_data(as_text=True)
    dossier_id = int(page.split("/archive/")[1].split('"')[0])
    contents = admin.get(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}").get_data(as_text=True)
    listed = contents.split('id="contents"')[1].split("</ol>")[0]
    assert all(n in listed for n in numbers) and came_number in listed and "PT Sinar Makassar" in listed
    assert "Undangan rapat koordinasi kebersihan" in listed and "Hasil pemeriksaan khusus" not in listed
    assert admin.get(f"/t/{tenant.slug}/eoffice/archive/999999").status_code == 404


def test_the_records_page_is_paginated_and_searchable(app, make_tenant, create_user, login):
    """Seven dossiers at five a page: two pages (the second with the last two), a page past the
    last shows the last, the state filter and a search by code or title are kept across pages."""
    from ..models import Dossier

    tenant, _ = make_tenant({"page_size": 5})
    with app.app_context(), tenant_scope(tenant):
        for n in range(7):
            db.session.add(Dossier(tenant_id=tenant.id, code=f"000.8.3.3/DLH/2026/{n:02d}", classification="000.8.3.3",
                                   unit_code="DLH", title=f"Berkas nomor {n:02d}", opened_on=date(2026, 1, 1)))
        db.session.commit()
    admin = app.test_client()
    login(admin, create_user(tenant, "admin"), tenant)
    base = f"/t/{tenant.slug}/eoffice/archive"

    def codes(page):
        return sorted(c for c in (f"/2026/{n:02d}" for n in range(7)) if c in page)

    first = admin.get(base).get_data(as_text=True)
    second = admin.get(f"{base}?page=2").get_data(as_text=True)
    assert len(codes(first)) == 5 and len(codes(second)) == 2 and not set(codes(first)) & set(codes(second))
    assert "page=2" in first and "page=1" in second
    assert codes(admin.get(f"{base}?page=9").get_data(as_text=True)) == codes(second)
    assert codes(admin.get(f"{base}?state=open&page=2").get_data(as_text=True)) == codes(second)
    assert "state=open" in admin.get(f"{base}?state=open").get_data(as_text=True).split('class="pager"')[1]
    assert codes(admin.get(f"{base}?q=nomor+03").get_data(as_text=True)) == ["/2026/03"]
    assert codes(admin.get(f"{base}?q=DLH/2026/06").get_data(as_text=True)) == ["/2026/06"]
    assert codes(admin.get(f"{base}?state=active").get_data(as_text=True)) == []
