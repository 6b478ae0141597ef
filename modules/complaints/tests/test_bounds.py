"""Numbers and dates out of range never give 500 (issue 10 item 6): the given inputs as regression
tests, and a walk of the whole URL map (the core's routes and every installed module's) that sends
every numeric and date parameter at and beyond its bounds, counting 5xx answers (must be none).

The parameters a route reads are those it declares by reading them through the kit's bounded
readers (``core/params.py`` records them per endpoint); the walk first requests every route once to
learn them, then sends each at its bounds (must not fail) and beyond them (must be 400), and finally
sends a blanket of hostile values under every parameter name any route reads, to every route.
"""
from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from werkzeug.routing import IntegerConverter

from core.params import DECLARED, MAX_ID

from .hostile import ParametersRead
from .test_api import BODY, api, bearer


def o311(tenant, path):
    return f"/t/{tenant.slug}/open311/v2/{path}"


def _is_400(response) -> bool:
    return response.status_code == 400


# -- the given inputs ------------------------------------------------------------------------------

HUGE = "99999999999999999999"


def test_huge_page_numbers_are_400(client, tenant, people, login, token_for_tenant):
    transparency = client.get(f"/t/{tenant.slug}/complaints/transparency?page={HUGE}")
    assert transparency.status_code == 400 and "page" in transparency.get_data(as_text=True)
    token = token_for_tenant(tenant, "complaints:read")
    listed = client.get(api(tenant, f"?page={HUGE}"), headers=bearer(token))
    assert listed.status_code == 400 and listed.get_json()["error"]["code"] == "invalid_parameter"
    assert "page" in listed.get_json()["error"]["message"]
    listed = client.get(api(tenant, f"?per_page={HUGE}"), headers=bearer(token))
    assert listed.status_code == 400 and listed.get_json()["error"]["code"] == "invalid_page_size"
    login(client, people["admin"], tenant)
    assert client.get(f"/t/{tenant.slug}/complaints/queue?page={HUGE}").status_code == 400
    assert client.get(f"/t/{tenant.slug}/complaints/all?page={HUGE}").status_code == 400
    assert client.get(f"/t/{tenant.slug}/admin/audit?page={HUGE}").status_code == 400
    assert client.get(f"/t/{tenant.slug}/complaints/queue?page=1000000").status_code == 200  # at the bound


def test_audit_dates_out_of_range_show_the_form_again(client, tenant, people, login):
    login(client, people["admin"], tenant)
    for query in ("?to=9999-12-31", "?from=0001-01-01", "?from=9999-12-31&to=9999-12-31", "?to=3000-01-01"):
        page = client.get(f"/t/{tenant.slug}/admin/audit{query}")
        assert page.status_code == 400, query
        assert "1900-01-01" in page.get_data(as_text=True) and 'name="to"' in page.get_data(as_text=True)
    assert client.get(f"/t/{tenant.slug}/admin/audit?from=1900-01-01&to=2999-12-31").status_code == 200
    assert "TTTT-BB-HH" in client.get(f"/t/{tenant.slug}/admin/audit?to=2026-02-30").get_data(as_text=True)


def _o311_error(response, fmt):
    assert response.status_code == 400, response.get_data(as_text=True)
    if fmt == "json":
        error = json.loads(response.get_data(as_text=True))[0]  # the first (a filing lists every problem)
        return error["code"], error["description"]
    root = ET.fromstring(response.get_data())
    return int(root.find("error/code").text), root.find("error/description").text


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("query", [
    "start_date=9999-12-31T00:00:00Z", "end_date=0001-01-01T00:00:00Z",
    "updated_after=0001-01-01T00:00:00%2B01:00", "updated_before=9999-12-31T23:59:59-01:00",
    "start_date=0001-01-01", "end_date=9999-12-31", "start_date=1899-12-31T23:00:00-02:00",
    f"page={HUGE}", f"page_size={HUGE}", "page=-1", "page_size=1e3", "page=1_0",
    "lat=" + "1" * 400 + "&long=119", "long=" + "9" * 400 + "&lat=-5", "lat=nan&long=1", "lat=1e999&long=1",
    "radius=" + HUGE + "&lat=-5&long=119",
])
def test_open311_bounds_are_400_in_the_spec_format(client, tenant, query, fmt):
    name = query.split("=")[0]  # the first parameter is the one out of range
    for path in (f"requests.{fmt}", f"servicerequestupdates.{fmt}"):
        if path.startswith("servicerequestupdates") and not query.startswith(("start_date", "end_date", "page")):
            continue
        code, description = _o311_error(client.get(o311(tenant, f"{path}?{query}")), fmt)
        assert code == 400 and description.startswith(name), (description, name)


