"""The applicant withdraws an application not yet decided or paid (pencabutan permohonan): the clock
finishes, the invoice is no longer payable, the queue drops it, audited; once paid it is refused."""
from __future__ import annotations

import pytest

from core.kit import NotFound, ValidationError, db, sla

from .. import payments, queries, services, withdrawal
from ..models import WITHDRAWN
from .conftest import NIK, REKLAME, invoice, user_actor


@pytest.fixture
def billboard(app, make_tenant, create_user):
    tenant = make_tenant({"types": [REKLAME], "payment_secret": "env:PAYMENT"})
    return tenant, {"citizen": create_user(tenant, "citizen"), "officer": create_user(tenant, "officer", agency="DPM"),
                    "other": create_user(tenant, "citizen")}


def test_an_invoiced_application_is_withdrawn_and_its_code_no_longer_paid(app, billboard, audit_entries):
    tenant, people = billboard
    with app.app_context():
        citizen, officer = user_actor(people["citizen"], tenant), user_actor(people["officer"], tenant)
        application, code = invoice(tenant, citizen, officer, "REK", 10)
        with pytest.raises(NotFound):   # not theirs: as if it did not exist
            withdrawal.withdraw(tenant, user_actor(people["other"], tenant), application.id)
        withdrawal.withdraw(tenant, citizen, application.id, "  Lokasi   batal disewa ")
        assert application.status == WITHDRAWN and application.office_days is None
        assert sla.clock_of(tenant, services.ref(application), services.CLOCK).state == sla.DONE
        with pytest.raises(ValidationError) as late:
            payments.record_payment(tenant, officer, code, 150_000, "KAS-9")
        assert (late.value.code, late.value.where) == ("not_invoiced", "payment_code")   # as the others name it
        with pytest.raises(ValidationError) as again:
            withdrawal.withdraw(tenant, citizen, application.id)
        assert again.value.code == "not_withdrawable"
        assert application.id not in [a.id for a in queries.queue(tenant, 1).items]
        db.session.commit()
    entry, = audit_entries(tenant, "permits.withdraw")
    assert entry["summary"]["before"]["status"] == "awaiting_payment"
    assert entry["summary"]["after"]["note"] == "Lokasi batal disewa"


def test_a_paid_application_cannot_be_withdrawn(app, billboard):
    tenant, people = billboard
    with app.app_context():
        citizen, officer = user_actor(people["citizen"], tenant), user_actor(people["officer"], tenant)
        application, code = invoice(tenant, citizen, officer, "REK", 10)
        payments.record_payment(tenant, officer, code, 150_000, "KAS-1")
        with pytest.raises(ValidationError) as refused:
            withdrawal.withdraw(tenant, citizen, application.id)
        assert refused.value.code == "not_withdrawable"


def test_the_applicant_withdraws_on_the_page_after_confirming(app, client, billboard, login):
    tenant, people = billboard
    with app.app_context():
        citizen = user_actor(people["citizen"], tenant)
        application = services.save_draft(tenant, citizen, "REK", {"name": "Andi", "nik": NIK}, {"luas_m2": "10"})
        services.submit(tenant, citizen, application.id)
        aid = application.id
        db.session.commit()
    base = f"/t/{tenant.slug}/permits/applications/{aid}"
    login(client, people["citizen"], tenant)
    assert 'class="withdraw"' in client.get(base).get_data(as_text=True)
    unconfirmed = client.post(f"{base}/withdraw", data={"reason": "Batal"})
    assert unconfirmed.status_code == 400 and 'href="#confirm"' in unconfirmed.get_data(as_text=True)
    done = client.post(f"{base}/withdraw", data={"reason": "Batal", "confirm": "y"})
    assert done.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Ditarik" in page and "icabut" not in page and 'class="withdraw"' not in page
    other = app.test_client()
    login(other, people["other"], tenant)
    assert other.post(f"{base}/withdraw", data={"confirm": "y"}).status_code == 404
