"""Open311 as real clients use it: the deployment-wide endpoint with jurisdiction_id, paging and
the radius search, extensions=true in JSON and XML, empty parameters as absent, confidential
complaints left out, and FixMyStreet's servicerequestupdates both ways."""
from datetime import datetime, timedelta, timezone

import pytest

from core.kit import db, tenant_scope
from modules.complaints import deadlines, services, workflow
from modules.complaints.models import Complaint

from .conftest import audit_actions, image_bytes
from .test_open311 import error_of, o311, xml

PASAR = (-5.1477, 119.4327)
NOW = datetime.now(timezone.utc)


@pytest.fixture
def key(tenant, token_for_tenant):
    return token_for_tenant(tenant, "complaints:write")


def file(tenant, metres_north=0.0, when=None, photo=False, confidential=False):
    with tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah berserakan, hubungi 081234567890",
            latitude=PASAR[0] + metres_north / 111_195.0, longitude=PASAR[1], notify_by="none",
            photos=[image_bytes()] if photo else []), "portal", now=when or NOW - timedelta(hours=1))
        complaint.confidential = confidential
        db.session.commit()
        return complaint.number


def count(app, tenant, model=Complaint):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


# -- the deployment-wide endpoint ----------------------------------------------------------------

def test_the_deployment_wide_endpoint_takes_the_jurisdiction_from_the_request(app, client, tenant, key):
    services_json = client.get(f"/open311/v2/services.json?jurisdiction_id={tenant.slug}")
    assert services_json.status_code == 200 and services_json.get_json()[0]["service_code"] == "SAMPAH"
    by_domain = client.get(f"/open311/v2/services.xml?jurisdiction_id={tenant.domains[0].host}")
    assert xml(by_domain).find("service/service_code").text == "SAMPAH"
    discovery = client.get(f"/open311/v2/discovery.json?jurisdiction_id={tenant.slug}").get_json()
    assert discovery["endpoints"][0]["url"] == "http://localhost/open311/v2/"
    created = client.post("/open311/v2/requests.json", data={
        "jurisdiction_id": tenant.slug, "api_key": key, "service_code": "SAMPAH", "address_string": "Pasar Terong"})
    assert created.status_code == 200, created.get_data(as_text=True)
    number = created.get_json()[0]["service_request_id"]
    (one,) = client.get(f"/open311/v2/requests/{number}.json?jurisdiction_id={tenant.slug}").get_json()
    assert one["service_request_id"] == number and count(app, tenant) == 1
    root = client.get(f"/open311/v2/?jurisdiction_id={tenant.slug}")
    assert root.status_code == 302 and f"jurisdiction_id={tenant.slug}" in root.headers["Location"]


@pytest.mark.parametrize("query, status", [
    ("", 400), ("?jurisdiction_id=", 400), ("?jurisdiction_id=nowhere", 404), ("?jurisdiction_id=NOMODULE", 404),
])
def test_the_deployment_wide_endpoint_needs_a_served_jurisdiction(client, create_tenant, query, status):
    plain = create_tenant()  # a tenant without the complaints module
    query = query.replace("NOMODULE", plain.slug)
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/services.{fmt}{query}")
        assert response.status_code == status and error_of(response)[0] == status


def test_a_tenants_own_address_never_serves_another_jurisdiction(app, client, tenant, make_tenant, key):
    other = make_tenant()
    response = client.get(o311(tenant, f"services.json?jurisdiction_id={other.slug}"))
    assert response.status_code == 404
    posted = client.post(o311(other, "requests.json"), data={"api_key": key, "service_code": "SAMPAH",
                                                             "address_string": "Pasar"})
    assert posted.status_code == 403 and count(app, other) == 0  # the key is this tenant's, not the other's
    assert client.get("/complaints/").status_code == 404  # other module pages still need a tenant


# -- listing: empty parameters, paging, the radius, confidentiality --------------------------------

def test_empty_optional_parameters_count_as_absent(app, client, tenant):
    with app.app_context():
        numbers = [file(tenant), file(tenant)]
    plain = client.get(o311(tenant, "requests.json")).get_json()
    empty = client.get(o311(tenant, "requests.json?jurisdiction_id=&service_request_id=&service_code=&status=&"
                                    "start_date=&end_date=&updated_after=&page=&page_size=&extensions=&"
                                    "lat=&long=&radius=")).get_json()
    assert empty == plain and sorted(r["service_request_id"] for r in plain) == sorted(numbers)


