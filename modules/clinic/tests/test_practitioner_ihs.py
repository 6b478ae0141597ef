"""A practitioner's SATUSEHAT IHS number found by their NIK (issue 17 leftovers, item 2), against the
fake SATUSEHAT of ``test_satusehat_http`` on 127.0.0.1 (no network): the NIK kept encrypted with
``pamong clinic practitioner-nik``, ``GET Practitioner?identifier=https://fhir.kemkes.go.id/id/nik|<NIK>``
asked once and the IHS number kept, used in the bundle sent; the settings' ``ihs_number`` wins."""
import copy

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import text

from cli import cli
from core.audit.models import AuditEntry
from core.kit import db, tenant_scope
from core.testing import unique

from .. import satusehat_auth
from ..models import PractitionerId
from ..satusehat import send_pending
from .fixtures import NIK_B, NIK_C
from .test_satusehat_http import fake, finish_a_visit, http_settings, secrets_for  # noqa: F401
from .test_satusehat_ids import _refs

DOCTOR_NIK, DOCTOR_IHS = "7371015506800004", "10009880728"


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, fake, monkeypatch):
    satusehat_auth._cache.clear()
    slug = unique("pi")
    secrets_for(monkeypatch, slug)
    with app.app_context():  # dr. Satu (PKM-A, DR-A) has no ihs_number in the settings
        tenant = create_tenant(slug=slug, modules={"clinic": http_settings(f"http://127.0.0.1:{fake.server_address[1]}")})
    yield tenant
    satusehat_auth._cache.clear()


def run(app, *args):
    return CliRunner().invoke(cli, ["clinic", *args], obj=ScriptInfo(create_app=lambda: app))


def test_the_ihs_number_is_asked_by_nik_once_kept_and_sent(app, tenant, fake):
    fake.practitioners[DOCTOR_NIK] = DOCTOR_IHS
    result = run(app, "practitioner-nik", tenant.slug, "PKM-A", "DR-A", "7371 0155 0680 0004")
    assert result.exit_code == 0 and result.output.strip() == f"{tenant.slug}: PKM-A DR-A: NIK 7371**********04 kept"
    with app.app_context():
        finish_a_visit(tenant, NIK_B)
        assert send_pending(tenant) == (1, 0)
        finish_a_visit(tenant, "7371014101900001")  # another patient, the same practitioner
        assert send_pending(tenant) == (1, 0)
        with tenant_scope(tenant):
            row = db.session.query(PractitionerId).one()
            assert (row.clinic, row.code, row.nik, row.ihs_number) == ("PKM-A", "DR-A", DOCTOR_NIK, DOCTOR_IHS)
            stored = db.session.execute(text("SELECT nik FROM clinic_practitioners WHERE tenant_id = :t"),
                                        {"t": tenant.id}).scalar()
            assert DOCTOR_NIK not in stored  # encrypted at rest
            entry = db.session.query(AuditEntry).filter(AuditEntry.action == "clinic.practitioner.nik").one()
            assert DOCTOR_NIK not in str(entry.summary) and entry.actor.startswith("cli")
    assert fake.practitioner_searches == [{"identifier": [f"https://fhir.kemkes.go.id/id/nik|{DOCTOR_NIK}"]}]
    for bundle in fake.bundles:
        refs = _refs(bundle["body"])
        assert f"Practitioner/{DOCTOR_IHS}" in refs and "Practitioner/PKM-A.DR-A" not in refs


def test_a_new_nik_forgets_the_number_found_and_an_unknown_one_stays_local(app, tenant, fake):
    fake.practitioners[DOCTOR_NIK] = DOCTOR_IHS
    assert run(app, "practitioner-nik", tenant.slug, "PKM-A", "DR-A", DOCTOR_NIK).exit_code == 0
    with app.app_context():
        finish_a_visit(tenant, NIK_B)
        assert send_pending(tenant) == (1, 0)
    assert run(app, "practitioner-nik", tenant.slug, "PKM-A", "DR-A", "7371012212700002").exit_code == 0
    with app.app_context():
        with tenant_scope(tenant):
            assert db.session.query(PractitionerId).one().ihs_number is None
        finish_a_visit(tenant, "7371014101900001")  # SATUSEHAT knows no practitioner by the new NIK
        assert send_pending(tenant) == (1, 0)  # sent, the practitioner's reference local as before
    assert "Practitioner/PKM-A.DR-A" in _refs(fake.bundles[-1]["body"])
    assert len(fake.practitioner_searches) == 2


def test_the_settings_ihs_number_wins_and_no_search_is_made(app, create_tenant, fake, frozen_clock, monkeypatch):
    satusehat_auth._cache.clear()
    slug = unique("pi")
    secrets_for(monkeypatch, slug)
    settings = copy.deepcopy(http_settings(f"http://127.0.0.1:{fake.server_address[1]}"))
    settings["clinics"][0]["practitioners"][0]["ihs_number"] = "10000000001"
    with app.app_context():
        tenant = create_tenant(slug=slug, modules={"clinic": settings})
    assert run(app, "practitioner-nik", slug, "PKM-A", "DR-A", DOCTOR_NIK).exit_code == 0
    with app.app_context():
        finish_a_visit(tenant, NIK_B)
        assert send_pending(tenant) == (1, 0)
    satusehat_auth._cache.clear()
    assert fake.practitioner_searches == [] and "Practitioner/10000000001" in _refs(fake.bundles[0]["body"])


@pytest.mark.parametrize("args, where", [
    (("PKM-A", "DR-A", "1234"), "nik"),
    (("PKM-A", "DR-Z", NIK_C), "practitioner"),
    (("PKM-Z", "DR-A", NIK_C), "clinic"),
])
def test_bad_input_is_one_line_and_exit_2(app, tenant, args, where):
    result = run(app, "practitioner-nik", tenant.slug, *args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {tenant.slug}: {where}: "), lines[0]
    with app.app_context(), tenant_scope(tenant):
        assert db.session.query(PractitionerId).count() == 0


def test_an_unknown_tenant_is_one_line_and_exit_2(app):
    result = run(app, "practitioner-nik", "no-such-tenant", "PKM-A", "DR-A", DOCTOR_NIK)
    assert result.exit_code == 2 and result.output.strip().splitlines() == ["error: tenant 'no-such-tenant' not found"]
