"""Follow and talk back: anyone signed in follows a public complaint and is told of its changes; the
filer adds information or photos while it is open (unread in the officer's queue); a resolved
complaint asks the filer to confirm or reopen, and a reopen after the window is refused in each
channel's own format with nothing saved."""
import base64
import io
import re
from datetime import timedelta

from core.kit import db, tenant_scope, utcnow
from modules.complaints import services, workflow
from modules.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto

from .conftest import audit_actions, image_bytes, outbox


def file(app, tenant, filer=None, **kw):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, filer, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890", **kw), "portal",
            filer=filer)
        db.session.commit()
        return complaint.number, key


def move(app, tenant, number, *statuses, actor="system", now=None, note="ok"):
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        for status in statuses:
            workflow.transition(tenant, actor, complaint, status, note=note, now=now)
        db.session.commit()


def client_of(app, login, tenant, email):
    client = app.test_client()
    login(client, email, tenant)
    return client


def state(app, tenant, number):
    """What a refused step must leave as it was."""
    from core.audit import AuditEntry

    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        count = lambda model, column: db.session.execute(  # noqa: E731
            db.select(db.func.count()).select_from(model).where(column == c.id)).scalar()
        audits = db.session.execute(db.select(db.func.count()).select_from(AuditEntry)
                                    .where(AuditEntry.object_id == number)).scalar()
        return (c.status, c.unread_updates, count(ComplaintEvent, ComplaintEvent.complaint_id),
                count(ComplaintPhoto, ComplaintPhoto.complaint_id), audits, len(outbox(tenant)))


