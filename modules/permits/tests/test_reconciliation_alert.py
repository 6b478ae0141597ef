"""The reconciliation as JSON (``GET /api/v1/permits/reconciliation``, scope
``permits:reconciliation``, stable error codes) and its hourly alert: a disagreement between the
paid applications and the ledger is told once to the finance officers (the holders of the
``finance_position`` setting's position, else the admins) through the outbox, audited; told again
only when its sums change or when it comes back after agreeing."""
from __future__ import annotations

import pytest

from core.kit import ValidationError, assign_holder, db, find_position, ledger, tenant_scope

from .. import payments, reconciliation
from ..models import Application
from ..settings import check_settings
from .conftest import AGENCIES, MONTH, REKLAME, pay, user_actor

API = "/api/v1/permits/reconciliation"


def _transfer(tenant, admin_email, key: str, amount: int):
    """A transfer into the billboard type's revenue account made outside the module."""
    ledger.transfer(tenant, user_actor(admin_email, tenant), key, payments.BANK, payments.revenue_account("REK"),
                    amount, memo="entered by hand")


def test_the_api_reads_the_table_by_token_with_filters_and_stable_errors(app, client, office, create_token):
    tenant, people, _ = office
    url = f"/t/{tenant.slug}{API}"
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:reconciliation')}"}
    assert client.get(url).status_code == 401
    wrong = client.get(url, headers={"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "insufficient_scope"

    row = {"month": MONTH, "type_code": "REK", "type_name": "Izin Reklame", "billed": 150_000, "collected": 150_000,
           "difference": 0, "agrees": True}
    assert client.get(url, headers=token).get_json() == {"reconciles": True, "disagreements": 0, "rows": [row]}
    assert client.get(url, headers=token, query_string={"disagreements": "true"}).get_json()["rows"] == []
    assert client.get(url, headers=token, query_string={"month": "2026-02"}).get_json()["rows"] == []
    assert client.get(url, headers=token, query_string={"month": MONTH, "type": "REK"}).get_json()["rows"] == [row]

    with app.app_context():
        _transfer(tenant, people["admin"], "manual.1", 25_000)
        db.session.commit()
    got = client.get(url, headers=token, query_string={"disagreements": "1"}).get_json()
    assert got == {"reconciles": False, "disagreements": 1,
                   "rows": [{**row, "collected": 175_000, "difference": 25_000, "agrees": False}]}

    for query, code in (({"month": "2026-13"}, "invalid_month"), ({"month": "March"}, "invalid_month"),
                        ({"month": "٢٠٢٦-01"}, "invalid_month"),   # other scripts' digits (issue 15 p15)
                        ({"type": "NOPE"}, "unknown_type"), ({"disagreements": "perhaps"}, "invalid_parameter")):
        refused = client.get(url, headers=token, query_string=query)
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (400, code), query


def test_the_api_is_in_the_openapi_document(client, office):
    tenant, _, _ = office
    document = client.get(f"/t/{tenant.slug}/api/v1/openapi.json").get_json()
    path = next(v for k, v in document["paths"].items() if k.endswith("/permits/reconciliation"))
    names = {p["name"] for p in path["get"]["parameters"]}
    assert {"month", "type", "disagreements"} <= names
    assert "400" in path["get"]["responses"] and "permits:reconciliation" in str(path["get"])


def test_a_mismatch_is_told_once_to_the_finance_officers_and_audited(
        app, office, create_user, outbox, audit_entries, frozen_clock):
    tenant, people, application_id = office
    with app.app_context():
        assert reconciliation.alert(tenant) == []             # it reconciles: nobody told
        _transfer(tenant, people["admin"], "manual.1", 25_000)
        db.session.commit()
        assert reconciliation.alert(tenant) == [("REK", MONTH)]
        db.session.commit()
        assert reconciliation.alert(tenant) == []             # the same mismatch: not told again
        db.session.commit()
    told = [m for m in outbox(tenant, "email") if m["ref"] == f"permits:reconcile:REK:{MONTH}"]
    assert [m["recipient"] for m in told] == [people["admin"]]          # no finance position: the admins
    assert "Rp 175.000" in told[0]["body"] and "Rp 150.000" in told[0]["body"] and "/permits/reconciliation" in \
        told[0]["body"] and "REK" in told[0]["subject"]
    entries = audit_entries(tenant, "permits.reconciliation_alert")
    assert len(entries) == 1 and entries[0]["summary"]["after"]["difference"] == 25_000

    with app.app_context():   # the sums change: a new mismatch, told again
        with tenant_scope(tenant):
            db.session.execute(db.update(Application).where(Application.id == application_id).values(fee_amount=140_000))
        db.session.commit()
        assert reconciliation.alert(tenant) == [("REK", MONTH)]
        db.session.commit()
    assert len([m for m in outbox(tenant, "email") if m["ref"] == f"permits:reconcile:REK:{MONTH}"]) == 2
    assert len(audit_entries(tenant, "permits.reconciliation_alert")) == 2


def test_agreeing_again_is_audited_and_a_recurrence_is_told_anew(app, office, outbox, audit_entries):
    tenant, people, application_id = office
    with app.app_context():
        with tenant_scope(tenant):
            db.session.execute(db.update(Application).where(Application.id == application_id).values(fee_amount=140_000))
        db.session.commit()
        assert reconciliation.alert(tenant) == [("REK", MONTH)]
        db.session.commit()
        with tenant_scope(tenant):   # put right
            db.session.execute(db.update(Application).where(Application.id == application_id).values(fee_amount=150_000))
        db.session.commit()
        assert reconciliation.alert(tenant) == []
        db.session.commit()
        assert len(audit_entries(tenant, "permits.reconciliation_resolved")) == 1
        with tenant_scope(tenant):   # the same difference again
            db.session.execute(db.update(Application).where(Application.id == application_id).values(fee_amount=140_000))
        db.session.commit()
        assert reconciliation.alert(tenant) == [("REK", MONTH)]
        db.session.commit()
    assert len([m for m in outbox(tenant, "email") if m["ref"].startswith("permits:reconcile:")]) == 2


def test_the_holders_of_the_finance_position_are_told_and_the_job_runs_every_tenant(
        app, create_tenant, create_user, outbox, frozen_clock):
    agencies = [{**AGENCIES[0], "positions": [
        {"code": "KADIS-DPM", "name": "Kepala DPMPTSP", "head": True},
        {"code": "BPEN-DPM", "name": "Bendahara Penerimaan"}]}, AGENCIES[1]]
    tenant = create_tenant(modules={"permits": {"types": [REKLAME], "finance_position": "BPEN-DPM"}},
                           agencies=agencies)
    people = {"citizen": create_user(tenant, "citizen"), "officer": create_user(tenant, "officer", agency="DPM"),
              "admin": create_user(tenant, "admin"), "treasurer": create_user(tenant, "officer", agency="DPM")}
    with app.app_context():
        assert reconciliation.finance_officers(tenant)[0].email == people["admin"]   # vacant: the admins
        assign_holder(tenant, find_position(tenant, "BPEN-DPM"), people["treasurer"], user_actor(people["admin"], tenant))
        with pytest.raises(ValidationError) as refused:
            check_settings(tenant, {"types": [REKLAME], "finance_position": "NOPE"})
        assert refused.value.code == "unknown_position" and refused.value.where.endswith("finance_position")
        pay(tenant, user_actor(people["citizen"], tenant), user_actor(people["officer"], tenant), "REK", 10, 150_000)
        _transfer(tenant, people["admin"], "manual.1", 5_000)
        db.session.commit()
        assert reconciliation.run_all()[tenant.slug] == 1   # what the hourly job runs; other tenants too
    told = [m["recipient"] for m in outbox(tenant, "email") if m["ref"].startswith("permits:reconcile:")]
    assert told == [people["treasurer"]]
