"""Confidential (*rahasia*) and anonymous (*anonim*) complaints, SP4N-LAPOR!'s two choices, proven
for each choice (and both together) in every output: the pages, the transparency list, the CSV, the
JSON API, Open311 and the notifications. How the filer and the coordinator make the choice is at
the end."""
import csv
import io

import pytest

from core.kit import db, tenant_scope
from modules.complaints import filer_info, services, transparency, workflow
from modules.complaints.models import Complaint

from .conftest import audit_actions, outbox

CHOICES = {"public": (False, False), "anonim": (True, False), "rahasia": (False, True), "both": (True, True)}
NAME, PHONE, EMAIL = "Daeng Rani", "081234567890", "rani@example.test"
SECRETS = (NAME, "6281234567890", "0812", EMAIL)
MATRIX = pytest.mark.parametrize("choice", list(CHOICES))


def file(app, tenant, choice):
    anonymous, confidential = CHOICES[choice]
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Tumpukan sampah di pasar Terong", village="MRS-BTN", name=NAME,
            phone=PHONE, email=EMAIL, notify_by="sms", anonymous=anonymous, confidential=confidential), "portal")
        db.session.commit()
        return complaint.number, key


def signed_in(app, login, tenant, email):
    client = app.test_client()
    login(client, email, tenant)
    return client


def page(client, tenant, path):
    response = client.get(f"/t/{tenant.slug}/complaints/{path}")
    return response.status_code, response.get_data(as_text=True)


@MATRIX
def test_pages(app, client, tenant, people, login, choice):
    anonymous, confidential = CHOICES[choice]
    number, key = file(app, tenant, choice)
    status, html = page(client, tenant, f"track/{number}")  # the public
    assert status == (404 if confidential else 200)
    assert not any(s in html for s in SECRETS)
    unknown_status, unknown_html = page(client, tenant, "track/NOPE-2026-999999")
    if confidential:  # exactly like a number that does not exist
        assert unknown_status == 404 and html.replace(number, "") == unknown_html.replace("NOPE-2026-999999", "")
    officer = signed_in(app, login, tenant, people["dlh"])
    status, html = page(officer, tenant, f"track/{number}")
    assert status == 200 and number in html
    assert (NAME in html) is (not anonymous) and ("+6281234567890" in html) is (not anonymous)
    assert ('id="filer-hidden"' in html) is anonymous
    assert number in page(officer, tenant, "queue")[1]
    coordinator = signed_in(app, login, tenant, people["admin"])
    status, html = page(coordinator, tenant, f"track/{number}")
    assert status == 200 and NAME in html and EMAIL in html  # the coordinator always sees the filer
    auditor = signed_in(app, login, tenant, people["auditor"])
    status, html = page(auditor, tenant, f"track/{number}")
    assert status == 200 and (NAME in html) is (not anonymous)  # anonim: not even auditors
    citizen = signed_in(app, login, tenant, people["citizen"])
    assert page(citizen, tenant, f"track/{number}")[0] == (404 if confidential else 200)
    # the filer proves it with the number and their phone, and sees it all
    filer = app.test_client()
    proof = filer.post(f"/t/{tenant.slug}/complaints/find", data={"number": number, "contact": "0812-3456-7890"})
    assert proof.status_code == 302
    status, html = page(filer, tenant, f"track/{number}")
    assert status == 200 and NAME in html


@MATRIX
def test_transparency_list_and_figures(app, client, tenant, choice):
    confidential = CHOICES[choice][1]
    number, _ = file(app, tenant, choice)
    status, html = page(client, tenant, "transparency")
    assert status == 200 and (number in html) is (not confidential)
    assert 'id="total">1<' in html  # counted in the figures either way
    assert not any(s in html for s in SECRETS)
    with app.app_context():
        rows, _more = transparency.public_list(tenant)
    assert [r["number"] for r in rows] == ([] if confidential else [number])


@MATRIX
def test_csv(app, tenant, people, login, choice):
    confidential = CHOICES[choice][1]
    number, _ = file(app, tenant, choice)
    response = signed_in(app, login, tenant, people["admin"]).get(f"/t/{tenant.slug}/complaints/export.csv")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and not any(s in body for s in SECRETS)
    assert [r["number"] for r in csv.DictReader(io.StringIO(body))] == ([] if confidential else [number])


@MATRIX
def test_json_api(app, client, tenant, token_for_tenant, choice):
    confidential = CHOICES[choice][1]
    number, _ = file(app, tenant, choice)
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:read', 'complaints:write')}"}
    api = f"/t/{tenant.slug}/api/v1/complaints/"
    listed = client.get(api + "?status=all", headers=headers).get_json()
    assert [c["number"] for c in listed["items"]] == ([] if confidential else [number])
    one = client.get(api + number, headers=headers)
    assert one.status_code == (404 if confidential else 200)
    if confidential:
        assert one.get_json()["error"]["code"] == "not_found"
        moved = client.post(api + f"{number}/status", json={"status": "verified"}, headers=headers)
        assert moved.status_code == 404  # nor can it be moved through the API
    assert not any(s in str(listed) + one.get_data(as_text=True) for s in SECRETS)


@MATRIX
def test_open311(app, client, tenant, choice):
    confidential = CHOICES[choice][1]
    number, _ = file(app, tenant, choice)
    o311 = f"/t/{tenant.slug}/open311/v2/"
    listed = client.get(o311 + "requests.json?extensions=true").get_json()
    assert [r["service_request_id"] for r in listed] == ([] if confidential else [number])
    one = client.get(o311 + f"requests/{number}.json")
    assert one.status_code == (404 if confidential else 200)
    xml = client.get(o311 + "requests.xml").get_data(as_text=True)
    assert (number in xml) is (not confidential)
    with app.app_context():
        token = services.get_by_number(tenant, number).token
    assert client.get(o311 + f"tokens/{token}.json").status_code == (404 if confidential else 200)
    assert not any(s in str(listed) + one.get_data(as_text=True) + xml for s in SECRETS)


