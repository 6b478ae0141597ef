"""An officer (or token) of one tenant cannot read or change another tenant's complaints: not
through the pages, the JSON API or Open311."""
import pytest

from core.kit import db, tenant_scope
from modules.complaints import services
from modules.complaints.models import Complaint


@pytest.fixture
def two(app, make_tenant, create_user):
    ours, theirs = make_tenant(), make_tenant()
    with app.app_context(), tenant_scope(theirs):
        complaint, _ = services.file_complaint(theirs, None, services.Filing(
            category="SAMPAH", description="Rahasia kota lain", name="Warga Lain", phone="081234567899"), "portal")
        db.session.commit()
        number = complaint.number
    officer = create_user(ours, "officer", agency="DLH")
    admin = create_user(ours, "admin")
    return ours, theirs, number, officer, admin


def status_of(app, tenant, number):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(Complaint.status).where(Complaint.number == number)).scalar_one()


def test_pages(app, client, two, login):
    ours, theirs, number, officer, admin = two
    for who in (officer, admin):
        login(client, who, ours)
        # their number at our address does not exist
        assert client.get(f"/t/{ours.slug}/complaints/track/{number}").status_code == 404
        assert client.post(f"/t/{ours.slug}/complaints/manage/{number}/status",
                           data={"status": "verified"}).status_code == 404
        assert number not in client.get(f"/t/{ours.slug}/complaints/queue?status=all").get_data(as_text=True)
        # at their address our officer has no role: no queue, no actions, no personal data
        assert client.get(f"/t/{theirs.slug}/complaints/queue").status_code == 403
        assert client.post(f"/t/{theirs.slug}/complaints/manage/{number}/status",
                           data={"status": "verified"}).status_code == 403
        assert client.post(f"/t/{theirs.slug}/complaints/manage/{number}/reroute",
                           data={"agency": "PU", "reason": "x"}).status_code == 403
        assert client.get(f"/t/{theirs.slug}/complaints/export.csv").status_code == 403
        page = client.get(f"/t/{theirs.slug}/complaints/track/{number}").get_data(as_text=True)
        assert "Warga Lain" not in page and "6281234567899" not in page and "status-form" not in page
        client.post(f"/t/{ours.slug}/logout")
    assert status_of(app, theirs, number) == "submitted"


def test_json_api(app, client, two, token_for_tenant):
    ours, theirs, number, _, _ = two
    token = token_for_tenant(ours, "complaints:read", "complaints:write")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/t/{ours.slug}/api/v1/complaints/{number}", headers=headers).status_code == 404
    assert client.get(f"/t/{ours.slug}/api/v1/complaints/", headers=headers).get_json()["items"] == []
    assert client.post(f"/t/{ours.slug}/api/v1/complaints/{number}/status", json={"status": "verified"},
                       headers=headers).status_code == 404
    assert client.get(f"/t/{theirs.slug}/api/v1/complaints/{number}", headers=headers).status_code == 401
    assert client.post(f"/t/{theirs.slug}/api/v1/complaints/{number}/status", json={"status": "verified"},
                       headers=headers).status_code == 401
    assert status_of(app, theirs, number) == "submitted"


def test_open311(app, client, two, token_for_tenant):
    ours, theirs, number, _, _ = two
    key = token_for_tenant(ours, "complaints:write")
    assert client.get(f"/t/{ours.slug}/open311/v2/requests/{number}.json").status_code == 404
    assert client.get(f"/t/{ours.slug}/open311/v2/requests.json?service_request_id={number}").get_json() == []
    assert client.get(f"/t/{ours.slug}/open311/v2/requests.json").get_json() == []
    # our key is no key at their address
    response = client.post(f"/t/{theirs.slug}/open311/v2/requests.json",
                           data={"api_key": key, "service_code": "SAMPAH", "address_string": "x"})
    assert response.status_code == 403
    # their jurisdiction named at our address is refused
    assert client.get(f"/t/{ours.slug}/open311/v2/services.json?jurisdiction_id={theirs.slug}").status_code == 404
    with app.app_context(), tenant_scope(theirs):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 1
