"""A GET of the permits API reads only its own query parameters: a typo (``form`` for ``from``) is
400 ``unknown_parameter`` naming it, not the default period; a parameter given twice is 400
``invalid_parameter`` (issue 15 trial)."""
from __future__ import annotations

import pytest

from .test_api import invoiced

BASE = "/api/v1/permits"


@pytest.fixture
def get(client, tenant, create_token):
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read', 'permits:reconciliation')}",
             "Accept-Language": "en"}
    return lambda path, **args: client.get(f"/t/{tenant.slug}{BASE}{path}", query_string=args or None, headers=token)


def _refused(response, code, name):
    body = response.get_json()
    assert response.status_code == 400, body
    assert body["error"]["code"] == code and body["error"]["message"].startswith(f"{name}: "), body


@pytest.mark.parametrize("path,known", [("/oss-report", {"from": "2026-01-01"}), ("/reconciliation", {"month": "2026-01"})])
def test_an_unknown_query_parameter_is_named_not_ignored(get, path, known):
    assert get(path, **known).status_code == 200
    _refused(get(path, form="2026-01-01"), "unknown_parameter", "form")
    _refused(get(path, **known, typ="PBG"), "unknown_parameter", "typ")


def test_the_application_reads_no_parameter(app, get, tenant, people):
    _, _, reference = invoiced(app, tenant, people)
    assert get(f"/applications/{reference}").status_code == 200
    _refused(get(f"/applications/{reference}", fields="status"), "unknown_parameter", "fields")


def test_a_parameter_given_twice_is_refused_and_the_token_may_still_come_in_the_query(client, tenant, get,
                                                                                       create_token):
    _refused(get("/oss-report?type=PBG&type=SKU"), "invalid_parameter", "type")
    key = create_token(tenant, "permits:read")
    assert client.get(f"/t/{tenant.slug}{BASE}/oss-report", query_string={"api_key": key}).status_code == 200
