"""Every error under /open311/v2 in GeoReport v2's format, XML or JSON by the path's extension
(issue 9 item 3): for every status, with the tenant known, unknown or on its own host, and on the
deployment-wide endpoint; from the real causes (405 of an unsupported method, 404 of an unknown
path or tenant, 413, 429) too. Every body is parsed."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from core.testing import TEST_STATUS_HEADER

STATUSES = [400, 401, 403, 404, 405, 413, 415, 429, 500]
WHERE = ["known", "unknown", "host", "deployment"]


def spec_errors(response, fmt: str) -> list[tuple[int, str]]:
    """The error list of a GeoReport v2 error body, parsed: ``[(code, description)]``."""
    if fmt == "json":
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        body = json.loads(response.get_data(as_text=True))
        assert isinstance(body, list) and body
        out = [(item["code"], item["description"]) for item in body]
    else:
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        raw = response.get_data()
        assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        root = ET.fromstring(raw)
        assert root.tag == "errors" and [child.tag for child in root] == ["error"] * len(root)
        out = [(int(e.find("code").text), e.find("description").text) for e in root]
    assert all(isinstance(code, int) and description for code, description in out)
    return out


def _base(where: str, tenant) -> tuple[str, dict]:
    if where == "known":
        return f"/t/{tenant.slug}/open311/v2", {}
    if where == "unknown":
        return "/t/no-such-tenant/open311/v2", {}
    if where == "host":
        return "/open311/v2", {"Host": tenant.domains[0].host}
    return "/open311/v2", {}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("where", WHERE)
def test_every_status_in_the_spec_format(error_app, tenant, where, status, fmt):
    base, headers = _base(where, tenant)
    client = error_app.test_client()
    for path in (f"requests.{fmt}", f"requests/MKS-1.{fmt}", f"no/such/resource.{fmt}"):
        response = client.get(f"{base}/{path}", headers={**headers, TEST_STATUS_HEADER: str(status)})
        assert response.status_code == status
        assert spec_errors(response, fmt)[0][0] == status


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unsupported_methods_are_405_in_the_spec_format(client, tenant, fmt):
    for method, path in [("DELETE", f"requests.{fmt}"), ("PUT", f"requests.{fmt}"), ("PATCH", f"services.{fmt}"),
                         ("DELETE", f"requests/MKS-1.{fmt}"), ("PUT", f"servicerequestupdates.{fmt}")]:
        response = client.open(f"/t/{tenant.slug}/open311/v2/{path}", method=method)
        assert response.status_code == 405, (method, path)
        assert spec_errors(response, fmt)[0][0] == 405
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_tenant_is_404_in_the_spec_format(client, fmt):
    for prefix in ("/t/no-such-tenant", "/t/No_Such!"):
        for path in (f"requests.{fmt}", f"services.{fmt}", f"requests/X-1.{fmt}"):
            response = client.get(f"{prefix}/open311/v2/{path}")
            assert response.status_code == 404
            assert spec_errors(response, fmt)[0][0] == 404
        response = client.delete(f"{prefix}/open311/v2/requests.{fmt}")
        assert response.status_code in (404, 405) and spec_errors(response, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_tenant_without_the_module_is_404_in_the_spec_format(client, create_tenant, fmt):
    other = create_tenant()
    response = client.get(f"/t/{other.slug}/open311/v2/requests.{fmt}")
    assert response.status_code == 404 and spec_errors(response, fmt)[0][0] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_too_large_and_too_many_in_the_spec_format(app, client, tenant, token_for_tenant, monkeypatch, fmt):
    key = token_for_tenant(tenant, "complaints:write")
    url = f"/t/{tenant.slug}/open311/v2/requests.{fmt}"
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    big = client.post(url, data={"api_key": key, "service_code": "SAMPAH", "description": "x" * 5000})
    assert big.status_code == 413 and spec_errors(big, fmt)[0][0] == 413
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "1 per minute")
    data = {"api_key": key, "service_code": "SAMPAH", "address_string": "Pasar"}
    statuses = [client.post(url, data=data).status_code for _ in range(2)]
    assert statuses[-1] == 429
    assert spec_errors(client.post(url, data=data), fmt)[0][0] == 429


def test_the_api_beside_it_keeps_its_json(client, tenant):
    response = client.delete(f"/t/{tenant.slug}/api/v1/complaints/")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    unknown = client.get("/t/no-such-tenant/api/v1/complaints/")
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "unknown_tenant"


def test_the_api_answers_too_large_and_too_many_in_json(app, client, tenant, token_for_tenant, monkeypatch):
    from .test_api import BODY, api, bearer

    token = token_for_tenant(tenant, "complaints:write")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    big = client.post(api(tenant), json={**BODY, "description": "x" * 5000}, headers=bearer(token))
    assert big.status_code == 413 and json.loads(big.get_data(as_text=True))["error"]["code"] == "too_large"
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "1 per minute")
    hook = api(tenant, "webhook/social")  # the API's rate-limited door
    statuses = [client.post(hook, data=b"{}", content_type="application/json").status_code for _ in range(2)]
    assert statuses == [401, 429]  # unsigned, then too many
    limited = client.post(hook, data=b"{}", content_type="application/json")
    assert json.loads(limited.get_data(as_text=True))["error"]["code"] == "rate_limited"
