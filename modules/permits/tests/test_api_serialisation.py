"""Every answer of the permits API, error or not, is serialised as the core API helper
(``api_error``, Flask's ``jsonify``) serialises it: compact, one line. An error raised through
the core's error handler (a 404, a refusal in a unit of work, a bad signature) was written with
``json.dumps``' spaces while a returned one was compact (issue 15, item 3)."""
from __future__ import annotations

from flask import jsonify

from core.kit import api_error

from .test_api import invoiced, post

BASE = "/api/v1/permits"


def _as_helper_writes(app, response) -> bytes:
    with app.test_request_context():
        return jsonify(response.get_json()).get_data()


def test_every_answer_is_serialised_as_the_core_helper_does(app, client, tenant, people, create_token):
    payment_code, fee, reference = invoiced(app, tenant, people)
    token = create_token(tenant, "permits:read", "permits:status")
    auth = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    url = f"/t/{tenant.slug}{BASE}"
    answers = {
        "raised 404": client.get(f"{url}/applications/NOPE", headers=auth),
        "no such route": client.get(f"{url}/nothing-here", headers=auth),
        "unknown parameter": client.get(f"{url}/applications/{reference}?x=1", headers=auth),
        "no token": client.get(f"{url}/applications/{reference}"),
        "bad signature": post(client, tenant, {"payment_code": payment_code, "amount": fee}, secret="wrong"),
        "bad body": client.post(f"{url}/permits/status", json={"permit_number": 1}, headers=auth),
        "not found in a unit of work": client.post(f"{url}/permits/status", headers=auth, json={
            "permit_number": "NOPE/1", "action": "suspend", "reason": "x"}),
        "read": client.get(f"{url}/applications/{reference}", headers=auth),
        "paid": post(client, tenant, {"payment_code": payment_code, "amount": fee, "reference": "r-1"}),
    }
    for what, response in answers.items():
        assert response.is_json, what
        assert response.get_data() == _as_helper_writes(app, response), (what, response.get_data())
        assert b'": ' not in response.get_data() and b", \"" not in response.get_data(), what
    assert answers["raised 404"].status_code == 404 and answers["bad signature"].status_code == 401
    assert answers["paid"].status_code == 200
    with app.test_request_context():   # the helper itself, for the record
        assert api_error("x", "y", 400)[0].get_data() == b'{"error":{"code":"x","message":"y"}}\n'
