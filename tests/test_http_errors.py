"""Every error status in the format the client asked for (issue 9 item 3), and error pages that
render when the Host header cannot be bound (issue 10 item 8).

Formats here: the HTML page, Pamong's JSON (``/api/`` and ``Accept: application/json``), and a
standard a module declares through the ``error_formats`` hook (a test plugin below, shaped like
FHIR's OperationOutcome). Open311's are in modules/complaints/tests/test_open311_errors.py.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from flask import Response

from core.hookspecs import hookimpl
from core.http_errors import STABLE
from core.testing import TEST_STATUS_HEADER

STATUSES = [400, 401, 403, 404, 405, 413, 415, 429, 500]


class StandardModule:
    """A module serving a made-up standard at /std/v9 with its own error shape."""

    @hookimpl
    def module_info(self):
        return {"name": "stdtest", "title": "Standard test", "version": "1", "requires": []}

    @hookimpl
    def error_formats(self, app):
        def render(status, code, message):
            body = {"resourceType": "OperationOutcome",
                    "issue": [{"severity": "error", "code": code, "diagnostics": message}]}
            return Response(json.dumps(body), status=status, content_type="application/fhir+json")

        return [{"prefix": "/std/v9", "render": render}, {"prefix": re.compile(r"^/pattern-\d+/"), "render": render}]


@pytest.fixture(scope="module")
def error_plugins():
    return [StandardModule()]


@pytest.fixture
def err(error_app):
    return error_app.test_client()


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_h1 = tag == "h1"

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data.strip()

    def handle_endtag(self, tag):
        self._in_h1 = False


def html_page(response) -> _Page:
    assert response.content_type.startswith("text/html"), response.content_type
    parser = _Page()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    assert "html" in parser.tags and "body" in parser.tags
    return parser


def pamong_error(response) -> dict:
    assert response.content_type.startswith("application/json"), response.content_type
    body = json.loads(response.get_data(as_text=True))
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def outcome(response) -> dict:
    assert response.content_type == "application/fhir+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


@pytest.fixture(scope="module")
def known(app):
    """The slug of a tenant without modules (made once per module and database)."""
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.schema import parse_tenant
    from core.testing import unique

    slug = unique("err")
    with app.app_context():
        doc = parse_tenant({"slug": slug, "name": f"Kota {slug}", "kind": "city", "timezone": "Asia/Makassar",
                            "domains": [f"{slug}.example.test"], "modules": {}}, "test")
        (_, doc), = service.check_batch([("test", doc)], app.extensions["pamong"])
        service.apply_doc(doc, "test", app.extensions["pamong"])
        db.session.commit()
    return slug


TENANTS = ["known", "unknown", "host"]


def _base(which: str, slug: str) -> tuple[str, dict]:
    if which == "known":
        return f"/t/{slug}", {}
    if which == "unknown":
        return "/t/no-such-tenant", {}
    return "", {"Host": f"{slug}.example.test"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("which", TENANTS)
def test_html_pages(err, known, status, which):
    base, headers = _base(which, known)
    response = err.get(f"{base}/no/such/page", headers={**headers, TEST_STATUS_HEADER: str(status)})
    assert response.status_code == status
    assert html_page(response).h1 == str(status)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("which", TENANTS)
def test_json_when_asked_for(err, known, status, which):
    base, headers = _base(which, known)
    response = err.get(f"{base}/no/such/page", headers={
        **headers, TEST_STATUS_HEADER: str(status), "Accept": "application/json"})
    assert response.status_code == status
    assert pamong_error(response)["code"] == STABLE[status]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("which", TENANTS)
def test_api(err, known, status, which):
    base, headers = _base(which, known)
    response = err.get(f"{base}/api/v1/tenant", headers={**headers, TEST_STATUS_HEADER: str(status)})
    assert response.status_code == status
    assert pamong_error(response)["code"] == STABLE[status]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("which", TENANTS)
def test_a_modules_own_standard(err, known, status, which):
    base, headers = _base(which, known)
    for path in ("/std/v9/things.json", "/std/v9", "/pattern-7/x"):
        response = err.get(f"{base}{path}", headers={**headers, TEST_STATUS_HEADER: str(status)})
        assert response.status_code == status
        assert outcome(response)["code"] == STABLE[status]
    assert err.get(f"{base}/std/v99", headers={**headers, TEST_STATUS_HEADER: str(status)}).content_type \
        .startswith("text/html")  # a prefix matches whole segments only


# -- the same formats from the real causes ---------------------------------------------------------

def test_routing_errors(err, known):
    missing = err.get(f"/t/{known}/api/v1/nothing/here")
    assert missing.status_code == 404 and pamong_error(missing)["code"] == "not_found"
    wrong_method = err.delete(f"/t/{known}/api/v1/tenant")
    assert wrong_method.status_code == 405 and pamong_error(wrong_method)["code"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    assert html_page(err.delete(f"/t/{known}/login")).h1 == "405"
    assert html_page(err.get(f"/t/{known}/no/such/page")).h1 == "404"


def test_unknown_tenant(err):
    for path in ("/t/no-such-tenant/api/v1/tenant", "/t/No_Such!/api/v1/tenant"):
        response = err.get(path)
        assert response.status_code == 404 and pamong_error(response)["code"] in ("unknown_tenant", "not_found")
    assert pamong_error(err.get("/t/no-such-tenant/api/v1/tenant"))["code"] == "unknown_tenant"
    page = err.get("/t/no-such-tenant/")
    assert page.status_code == 404 and html_page(page).h1 == "404"
    assert outcome(err.get("/t/no-such-tenant/std/v9/x.json"))["code"] == "unknown_tenant"


def test_csrf_failure(err, known):
    page = err.post(f"/t/{known}/login", data={"email": "a@example.test", "password": "x"})
    assert page.status_code == 400 and html_page(page).h1 == "400"
    as_json = err.post(f"/t/{known}/login", data={"email": "a@example.test"}, headers={"Accept": "application/json"})
    assert pamong_error(as_json)["code"] == "csrf_failed"


def test_too_large(err, error_app, known, monkeypatch):
    monkeypatch.setitem(error_app.config, "MAX_CONTENT_LENGTH", 100)
    page = err.post(f"/t/{known}/login", data={"email": "a" * 500})
    assert page.status_code == 413 and html_page(page).h1 == "413"


def test_unhandled_error_is_a_page_not_a_traceback(err, known):
    response = err.get(f"/t/{known}/", headers={TEST_STATUS_HEADER: "500"})
    assert response.status_code == 500 and "RuntimeError" not in response.get_data(as_text=True)


# -- Host headers Werkzeug cannot bind (issue 10 item 8) ------------------------------------------

BAD_HOSTS = [
    "a" * 64 + ".example.test",  # the given input: a label over 63 characters
    "a..b.example.test", ".example.test", "x" * 254, "a." * 127 + "a",
    "münchen-" + "ü" * 60 + ".example", "ex ample.test", "example.test:port", "example.test:99999999",
    "[::1", "example.test:80:80", "\u00ff" * 70,
]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_bad_hosts_never_give_500(client, err, known, host):
    paths = ["/", "/no/such/page", f"/t/{known}/", f"/t/{known}/no/such/page", f"/t/{known}/login",
             f"/t/{known}/api/v1/tenant", "/t/no-such-tenant/", "/api/v1/openapi.json"]
    for c in (client, err):  # the test app raises what is unhandled, the deployed one answers 500
        for path in paths:
            response = c.get(path, headers={"Host": host})
            assert response.status_code < 500, (host, path, response.status_code)
            if response.content_type.startswith("text/html"):
                html_page(response)
            else:
                json.loads(response.get_data(as_text=True))


def test_error_page_renders_when_no_url_can_be_built(client, known, monkeypatch):
    from core import http_errors

    monkeypatch.setattr(http_errors, "_ensure_url_adapter", lambda: None)  # url_for fails everywhere
    for path in ("/", f"/t/{known}/", f"/t/{known}/no/such/page"):
        response = client.get(path, headers={"Host": "a" * 64 + ".example.test"})
        assert response.status_code == 400 or response.status_code == 404
        assert html_page(response).h1 == str(response.status_code)
        assert 'href="/' in response.get_data(as_text=True) or 'href="/t/' in response.get_data(as_text=True)


def test_a_page_that_cannot_render_falls_back_to_a_bare_one(client, known, monkeypatch):
    from core import http_errors

    def broken(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(http_errors, "render_template", broken)
    response = client.get(f"/t/{known}/no/such/page")
    assert response.status_code == 404 and html_page(response).h1 == "404"


@pytest.mark.parametrize("late", ["db", "500", "403", "429"])
def test_errors_inside_a_tenant_with_a_signed_in_person(error_app, known, create_user, late):
    """After the tenant and the user are known, and after a failed SQL statement (on PostgreSQL the
    transaction is then aborted): the page still renders, with the tenant's layout."""
    from core.testing import PASSWORD, TEST_LATE_HEADER

    email = create_user()
    c = error_app.test_client()
    login_page = c.get(f"/t/{known}/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page)
    if csrf is None:
        csrf = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', login_page)
    signed_in = c.post(f"/t/{known}/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf.group(1)})
    assert signed_in.status_code == 302
    status = 500 if late in ("db", "500") else int(late)
    page = c.get(f"/t/{known}/", headers={TEST_LATE_HEADER: late})
    assert page.status_code == status and html_page(page).h1 == str(status)
    assert f"Kota {known}" in page.get_data(as_text=True)  # the tenant's own layout, not the bare page
    assert email in page.get_data(as_text=True)  # with the person signed in
    as_api = c.get(f"/t/{known}/api/v1/tenant", headers={TEST_LATE_HEADER: late})
    assert as_api.status_code == status and pamong_error(as_api)["code"] == STABLE[status]


def test_what_the_raising_code_said_about_bad_input_is_kept(app):
    from werkzeug.exceptions import BadRequest, TooManyRequests

    from core.http_errors import handle_http_error

    with app.test_request_context("/t/x/api/v1/things"):
        told = pamong_error(handle_http_error(BadRequest("body: not valid JSON")))
        generic = pamong_error(handle_http_error(BadRequest()))
        limited = handle_http_error(TooManyRequests("2 per 1 minute", retry_after=30))
    assert told == {"code": "bad_request", "message": "body: not valid JSON"}
    assert generic["message"] != BadRequest.description
    assert pamong_error(limited)["message"] != "2 per 1 minute" and limited.headers["Retry-After"] == "30"


@pytest.mark.parametrize("status", STATUSES)
def test_the_sms_webhook_answers_in_json(err, known, status):
    response = err.post(f"/t/{known}/sms/inbound", headers={TEST_STATUS_HEADER: str(status)})
    assert response.status_code == status and pamong_error(response)["code"] == STABLE[status]


def test_the_sms_webhook_refuses_get_in_json(err, known):
    response = err.get(f"/t/{known}/sms/inbound")
    assert response.status_code == 405 and pamong_error(response)["code"] == "method_not_allowed"


def test_a_malformed_error_format_stops_start_up_naming_the_module(app):
    from core import create_app
    from core.errors import ModuleError

    class Broken:
        @hookimpl
        def module_info(self):
            return {"name": "brokenfmt", "title": "Broken", "version": "1", "requires": []}

        @hookimpl
        def error_formats(self, app):
            return [{"prefix": "/x"}]

    with pytest.raises(ModuleError, match="brokenfmt"):
        create_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "x",
                    "INSTANCE_DIR": app.config["INSTANCE_DIR"]}, extra_plugins=[Broken()])
