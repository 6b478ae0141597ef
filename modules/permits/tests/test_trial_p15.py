"""What a new user of the permits met (issue 15 trial, p15): a month not written YYYY-MM was
"not in the expected format" without saying which; a refusal of the permit as a whole read
"application: ..." although the request names no application; a file of another type was "not JPG,
PNG"."""
from __future__ import annotations

from .test_permit_status import API, issued

BASE = "/api/v1/permits"


def test_a_month_badly_written_says_how_to_write_it(client, tenant, create_token):
    token = create_token(tenant, "permits:reconciliation")
    for lang, words in (("en", "month: must be a month written YYYY-MM"), ("id", "month: harus bulan yang ditulis TTTT-BB")):
        for month in ("2026-1", "March", "2026-13"):
            refused = client.get(f"/t/{tenant.slug}{BASE}/reconciliation", query_string={"month": month},
                                 headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})
            assert refused.status_code == 400
            assert refused.get_json()["error"] == {"code": "invalid_month", "message": words}, (lang, month)


def test_a_refusal_of_the_permit_names_no_field_the_request_does_not_have(app, client, tenant, people, signer,
                                                                       create_token):
    aid, number, code = issued(app, tenant, people)
    auth = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}", "Accept-Language": "en"}
    url = f"/t/{tenant.slug}{API}"
    refused = client.post(url, headers=auth, json={"permit_number": number, "action": "lift", "reason": "x"})
    assert refused.get_json()["error"] == {"code": "not_suspended",
                                           "message": "Only a suspended permit can have its suspension lifted."}
    missing = client.post(url, headers=auth, json={"permit_number": "NOPE", "action": "lift", "reason": "x"})
    assert missing.get_json()["error"]["message"].startswith("permit_number: ")   # a field it sent: named


def test_a_file_of_another_type_names_the_types_accepted(app):
    import pytest

    from core.kit import ValidationError

    from ..uploads import check

    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ValidationError) as refused:
        check(b"not an image", ["jpg", "png"], 64, "foto")
    assert refused.value.code == "file_type"
    assert refused.value.message == "The file's content is not of a type accepted here (JPG, PNG)."
