"""Open311 GeoReport v2 at /open311/v2/: discovery, services, definitions, requests, tokens, errors,
in XML and JSON, by path prefix and on the tenant's own host."""
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree as ET

import pytest

from core.kit import db, tenant_scope
from modules.complaints import services, workflow

W3C = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"


def o311(tenant, path):
    return f"/t/{tenant.slug}/open311/v2/{path}"


def xml(response):
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    body = response.get_data()
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)


def post(client, tenant, fmt="json", **data):
    return client.post(o311(tenant, f"requests.{fmt}"), data=data)


def error_of(response):
    """The first error of the spec's list (a refused filing lists every problem of it)."""
    if response.headers["Content-Type"].startswith("application/json"):
        error = response.get_json()[0]
        return error["code"], error["description"]
    root = xml(response)
    assert root.tag == "errors"
    return int(root.find("error/code").text), root.find("error/description").text


@pytest.fixture
def key(tenant, token_for_tenant):
    return token_for_tenant(tenant, "complaints:write")


def test_discovery_in_both_formats(client, tenant):
    data = client.get(o311(tenant, "discovery.json")).get_json()
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith(f"/t/{tenant.slug}/open311/v2/") and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(o311(tenant, "discovery.xml")))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_and_definitions(client, tenant):
    services_json = client.get(o311(tenant, "services.json")).get_json()
    assert [s["service_code"] for s in services_json] == ["SAMPAH", "JALAN"]
    sampah, jalan = services_json
    assert sampah["metadata"] is False and jalan["metadata"] is True and sampah["type"] == "realtime"
    assert sampah["keywords"] == "trash" and sampah["group"] == "Kebersihan"
    root = xml(client.get(o311(tenant, "services.xml")))
    assert [s.find("service_code").text for s in root.findall("service")] == ["SAMPAH", "JALAN"]
    assert root.find("service/metadata").text == "false"
    definition = client.get(o311(tenant, "services/JALAN.json")).get_json()
    (attribute,) = definition["attributes"]
    assert attribute["code"] == "SIZE" and attribute["order"] == 1 and attribute["required"] is True
    assert attribute["values"] == [{"key": "S", "name": "Small"}, {"key": "L", "name": "Large"}]
    droot = xml(client.get(o311(tenant, "services/JALAN.xml")))
    assert droot.tag == "service_definition" and droot.find("attributes/attribute/values/value/key").text == "S"
    missing = client.get(o311(tenant, "services/NOPE.xml"))
    assert missing.status_code == 404 and error_of(missing)[0] == 404


def test_post_a_request_and_read_it_back(client, tenant, key):
    response = post(client, tenant, api_key=key, service_code="JALAN", lat="-5.1477", long="119.4327",
                    description="Lubang besar 🕳️ di Jl. Veteran", first_name="Rani", last_name="Daeng",
                    phone="081234567890", **{"attribute[SIZE]": "L"})
    assert response.status_code == 200, response.get_data(as_text=True)
    ((created),) = response.get_json()
    number = created["service_request_id"]
    assert isinstance(number, str) and "token" not in created
    (request,) = client.get(o311(tenant, f"requests/{number}.json")).get_json()
    assert request["status"] == "open" and request["service_code"] == "JALAN"
    assert request["agency_responsible"] == "Dinas Pekerjaan Umum" and request["lat"] == -5.1477
    assert request["description"] == "Lubang besar 🕳️ di Jl. Veteran"
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert request[field] and __import__("re").match(W3C, request[field]), request[field]
    assert request["requested_datetime"].endswith("+08:00")  # the tenant's WITA offset
    assert request["zipcode"] is None and request["media_url"] is None
    assert "Rani" not in str(request) and "0812" not in str(request)
    root = xml(client.get(o311(tenant, f"requests/{number}.xml")))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == number
    assert root.find("request/zipcode").text is None  # absent: an empty element
    xml_post = post(client, tenant, fmt="xml", api_key=key, service_code="SAMPAH", address_string="Pasar Terong")
    assert xml(xml_post).find("request/service_request_id").text.endswith("-000002")


@pytest.mark.parametrize("data, status", [
    ({"service_code": "SAMPAH", "lat": "1", "long": "1"}, 403),  # no api_key
    ({"api_key": "wrong", "service_code": "SAMPAH", "lat": "1", "long": "1"}, 403),
    ({"api_key": "KEY", "lat": "1", "long": "1"}, 400),  # no service_code
    ({"api_key": "KEY", "service_code": "NOPE", "lat": "1", "long": "1"}, 404),
    ({"api_key": "KEY", "service_code": "SAMPAH"}, 400),  # no location
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "1"}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "91", "long": "1"}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "address_id": "NOPE"}, 400),
    ({"api_key": "KEY", "service_code": "JALAN", "lat": "1", "long": "1"}, 400),  # required attribute
    ({"api_key": "KEY", "service_code": "JALAN", "lat": "1", "long": "1", "attribute[SIZE]": "XL"}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "1", "long": "1", "attribute[COLOR]": "red"}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "1", "long": "1", "description": "<b>x</b> sampah"}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "1", "long": "1", "description": "x" * 4001}, 400),
    ({"api_key": "KEY", "service_code": "SAMPAH", "lat": "1", "long": "1", "jurisdiction_id": "elsewhere"}, 404),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(app, client, tenant, key, data, status, fmt):
    data = {k: (key if v == "KEY" else v) for k, v in data.items()}
    response = post(client, tenant, fmt=fmt, **data)
    assert response.status_code == status, response.get_data(as_text=True)
    code, description = error_of(response)
    assert code == status and description
    with app.app_context(), tenant_scope(tenant):
        from modules.complaints.models import Complaint

        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 0


