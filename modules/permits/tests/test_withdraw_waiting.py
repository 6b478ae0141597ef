"""An application waiting on its applicant is withdrawn whatever its clock is doing (issue 15):
asked to complete (OSS 41, paused), returned for correction (43, stopped and reset) or invoiced
(paused until paid); the clock finishes in each, and a clock's refusal reads in the page's language."""
from __future__ import annotations

import pytest

from core.kit import db, sla

from .. import services, withdrawal
from ..models import WITHDRAWN
from .conftest import NIK, REKLAME, invoice, user_actor


@pytest.fixture
def billboard(app, make_tenant, create_user):
    tenant = make_tenant({"types": [REKLAME], "payment_secret": "env:PAYMENT"})
    return tenant, {"citizen": create_user(tenant, "citizen"), "officer": create_user(tenant, "officer", agency="DPM")}


def waiting(tenant, citizen, officer, how):
    """An application of ``citizen`` waiting on them ``how``: ``ask`` (41), ``reset`` (43), ``invoice``."""
    if how == "invoice":
        return invoice(tenant, citizen, officer, "REK", 10)[0]
    application = services.save_draft(tenant, citizen, "REK", {"name": "Andi", "nik": NIK}, {"luas_m2": "10"})
    services.submit(tenant, citizen, application.id)
    services.ask_applicant(tenant, officer, application.id, 0, "Foto lokasi kurang jelas", reset=how == "reset")
    return application


@pytest.mark.parametrize("how, state", [("ask", sla.PAUSED), ("reset", sla.STOPPED), ("invoice", sla.PAUSED)])
def test_an_application_waiting_on_its_applicant_is_withdrawn_in_every_clock_state(app, billboard, how, state,
                                                                                   audit_entries):
    tenant, people = billboard
    with app.app_context():
        citizen, officer = user_actor(people["citizen"], tenant), user_actor(people["officer"], tenant)
        application = waiting(tenant, citizen, officer, how)
        assert sla.clock_of(tenant, services.ref(application), services.CLOCK).state == state
        withdrawal.withdraw(tenant, citizen, application.id, "Batal")
        assert application.status == WITHDRAWN and application.due_at is None
        assert sla.clock_of(tenant, services.ref(application), services.CLOCK).state == sla.DONE
        db.session.commit()
    assert [e["summary"]["before"]["status"] for e in audit_entries(tenant, "permits.withdraw")] == [
        "awaiting_payment" if how == "invoice" else "returned"]


def test_an_application_returned_for_correction_is_withdrawn_on_the_page(app, client, billboard, login):
    tenant, people = billboard
    with app.app_context():
        citizen, officer = user_actor(people["citizen"], tenant), user_actor(people["officer"], tenant)
        aid = waiting(tenant, citizen, officer, "reset").id
        db.session.commit()
    base = f"/t/{tenant.slug}/permits/applications/{aid}"
    login(client, people["citizen"], tenant)
    done = client.post(f"{base}/withdraw", data={"reason": "Batal", "confirm": "y"})
    assert done.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Ditarik" in page and "clock" not in page