def test_the_radius_search_and_pages(app, client, tenant):
    with app.app_context():
        far, near, nearest = file(tenant, 900), file(tenant, 120), file(tenant, 15)
        secret = file(tenant, 5, confidential=True)

    def ids(query):
        response = client.get(o311(tenant, f"requests.json{query}"))
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["service_request_id"] for r in response.get_json()]

    point = f"lat={PASAR[0]}&long={PASAR[1]}"
    assert ids(f"?{point}&radius=200") == [nearest, near]  # nearest first; never the rahasia one
    assert ids(f"?{point}") == [nearest, near]  # 500 m by default
    assert ids(f"?{point}&radius=1000&page_size=2&page=2") == [far]
    assert secret not in ids("") and len(ids("?page_size=1")) == 1
    assert client.get(o311(tenant, f"requests/{secret}.json")).status_code == 404


@pytest.mark.parametrize("query", [
    f"?lat={PASAR[0]}&long={PASAR[1]}&radius=0", f"?lat={PASAR[0]}&long={PASAR[1]}&radius=5001",
    f"?lat={PASAR[0]}&long={PASAR[1]}&radius=near", f"?lat={PASAR[0]}&radius=100", "?radius=100",
    "?lat=95&long=10", "?page_size=1001", "?page=-1",
])
def test_a_radius_or_page_size_out_of_range_is_400_in_both_formats(client, tenant, query):
    for fmt in ("json", "xml"):
        response = client.get(o311(tenant, f"requests.{fmt}{query}"))
        assert response.status_code == 400 and error_of(response)[0] == 400, (query, response.get_data(as_text=True))


def test_extensions_in_json_and_xml(app, client, tenant):
    with app.app_context():
        number = file(tenant, photo=True)
        with tenant_scope(tenant):
            complaint = services.get_by_number(tenant, number)
            workflow.transition(tenant, "system", complaint, "verified", now=NOW)
            db.session.commit()
    (plain,) = client.get(o311(tenant, f"requests/{number}.json")).get_json()
    assert "notes" not in plain and "extended_attributes" not in plain
    (rich,) = client.get(o311(tenant, f"requests/{number}.json?extensions=true")).get_json()
    extended = rich["extended_attributes"]
    assert extended["channel"] == "portal" and extended["status_code"] == "INVESTIGATING"
    assert extended["expected_followup_datetime"].endswith("+08:00")
    (photo,) = extended["photos"]
    assert photo["media_url"] is None and photo["width"] == 64  # told that it exists, not published
    assert [n["type"] for n in rich["notes"]] == ["filed", "status"]
    assert "081234567890" not in str(rich)
    root = xml(client.get(o311(tenant, f"requests/{number}.xml?extensions=true")))
    request = root.find("request")
    assert request.find("extended_attributes/channel").text == "portal"
    assert request.find("extended_attributes/photos/photo/width").text == "64"
    assert request.find("extended_attributes/duplicate_of").text is None  # absent: an empty element
    assert [n.find("type").text for n in request.findall("notes/note")] == ["filed", "status"]


# -- servicerequestupdates, both ways --------------------------------------------------------------

def _update(client, tenant, key, fmt="json", **data):
    values = {"api_key": key, "update_id": "fms-1", "updated_datetime": "2026-03-02T10:00:00+08:00",
              "status": "OPEN", "description": "Warga: masih ada sampah", **data}
    return client.post(o311(tenant, f"servicerequestupdates.{fmt}"), data={k: v for k, v in values.items() if v is not None})


