"""The JSON API: attendance machines post punches with a token of the tenant; finance reads a month."""
from __future__ import annotations

from core.kit import db

from ..services import import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, three_employees

PUNCHES = f"/api/v1/{MODULE}/punches"


def test_a_machine_posts_punches_once_and_bad_ones_are_named(app, client, create_tenant, create_token, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        db.session.commit()
    headers = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:attendance')}"}
    body = {"punches": [{"nip": NIPS[0], "timestamp": "2026-03-02T07:20:00+08:00", "kind": "in"},
                        {"nip": NIPS[0], "timestamp": "2026-03-02T16:20:00+08:00", "kind": "out"}]}
    url = f"/t/{tenant.slug}{PUNCHES}"
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201 and first.get_json() == {"added": 2, "skipped": 0}
    assert client.post(url, json=body, headers=headers).get_json() == {"added": 0, "skipped": 2}
    bad = client.post(url, json={"punches": [{"nip": NIPS[0], "timestamp": "2026-03-03T07:20:00+07:00", "kind": "in"}]},
                      headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["error"]["code"] == "validation_error" and "line 1: timestamp" in bad.get_json()["error"]["message"]
    assert client.post(url, json={"punches": "x"}, headers=headers).get_json()["error"]["code"] == "bad_request"
    assert client.post(url, json=body).status_code == 401
    reader = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read')}"}
    assert client.post(url, json=body, headers=reader).status_code in (401, 403)


def test_finance_reads_a_month(app, client, create_tenant, create_token):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    headers = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read')}"}
    month = client.get(f"/t/{tenant.slug}/api/v1/{MODULE}/runs/2026/3", headers=headers).get_json()
    assert month["status"] == "open" and month["employees"] == 3 and month["agencies"][0]["agency"] == "DLH"
    missing = client.get(f"/t/{tenant.slug}/api/v1/{MODULE}/runs/2026/4", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
