"""API tokens: per tenant, scoped, revocable from the CLI; the OpenAPI document is valid 3.1."""
import json

import pytest

from cli import cli
from core.audit import AuditEntry
from core.auth import service as accounts
from core.extensions import db
from core.kit import tenant_scope
from core.tenancy.models import Tenant


def make_token(app, tenant, name, scopes):
    with app.app_context():
        token = accounts.create_token(db.session.get(Tenant, tenant.id), name, scopes, "test")
        db.session.commit()
    return token


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def run(app, *args):
    """Run ``pamong ARGS`` against the test app; ``result.output`` has stdout and stderr."""
    return app.test_cli_runner().invoke(cli, list(args))


def test_a_token_works_only_on_its_own_tenant(app, client, create_tenant):
    mine, theirs = create_tenant(), create_tenant()
    token = make_token(app, mine, "ci", ["tenant:read"])
    ok = client.get(f"/t/{mine.slug}/api/v1/tenant", headers=bearer(token))
    assert ok.status_code == 200 and ok.get_json()["slug"] == mine.slug
    refused = client.get(f"/t/{theirs.slug}/api/v1/tenant", headers=bearer(token))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    by_host = client.get("/api/v1/tenant", headers={**bearer(token), "Host": theirs.domains[0].host})
    assert by_host.status_code == 401


def test_no_token_or_a_wrong_one_is_401(client, create_tenant):
    tenant = create_tenant()
    assert client.get(f"/t/{tenant.slug}/api/v1/tenant").status_code == 401
    assert client.get(f"/t/{tenant.slug}/api/v1/tenant", headers=bearer("pmg_x_forged")).status_code == 401


def test_scope_is_enforced(app, client, create_tenant):
    tenant = create_tenant(modules={"notes": {}})
    notes_only = make_token(app, tenant, "notes-reader", ["notes:read"])
    tenant_only = make_token(app, tenant, "tenant-reader", ["tenant:read"])
    denied = client.get(f"/t/{tenant.slug}/api/v1/tenant", headers=bearer(notes_only))
    assert denied.status_code == 403 and denied.get_json()["error"]["code"] == "insufficient_scope"
    assert client.get(f"/t/{tenant.slug}/api/v1/notes/", headers=bearer(notes_only)).status_code == 200
    assert client.get(f"/t/{tenant.slug}/api/v1/notes/", headers=bearer(tenant_only)).status_code == 403


def test_revoke_from_the_cli_refuses_the_token(app, client, create_tenant):
    tenant = create_tenant()
    token = make_token(app, tenant, "old-ci", ["tenant:read"])
    keep = make_token(app, tenant, "new-ci", ["tenant:read"])
    assert client.get(f"/t/{tenant.slug}/api/v1/tenant", headers=bearer(token)).status_code == 200
    result = run(app, "token", "revoke", tenant.slug, "old-ci")
    assert result.exit_code == 0, result.output
    assert "revoked" in result.output
    assert client.get(f"/t/{tenant.slug}/api/v1/tenant", headers=bearer(token)).status_code == 401
    assert client.get(f"/t/{tenant.slug}/api/v1/tenant", headers=bearer(keep)).status_code == 200
    with app.app_context(), tenant_scope(tenant):
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "token.revoke")).scalar_one()
        assert entry.object_id == "old-ci" and entry.summary == {"before": {"scopes": ["tenant:read"]}}



def test_a_known_token_is_not_read_again_until_tokens_change(app, client, create_tenant):
    """``token_for`` keeps a token under the tenant's configuration version: a warm request reads
    no token row; a token created or revoked since (another process, the CLI) bumps the version,
    so the next request reads them afresh; each request gets its own copy of the row."""
    from core.testing import sql_statements

    tenant = create_tenant()
    token = make_token(app, tenant, "ci", ["tenant:read"])
    path = f"/t/{tenant.slug}/api/v1/tenant"
    assert client.get(path, headers=bearer(token)).status_code == 200
    with sql_statements(app) as seen:
        assert client.get(path, headers=bearer(token)).status_code == 200
    assert not [s for s in seen if "api_tokens" in s]
    later = make_token(app, tenant, "later", ["tenant:read"])
    with sql_statements(app) as seen:
        assert client.get(path, headers=bearer(later)).status_code == 200
        assert client.get(path, headers=bearer(token)).status_code == 200
    assert len([s for s in seen if "api_tokens" in s]) == 2  # the version moved: both read afresh
    assert run(app, "token", "revoke", tenant.slug, "ci").exit_code == 0
    assert client.get(path, headers=bearer(token)).status_code == 401
    assert client.get(path, headers=bearer(later)).status_code == 200
    with app.test_request_context():
        held = db.session.get(Tenant, tenant.id)
        first, second = accounts.token_for(held, later), accounts.token_for(held, later)
        assert first is not second and first.name == second.name == "later" and first.scopes == ["tenant:read"]
        assert accounts.token_for(held, token) is None


@pytest.mark.parametrize("args, message", [
    (["no-such-token"], "has no token named 'no-such-token'"),
    (["twice"], "is already revoked"),
])
def test_revoke_errors_exit_2_with_one_line(app, create_tenant, args, message):
    tenant = create_tenant()
    make_token(app, tenant, "twice", ["tenant:read"])
    assert run(app, "token", "revoke", tenant.slug, "twice").exit_code == 0
    result = run(app, "token", "revoke", tenant.slug, *args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("error: NAME: ")


def test_token_list_shows_names_and_scopes_never_the_token(app, create_tenant):
    tenant = create_tenant()
    token = make_token(app, tenant, "reporting", ["tenant:read", "notes:read"])
    make_token(app, tenant, "gone", ["tenant:read"])
    run(app, "token", "revoke", tenant.slug, "gone")
    result = run(app, "token", "list", tenant.slug, "--json")
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert set(rows) == {"reporting", "gone"}
    assert rows["reporting"]["scopes"] == ["notes:read", "tenant:read"] and rows["reporting"]["active"] is True
    assert rows["gone"]["active"] is False and rows["gone"]["revoked_at"]
    assert rows["reporting"]["prefix"] == token[:12]
    assert token not in result.output and token[12:] not in result.output
    plain = run(app, "token", "list", tenant.slug)
    assert plain.exit_code == 0 and "reporting" in plain.output and "revoked" in plain.output
    unknown = run(app, "token", "list", "no-such-tenant")
    assert unknown.exit_code == 2


def test_openapi_document_is_valid_3_1_and_lists_module_paths(client):
    from openapi_spec_validator import validate
    from openapi_spec_validator.versions import consts, get_spec_version

    doc = client.get("/api/v1/openapi.json").get_json()
    assert get_spec_version(doc) == consts.OPENAPIV31
    validate(doc)  # raises on an invalid document
    assert "/api/v1/tenant" in doc["paths"]
    assert "/api/v1/notes/" in doc["paths"]  # the test module's openapi_paths()
    assert doc["components"]["securitySchemes"]["token"] == {"type": "http", "scheme": "bearer"}