def test_open311_dates_at_the_bounds_are_answered(client, tenant):
    for query in ("start_date=2999-12-31T00:00:00Z", "end_date=1900-01-01T00:00:00Z",
                  "updated_after=1900-01-01T00:00:00%2B14:00", "updated_before=2999-12-31T23:59:59-12:00",
                  "page=1000000&page_size=1000", "lat=-90&long=180", "lat=90&long=-180"):
        assert client.get(o311(tenant, f"requests.json?{query}")).status_code == 200, query


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_posts_with_numbers_out_of_range(client, tenant, token_for_tenant, fmt):
    key = token_for_tenant(tenant, "complaints:write")
    filed = client.post(o311(tenant, f"requests.{fmt}"), data={
        "api_key": key, "service_code": "SAMPAH", "lat": "1" * 400, "long": "119", "description": "x"})
    assert _o311_error(filed, fmt)[0] == 400
    update = client.post(o311(tenant, f"servicerequestupdates.{fmt}"), data={
        "api_key": key, "service_request_id": "X-1", "update_id": "u1", "status": "open", "description": "x",
        "updated_datetime": "0001-01-01T00:00:00+01:00"})
    assert _o311_error(update, fmt)[0] == 400


def test_api_coordinates_of_400_digits(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    for lat in (10**400, -(10**400), float("1e308"), "1" * 400, True):
        response = client.post(api(tenant), json={**BODY, "lat": lat}, headers=bearer(token))
        assert response.status_code == 400, lat
        assert response.get_json()["error"]["code"] == "invalid_coordinate"


def test_portal_coordinates_of_400_digits(client, tenant):
    page = client.post(f"/t/{tenant.slug}/complaints/new", data={
        "category": "SAMPAH", "description": "Sampah menumpuk di selokan depan pasar", "latitude": "1" * 400,
        "longitude": "119.4", "notify_by": "none"})
    assert page.status_code in (200, 400)


def test_ids_in_the_path_beyond_an_integer_are_404(client, tenant, people, login):
    login(client, people["admin"], tenant)
    for value in (MAX_ID + 1, 10**20):
        assert client.get(f"/t/{tenant.slug}/complaints/photos/{value}").status_code == 404
        assert client.post(f"/t/{tenant.slug}/admin/users/{value}/revoke").status_code == 404


# -- the walk --------------------------------------------------------------------------------------

def _path_values(tenant, number: str, token: str) -> dict:
    return {"number": number, "request_id": number, "fmt": "json", "code": "SAMPAH", "token": token,
            "filename": "pamong.css", "rest": "nothing.json", "slug": tenant.slug}


def _variants(spec) -> tuple[list, list]:
    """(values at the bounds, values beyond them) for one declared parameter."""
    if spec.kind == "int":
        return ([spec.min, spec.max], [spec.min - 1, spec.max + 1, HUGE, "-" + HUGE, "9" * 400, "1e3", "1_0",
                                       "x", "\u0663"])
    if spec.kind == "float":
        return ([spec.min, spec.max], [spec.min - 1, spec.max + 1, "1" * 400, "-" + "9" * 400, "nan", "inf",
                                       "1e999", "x"])
    low, high = spec.min, spec.max
    if spec.kind == "date":
        return ([low.isoformat(), high.isoformat()],
                [(low - timedelta(days=1)).isoformat(), (high + timedelta(days=1)).isoformat(), "0001-01-01",
                 "9999-12-31", "2026-02-30", "x"])
    return ([f"{low.isoformat()}T00:00:00+14:00", f"{high.isoformat()}T23:59:59-12:00"],
            [f"{(low - timedelta(days=1)).isoformat()}T23:00:00-12:00",
             f"{(high + timedelta(days=1)).isoformat()}T01:00:00+14:00",
             "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "9999-12-31T00:00:00Z",
             "0001-01-01T00:00:00Z", "0001-01-01", "9999-12-31"])


BLANKET = [HUGE, "-" + HUGE, "0", "1" * 400, "nan", "9999-12-31", "0001-01-01", "9999-12-31T23:59:59-01:00",
           "0001-01-01T00:00:00+01:00", "1e999"]


def test_every_numeric_and_date_parameter_of_every_route(app, client, tenant, people, login, token_for_tenant,
                                                        monkeypatch):
    from urllib.parse import quote

    token = token_for_tenant(tenant, "complaints:read", "complaints:write", "tenant:read")
    filed = client.post(api(tenant), json=BODY, headers=bearer(token)).get_json()
    with app.app_context():
        from core.kit import db, tenant_scope
        from modules.complaints.models import Complaint

        with tenant_scope(tenant):
            ticket = db.session.execute(db.select(Complaint.token).where(Complaint.number == filed["number"])).scalar()
    login(client, people["admin"], tenant)
    headers = bearer(token)
    adapter = app.url_map.bind("localhost", script_name=f"/t/{tenant.slug}")
    values = _path_values(tenant, filed["number"], ticket)
    failures: list[str] = []
    answered = 0

    def send(method: str, url: str):
        nonlocal answered
        answered += 1
        try:
            response = client.open(url, method=method, headers=headers)
        except Exception as exc:  # noqa: BLE001  (the test app raises what would be a 500)
            failures.append(f"{method} {url}: {exc!r}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        return response

    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = {a: values.get(a, "x") for a in rule.arguments if a not in (rule.defaults or {})}
        ints = [a for a, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        for name in ints:
            args[name] = 1
        try:
            url = adapter.build(rule.endpoint, args, method=next(iter(rule.methods - {"HEAD", "OPTIONS"})))
        except Exception:  # noqa: BLE001  (a rule these values cannot fill)
            continue
        if "GET" in rule.methods:
            routes.append((rule.endpoint, url))
        for name in ints:  # ids beyond a database integer: no match, never an overflow
            for big in (MAX_ID + 1, 10**20):
                method = "GET" if "GET" in rule.methods else "POST"
                send(method, adapter.build(rule.endpoint, {**args, name: big}, method=method))
    assert len(routes) > 30

    plain, reads = {}, {}
    monkeypatch.setattr(app.request_class, "parameter_storage_class", ParametersRead)
    for endpoint, url in routes:  # first pass: every route once, so each declares what it reads
        ParametersRead.read = set()
        response = send("GET", url)
        plain[endpoint] = response.status_code if response is not None else 500
        reads[url] = bool(ParametersRead.read)
    expected = {"complaints.transparency", "complaints.queue", "complaints.all_complaints", "admin.audit",
                "complaints_api.list_complaints", "open311.request_list", "open311.update_list"}
    assert expected <= set(DECLARED), sorted(DECLARED)
    assert all(plain[e] == 200 for e in expected), {e: plain[e] for e in expected}
    assert {"from", "to", "page"} <= set(DECLARED["admin.audit"])

    for endpoint, url in routes:  # each declared parameter at and beyond its bounds
        if plain[endpoint] >= 400:
            continue
        for spec in DECLARED.get(endpoint, {}).values():
            at, beyond = _variants(spec)
            for value in at + beyond:
                response = send("GET", f"{url}{'&' if '?' in url else '?'}{spec.name}={quote(str(value))}")
                if response is not None and value in beyond and not _is_400(response):
                    failures.append(f"GET {url} {spec.name}={value}: {response.status_code}, not 400")

    names = sorted({name for specs in DECLARED.values() for name in specs} | {"from", "to", "per_page"})
    blanketed = [url for _endpoint, url in routes if reads[url]]
    assert len(blanketed) >= 15, blanketed
    for url in blanketed:  # every parameter name any route reads, hostile, to every route that reads any
        for value in BLANKET:
            query = "&".join(f"{name}={quote(value)}" for name in names)
            send("GET", f"{url}{'&' if '?' in url else '?'}{query}")
    assert answered > 500
    assert failures == [], "\n".join(failures[:40])


def test_a_webhook_timestamp_of_400_digits_is_401_not_500(client, tenant):
    response = client.post(api(tenant, "webhook/social"), data=b'{"message_id": "1", "text": "x"}',
                           content_type="application/json",
                           headers={"X-Pamong-Timestamp": "9" * 400, "X-Pamong-Signature": "sha256=00"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "bad_timestamp"
