"""A lazy message (``lazy_gettext``, an ``IdentityError``'s) reaches every error format as text in
the request's language: the core's renderers (BPJS envelope, FHIR OperationOutcome), a module's own
renderer declared through ``error_formats``, and ``api_scope``'s refusals (issue 17, trial t17:
a BPJS answer was a 500, ``LazyString`` not JSON serializable)."""
import json

import pytest
from flask import Blueprint, Response

from core.kit import api_scope, bpjs_error, db, fhir_error, hookimpl, lazy_gettext, refusal

GONE = lazy_gettext("The page was not found.")
SAID = {"id": "Halaman tidak ditemukan.", "en": "The page was not found."}
bp = Blueprint("lazytest", __name__)


def own_format(status: int, code: str, message: str) -> Response:
    """A module's renderer that serialises the message as the standard library does (no Flask JSON
    provider): it fails on anything but text."""
    return Response(json.dumps({"fault": {"code": code, "text": message}}), status=status,
                    content_type="application/json")


@bp.route("/own/thing")
def own_thing():
    raise refusal(404, "gone", GONE)


@bp.route("/bpjs/thing")
def bpjs_thing():
    raise refusal(404, "gone", GONE)


@bp.route("/fhir/thing")
def fhir_thing():
    raise refusal(404, "gone", GONE)


@bp.route("/direct/<kind>")
def direct(kind):  # a view answering the renderer itself, as a module's service does
    return (bpjs_error if kind == "bpjs" else fhir_error)(400, "gone", GONE)


@bp.route("/token")
@api_scope("lazytest:read", error_format=own_format, message=GONE)
def token_thing():
    return "ok"


class LazyModule:
    @hookimpl
    def module_info(self):
        return {"name": "lazytest", "title": "Lazy messages test", "version": "1"}

    @hookimpl
    def api_scopes(self):
        return [{"name": "lazytest:read", "description": "read"}]

    @hookimpl
    def register_blueprints(self, app):
        return [bp]

    @hookimpl
    def error_formats(self, app):
        return [{"prefix": "/lazytest/own", "render": own_format}, {"prefix": "/lazytest/bpjs", "render": bpjs_error},
                {"prefix": "/lazytest/fhir", "render": fhir_error}]


@pytest.fixture(scope="module")
def error_plugins():
    return [LazyModule()]


@pytest.fixture
def lazy_tenant(error_app, create_tenant):
    from core.kit import Tenant
    from core.tenancy.service import enable_module

    tenant = create_tenant(locales=["id", "en"])
    with error_app.app_context():
        enable_module(db.session.get(Tenant, tenant.id), "lazytest", "test", error_app.extensions["pamong"])
        db.session.commit()
    return tenant


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_error_format_says_a_lazy_message_in_the_requests_language(error_app, lazy_tenant, lang):
    client = error_app.test_client()
    base, headers = f"/t/{lazy_tenant.slug}/lazytest", {"Accept-Language": lang}

    own = client.get(f"{base}/own/thing", headers=headers)
    assert own.status_code == 404 and own.get_json() == {"fault": {"code": "gone", "text": SAID[lang]}}

    bpjs = client.get(f"{base}/bpjs/thing", headers=headers)
    assert bpjs.status_code == 404 and bpjs.get_json() == {"metadata": {"code": 404, "message": SAID[lang]},
                                                           "response": None}
    fhir = client.get(f"{base}/fhir/thing", headers=headers)
    issue = fhir.get_json(force=True)["issue"][0]
    assert fhir.status_code == 404 and (issue["diagnostics"], issue["details"]["text"]) == (SAID[lang], SAID[lang])

    for kind in ("bpjs", "fhir"):
        answer = client.get(f"{base}/direct/{kind}", headers=headers)
        assert answer.status_code == 400 and SAID[lang] in answer.get_data(as_text=True), answer.get_data(as_text=True)

    refused = client.get(f"{base}/token", headers=headers)
    assert refused.status_code == 401 and refused.get_json() == {"fault": {"code": "unauthorized", "text": SAID[lang]}}
