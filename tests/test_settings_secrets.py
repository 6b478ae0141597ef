"""Every module setting marked ``"secret": true`` takes a reference ``env:NAME`` only (issue 15's
whole kind): the secret itself is refused by the core where the settings are written, whatever
the module's schema says besides, so no module can forget to ask for it and no secret is stored,
audited, exported or shown on the admin form."""
from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.settings import validate_settings
from core.tenant_secrets import env_name, literal, reference_only
from core.testing import unique

# a module's schema as a module writes it: "secret" alone, no other marker
SCHEMA = {"type": "object", "properties": {
    "hook": {"type": "string", "default": "", "secret": True, "title": "Webhook secret"},
    "gateway": {"type": "object", "default": {}, "properties": {
        "key": {"type": "string", "default": "", "secret": True}}},
    "name": {"type": "string", "default": ""},
}}


@pytest.mark.parametrize("settings, where", [
    ({"hook": "plaintextsecret"}, "modules.x.settings.hook"),
    ({"gateway": {"key": "plaintextsecret"}}, "modules.x.settings.gateway.key"),
])
def test_a_secret_written_in_place_is_refused_naming_the_key(app, settings, where):
    slug = unique("tn")
    with app.test_request_context(), pytest.raises(ValidationError) as caught:
        validate_settings(SCHEMA, settings, "modules.x.settings", slug=slug)
    assert caught.value.where == where and caught.value.code == "secret_literal"
    assert "plaintextsecret" not in caught.value.message and env_name(slug, "NAME") in caught.value.message


def test_a_reference_set_in_the_tenants_namespace_is_taken(app, monkeypatch):
    slug = unique("tn")
    monkeypatch.setenv(env_name(slug, "HOOK"), "the-secret")
    monkeypatch.setenv(env_name(slug, "GATEWAY_KEY"), "another")
    settings = {"hook": "env:HOOK", "gateway": {"key": "env:GATEWAY_KEY"}, "name": "plain text is fine here"}
    with app.test_request_context():
        assert validate_settings(SCHEMA, settings, "modules.x.settings", slug=slug) == settings
        assert validate_settings(SCHEMA, {}, "modules.x.settings", slug=slug)["hook"] == ""  # empty: off


def test_the_form_never_shows_a_secret_stored_in_place_before_the_rule():
    hook = SCHEMA["properties"]["hook"]
    assert reference_only(hook) and literal(hook, "plaintextsecret")
    assert not literal(hook, "env:HOOK") and not literal(hook, "")
    assert not reference_only(SCHEMA["properties"]["name"])
