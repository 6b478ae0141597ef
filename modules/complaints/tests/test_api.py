"""The JSON API under /api/v1/complaints/: tokens and scopes, filing, moving, errors."""
from core.kit import db, tenant_scope
from modules.complaints.models import Complaint


def api(tenant, path=""):
    return f"/t/{tenant.slug}/api/v1/complaints/{path}"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


BODY = {"category": "SAMPAH", "description": "Sampah di selokan", "village": "PNK-PNK", "lat": -5.14, "long": 119.43,
        "name": "Rani", "phone": "081234567890"}


def test_file_read_and_move_a_complaint(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:read", "complaints:write")
    created = client.post(api(tenant), json=BODY, headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    number = data["number"]
    assert data["agency"] == "DLH" and data["district"] == "PNK" and data["channel"] == "api"
    assert len(data["access_code"]) == 8
    assert "Rani" not in str(data) and "0812" not in str(data)
    one = client.get(api(tenant, number), headers=bearer(token)).get_json()
    assert one["timeline"][0]["kind"] == "filed" and one["status"] == "submitted"
    moved = client.post(api(tenant, f"{number}/status"), json={"status": "verified"}, headers=bearer(token))
    assert moved.status_code == 200 and moved.get_json()["status"] == "verified"
    rerouted = client.post(api(tenant, f"{number}/reroute"), json={"agency": "PU", "reason": "jalan"},
                           headers=bearer(token))
    assert rerouted.get_json()["agency"] == "PU"
    listed = client.get(api(tenant, "?status=verified"), headers=bearer(token)).get_json()
    assert [c["number"] for c in listed["items"]] == [number]


def test_errors_have_stable_codes(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:read", "complaints:write")
    cases = [
        (client.post(api(tenant), data="not json", headers=bearer(token), content_type="text/plain"),
         400, "invalid_json"),
        (client.post(api(tenant), json={**BODY, "category": "NOPE"}, headers=bearer(token)), 400, "unknown_category"),
        (client.post(api(tenant), json={**BODY, "lat": 200}, headers=bearer(token)), 400, "invalid_coordinate"),
        (client.post(api(tenant), json={**BODY, "description": ""}, headers=bearer(token)), 400, "required"),
        (client.get(api(tenant, "NOPE-2026-000001"), headers=bearer(token)), 404, "not_found"),
        (client.get(api(tenant, "?per_page=5000"), headers=bearer(token)), 400, "invalid_page_size"),
        (client.get(api(tenant, "?page=x"), headers=bearer(token)), 400, "invalid_parameter"),
        (client.get(api(tenant, "?status=weird"), headers=bearer(token)), 400, "invalid_status"),
        (client.get(api(tenant)), 401, "unauthorized"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.get_json()
        assert response.get_json()["error"]["code"] == code
    number = client.post(api(tenant), json=BODY, headers=bearer(token)).get_json()["number"]
    bad = client.post(api(tenant, f"{number}/status"), json={"status": "closed"}, headers=bearer(token))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_transition"


def test_scopes_are_enforced(client, tenant, token_for_tenant):
    reader = token_for_tenant(tenant, "complaints:read")
    response = client.post(api(tenant), json=BODY, headers=bearer(reader))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "insufficient_scope"


def test_nothing_is_saved_on_error(app, client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    client.post(api(tenant), json={**BODY, "phone": "not a phone"}, headers=bearer(token))
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 0


def test_the_openapi_document_lists_the_module(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/complaints/{number}/status" in paths and "/api/v1/complaints/webhook/social" in paths
