"""SATUSEHAT's ids in a bundle sent to it (new-user trial, item 5), against the fake SATUSEHAT of
``test_satusehat_http`` on 127.0.0.1 (no network): the patient's IHS number found by NIK and kept on
the patient (asked once), the practitioner's, the Organization and Location ids from the clinic's
settings (refused at apply when malformed); a bundle whose patient SATUSEHAT does not know is held
(pending, no attempt counted), reported in one line with exit status 2, and sent once it is known."""
import copy

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import PamongError, db, tenant_scope
from core.testing import unique

from .. import satusehat_auth
from ..models import Patient, SatusehatMessage
from ..satusehat import send_pending
from .fixtures import NIK_B, NIK_C
from .test_satusehat_http import fake, finish_a_visit, http_settings, outbox, secrets_for  # noqa: F401

ORG, LOCATION, DOCTOR = "100011961", "b017aa54-f1df-4ec2-9d84-8823815d7228", "10009880728"


def ids_settings(base):
    settings = http_settings(base)
    clinic = settings["clinics"][0]
    clinic["satusehat_org_id"] = ORG
    clinic["polis"][0]["satusehat_location_id"] = LOCATION
    clinic["practitioners"][0]["ihs_number"] = DOCTOR
    return settings


@pytest.fixture
def tenant(app, create_tenant, frozen_clock, fake, monkeypatch):
    satusehat_auth._cache.clear()
    slug = unique("si")
    secrets_for(monkeypatch, slug)
    with app.app_context():
        tenant = create_tenant(slug=slug, modules={"clinic": ids_settings(f"http://127.0.0.1:{fake.server_address[1]}")})
    yield tenant
    satusehat_auth._cache.clear()


def _refs(bundle: dict) -> set[str]:
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(value) if key == "reference" else walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(bundle)
    return found


def _ihs(tenant, nik):
    with tenant_scope(tenant):
        return next(p.ihs_number for p in db.session.query(Patient) if p.nik == nik)


def test_references_carry_satusehat_ids_and_the_ihs_number_is_asked_once(app, tenant, fake):
    with app.app_context():
        finish_a_visit(tenant, NIK_B)
        assert _ihs(tenant, NIK_B) is None
        assert send_pending(tenant) == (1, 0)
        assert _ihs(tenant, NIK_B) == "P01234567890"  # kept on the patient
        with tenant_scope(tenant):  # the same bundle again (as a patient's next visit): no second search
            db.session.query(SatusehatMessage).update({"status": "pending"})
            db.session.commit()
        assert send_pending(tenant) == (1, 0)
    assert len(fake.bundles) == 2
    refs = _refs(fake.bundles[0]["body"])
    assert {"Patient/P01234567890", f"Organization/{ORG}", f"Location/{LOCATION}",
            f"Practitioner/{DOCTOR}"} <= refs
    assert not [r for r in refs if r.startswith(("Patient/p", "Organization/PKM", "Location/PKM", "Practitioner/PKM"))]
    assert fake.searches == [{"identifier": [f"https://fhir.kemkes.go.id/id/nik|{NIK_B}"]}]


def test_a_patient_satusehat_does_not_know_is_held_reported_and_sent_later(app, tenant, fake):
    runner = CliRunner()
    with app.app_context():
        finish_a_visit(tenant, NIK_C)  # not in the fake's register
    result = runner.invoke(cli, ["clinic", "satusehat-send", tenant.slug], obj=ScriptInfo(create_app=lambda: app))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {tenant.slug}: 0 sent, 1 not sent: bundle #") and "IHS" in lines[0]
    with app.app_context():
        assert outbox(tenant) == [("pending", 0)]  # held: no attempt counted, never failed for it
        for _ in range(6):
            assert send_pending(tenant) == (0, 0)
        assert outbox(tenant) == [("pending", 0)]
        assert fake.bundles == []
        fake.ihs[NIK_C] = "P09999999999"  # registered at SATUSEHAT since
        assert send_pending(tenant) == (1, 0)
        assert outbox(tenant) == [("sent", 1)]
    assert "Patient/P09999999999" in _refs(fake.bundles[0]["body"])


@pytest.mark.parametrize("change", [
    lambda c: c.update(satusehat_org_id="PKM A"),
    lambda c: c["polis"][0].update(satusehat_location_id="room-1"),
    lambda c: c["practitioners"][0].update(ihs_number="N10009880728"),
])
def test_malformed_satusehat_ids_are_refused_at_apply(app, create_tenant, change):
    settings = copy.deepcopy(ids_settings("http://127.0.0.1:9"))
    settings["satusehat_sink"] = "console"
    change(settings["clinics"][0])
    with app.app_context(), pytest.raises(PamongError):
        create_tenant(slug=unique("si"), modules={"clinic": settings})