def test_updates_go_out_with_extended_status_codes(app, client, tenant):
    with app.app_context():
        number = file(tenant)
        with tenant_scope(tenant):
            complaint = services.get_by_number(tenant, number)
            workflow.transition(tenant, "system", complaint, "verified", now=NOW - timedelta(minutes=30))
            workflow.reroute(tenant, "system", complaint, "PU", "Saluran tersumbat", now=NOW - timedelta(minutes=20))
            workflow.transition(tenant, "system", complaint, "closed", note="Sudah dilaporkan", outcome="duplicate",
                                now=NOW - timedelta(minutes=10))
            db.session.commit()
        secret = file(tenant, confidential=True)
        with tenant_scope(tenant):
            workflow.transition(tenant, "system", services.get_by_number(tenant, secret), "verified", now=NOW)
            db.session.commit()
    window = f"start_date={(NOW - timedelta(hours=2)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
    updates = client.get(o311(tenant, f"servicerequestupdates.json?{window}")).get_json()
    assert [(u["service_request_id"], u["status"]) for u in updates] == [
        (number, "INVESTIGATING"), (number, "INTERNAL_REFERRAL"), (number, "DUPLICATE")]
    assert all(isinstance(u["update_id"], str) and u["updated_datetime"].endswith("+08:00") for u in updates)
    assert updates[2]["external_status_code"] == "closed" and updates[2]["description"] == "Sudah dilaporkan"
    root = xml(client.get(o311(tenant, f"servicerequestupdates.xml?{window}&page_size=1&page=2")))
    assert root.tag == "service_request_updates"
    assert [u.find("status").text for u in root.findall("request_update")] == ["INTERNAL_REFERRAL"]
    later = (NOW + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(o311(tenant, f"servicerequestupdates.json?start_date={later}")).get_json() == []


def test_updates_come_in_and_move_the_complaint_where_the_workflow_allows(app, client, tenant, key):
    with app.app_context():
        number = file(tenant)
        with tenant_scope(tenant):  # the officers ask; the citizen answers through the client
            deadlines.wait_on_citizen(tenant, "system", services.get_by_number(tenant, number), "Di RT berapa?")
            db.session.commit()
    note = _update(client, tenant, key, service_request_id=number)  # OPEN on an open complaint: a note
    assert note.status_code == 200, note.get_data(as_text=True)
    (answer,) = note.get_json()
    updates = client.get(o311(tenant, "servicerequestupdates.json")).get_json()
    assert [(u["status"], u["description"]) for u in updates] == [("OPEN", "Di RT berapa?"),
                                                                  ("OPEN", "Warga: masih ada sampah")]
    assert updates[1]["update_id"] == answer["update_id"]  # what came in goes back out, with our id
    with app.app_context(), tenant_scope(tenant):
        assert services.get_by_number(tenant, number).paused_at is None  # answered: the clock runs
    root = xml(_update(client, tenant, key, fmt="xml", service_request_id=number, update_id="fms-2",
                       status="investigating", description="Petugas memeriksa"))
    assert root.tag == "service_request_updates" and root.find("request_update/update_id").text
    for update_id, status in [("fms-3", "ACTION_SCHEDULED"), ("fms-4", "IN_PROGRESS"), ("fms-5", "FIXED")]:
        assert _update(client, tenant, key, service_request_id=number, update_id=update_id, status=status).status_code == 200
    assert _update(client, tenant, key, service_request_id=number, update_id="fms-6", status="REOPEN").status_code == 200
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        assert complaint.status == "in_progress" and complaint.reopen_count == 1
        assert [e.kind for e in complaint.events] == ["filed", "asked", "update", "status", "status", "status",
                                                      "status", "reopened"]
        assert audit_actions(tenant, number).count("complaints.open311_update") == 6


@pytest.mark.parametrize("change, status", [
    ({"update_id": "fms-1"}, 400),  # already received
    ({"status": "FIXED"}, 400),  # a submitted complaint cannot be fixed in one step
    ({"status": "PENDING"}, 400), ({"description": ""}, 400), ({"update_id": ""}, 400),
    ({"updated_datetime": "yesterday"}, 400), ({"updated_datetime": None}, 400),
    ({"service_request_id": "NOPE-2026-000001"}, 404), ({"service_request_id": "OTHER"}, 404),
    ({"api_key": "wrong"}, 403), ({"jurisdiction_id": "elsewhere"}, 404),
    ({"description": "<b>keras</b>"}, 400),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_updates_are_refused_in_the_spec_format_and_nothing_is_saved(app, client, tenant, make_tenant, key,
                                                                         change, status, fmt):
    from modules.complaints.open311.updates import UpdateReceipt

    other = make_tenant()
    with app.app_context():
        number, elsewhere = file(tenant), file(other)
    assert _update(client, tenant, key, service_request_id=number).status_code == 200  # fms-1
    with app.app_context():
        before = (count(app, tenant, UpdateReceipt), audit_actions(tenant, number), audit_actions(other, elsewhere))
    change = {k: ({"OTHER": elsewhere}.get(v, v)) for k, v in change.items()}
    data = {"service_request_id": number, "update_id": "fms-2", **change}
    response = _update(client, tenant, key, fmt=fmt, **data)
    assert response.status_code == status, response.get_data(as_text=True)
    assert error_of(response)[0] == status and error_of(response)[1]
    with app.app_context():
        assert (count(app, tenant, UpdateReceipt), audit_actions(tenant, number), audit_actions(other, elsewhere)) == before
        assert count(app, other, UpdateReceipt) == 0
