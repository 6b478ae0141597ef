"""NUL, non-characters and other hostile text in every parameter of every route (issue 10 items 5
and 7): the URL map is walked, every path parameter and every query parameter the code reads gets
hostile values, every POST route a form of them, every JSON endpoint deeply nested and huge JSON;
the count of 5xx answers (and of exceptions, and of JSON/XML answers that do not parse) must be 0,
on SQLite and PostgreSQL."""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from core.kit import sign_webhook

from .hostile import ParametersRead, names_read, parse_answer

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = ["a\x00b", "\uffff", "\ufffe\U0010ffff\x01\x1b[31m", "%ED%A0%BD"]
SINGLE = "x\x00\uffff"  # one parameter at a time
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_READS = re.compile(r"(?:args\.get(?:list)?|value|values\.get|_int|positive_int|date)\(\s*\"([a-z_]+)\"")


def query_names() -> list[str]:
    """Every query parameter name the code reads (``request.args.get("x")``, Open311's ``value("x")``...)."""
    names = set()
    for path in [*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("modules").rglob("*.py")]:
        if "tests" not in path.parts:
            names.update(_READS.findall(path.read_text(encoding="utf-8")))
    return sorted(names | {"page", "per_page", "q", "next", "lang", "format"})


def _fill(rule: str, value: str) -> str:
    def one(match):
        converter = match.group(1) or "default"
        if converter in ("int", "float"):
            return "1"
        return quote(value, safe="%") if value != "%ED%A0%BD" else value  # raw bytes, not UTF-8
    return _PARAM.sub(one, rule)


def _quoted(value: str) -> str:
    return value if value == "%ED%A0%BD" else quote(value, safe="")


def _get(client, url, headers, failures):
    try:
        response = client.get(url, headers=headers)
    except Exception as exc:  # noqa: BLE001 - propagated in TESTING: counted as a 500
        failures.append((url, repr(exc)[:200]))
        return None
    if response.status_code >= 500:
        failures.append((url, response.status_code))
    else:
        try:
            parse_answer(response)  # well-formed in its own format (JSON, XML), clean text in it
        except Exception as exc:  # noqa: BLE001
            failures.append((url, f"malformed answer: {exc!r}"[:200]))
    return response


@pytest.fixture
def actors(app, client, tenant, people, login, token_for_tenant):
    """(name, client, headers): anonymous, the tenant's admin and an officer, with an API token."""
    token = token_for_tenant(tenant, "complaints:read", "complaints:write")
    bearer = {"Authorization": f"Bearer {token}"}
    signed_in = []
    for role in ("admin", "dlh"):
        c = app.test_client()
        login(c, people[role], tenant)
        signed_in.append((role, c, bearer))
    return [("anonymous", client, {}), *signed_in]


def test_hostile_path_and_query_parameters_never_give_5xx(app, tenant, actors, monkeypatch):
    names = query_names()
    assert {"category", "service_request_id", "status", "page"} <= set(names)
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    assert len(rules) > 20
    failures, answered, singles = [], 0, 0
    monkeypatch.setattr(app.request_class, "parameter_storage_class", ParametersRead)
    for actor, c, headers in actors:
        for rule in rules:
            base = f"/t/{tenant.slug}"
            for value in HOSTILE:
                if _PARAM.search(rule.rule):
                    answered += bool(_get(c, base + _fill(rule.rule, value), headers, failures))
                every = "&".join(f"{n}={_quoted(value)}" for n in names)
                answered += bool(_get(c, f"{base}{_fill(rule.rule, 'x.json' if 'fmt' in rule.rule else 'x')}?{every}",
                                      headers, failures))
            if actor == "admin":  # each parameter the route reads, alone (another's error cannot hide it)
                target = base + _fill(rule.rule, "xml")
                for name in names_read(c, target, headers, names):
                    singles += 1
                    answered += bool(_get(c, f"{target}?{name}={_quoted(SINGLE)}", headers, failures))
    assert answered > 500 and singles > 100
    assert failures == [], f"{len(failures)} answers were 5xx: {failures[:10]}"


@pytest.mark.parametrize("where", ["track", "open311", "api", "queue", "audit"])
def test_nul_in_the_reported_places_is_404_or_400(client, tenant, actors, where):
    """The given inputs of issue 10 item 5, answered 400/404 (or the page without a match)."""
    _, admin, bearer = actors[1]
    s = tenant.slug
    response = {
        "track": lambda: client.get(f"/t/{s}/complaints/track/%00"),
        "open311": lambda: client.get(f"/t/{s}/open311/v2/requests.json?service_request_id=%00"),
        "api": lambda: client.get(f"/t/{s}/api/v1/complaints/?category=%00", headers=bearer),
        "queue": lambda: admin.get(f"/t/{s}/complaints/queue?category=%00&status=%00&q=%00"),
        "audit": lambda: admin.get(f"/t/{s}/admin/audit?action=%00&actor=%00&object=%00"),
    }[where]()
    assert response.status_code in (200, 400, 404), response.status_code
    parse_answer(response)


def test_sign_in_with_nul_in_the_email_is_the_form_again(client, tenant):
    response = client.post(f"/t/{tenant.slug}/login", data={"email": "a\x00@example.test", "password": "x\x00"})
    assert response.status_code in (200, 400) and "<form" in response.get_data(as_text=True)


