"""The JSON API: described in the OpenAPI document, behind a token of the tenant with a scope."""
from ..api import PATH
from ..services import MODULE


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths[PATH]) == {"get", "post"}


def test_a_token_is_required(client, create_tenant):
    tenant = create_tenant(modules={MODULE: {}})
    response = client.get(f"/t/{tenant.slug}{PATH}")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_entries_are_added_and_read_with_tokens(client, create_tenant, create_token):
    tenant = create_tenant(modules={MODULE: {}})
    writer = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read', f'{MODULE}:write')}"}
    reader = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read')}"}
    address = f"/t/{tenant.slug}{PATH}"
    created = client.post(address, json={"title": "Lewat API", "details": "JSON"}, headers=writer)
    assert created.status_code == 201 and created.get_json()["title"] == "Lewat API"
    listed = client.get(address, headers=reader).get_json()["entries"]
    assert [(e["id"], e["title"], e["details"]) for e in listed] == [(created.get_json()["id"], "Lewat API", "JSON")]
    refused = client.post(address, json={"title": "Hanya baca"}, headers=reader)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "insufficient_scope"


def test_bad_input_gets_a_stable_error_code(client, create_tenant, create_token):
    tenant = create_tenant(modules={MODULE: {}})
    writer = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:read', f'{MODULE}:write')}"}
    address = f"/t/{tenant.slug}{PATH}"
    blank = client.post(address, json={"title": " "}, headers=writer)
    assert blank.status_code == 400 and blank.get_json()["error"]["code"] == "validation_error"
    not_json = client.post(address, data="title=x", headers=writer)
    assert not_json.status_code == 400 and not_json.get_json()["error"]["code"] == "bad_request"
    assert client.get(address, headers=writer).get_json()["entries"] == []
