"""Suspending, reinstating and revoking an issued permit: by an admin's form or a scoped API token
only, audited with before and after, and shown on the permit's public verification page (the core
``/verify/<code>``, through the ``document_state`` hook) with the date and the reason, in Indonesian
and English. Refusals change nothing."""
from __future__ import annotations

from core.kit import Actor, User, db, tenant_scope

from .. import issuance, services
from .conftest import NIK

APPLICANT = {"name": "Daeng Ngalle", "nik": NIK, "business_name": "Warung Coto Daeng"}
API = "/api/v1/permits/permits/status"


def issued(app, tenant, people) -> tuple[int, str, str]:
    """A free permit issued: (application id, permit number, verification code)."""
    def who(email):
        return Actor.for_user(db.session.execute(db.select(User).where(User.email == email)).scalar_one(), tenant)

    with app.app_context():
        citizen = who(people["citizen"])
        application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung Coto"})
        services.submit(tenant, citizen, application.id)
        services.approve_stage(tenant, who(people["intake"]), application.id, 0)
        issuance.issue_permit(tenant, who(people["admin"]), application.id)
        with tenant_scope(tenant):
            result = application.id, application.permit_number, application.document_code
        db.session.commit()
    return result


def verify_page(client, tenant, code, lang="id") -> str:
    response = client.get(f"/t/{tenant.slug}/verify/{code}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def suspended(page: str) -> bool:
    """The page says "suspended" (Indonesian once i18n-pending/permits-core.json is merged)."""
    return "Dibekukan" in page or ">Suspended<" in page


def change(client, tenant, aid, action, reason="", confirm=True):
    data = {"action": action, "reason": reason}
    if confirm:
        data["confirm"] = "y"
    return client.post(f"/t/{tenant.slug}/permits/applications/{aid}/status", data=data)


def test_an_admin_suspends_lifts_and_revokes_and_the_verification_page_says_so(
        app, client, tenant, people, login, signer, audit_entries):
    aid, number, code = issued(app, tenant, people)
    assert not suspended(verify_page(client, tenant, code))
    login(client, people["admin"], tenant)
    assert change(client, tenant, aid, "suspend", "Pemeriksaan lapangan atas pengaduan warga").status_code == 302
    page = verify_page(client, tenant, code)
    assert suspended(page) and "Pemeriksaan lapangan atas pengaduan warga" in page
    assert "Dibekukan sejak" in page or "Suspended since" in page
    english = verify_page(client, tenant, code, "en")
    assert ">Suspended<" in english and "Suspended since" in english and "not in force" in english
    # the register and the application page say it too
    assert "status-suspended" in client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    own = client.get(f"/t/{tenant.slug}/permits/applications/{aid}").get_data(as_text=True)
    assert "Pemeriksaan lapangan atas pengaduan warga" in own and "(OSS 70)" in own

    assert change(client, tenant, aid, "lift", "Hasil pemeriksaan sesuai").status_code == 302
    page = verify_page(client, tenant, code)
    assert not suspended(page) and "<strong>Sah</strong>" in page
    assert change(client, tenant, aid, "revoke", "Usaha tidak lagi beroperasi").status_code == 302
    page = verify_page(client, tenant, code)
    assert "Usaha tidak lagi beroperasi" in page and "Dicabut pada" in page and not suspended(page)

    entries = {e["action"]: e for e in audit_entries(tenant) if e["action"].startswith("permits.")}
    suspend = entries["permits.suspend"]["summary"]
    assert suspend["before"]["permit_status"] == "valid" and suspend["after"]["permit_status"] == "suspended"
    assert entries["permits.reinstate"]["summary"]["after"]["permit_status"] == "valid"
    assert entries["permits.revoke"]["summary"]["after"] == {
        **entries["permits.revoke"]["summary"]["after"], "permit_status": "revoked",
        "reason": "Usaha tidak lagi beroperasi", "number": number}
    assert [e for e in audit_entries(tenant) if e["action"] == "document.revoked"]


def test_only_who_may_revoke_changes_a_permit_and_a_bad_form_is_the_page_again(
        app, client, tenant, people, login, signer, audit_entries):
    aid, _, code = issued(app, tenant, people)
    for who in ("intake", "citizen"):  # an officer of the office, the permit's own holder
        other = app.test_client()
        login(other, people[who], tenant)
        assert change(other, tenant, aid, "suspend", "x").status_code == 403
    login(client, people["admin"], tenant)
    no_reason = change(client, tenant, aid, "suspend", "   ")
    assert no_reason.status_code == 400 and "Berikan alasannya." in no_reason.get_data(as_text=True)
    unconfirmed = change(client, tenant, aid, "suspend", "Pemeriksaan", confirm=False)
    assert unconfirmed.status_code == 400 and "Centang untuk" in unconfirmed.get_data(as_text=True)
    not_allowed = change(client, tenant, aid, "lift", "Tidak dibekukan")  # a valid permit has no suspension to lift
    assert not_allowed.status_code == 400
    assert not [e for e in audit_entries(tenant) if e["action"] in ("permits.suspend", "permits.reinstate")]
    assert not suspended(verify_page(client, tenant, code))


def test_the_api_changes_a_permit_with_a_scoped_token_and_refuses_the_rest(
        app, client, tenant, people, signer, create_token, audit_entries):
    aid, number, code = issued(app, tenant, people)
    url = f"/t/{tenant.slug}{API}"
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}"}
    reader = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    body = {"permit_number": number, "action": "suspend", "reason": "Menunggu hasil audit"}
    assert client.post(url, json=body).status_code == 401
    refused = client.post(url, json=body, headers=reader)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "insufficient_scope"
    unknown = client.post(url, json={**body, "permit_number": "SKU/9999/2020"}, headers=token)
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "not_found"
    blank = client.post(url, json={**body, "reason": "  "}, headers=token)
    assert blank.status_code == 400 and blank.get_json()["error"]["code"] == "reason_required"
    odd = client.post(url, json={**body, "action": "delete"}, headers=token)
    assert odd.status_code == 400 and odd.get_json()["error"]["code"] == "bad_request"
    lift = client.post(url, json={**body, "action": "lift"}, headers=token)
    assert lift.status_code == 400 and lift.get_json()["error"]["code"] == "not_suspended"
    assert audit_entries(tenant, "permits.suspend") == []

    done = client.post(url, json=body, headers=token)
    assert done.status_code == 200, done.get_data(as_text=True)
    got = done.get_json()
    assert got["permit_status"] == "suspended" and got["oss_code"] == "70" and got["reason"] == "Menunggu hasil audit"
    again = client.post(url, json=body, headers=token)
    assert again.status_code == 400 and again.get_json()["error"]["code"] == "not_valid"
    assert "Menunggu hasil audit" in verify_page(client, tenant, code)
    [entry] = audit_entries(tenant, "permits.suspend")
    assert entry["actor"].startswith("token:")

    revoked = client.post(url, json={**body, "action": "revoke", "reason": "Putusan pengadilan"}, headers=token)
    assert revoked.status_code == 200 and revoked.get_json()["permit_status"] == "revoked"
    assert revoked.get_json()["oss_code"] == ""  # OSS's licence-status table has no revocation code
    twice = client.post(url, json={**body, "action": "revoke", "reason": "lagi"}, headers=token)
    assert twice.status_code == 400 and twice.get_json()["error"]["code"] == "already_revoked"
    assert "Putusan pengadilan" in verify_page(client, tenant, code)


