"""Module plumbing (issue 12 item 5): hooks per tenant through pluggy, a module replacing a core
default, the Actor value, the unit of work, signed webhooks and token routes answering in a
standard's own error format, and the pytest fixtures a module's tests use (outbox, clock)."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Blueprint, g, jsonify
from werkzeug.exceptions import HTTPException

from core.kit import (
    Actor, NotFound, ValidationError, api_scope, bpjs_error, current_actor, db, fhir_error, hookimpl,
    sign_webhook, signed_webhook, tenant_scope, unit_of_work, utcnow,
)
from core.modules import ModuleManager, ModuleSpec
from core.sms.service import secret_setting

from .test_sms import post


class Replacer:
    """A module answering unmatched SMS itself, instead of the core's list of keywords."""

    @hookimpl
    def module_info(self):
        return {"name": "smsreplacer", "title": "Replaces a core default", "version": "1"}

    @hookimpl
    def sms_unmatched(self, tenant, text):
        return f"{tenant.slug} heard: {text}"

    @hookimpl
    def nav_items(self, tenant):
        return [{"title": "Replacer", "endpoint": "portal.home"}]

    daftar_for: set = set()  # the tenants whose settings would turn DAFTAR on

    @hookimpl
    def sms_keywords(self, tenant):
        if tenant.slug in Replacer.daftar_for:
            return {"DAFTAR": lambda tenant, sender, text: f"antrean {tenant.slug}"}
        return {}


@pytest.fixture
def replacer(app):
    manager = app.extensions["pamong"]
    plugin = Replacer()
    manager.pm.register(plugin, name="smsreplacer")
    manager.modules["smsreplacer"] = ModuleSpec(name="smsreplacer", plugin=plugin, info=plugin.module_info(),
                                                path=Path(__file__).parent, source="test")
    yield plugin
    manager.modules.pop("smsreplacer")
    manager.pm.unregister(name="smsreplacer")


def test_a_module_replaces_a_trylast_core_default_through_pluggy(app):
    """firstresult + trylast: the enabled module's answer wins; not enabled, the core's stands."""
    manager = ModuleManager(extra_plugins=[Replacer()])

    class T:
        slug = "kota"

    with app.test_request_context():
        replaced = manager.tenant_hook({"smsreplacer"}).sms_unmatched(
            app=app, tenant=T(), sender="+62", text="HALO", keywords=["LAPOR"])
        default = manager.tenant_hook(set()).sms_unmatched(
            app=app, tenant=T(), sender="+62", text="HALO", keywords=["LAPOR"])
    assert replaced == "kota heard: HALO"
    assert default.endswith("LAPOR") and "heard" not in default


def test_an_unmatched_sms_is_answered_by_the_enabled_module_only(client, create_tenant, replacer, monkeypatch,
                                                                  outbox):
    mine, other = create_tenant(modules={"smsreplacer": {}}), create_tenant()
    for tenant in (mine, other):
        monkeypatch.setenv(secret_setting(tenant.slug), f"secret-of-{tenant.slug}")
        assert post(client, tenant, {"from": "081234567891", "text": "HALO semua"}).status_code == 200
    assert [m["body"] for m in outbox(mine, "sms")] == [f"{mine.slug} heard: HALO semua"]
    (reply,) = outbox(other, "sms")
    assert "heard" not in reply["body"] and reply["recipient"] == "+6281234567891"


def test_a_keyword_is_offered_per_tenant(client, create_tenant, replacer, monkeypatch, outbox):
    on, off = create_tenant(modules={"smsreplacer": {}}), create_tenant(modules={"smsreplacer": {}})
    monkeypatch.setattr(Replacer, "daftar_for", {on.slug})
    for tenant in (on, off):
        monkeypatch.setenv(secret_setting(tenant.slug), f"secret-of-{tenant.slug}")
        assert post(client, tenant, {"from": "081234567891", "text": "DAFTAR umum"}).status_code == 200
    assert [m["body"] for m in outbox(on, "sms")] == [f"antrean {on.slug}"]
    assert [m["body"] for m in outbox(off, "sms")] == [f"{off.slug} heard: DAFTAR umum"]


def test_fan_out_leaves_out_modules_the_tenant_has_not_enabled(app, create_tenant, replacer):
    on, off = create_tenant(modules={"smsreplacer": {}}), create_tenant()
    manager = app.extensions["pamong"]
    with app.test_request_context():
        titles = {t.slug: [i["title"] for answer in manager.collect(t, "nav_items", app=app, tenant=t, user=None)
                           for i in answer] for t in (on, off)}
    assert titles[on.slug][0] == "Home" and "Replacer" in titles[on.slug]  # the core's answer first
    assert "Replacer" not in titles[off.slug]


# -- the Actor value ------------------------------------------------------------------------------

