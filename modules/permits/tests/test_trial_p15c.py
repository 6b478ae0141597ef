"""What a third trial of the permits found (issue 15, p15c): the status API ignored fields it does not
read; an unknown verification code got the generic 404 page; the register showed a time of day on the
"valid until" date."""
from __future__ import annotations

import re

from core.kit import db, tenant_scope

from ..models import Application
from .test_permit_status import API, issued


def test_the_status_api_refuses_a_field_it_does_not_read_and_changes_nothing(
        app, client, tenant, people, signer, create_token):
    aid, number, code = issued(app, tenant, people)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}"}
    body = {"permit_number": number, "action": "suspend", "reason": "Pemeriksaan", "notify": True}
    refused = client.post(f"/t/{tenant.slug}{API}", json=body, headers=token)
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["code"] == "unknown_parameter" and error["message"].startswith("notify: ")
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Application, aid).permit_status == "valid"


def test_an_unknown_verification_code_gets_the_verification_pages_own_answer(client, tenant):
    for lang, words in (("id", "Tidak ada dokumen"), ("en", "No document")):
        page = client.get(f"/t/{tenant.slug}/verify/ZZZZ-0000", headers={"Accept-Language": lang})
        assert page.status_code == 404
        text = page.get_data(as_text=True)
        assert 'id="no-such-document"' in text and words in text


def test_the_register_shows_the_valid_until_date_without_a_time(app, client, make_tenant, create_user):
    import importlib

    from .conftest import SETTINGS, SKU

    tenant = make_tenant({**SETTINGS, "types": [{**SKU, "validity_months": 12}]})
    people = {"citizen": create_user(tenant, "citizen"), "intake": create_user(tenant, "officer", agency="DPM"),
              "admin": create_user(tenant, "admin")}
    with app.app_context():
        importlib.import_module("core.documents.certs").ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    aid, number, code = issued(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        until = db.session.get(Application, aid).valid_until
    page = client.get(f"/t/{tenant.slug}/permits/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    row = page[page.index(number):]
    row = row[:row.index("</tr>")]
    cells = re.split(r"<td\b[^>]*>", row)   # each cell named by its heading (data-label)
    assert until is not None
    issued_cell, until_cell = cells[-3], cells[-2]
    assert ":" in issued_cell and ":" not in until_cell and "WITA" not in until_cell and str(until.year % 100) in until_cell, row
