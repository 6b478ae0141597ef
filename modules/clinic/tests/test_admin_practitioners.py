"""The tenant admin's page of the practitioners' NIKs (``views_admin.py``, issue 17 leftovers item 2):
set or clear a practitioner's NIK without the command line, the NIK's rules those of the CLI
(``practitioners.set_nik``), stored encrypted, shown masked, audited without the NIK in clear; a
form that comes back with its errors; 403 for anyone but the tenant admin; Indonesian and English."""
import json

import pytest
from sqlalchemy import text

from core.audit.models import AuditEntry
from core.kit import db, tenant_scope

from ..models import PractitionerId
from .fixtures import SETTINGS
from .test_pages import url

NIK = "7371015506800004"
MASKED = "7371**********04"
PAGE = "admin/practitioners/PKM-A/DR-A"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


@pytest.fixture
def admin(app, client, tenant, create_user, login):
    with app.app_context():
        user = create_user(tenant, role="admin")
    login(client, user, tenant)
    return user


def _row(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        row = db.session.query(PractitionerId).filter_by(clinic="PKM-A", code="DR-A").one_or_none()
        stored = db.session.execute(text("SELECT nik FROM clinic_practitioners WHERE tenant_id = :t"),
                                        {"t": tenant.id}).scalar()
        return (row.nik, row.ihs_number) if row else None, stored


def _entries(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(e.actor, json.dumps(e.summary)) for e in db.session.query(AuditEntry).filter(
            AuditEntry.action == "clinic.practitioner.nik").order_by(AuditEntry.id)]


def test_the_admin_sets_and_clears_a_nik_masked_encrypted_and_audited(app, client, tenant, admin):
    assert "/clinic/admin/practitioners" in client.get(url(tenant)).get_data(as_text=True)  # linked on /clinic/
    listing = client.get(url(tenant, "admin/practitioners"), headers={"Accept-Language": "id"})
    assert listing.status_code == 200
    body = listing.get_data(as_text=True)
    assert "dr. Satu" in body and "dr. Dua" in body and "belum diisi" in body
    assert "<script" not in body
    form = client.get(url(tenant, PAGE)).get_data(as_text=True)
    assert 'name="nik"' in form and 'value="clear"' not in form  # nothing to clear yet
    answer = client.post(url(tenant, PAGE), data={"nik": "7371 0155 0680 0004", "action": "save"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/clinic/admin/practitioners")
    (nik, ihs), stored = _row(app, tenant)
    assert nik == NIK and NIK not in stored  # encrypted at rest
    listing = client.get(url(tenant, "admin/practitioners")).get_data(as_text=True)
    assert MASKED in listing and NIK not in listing
    form = client.get(url(tenant, PAGE)).get_data(as_text=True)
    assert MASKED in form and NIK not in form and 'value="clear"' in form
    with app.app_context(), tenant_scope(tenant):  # a number SATUSEHAT gave for it is forgotten with it
        db.session.query(PractitionerId).update({"ihs_number": "10009880728"})
        db.session.commit()
    assert client.post(url(tenant, PAGE), data={"action": "clear"}).status_code == 302
    assert _row(app, tenant)[0] == (None, None)
    assert MASKED not in client.get(url(tenant, "admin/practitioners")).get_data(as_text=True)
    entries = _entries(app, tenant)
    assert [actor for actor, _summary in entries] == [admin, admin]
    assert all(NIK not in summary and "0155 0680" not in summary for _actor, summary in entries)
    assert MASKED in entries[0][1] and MASKED in entries[1][1]
    assert json.loads(entries[1][1])["after"]["nik"] is None
    assert client.post(url(tenant, PAGE), data={"action": "clear"}).status_code == 302  # none to clear
    assert len(_entries(app, tenant)) == 2  # nothing written


@pytest.mark.parametrize("nik, words", [
    ("1234", "NIK"),  # the wrong length, as the CLI refuses it
    ("7371019999800004", "NIK"),  # a birth date that does not exist
    ("", "kosongkan"),  # nothing given: give one or clear it
])
def test_a_bad_nik_comes_back_with_its_error_and_nothing_is_written(app, client, tenant, admin, nik, words):
    answer = client.post(url(tenant, PAGE), data={"nik": nik, "action": "save"}, headers={"Accept-Language": "id"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'id="nik-err"' in page and words in page
    assert _row(app, tenant)[0] is None and _entries(app, tenant) == []


def test_english(app, client, tenant, create_user, login):
    with app.app_context():
        user = create_user(tenant, role="admin")
    login(client, user, tenant)
    english = {"Accept-Language": "en"}
    assert "Practitioners' NIK" in client.get(url(tenant, "admin/practitioners"), headers=english).get_data(as_text=True)
    page = client.post(url(tenant, PAGE), data={"nik": "", "action": "save"}, headers=english).get_data(as_text=True)
    assert "Give the NIK (16 digits), or clear it." in page


def test_only_the_tenant_admin(app, client, tenant, create_user, login):
    assert client.get(url(tenant, "admin/practitioners")).status_code == 302  # sign in first
    with app.app_context():  # the clinic's own practitioner and desk staff are not its admin
        doctor = create_user(tenant, role="officer", agency="DLH", email="dokter@pkm-a.test")
    login(client, doctor, tenant)
    assert "/clinic/admin/practitioners" not in client.get(url(tenant)).get_data(as_text=True)
    assert client.get(url(tenant, "admin/practitioners")).status_code == 403
    assert client.post(url(tenant, PAGE), data={"nik": NIK, "action": "save"}).status_code == 403
    assert _row(app, tenant)[0] is None


def test_an_unknown_clinic_or_practitioner_is_404(client, tenant, admin):
    assert client.get(url(tenant, "admin/practitioners/PKM-X/DR-A")).status_code == 404
    assert client.post(url(tenant, "admin/practitioners/PKM-A/NOBODY"), data={"nik": NIK}).status_code == 404