def test_a_permit_revoked_on_the_core_page_reads_revoked_in_the_register_and_can_still_be_closed(
        app, client, tenant, people, actor, signer):
    aid, _, code = issued(app, tenant, people)
    from core.kit import documents

    with app.app_context():
        documents.revoke(tenant, documents.find(tenant, code), "Dicabut lewat halaman dokumen", actor(people["admin"]))
        db.session.commit()
    assert "status-revoked" in client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    with app.app_context():
        issuance.revoke_permit(tenant, actor(people["admin"]), aid, "Dicatat juga di perizinan")  # no double revoke
        db.session.commit()
    assert "Dicabut lewat halaman dokumen" in verify_page(client, tenant, code)


def test_a_permit_past_its_validity_reads_expired_on_its_verification_page(
        app, client, make_tenant, create_user, frozen_clock):
    """Issue 15.5: expiry shows on the verification page (the type's ``validity_months``, the core
    document's ``expires_at``); a month before, it is valid."""
    import importlib

    from .conftest import SETTINGS, SKU

    tenant = make_tenant({**SETTINGS, "types": [{**SKU, "validity_months": 12}]})
    citizen_email, officer_email, admin_email = (create_user(tenant, r, agency="DPM" if r == "officer" else None)
                                                 for r in ("citizen", "officer", "admin"))
    def actor(email):
        return Actor.for_user(db.session.execute(db.select(User).where(User.email == email)).scalar_one(), tenant)

    with app.app_context():
        importlib.import_module("core.documents.certs").ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        citizen = actor(citizen_email)
        application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung"})
        services.submit(tenant, citizen, application.id)
        services.approve_stage(tenant, actor(officer_email), application.id, 0)
        issuance.issue_permit(tenant, actor(admin_email), application.id)
        with tenant_scope(tenant):
            code = application.document_code
        db.session.commit()
    frozen_clock.advance(days=334)
    assert "<strong>Sah</strong>" in verify_page(client, tenant, code)
    frozen_clock.advance(days=40)
    assert "Kedaluwarsa" in verify_page(client, tenant, code)