def test_every_post_route_takes_hostile_form_fields_without_5xx(app, tenant, actors):
    fields = ["email", "password", "name", "description", "note", "reason", "text", "status", "agency", "q",
              "category", "district", "village", "address", "phone", "number", "access_code", "outcome", "lang",
              "duplicate_of", "role", "permission", "locale", "next", "code", "api_key", "service_code", "lat",
              "long", "service_request_id", "update_id", "updated_datetime", "address_string"]
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    failures = []
    for _actor, c, headers in actors:
        for rule in rules:
            for value in ("\x00", "\uffff\x01"):
                url = f"/t/{tenant.slug}" + _fill(rule.rule, value)
                try:
                    response = c.post(url, data={f: value for f in fields}, headers=headers)
                except Exception as exc:  # noqa: BLE001
                    failures.append((url, repr(exc)[:200]))
                    continue
                if response.status_code >= 500:
                    failures.append((url, response.status_code))
    assert failures == [], failures[:10]


# -- deeply nested and huge JSON on every JSON endpoint ---------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
NESTED_40 = b'{"category": "SAMPAH", "description": "Sampah menumpuk di pasar", "photos": ' + b"[" * 40 + b"]" * 40 + b"}"
HUGE_NUMBER = b'{"category": "SAMPAH", "lat": ' + b"9" * 5000 + b"}"
NAN = b'{"category": "SAMPAH", "description": "Sampah menumpuk di pasar", "lat": NaN, "long": Infinity}'
DEEP_SMALL = b"[" * 30_000 + b"]" * 30_000  # under the webhooks' 64 KiB: reaches their JSON parser
BODIES = {"deep array": DEEP, "deep array, 60 KB": DEEP_SMALL, "deep object": DEEP_OBJECT, "nested 40": NESTED_40, "huge number": HUGE_NUMBER,
          "NaN": NAN, "lone surrogate key": b'{"\\ud83d": 1}', "not JSON": b"{'a': 1}", "empty": b""}


def json_post_routes(app) -> list[str]:
    """POST routes under /api/ and the signed webhooks (the SMS gateway's and the chat gateway's)."""
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if "POST" in r.methods and (r.rule.startswith("/api/") or r.endpoint == "sms.inbound"))


@pytest.mark.parametrize("name", sorted(BODIES))
def test_hostile_json_on_every_json_endpoint_is_a_json_4xx(app, client, tenant, token_for_tenant, monkeypatch, name):
    monkeypatch.setenv("PAMONG_SMS_SECRET_" + tenant.slug.upper().replace("-", "_"), "sms-secret")
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "1000 per minute")
    token = token_for_tenant(tenant, "complaints:read", "complaints:write")
    body = BODIES[name]
    routes = json_post_routes(app)
    assert "/api/v1/complaints/webhook/social" in routes and "/sms/inbound" in routes and len(routes) >= 8
    for rule in routes:
        url = f"/t/{tenant.slug}" + _fill(rule, "NOPE-0001")
        ts = str(int(time.time()))
        secret = "sms-secret" if rule == "/sms/inbound" else "chat-secret"
        headers = {"Authorization": f"Bearer {token}", "X-Pamong-Timestamp": ts,
                   "X-Pamong-Signature": sign_webhook(secret, ts, body)}
        response = client.post(url, data=body, content_type="application/json", headers=headers)
        assert 400 <= response.status_code < 500, (rule, response.status_code, response.get_data()[:200])
        code, message = error_of(parse_answer(response))
        assert code and message, (rule, response.get_data()[:200])


def error_of(doc: dict) -> tuple:
    """(code, message) of an error answered in the route's own format: Pamong's ``{"error": ...}``,
    or, for routes of other modules that speak a standard (core ``api_scope(error_format=...)``),
    BPJS's ``{"metadata": {"code", "message"}}`` or FHIR's OperationOutcome."""
    if "error" in doc:
        return doc["error"]["code"], doc["error"]["message"]
    if "metadata" in doc:
        return doc["metadata"]["code"], doc["metadata"]["message"]
    if doc.get("resourceType") == "OperationOutcome":
        issue = doc["issue"][0]
        return issue["code"], issue.get("diagnostics") or issue.get("details", {}).get("text")
    return None, None


def test_deep_json_gets_the_stable_code(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    for body in (DEEP, DEEP_SMALL, DEEP_OBJECT, NESTED_40):
        response = client.post(f"/t/{tenant.slug}/api/v1/complaints/", data=body, content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, "json_too_deep")


def test_a_body_over_the_limit_is_413_in_json(app, client, tenant, token_for_tenant, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    token = token_for_tenant(tenant, "complaints:write")
    body = b'{"description": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post(f"/t/{tenant.slug}/api/v1/complaints/", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413 and parse_answer(response)["error"]["code"] == "too_large"


@pytest.mark.parametrize("raw", ["[" * 100_000 + "]" * 100_000, "[" * 40 + "]" * 40, "[NaN]", "\x00"])
def test_the_admin_settings_json_field_answers_the_form_again(app, tenant, actors, raw):
    _, admin, _ = actors[1]
    url = f"/t/{tenant.slug}/admin/modules/complaints/settings"
    response = admin.post(url, data={"categories": raw, "max_photos": "2"})
    assert response.status_code == 400 and 'name="categories"' in response.get_data(as_text=True)
