"""The OpenAPI document per tenant: valid 3.1, ``servers`` at the tenant's address, and every
documented operation answered by the app there, as documented (issue 19 item 7)."""
from __future__ import annotations

import base64
import io
import json
import re
import uuid
from urllib.parse import urlsplit

import jsonschema
import pytest
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from core.api.views import SAME_ORIGIN
from core.auth.service import create_token
from core.extensions import db
from modules.complaints.tests.conftest import AGENCIES, DISTRICTS, SETTINGS, with_chat_secret

BODY = {"category": "SAMPAH", "description": "Sampah di selokan", "village": "PNK-PNK", "lat": -5.14, "long": 119.43,
        "name": "Rani", "phone": "081234567890"}


def _png() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def create_tenant(create_tenant, monkeypatch):
    """Tenants with complaints' ``SETTINGS``: their chat webhook secret set (a secret is a reference)."""
    return with_chat_secret(create_tenant, monkeypatch)


@pytest.fixture
def every_module_tenant(app, create_tenant):
    """A tenant with every installed module enabled (complaints with categories and agencies)."""
    modules = {name: {} for name in app.extensions["pamong"].modules}
    modules["complaints"] = SETTINGS
    return create_tenant(modules=modules, agencies=AGENCIES, districts=DISTRICTS)


@pytest.fixture
def full_token(app):
    def make(tenant):
        from core.api.scopes import known_scopes

        with app.app_context():
            token = create_token(tenant, f"all-{uuid.uuid4().hex[:6]}", sorted(known_scopes()), "test")
            db.session.commit()
        return token

    return make