def test_an_empty_jurisdiction_is_as_if_omitted(client, tenant, key):
    response = post(client, tenant, api_key=key, service_code="SAMPAH", address_id="MRS-BTN", jurisdiction_id="")
    assert response.status_code == 200
    assert client.get(o311(tenant, f"services.json?jurisdiction_id={tenant.slug}")).status_code == 200


def _file(tenant, when, category="SAMPAH", close=False):
    complaint, _ = services.file_complaint(tenant, None, services.Filing(
        category=category, description="Sampah berserakan", notify_by="none"), "portal", now=when)
    if close:
        workflow.transition(tenant, "system", complaint, "rejected", note="Duplikat", now=when + timedelta(hours=1))
    db.session.commit()
    return complaint.number


def test_listing_requests_with_the_spec_filters(app, client, tenant):
    now = datetime.now(timezone.utc)
    with app.app_context(), tenant_scope(tenant):
        recent = _file(tenant, now - timedelta(days=1))
        closed = _file(tenant, now - timedelta(days=2), close=True)
        old = _file(tenant, now - timedelta(days=120))
        road = _file(tenant, now - timedelta(days=3), category="JALAN")

    def ids(query):
        response = client.get(o311(tenant, f"requests.json{query}"))
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["service_request_id"] for r in response.get_json()]

    assert ids("") == [recent, closed, road]  # the default window: the last 90 days
    assert ids("?status=closed") == [closed] and ids("?status=open") == [recent, road]
    assert ids("?service_code=JALAN") == [road]
    assert ids("?service_code=JALAN,SAMPAH&status=open,closed") == [recent, closed, road]
    assert ids(f"?service_request_id={old},{road}&status=closed") == [road, old]  # overrides the rest
    start = (now - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%S.123456Z")
    end = (now - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert ids(f"?start_date={start}&end_date={end}") == [old]
    wita = (now - timedelta(days=2, hours=12)).astimezone(timezone(timedelta(hours=8))).isoformat(timespec="seconds")
    assert ids(f"?start_date={wita}") == [recent, closed]  # "+08:00" arrives as " 08:00": still read
    assert ids("?page_size=2") == [recent, closed] and ids("?page_size=2&page=2") == [road]
    after = (now - timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"?updated_after={after}") == [recent]  # Chicago's extension: by last change
    (one,) = client.get(o311(tenant, f"requests.json?service_request_id={closed}&extensions=true")).get_json()
    assert one["status"] == "closed" and "Duplikat" in one["status_notes"]
    assert one["extended_attributes"]["detailed_status"] == "REJECTED"
    assert [n["type"] for n in one["notes"]] == ["filed", "status"]
    root = xml(client.get(o311(tenant, "requests.xml?status=closed")))
    assert [r.find("status").text for r in root.findall("request")] == ["closed"]


@pytest.mark.parametrize("query", [
    "?start_date=yesterday", "?start_date=2026-13-01T00:00:00Z", "?end_date=2026-01-01T10:00:00",
    "?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # more than 90 days
    "?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    "?page_size=0", "?page_size=1001", "?page_size=ten", "?page=0",
    "?status=pending", "?service_code=NOPE", "?updated_after=soon",
])
def test_bad_list_parameters_are_400_in_the_spec_format(client, tenant, query):
    for fmt in ("json", "xml"):
        response = client.get(o311(tenant, f"requests.{fmt}{query}"))
        assert response.status_code == 400, (query, response.get_data(as_text=True))
        assert error_of(response)[0] == 400


def test_unknown_things_are_404_or_400(client, tenant):
    assert error_of(client.get(o311(tenant, "requests/NOPE-1.json"))) [0] == 404
    assert error_of(client.get(o311(tenant, "tokens/nope.xml")))[0] == 404
    assert error_of(client.get(o311(tenant, "nothing/here.json")))[0] == 404
    response = client.get(o311(tenant, "services.csv"))
    assert response.status_code == 400 and error_of(response)[0] == 400


def test_tokens_resolve_to_request_ids(app, client, tenant):
    with app.app_context(), tenant_scope(tenant):
        number = _file(tenant, datetime.now(timezone.utc))
        from modules.complaints.services import get_by_number

        token = get_by_number(tenant, number).token
    (answer,) = client.get(o311(tenant, f"tokens/{token}.json")).get_json()
    assert answer == {"service_request_id": number, "token": token}


def test_served_on_the_tenants_own_host(client, tenant):
    response = client.get("/open311/v2/services.json", headers={"Host": tenant.domains[0].host})
    assert response.status_code == 200 and response.get_json()[0]["service_code"] == "SAMPAH"


def test_posting_is_rate_limited_in_the_spec_format(app, client, tenant, key, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_COMPLAINTS_RATE", "2 per minute")
    codes = [post(client, tenant, api_key=key, service_code="SAMPAH", address_string="Pasar").status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    assert error_of(post(client, tenant, api_key=key, service_code="SAMPAH", address_string="Pasar"))[0] == 429