def test_actor_kinds_permissions_and_audit(app, create_tenant, create_user, create_token, audit_entries):
    from core.auth.service import find_user, token_for
    from core.kit import Tenant, audit

    tenant = create_tenant(modules={"notes": {}})
    email = create_user(tenant, "officer", agency="DLH")
    token = create_token(tenant, "notes:read")
    with app.test_request_context():
        row = db.session.get(Tenant, tenant.id)
        g.tenant = None
        assert current_actor().is_anonymous and current_actor().principal is None
        user = Actor.for_user(find_user(email), row)
        assert user.kind == "user" and user.can("notes.write") and not user.can("core.admin")
        assert {"citizen", "officer"} <= user.roles and len(user.agency_ids) == 1
        g.tenant, g.api_token = row, token_for(row, token)
        bot = current_actor()
        assert bot.kind == "token" and bot.can("notes:read") and not bot.can("notes:write")
        assert bot.principal.startswith("token:") and bot.roles == frozenset()
        system = Actor.system("sla-sweep", row)
        assert system.can("anything") and system.principal == "system:sla-sweep"
        with tenant_scope(row):
            audit(row, bot, "plumb.test", "thing", 1)
            audit(row, user, "plumb.test", "thing", 2)
        db.session.commit()
    entries = audit_entries(tenant, "plumb.test")
    assert [e["actor"] for e in entries] == [bot.principal, email]


# -- the unit of work -----------------------------------------------------------------------------

def _form():
    from wtforms import Form, StringField

    class F(Form):
        title = StringField()

    return F()


def test_unit_of_work_commits_with_its_audit_or_rolls_back_onto_the_form(app, create_tenant, audit_entries):
    from core.kit import Tenant

    tenant = create_tenant()
    with app.test_request_context():
        g.tenant = db.session.get(Tenant, tenant.id)
        with unit_of_work() as work:
            work.audit("plumb.saved", "thing", 1, after={"title": "ok"})
        assert work.ok and work.error is None
        form = _form()
        with unit_of_work(form) as work:
            work.audit("plumb.undone", "thing", 2)
            raise ValidationError("is required", where="title", code="required")
        assert not work.ok and work.error.code == "required" and form.title.errors == ["is required"]
        with unit_of_work(form) as work:
            raise ValidationError("this complaint is closed", code="not_open")
        assert form.form_errors == ["this complaint is closed"]
        with pytest.raises(HTTPException) as refused, unit_of_work(form):
            raise NotFound("no such thing")
        assert refused.value.code == 404
        with pytest.raises(HTTPException) as refused, unit_of_work(api=True):
            raise ValidationError("must be text", where="title", code="invalid_field")
        assert (refused.value.code, refused.value.pamong_code) == (400, "invalid_field")
        with pytest.raises(RuntimeError), unit_of_work():  # a bug is not an answer: raised, undone
            work.audit("plumb.bug", "thing", 3)
            raise RuntimeError("bug")
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("plumb.")] == ["plumb.saved"]


# -- route protection in a standard's own format, signed webhooks, CSRF -------------------------

SEEN: set = set()
bp = Blueprint("plumbtest", __name__)


@bp.route("/fhir/Patient")
@api_scope("plumbtest:read", error_format=fhir_error)
def fhir_patient():
    return jsonify(resourceType="Bundle", actor=current_actor().principal)


@bp.route("/bpjs/antrean")
@api_scope("plumbtest:read", error_format=bpjs_error)
def bpjs_queue():
    return jsonify(metadata={"code": 200, "message": "OK"})


@bp.route("/open/thing")
@api_scope("plumbtest:read", error_format="route")
def route_format():
    return jsonify(ok=True)


def _seen(tenant, digest):
    if digest in SEEN:
        return True
    SEEN.add(digest)
    return False


@bp.route("/hook", methods=["POST"])
@signed_webhook(lambda tenant: f"hook-{tenant.slug}", seen=_seen)
def hook():
    return jsonify(bytes=len(g.webhook.body), actor=str(current_actor()))


class PlumbModule:
    @hookimpl
    def module_info(self):
        return {"name": "plumbtest", "title": "Plumbing test", "version": "1"}

    @hookimpl
    def api_scopes(self):
        return [{"name": "plumbtest:read", "description": "read"}]

    @hookimpl
    def register_blueprints(self, app):
        return [bp]

    @hookimpl
    def error_formats(self, app):
        return [{"prefix": "/plumbtest/open", "render": fhir_error}]


@pytest.fixture(scope="module")
def error_plugins():
    return [PlumbModule()]


@pytest.fixture
def plumbed(error_app, create_tenant):
    """A tenant with the plumbing test module enabled in ``error_app`` (CSRF on, as deployed)."""
    from core.kit import Tenant
    from core.tenancy.service import enable_module

    tenant = create_tenant()
    with error_app.app_context():
        enable_module(db.session.get(Tenant, tenant.id), "plumbtest", "test", error_app.extensions["pamong"])
        db.session.commit()
    return tenant