def _doc(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_and_served_per_tenant(app, client, every_module_tenant, create_tenant):
    tenant = every_module_tenant
    doc = _doc(client, f"/t/{tenant.slug}/api/v1/openapi.json")
    validate(doc)  # openapi-spec-validator: a valid OpenAPI 3.1 document
    # fetched through the path address: that same origin first (Swagger UI's "Try it out" calls it),
    # then the tenant's own address
    assert doc["servers"] == [{"url": f"/t/{tenant.slug}", "description": SAME_ORIGIN},
                              {"url": f"https://{tenant.domains[0].host}", "description": tenant.name}]
    assert all(p.startswith(("/api/v1/", "/open311/v2/")) for p in doc["paths"])  # relative to the server
    # a tenant with complaints only: the other modules' paths are not listed (they answer 404 there)
    lone = create_tenant(modules={"complaints": SETTINGS}, agencies=AGENCIES, districts=DISTRICTS)
    small = _doc(client, f"/t/{lone.slug}/api/v1/openapi.json")
    validate(small)
    assert "/api/v1/complaints/" in small["paths"] and "/api/v1/tenant" in small["paths"]
    assert not any(p.startswith("/api/v1/smartcard") for p in small["paths"])
    assert any(p.startswith("/api/v1/smartcard") for p in doc["paths"])
    # by host, the same document
    by_host = client.get("/api/v1/openapi.json", headers={"Host": tenant.domains[0].host}).get_json()
    assert by_host["servers"] == doc["servers"][1:] and by_host["paths"].keys() == doc["paths"].keys()


def test_servers_follow_the_public_url(app, client, create_tenant, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_PUBLIC_URL", "http://127.0.0.1:5050")
    path_mode = create_tenant(domains=[])
    doc = _doc(client, f"/t/{path_mode.slug}/api/v1/openapi.json")
    assert [s["url"] for s in doc["servers"]] == [f"/t/{path_mode.slug}", f"http://127.0.0.1:5050/t/{path_mode.slug}"]
    own = create_tenant(public_url="https://layanan.example.go.id")
    assert _doc(client, f"/t/{own.slug}/api/v1/openapi.json")["servers"][1]["url"] == "https://layanan.example.go.id"
    # the deployment's own address: servers with the tenant's slug as a variable, this origin first
    top = _doc(client, "/api/v1/openapi.json")
    validate(top)
    assert [s["url"] for s in top["servers"]] == ["/t/{tenant}", "http://127.0.0.1:5050/t/{tenant}"]
    assert all(path_mode.slug in s["variables"]["tenant"]["enum"] for s in top["servers"])


def test_the_same_origin_server_does_not_come_from_the_host_header(client, create_tenant):
    """The first server is relative (resolved against the document's own address), so a forged
    ``Host`` cannot put another origin in it (issue 10.14)."""
    tenant = create_tenant(domains=[])
    doc = client.get(f"/t/{tenant.slug}/api/v1/openapi.json", headers={"Host": "evil.example"}).get_json()
    assert doc["servers"][0]["url"] == f"/t/{tenant.slug}"
    assert "evil" not in json.dumps(doc["servers"])


def test_operations_have_summaries_required_fields_and_typed_answers(client, every_module_tenant):
    doc = _doc(client, f"/t/{every_module_tenant.slug}/api/v1/openapi.json")
    for path, item in doc["paths"].items():
        for method, op in _operations(item):
            assert op.get("summary"), (path, method)
            assert any(code.startswith("2") for code in op["responses"]), (path, method)
    filing = _resolve(doc, doc["paths"]["/api/v1/complaints/"]["post"]["requestBody"]["content"]["application/json"]["schema"])
    assert set(filing["required"]) == {"category", "description"}
    assert filing["properties"]["lat"]["anyOf"][0] == {"type": "number", "minimum": -90, "maximum": 90}
    listing = doc["paths"]["/api/v1/complaints/"]["get"]
    per_page = next(p for p in listing["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["type"] == "integer" and per_page["schema"]["maximum"] == 200
    answer = _resolve(doc, listing["responses"]["200"]["content"]["application/json"]["schema"])
    assert answer["properties"]["items"]["type"] == "array" and "has_next" in answer["required"]
    assert doc["paths"]["/api/v1/complaints/{number}"]["get"]["security"] == [{"token": ["complaints:read"]}]
    years = doc["paths"]["/api/v1/remuneration/runs/{year}/{month}"]["get"]["parameters"]
    assert {p["name"]: p["schema"]["type"] for p in years if p["in"] == "path"} == {"year": "integer", "month": "integer"}


def test_validation_failures_keep_the_stable_error_shape(app, client, every_module_tenant, full_token):
    tenant, token = every_module_tenant, full_token(every_module_tenant)
    url = f"https://{tenant.domains[0].host}/api/v1/complaints/"
    auth = {"Authorization": f"Bearer {token}"}
    cases = {
        "required": {k: v for k, v in BODY.items() if k != "description"},
        "invalid_field": {**BODY, "anonymous": "yes"},
        "invalid_photo": {**BODY, "photos": "not a list"},
        "invalid_coordinate": {**BODY, "long": "east"},
        "invalid_choice": {**BODY, "notify_by": "pigeon"},
    }
    for code, body in cases.items():
        response = client.post(url, json=body, headers=auth)
        assert response.status_code == 400, (code, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == code and set(error) == {"code", "message"}, error
    bad_page = client.get(url + "?per_page=0", headers=auth)
    assert bad_page.status_code == 400 and bad_page.get_json()["error"]["code"] == "invalid_page_size"


# --- the walk ------------------------------------------------------------------------------------

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(item):
    return [(m, item[m]) for m in METHODS if m in item]


def _resolve(doc, schema):
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _example(doc, schema, name=""):
    """A minimal valid value of ``schema`` (required properties only)."""
    schema = _resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "anyOf" in schema:
        return _example(doc, schema["anyOf"][0], name)
    kind = schema.get("type", "string")
    if kind == "object":
        return {k: _example(doc, v, k) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return [_example(doc, schema.get("items", {}), name)] if schema.get("minItems") else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 0
    if kind == "boolean":
        return False
    if "pattern" in schema:
        return "0000000000000001" if "16" in schema["pattern"] else "walk-1"
    return "x"


def _validator(doc, schema):
    registry = Registry().with_resource(
        "urn:doc", Resource.from_contents({"components": doc["components"]}, default_specification=DRAFT202012))
    text = json.dumps(schema).replace('"#/components/', '"urn:doc#/components/')
    return jsonschema.Draft202012Validator(json.loads(text), registry=registry)


def _resolved(client, server, auth) -> tuple[str, str]:
    """A complaint filed and moved to resolved through the API: (number, access code)."""
    filed = client.post(server + "/api/v1/complaints/", json=BODY, headers=auth).get_json()
    for status in ("verified", "assigned", "in_progress", "resolved"):
        moved = client.post(server + f"/api/v1/complaints/{filed['number']}/status",
                            json={"status": status, "note": "Sudah dibersihkan"}, headers=auth)
        assert moved.status_code == 200, moved.get_json()
    return filed["number"], filed["access_code"]


@pytest.mark.parametrize("which", ["same origin", "tenant host"])
def test_every_documented_operation_is_answered_as_documented(app, client, every_module_tenant, full_token, which):
    """Walked under each of the document's servers: its same-origin base (what Swagger UI on the
    path address calls) and the tenant's own address."""
    tenant, token = every_module_tenant, full_token(every_module_tenant)
    doc = _doc(client, f"/t/{tenant.slug}/api/v1/openapi.json")
    server = doc["servers"][0 if which == "same origin" else 1]["url"]
    assert server == (f"/t/{tenant.slug}" if which == "same origin" else f"https://{tenant.domains[0].host}")
    auth = {"Authorization": f"Bearer {token}"}
    filed = client.post(server + "/api/v1/complaints/", json={**BODY, "photos": [_png()]}, headers=auth)
    assert filed.status_code == 201, filed.get_json()
    number, code = filed.get_json()["number"], filed.get_json()["access_code"]
    resolved = {step: _resolved(client, server, auth) for step in ("confirm", "reopen")}
    values = {"number": number, "year": 2026, "month": 1, "format": "json"}
    numbers = {(f"/api/v1/complaints/{{number}}/{step}", "post"): n for step, (n, _) in resolved.items()}
    bodies = {  # where a minimal body is not enough to reach the happy path
        ("/api/v1/complaints/", "post"): BODY,
        ("/api/v1/complaints/{number}/status", "post"): {"status": "verified"},
        ("/api/v1/complaints/{number}/reroute", "post"): {"agency": "PU", "reason": "jalan"},
        ("/api/v1/complaints/{number}/info", "post"): {"access_code": code, "text": "Masih ada"},
        ("/api/v1/complaints/{number}/confirm", "post"): {"access_code": resolved["confirm"][1]},
        ("/api/v1/complaints/{number}/reopen", "post"): {"access_code": resolved["reopen"][1], "reason": "lagi"},
    }
    ok, walked = set(), 0
    for path, item in doc["paths"].items():
        for method, op in _operations(item):
            params = item.get("parameters", []) + op.get("parameters", [])
            url = path
            for p in params:
                if p["in"] == "path":
                    value = numbers.get((path, method)) if p["name"] == "number" else None
                    value = value or values.get(p["name"], _example(doc, p["schema"]))
                    url = url.replace("{" + p["name"] + "}", str(value))
            headers = dict(auth) if op.get("security") else {}
            headers.update({p["name"]: "walk-" + uuid.uuid4().hex[:8] for p in params
                            if p["in"] == "header" and p.get("required")})
            kwargs = {"headers": headers}
            if "requestBody" in op:
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                kwargs["json"] = bodies.get((path, method)) or _example(doc, schema)
            response = client.open(server + url, method=method.upper(), **kwargs)
            walked += 1
            status = str(response.status_code)
            assert response.status_code not in (405, 500), (method, url, response.get_data()[:300])
            assert status in op["responses"] or "default" in op["responses"], (
                method, url, status, response.get_data()[:300])
            if response.status_code == 404:  # the route answered (a refusal it documents), not the router
                adapter = app.url_map.bind(urlsplit(server).hostname or "localhost")
                adapter.match(url, method.upper())
            declared = op["responses"][status].get("content", {}).get("application/json")
            if declared and response.is_json:
                errors = sorted(_validator(doc, declared["schema"]).iter_errors(response.get_json()),
                                key=lambda e: list(e.path))
                assert not errors, (method, url, status, [e.message for e in errors[:3]])
            if status.startswith("2"):
                ok.add((path, method))
    assert walked >= 20
    # the core's and complaints' endpoints all reach their happy path
    expected = {(p, m) for p, item in doc["paths"].items() for m, _ in _operations(item)
                if p.startswith("/api/v1/complaints/") and "webhook" not in p or p == "/api/v1/tenant"}
    assert expected <= ok, sorted(expected - ok)


def test_the_documentation_page_is_served_by_the_app(client, every_module_tenant):
    page = client.get(f"/t/{every_module_tenant.slug}/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/t/{every_module_tenant.slug}/api/v1/openapi.json" in html
    scripts = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in scripts)
    for src in scripts:
        if "/api/v1/docs/" in src:
            asset = client.get(src)
            assert asset.status_code == 200 and len(asset.get_data()) > 100, src
    assert not re.search(r"https?://(?!localhost)[^\"']*\.(js|css)", html)  # no CDN
    assert client.get(f"/t/{every_module_tenant.slug}/api/v1/docs/assets/../../secret").status_code == 404
    assert client.get(f"/t/{every_module_tenant.slug}/api/v1/docs/assets/index.j2").status_code == 404
    home = client.get(f"/t/{every_module_tenant.slug}/").get_data(as_text=True)
    assert f"/t/{every_module_tenant.slug}/api/v1/docs" in home  # linked from the footer