def test_signed_in_people_follow_and_are_told_of_changes(app, client, tenant, people, login, create_user):
    number, _ = file(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    assert client.post(f"{base}/track/{number}/follow").status_code == 302  # to the sign-in page
    neighbour = create_user(tenant, "citizen")
    follower = client_of(app, login, tenant, neighbour)
    assert 'id="follow-form"' in follower.get(f"{base}/track/{number}").get_data(as_text=True)
    assert follower.post(f"{base}/track/{number}/follow").status_code == 302
    assert follower.post(f"{base}/track/{number}/follow").status_code == 302  # twice: still one
    assert number in follower.get(f"{base}/mine").get_data(as_text=True)
    officer = client_of(app, login, tenant, people["dlh"])
    assert officer.post(f"{base}/track/{number}/follow").status_code == 302  # officers may follow too
    officer.post(f"{base}/manage/{number}/status", data={"status": "verified"})
    officer.post(f"{base}/manage/{number}/reroute", data={"agency": "PU", "reason": "Saluran, bukan sampah"})
    with app.app_context():
        to_neighbour = [b for _c, to, b in outbox(tenant, f"complaints:{number}") if to == neighbour]
        to_officer = [b for _c, to, b in outbox(tenant, f"complaints:{number}") if to == people["dlh"]]
    assert len(to_neighbour) == 2 and all(number in b for b in to_neighbour)
    assert to_officer == []  # not told of their own change
    assert follower.post(f"{base}/track/{number}/unfollow").status_code == 302
    move(app, tenant, number, "assigned")
    with app.app_context():
        assert len([1 for _c, to, _b in outbox(tenant, f"complaints:{number}") if to == neighbour]) == 2


def test_the_filer_adds_information_and_it_reaches_the_officers_queue_unread(app, tenant, people, login, user_of):
    number, key = file(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    officer = client_of(app, login, tenant, people["dlh"])
    officer.post(f"{base}/manage/{number}/status", data={"status": "verified"})
    officer.post(f"{base}/manage/{number}/status", data={"status": "assigned"})  # the officer takes it on
    filer = app.test_client()
    added = filer.post(f"{base}/track/{number}/info", content_type="multipart/form-data", data={
        "info-text": "Sekarang tumpukannya sampai ke jalan", "info-access_key": key,
        "info-photos": [(io.BytesIO(image_bytes()), "baru.jpg")]})
    assert added.status_code == 302, added.get_data(as_text=True)[:800]
    public = app.test_client().get(f"{base}/track/{number}").get_data(as_text=True)
    assert "event-info" in public and "sampai ke jalan" not in public  # the public sees only that it was added
    queue = officer.get(f"{base}/queue?unread=1").get_data(as_text=True)
    assert number in queue and 'class="unread"' in queue
    coordinator = client_of(app, login, tenant, people["admin"])
    coordinator.get(f"{base}/track/{number}")  # someone else looking does not mark it read
    assert state(app, tenant, number)[1] == 1
    page = officer.get(f"{base}/track/{number}").get_data(as_text=True)
    assert "sampai ke jalan" in page and "/photos/" in page
    assert state(app, tenant, number)[1] == 0 and number not in officer.get(f"{base}/queue?unread=1").get_data(as_text=True)
    with app.app_context():
        (mail,) = [b for _c, to, b in outbox(tenant, f"complaints:{number}") if to == people["dlh"]]
        assert number in mail
        assert audit_actions(tenant, number)[-1] == "complaints.info"


def test_a_fake_jpeg_or_a_closed_complaint_refuses_the_addition_with_nothing_saved(app, client, tenant,
                                                                                    token_for_tenant):
    number, key = file(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    before = state(app, tenant, number)
    fake = client.post(f"{base}/track/{number}/info", content_type="multipart/form-data", data={
        "info-text": "Foto terlampir", "info-access_key": key,
        "info-photos": [(io.BytesIO(image_bytes()), "ok.jpg"), (io.BytesIO(b"\xff\xd8\xffnot a jpeg"), "x.jpg")]})
    assert fake.status_code == 400 and 'id="info-photos-err"' in fake.get_data(as_text=True)
    assert state(app, tenant, number) == before
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:write')}"}
    api = client.post(f"/t/{tenant.slug}/api/v1/complaints/{number}/info", headers=headers, json={
        "access_code": key, "text": "x", "photos": [base64.b64encode(b"\xff\xd8\xff fake").decode()]})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "invalid_photo"
    assert state(app, tenant, number) == before
    move(app, tenant, number, "rejected", note="Bukan pengaduan")
    before = state(app, tenant, number)
    closed = client.post(f"{base}/track/{number}/info", data={"info-text": "Masih ada", "info-access_key": key})
    assert closed.status_code == 400 and state(app, tenant, number) == before


def test_a_resolved_complaint_asks_the_filer_to_confirm_or_reopen(app, client, tenant, people, login):
    filer_email = people["citizen"]
    filer_client = client_of(app, login, tenant, filer_email)
    with app.app_context():
        from core.kit import User

        filer_user = db.session.execute(db.select(User).where(User.email == filer_email)).scalar_one()
        number, _ = file(app, tenant, filer=filer_user)
    move(app, tenant, number, "verified", "assigned", "in_progress")
    move(app, tenant, number, "resolved", note="Sampah sudah diangkut")
    with app.app_context():
        (_c, _to, body), = outbox(tenant, f"complaints:{number}")[-1:]
    assert number in body and "7" in body  # confirm or reopen within the tenant's 7 days
    page = filer_client.get(f"/t/{tenant.slug}/complaints/track/{number}").get_data(as_text=True)
    assert 'id="confirm-form"' in page and 'id="reopen-form"' in page and 'name="confirm-access_key"' not in page
    assert filer_client.post(f"/t/{tenant.slug}/complaints/track/{number}/confirm").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        assert (c.status, c.outcome, c.confirmed_at is not None) == ("closed", "fixed", True)
        assert audit_actions(tenant, number)[-1] == "complaints.confirm"


def test_a_reopen_after_the_window_is_refused_in_each_channel_with_nothing_saved(app, client, tenant,
                                                                                token_for_tenant):
    number, key = file(app, tenant)
    long_ago = utcnow() - timedelta(days=30)
    move(app, tenant, number, "verified", "assigned", "in_progress", now=long_ago)
    move(app, tenant, number, "resolved", now=long_ago)  # the tenant allows 7 days
    before = state(app, tenant, number)
    page = client.post(f"/t/{tenant.slug}/complaints/track/{number}/reopen",
                       data={"reason": "Sampah kembali", "access_key": key})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'role="alert"' in html and 'id="reopen-form"' in html
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:write')}"}
    api = client.post(f"/t/{tenant.slug}/api/v1/complaints/{number}/reopen", headers=headers,
                      json={"access_code": key, "reason": "Sampah kembali"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "cannot_reopen"
    assert api.get_json()["error"]["message"]
    assert state(app, tenant, number) == before
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Complaint.status).where(Complaint.number == number)).scalar() == "resolved"


def test_a_finished_complaint_is_not_offered_for_following_and_says_why(app, client, tenant, people, login,
                                                                        create_user):
    number, _ = file(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    early = create_user(tenant, "citizen")
    early_client = client_of(app, login, tenant, early)
    assert early_client.post(f"{base}/track/{number}/follow").status_code == 302  # followed while open
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)
    assert 'id="follow-contact"' in page and 'id="follow-ended"' not in page
    # a phone or an e-mail: a plain text box, labelled, that claims neither (no e-mail keyboard, no phone autofill)
    box = re.search(r'<input[^>]*name="followc-contact"[^>]*>', page).group(0)
    assert 'type="text"' in box and 'autocomplete="on"' in box and "inputmode" not in box
    box_id = re.search(r'id="([^"]+)"', box).group(1)
    assert f'<label for="{box_id}"' in page
    move(app, tenant, number, "verified", "assigned", "in_progress", "resolved", "closed")
    with app.app_context():
        sent = len(outbox(tenant))
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)  # without an account
    assert 'id="follow-contact"' not in page and 'id="follow-ended"' in page
    asked = client.post(f"{base}/track/{number}/follow/contact", data={"followc-contact": "0812-9999-0001"})
    assert asked.status_code == 400 and "tidak dapat diikuti lagi" in asked.get_data(as_text=True)
    late = client_of(app, login, tenant, create_user(tenant, "citizen"))  # signed in
    page = late.get(f"{base}/track/{number}").get_data(as_text=True)
    assert 'id="follow-form"' not in page and 'id="follow-ended"' in page
    refused = late.post(f"{base}/track/{number}/follow", follow_redirects=True)
    assert "tidak dapat diikuti lagi" in refused.get_data(as_text=True)
    assert number not in late.get(f"{base}/mine").get_data(as_text=True)
    with app.app_context():
        assert len(outbox(tenant)) == sent  # no code sent
    page = early_client.get(f"{base}/track/{number}").get_data(as_text=True)  # a follower may still stop
    assert f'action="{base}/track/{number}/unfollow"' in page and 'id="follow-ended"' not in page
    move(app, tenant, number := file(app, tenant)[0], "rejected")
    assert 'id="follow-ended"' in client.get(f"{base}/track/{number}").get_data(as_text=True)
