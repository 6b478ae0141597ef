"""Numbers citizens quote: the tracking number is on every page and every message about a
complaint; officers search by it (whole or in part) or by the filer's phone or e-mail; the filer
finds their complaint with its number and their contact, or has lost numbers sent to them."""
import re
from datetime import timedelta

from core.kit import db, tenant_scope, utcnow
from modules.complaints import services, sla, workflow

from .conftest import outbox


def file(app, tenant, **kw):
    with app.app_context(), tenant_scope(tenant):
        values = {"category": "SAMPAH", "description": "Sampah menumpuk di pasar", "phone": "081234567890",
                  "email": "rani@example.test", **kw}
        complaint, key = services.file_complaint(tenant, None, services.Filing(**values), "portal")
        db.session.commit()
        return complaint.number, key


def signed_in(app, login, tenant, email):
    client = app.test_client()
    login(client, email, tenant)
    return client


def test_the_number_is_on_every_page_and_every_message(app, client, tenant, people, login):
    response = client.post(f"/t/{tenant.slug}/complaints/new", data={
        "category": "SAMPAH", "description": "Sampah menumpuk di pasar", "phone": "081234567890", "file_anyway": "1"})
    number = response.headers["Location"].rsplit("/", 1)[1]
    officer = signed_in(app, login, tenant, people["dlh"])
    pages = [client.get(response.headers["Location"]), client.get(f"/t/{tenant.slug}/complaints/track/{number}"),
             client.get(f"/t/{tenant.slug}/complaints/transparency"), officer.get(f"/t/{tenant.slug}/complaints/queue")]
    assert all(number in p.get_data(as_text=True) for p in pages)
    officer.post(f"/t/{tenant.slug}/complaints/manage/{number}/status", data={"status": "verified"})
    officer.post(f"/t/{tenant.slug}/complaints/manage/{number}/reroute", data={"agency": "PU", "reason": "saluran"})
    with app.app_context(), tenant_scope(tenant):
        sla.escalate_overdue(tenant, utcnow() + timedelta(days=400))
        complaint = services.get_by_number(tenant, number)
        workflow.transition(tenant, "system", complaint, "rejected", note="Bukan pengaduan")
        db.session.commit()
        messages = outbox(tenant, f"complaints:{number}")
    assert len(messages) >= 5  # filed, verified, forwarded, escalated, rejected
    assert all(number in body for _c, _to, body in messages)


def test_officers_search_by_number_or_by_the_filers_contact(app, tenant, people, login):
    first, _ = file(app, tenant)
    second, _ = file(app, tenant, phone="081299990000", email="", anonymous=True)
    road, _ = file(app, tenant, category="JALAN", attributes={"SIZE": "L"})
    officer = signed_in(app, login, tenant, people["dlh"])

    def found(client, q):
        html = client.get(f"/t/{tenant.slug}/complaints/queue", query_string={"q": q}).get_data(as_text=True)
        table = html.split('id="queue"', 1)[1] if 'id="queue"' in html else ""  # not the search box's echo
        return [n for n in (first, second, road) if n in table]

    assert found(officer, first) == [first] and found(officer, first.lower()) == [first]
    seq = int(second.rsplit("-", 1)[1])
    assert found(officer, str(seq)) == [second] and found(officer, f"{second.split('-')[1]}-{seq}") == [second]
    assert found(officer, "0812-3456-7890") == [first]  # any spelling of the phone
    assert found(officer, " rani@EXAMPLE.test ") == [first]
    assert found(officer, "081299990000") == []  # anonim: the phone must not tell an officer who filed it
    assert found(officer, road) == []  # another agency's complaint is not in this officer's queue
    coordinator = signed_in(app, login, tenant, people["admin"])
    assert found(coordinator, "+62 812 9999 0000") == [second] and found(coordinator, road) == [road]
    assert found(coordinator, "no such thing") == []


def test_the_filer_finds_their_complaint_with_the_number_and_their_contact(app, client, tenant):
    number, key = file(app, tenant, name="Daeng Rani", confidential=True)
    base = f"/t/{tenant.slug}/complaints"
    assert client.get(f"{base}/track/{number}").status_code == 404
    wrong = client.post(f"{base}/find", data={"number": number, "contact": "081200000000"})
    unknown = client.post(f"{base}/find", data={"number": "NOPE-2026-000009", "contact": "081234567890"})
    assert wrong.status_code == unknown.status_code == 400
    strip = lambda r, n: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True).replace(n, ""))  # noqa: E731
    assert strip(wrong, number) == strip(unknown, "NOPE-2026-000009")  # the same answer: nothing disclosed
    assert client.post(f"{base}/find", data={"number": number.lower(), "contact": "+62 812-3456-7890"}).status_code == 302
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)
    assert "Daeng Rani" in page and 'id="info-form"' in page and 'name="info-access_key"' not in page
    other = client.application.test_client()
    assert other.post(f"{base}/find", data={"number": number, "contact": key.lower()}).status_code == 302
    assert other.get(f"{base}/track/{number}").status_code == 200


def test_lost_numbers_are_sent_to_the_contact_and_the_page_tells_nobody_else(app, client, tenant):
    numbers = [file(app, tenant)[0], file(app, tenant)[0]]
    base = f"/t/{tenant.slug}/complaints"
    known = client.post(f"{base}/find/numbers", data={"recover-contact": "0812 3456 7890"})
    stranger = client.post(f"{base}/find/numbers", data={"recover-contact": "081200000000"})
    assert known.status_code == stranger.status_code == 302
    assert client.get(known.headers["Location"]).status_code == 200
    with app.app_context():
        sent = outbox(tenant, "complaints:lookup")
    assert len(sent) == 1 and sent[0][1] == "+6281234567890" and all(n in sent[0][2] for n in numbers)
    bad = client.post(f"{base}/find/numbers", data={"recover-contact": "not a contact"})
    assert bad.status_code == 400 and 'id="recover-contact-err"' in bad.get_data(as_text=True)