@MATRIX
def test_notifications(app, client, tenant, people, login, user_of, choice):
    anonymous, confidential = CHOICES[choice]
    number, key = file(app, tenant, choice)
    follower = people["citizen"]
    followed = signed_in(app, login, tenant, follower).post(f"/t/{tenant.slug}/complaints/track/{number}/follow")
    assert followed.status_code == (404 if confidential else 302)
    officer = signed_in(app, login, tenant, people["dlh"])
    for status, note in (("verified", ""), ("assigned", ""), ("in_progress", "Tim dikirim")):
        assert officer.post(f"/t/{tenant.slug}/complaints/manage/{number}/status",
                            data={"status": status, "note": note}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        filer_info.add_info(tenant, None, complaint, "Sekarang sudah sampai ke jalan", access_key=key)
        workflow.transition(tenant, user_of(people["dlh"]), complaint, "resolved", note="Sudah diangkut")
        db.session.commit()
        messages = outbox(tenant, f"complaints:{number}")
    assert messages and all(number in body for _c, _to, body in messages)  # the number, on every one
    assert not any(s in body for _c, _to, body in messages for s in SECRETS)  # the filer, on none
    recipients = {to for _c, to, _b in messages}
    assert "+6281234567890" in recipients  # the filer is told on the contact they gave
    assert people["dlh"] in recipients  # the assigned officer: the filer added something
    assert (follower in recipients) is (not confidential)
    with app.app_context(), tenant_scope(tenant):
        assert len(services.get_by_number(tenant, number).events) == 6


# -- making the choice ----------------------------------------------------------------------------

FORM = {"category": "SAMPAH", "description": "Sampah menumpuk di depan pasar", "name": NAME, "phone": PHONE,
        "notify_by": "", "file_anyway": "1"}


def test_the_filer_chooses_on_the_portal_and_through_the_api(app, client, tenant, token_for_tenant):
    response = client.post(f"/t/{tenant.slug}/complaints/new", data={**FORM, "anonymous": "y", "confidential": "y"})
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[1]
    filed = client.get(response.headers["Location"])
    assert filed.status_code == 200 and number in filed.get_data(as_text=True)  # shown to the filer once
    # the session that filed it keeps reaching it (issue 20.3); anyone else: 404 (rahasia)
    assert client.get(f"/t/{tenant.slug}/complaints/track/{number}").status_code == 200
    assert app.test_client().get(response.headers["Location"]).status_code == 404
    assert app.test_client().get(f"/t/{tenant.slug}/complaints/track/{number}").status_code == 404
    token = token_for_tenant(tenant, "complaints:write")
    created = client.post(f"/t/{tenant.slug}/api/v1/complaints/", headers={"Authorization": f"Bearer {token}"},
                          json={"category": "SAMPAH", "description": "Sampah di selokan", "anonymous": True})
    assert created.status_code == 201 and created.get_json()["anonymous"] is True
    bad = client.post(f"/t/{tenant.slug}/api/v1/complaints/", headers={"Authorization": f"Bearer {token}"},
                      json={"category": "SAMPAH", "description": "Sampah di selokan", "confidential": "yes"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_field"
    with app.app_context(), tenant_scope(tenant):
        flags = db.session.execute(db.select(Complaint.number, Complaint.anonymous, Complaint.confidential)
                                   .order_by(Complaint.id)).all()
    assert [tuple(f[1:]) for f in flags] == [(True, True), (True, False)]


def test_the_coordinator_sets_it_at_verification_and_only_ever_raises_it(app, tenant, people, login, audit_entries,
                                                                           user_of):
    number, _ = file(app, tenant, "public")
    follower = signed_in(app, login, tenant, people["citizen"])
    assert follower.post(f"/t/{tenant.slug}/complaints/track/{number}/follow").status_code == 302
    officer = signed_in(app, login, tenant, people["dlh"])
    assert 'id="privacy-at-verification"' not in page(officer, tenant, f"track/{number}")[1]  # officers: no
    forbidden = officer.post(f"/t/{tenant.slug}/complaints/manage/{number}/status",
                             data={"status": "verified", "confidential": "y"})
    assert forbidden.status_code == 403
    coordinator = signed_in(app, login, tenant, people["admin"])
    assert 'id="privacy-at-verification"' in page(coordinator, tenant, f"track/{number}")[1]
    with app.app_context(), tenant_scope(tenant):
        assert services.get_by_number(tenant, number).status == "submitted"  # the refused step left nothing
    done = coordinator.post(f"/t/{tenant.slug}/complaints/manage/{number}/status",
                            data={"status": "verified", "confidential": "y"})
    assert done.status_code == 302
    assert page(follower, tenant, f"track/{number}")[0] == 404  # now rahasia: its followers are dropped
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        assert (complaint.anonymous, complaint.confidential, complaint.status) == (False, True, "verified")
        from modules.complaints.privacy import set_privacy

        assert set_privacy(tenant, user_of(people["admin"]), complaint,
                           anonymous=False, confidential=False) is False  # never lowered
        db.session.commit()
        assert audit_actions(tenant, number)[-2:] == ["complaints.verified", "complaints.privacy"]
    (entry,) = audit_entries(tenant, "complaints.privacy")
    assert entry["summary"]["after"] == {"anonymous": False, "confidential": True, "followers_dropped": 1}