def test_token_routes_answer_in_the_standards_format(error_app, plumbed, create_token):
    client = error_app.test_client()
    base = f"/t/{plumbed.slug}/plumbtest"
    fhir = client.get(f"{base}/fhir/Patient")
    assert fhir.status_code == 401 and fhir.content_type == "application/fhir+json"
    issue = fhir.get_json(force=True)["issue"][0]
    assert issue["code"] == "login" and issue["details"]["coding"][0]["code"] == "unauthorized"
    bpjs = client.get(f"{base}/bpjs/antrean", headers={"Authorization": "Bearer nope", "Accept-Language": "en"})
    assert bpjs.status_code == 401 and bpjs.get_json() == {
        "metadata": {"code": 401, "message": "A valid API token of this tenant is required."}, "response": None}
    routed = client.get(f"{base}/open/thing")  # the format the module declared for the path
    assert routed.status_code == 401 and routed.get_json(force=True)["resourceType"] == "OperationOutcome"
    token = create_token(plumbed, "tenant:read")
    lacking = client.get(f"{base}/fhir/Patient", headers={"Authorization": f"Bearer {token}"})
    assert lacking.status_code == 403 and lacking.get_json(force=True)["issue"][0]["code"] == "forbidden"


def test_signed_webhook_checks_signature_time_and_replay_without_a_csrf_token(error_app, plumbed):
    client = error_app.test_client()
    url = f"/t/{plumbed.slug}/plumbtest/hook"
    body = json.dumps({"n": 1}).encode()
    now = str(int(time.time()))
    headers = {"X-Pamong-Timestamp": now, "X-Pamong-Signature": sign_webhook(f"hook-{plumbed.slug}", now, body),
               "Accept": "application/json"}
    accepted = client.post(url, data=body, headers=headers, content_type="application/json")
    assert accepted.status_code == 200 and accepted.get_json() == {"bytes": len(body), "actor": "anonymous"}
    replay = client.post(url, data=body, headers=headers, content_type="application/json")
    assert replay.status_code == 409 and replay.get_json()["error"]["code"] == "replayed"
    forged = client.post(url, data=body + b" ", headers=headers, content_type="application/json")
    assert forged.status_code == 401 and forged.get_json()["error"]["code"] == "bad_signature"
    old = str(int(time.time()) - 3600)
    stale = client.post(url, data=body, content_type="application/json", headers={
        "Accept": "application/json", "X-Pamong-Timestamp": old,
        "X-Pamong-Signature": sign_webhook(f"hook-{plumbed.slug}", old, body)})
    assert stale.status_code == 401 and stale.get_json()["error"]["code"] == "stale_timestamp"


def test_the_core_s_refusals_speak_the_request_s_language(error_app, plumbed, create_token):
    """The token and signature refusals are in the request's language (Accept-Language among the
    tenant's, else its first), their codes unchanged; never English on an Indonesian request."""
    client = error_app.test_client()
    base = f"/t/{plumbed.slug}/plumbtest"
    token = create_token(plumbed, "tenant:read")
    url, body = f"{base}/hook", json.dumps({"n": 2}).encode()
    old = str(int(time.time()) - 3600)
    said = {}
    for lang in ("id", "en"):
        accept = {"Accept": "application/json", "Accept-Language": lang}
        said[lang] = [
            client.get(f"{base}/fhir/Patient", headers=accept).get_json(force=True)["issue"][0]["diagnostics"],
            client.get(f"{base}/fhir/Patient", headers={**accept, "Authorization": f"Bearer {token}"}
                       ).get_json(force=True)["issue"][0]["diagnostics"],
            client.post(url, data=body, content_type="application/json", headers=accept).get_json()["error"],
            client.post(url, data=body, content_type="application/json", headers={
                **accept, "X-Pamong-Timestamp": old,
                "X-Pamong-Signature": sign_webhook(f"hook-{plumbed.slug}", old, body)}).get_json()["error"],
        ]
    english, indonesian = said["en"], said["id"]
    assert english[0] == "A valid API token of this tenant is required."
    assert "lacks the scope" in english[1]
    assert english[2]["code"] == indonesian[2]["code"] == "missing_signature"
    assert english[3] == {"code": "stale_timestamp",
                          "message": "X-Pamong-Timestamp: is more than five minutes from now"}
    assert indonesian[3]["code"] == "stale_timestamp" and indonesian[3]["message"].startswith("X-Pamong-Timestamp: ")
    for en, id_ in zip(english, indonesian):
        assert en != id_, (en, id_)   # every one translated


# -- fixtures a module's tests use ----------------------------------------------------------------

def test_frozen_clock_is_the_core_s_now(frozen_clock, app, create_tenant):
    from core.kit import Tenant

    start = frozen_clock.now
    assert utcnow() == start == datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    assert frozen_clock.advance(days=2, hours=3) == start + timedelta(days=2, hours=3) == utcnow()
    tenant = create_tenant()
    with app.app_context():
        created = db.session.get(Tenant, tenant.id).created_at
    assert created.replace(tzinfo=timezone.utc) == start + timedelta(days=2, hours=3)  # a model's default
