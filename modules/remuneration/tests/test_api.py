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


def test_a_bad_batch_is_refused_by_the_documenting_model_and_nothing_is_stored(app, client, create_tenant,
                                                                               create_token):
    """``Punches`` checks the body itself (issue 19.7), with the codes machines already know."""
    from ..models import Punch
    from core.kit import tenant_scope

    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        db.session.commit()
    headers = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:attendance')}", "Accept-Language": "en"}
    url = f"/t/{tenant.slug}{PUNCHES}"
    good = {"nip": NIPS[0], "timestamp": "2026-03-02T07:20:00+08:00", "kind": "in"}
    cases = [
        ({"punches": "x"}, "bad_request", "punches"),
        ({"punches": [good, 7]}, "bad_request", "punches.1"),
        ({}, "bad_request", "punches"),
        ({"punches": [good] * 5001}, "too_many", "At most 5000"),
        ({"punches": [good, {"timestamp": good["timestamp"], "kind": "out"}]}, "validation_error", "line 2: nip"),
        ({"punches": [{**good, "kind": "lunch"}]}, "validation_error", "line 1: kind"),
        ({"punches": [{**good, "nip": 199001012020121001}]}, "validation_error", "line 1: nip"),
    ]
    for body, code, said in cases:
        refused = client.post(url, json=body, headers=headers)
        error = refused.get_json()["error"]
        assert (refused.status_code, error["code"]) == (400, code), (code, error)
        assert error["message"].startswith(said), error
    not_json = client.post(url, data="[1]", content_type="application/json", headers=headers)
    assert (not_json.status_code, not_json.get_json()["error"]["code"]) == (400, "invalid_json")
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Punch)).scalar_one() == 0
    # the kind reads as the CSV import reads it
    stored = client.post(url, json={"punches": [{**good, "kind": " IN "}]}, headers=headers)
    assert stored.status_code == 201 and stored.get_json() == {"added": 1, "skipped": 0}


def test_api_refusals_are_said_in_the_requested_language(app, client, create_tenant, create_token):
    """Trial (issue 16): the module's API messages stayed English under ``Accept-Language: id``."""
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        db.session.commit()
    token = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:attendance')}"}
    reader = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read')}"}
    url = f"/t/{tenant.slug}{PUNCHES}"
    body = {"punches": [{"nip": "199001012020121999", "timestamp": "2026-03-02T07:20:00+08:00", "kind": "in"},
                        {"nip": NIPS[0], "timestamp": "2026-03-02T07:20:00", "kind": "in"}]}
    said = {}
    for lang in ("id", "en"):
        answer = client.post(url, json=body, headers={**token, "Accept-Language": lang})
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "validation_error"
        said[lang] = answer.get_json()["error"]["message"]
        missing = client.get(f"/t/{tenant.slug}/api/v1/{MODULE}/runs/2026/4", headers={**reader, "Accept-Language": lang})
        said[lang + "404"] = missing.get_json()["error"]["message"]
    assert said["en"].startswith("line 1: nip: No employee has NIP 199001012020121999") and "line 2: timestamp" in said["en"]
    assert said["id"].startswith("line 1: nip: Tidak ada pegawai") and "line 2: timestamp" in said["id"]
    assert "No employee" not in said["id"] and "has no UTC offset" not in said["id"]
    assert said["en404"] == "April 2026 has not been run." and "April 2026" in said["id404"] and "has not" not in said["id404"]
