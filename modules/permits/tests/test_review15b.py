"""Issue 15, code review: an officer or admin may not act on their own application (conflict of
interest, code ``own_application``); the standard of service writes its fee in the reader's words;
the office's refusals are shown in the reader's language."""
from __future__ import annotations

import pytest

from core.kit import ValidationError, db

from .. import fees, issuance, services
from .test_services import APPLICANT, draft


def _own_sku(tenant, who):
    application = services.save_draft(tenant, who, "SKU", APPLICANT, {"usaha": "Warung"})
    services.submit(tenant, who, application.id)
    return application


def test_an_officer_cannot_approve_or_decide_on_their_own_application(app_ctx, tenant, people, actor):
    intake = actor(people["intake"])
    own = _own_sku(tenant, intake)
    for attempt in (lambda: services.approve_stage(tenant, intake, own.id, 0),
                    lambda: services.reject(tenant, intake, own.id, 0, "tidak lengkap"),
                    lambda: services.ask_applicant(tenant, intake, own.id, 0, "lengkapi")):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == services.OWN_APPLICATION == "own_application"
        assert "another officer" in exc.value.message
    assert services.get(tenant, own.id).stage == 0 and services.get(tenant, own.id).status == "submitted"
    # another officer of the same stage may
    other = services.save_draft(tenant, actor(people["citizen"]), "SKU", APPLICANT, {"usaha": "Toko"})
    services.submit(tenant, actor(people["citizen"]), other.id)
    assert services.approve_stage(tenant, intake, other.id, 0).status != "submitted"


def test_an_admin_cannot_issue_suspend_or_revoke_their_own_permit(app_ctx, tenant, people, actor, signer,
                                                                    create_user):
    second = create_user(tenant, "admin")  # before this test's transaction opens (SQLite)
    admin = actor(people["admin"])
    own = _own_sku(tenant, admin)
    services.approve_stage(tenant, actor(people["intake"]), own.id, 0)
    with pytest.raises(ValidationError) as exc:
        issuance.issue_permit(tenant, admin, own.id)
    assert exc.value.code == "own_application"
    assert services.get(tenant, own.id).permit_number is None
    issuance.issue_permit(tenant, actor(second), own.id)  # another admin signs
    for attempt in (lambda: issuance.suspend_permit(tenant, admin, own.id, "Pelanggaran"),
                    lambda: issuance.revoke_permit(tenant, admin, own.id, "Pelanggaran")):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "own_application"
    assert services.get(tenant, own.id).permit_status == "valid"


def test_an_admin_who_applied_cannot_approve_the_last_stage_over_http(app, client, tenant, people, actor, login):
    with app.app_context():
        admin = actor(people["admin"])
        application = draft(tenant, admin)
        services.submit(tenant, admin, application.id)
        services.approve_stage(tenant, actor(people["intake"]), application.id, 0)
        services.approve_stage(tenant, actor(people["pu"]), application.id, 1)
        aid = application.id  # read before the commit expires it (outside the tenant's scope on PostgreSQL)
        db.session.commit()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["admin"], tenant)
    sent = client.post(f"{base}/applications/{aid}/act", data={"step": "2", "decision": "approve", "note": ""})
    assert sent.status_code == 302
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "Anda sendiri yang mengajukan izin ini" in page
    en = {"Accept-Language": "en"}
    client.post(f"{base}/applications/{aid}/act", data={"step": "2", "decision": "approve", "note": ""}, headers=en)
    page = client.get(f"{base}/applications/{aid}", headers=en).get_data(as_text=True)
    assert "You applied for this permit yourself" in page
    with app.app_context():
        assert services.get(tenant, aid).stage == 2  # nothing changed


def test_an_issue_refused_before_payment_is_flashed_in_the_readers_language(app, client, tenant, people, actor,
                                                                              login):
    with app.app_context():
        citizen = actor(people["citizen"])
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        for step, who in enumerate(("intake", "pu", "admin")):
            services.approve_stage(tenant, actor(people[who]), application.id, step)
        aid = application.id  # read before the commit expires it (outside the tenant's scope on PostgreSQL)
        db.session.commit()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["admin"], tenant)
    client.post(f"{base}/applications/{aid}/issue", data={"send": "1"})
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "Izin hanya dapat diterbitkan setelah disetujui dan retribusinya dibayar." in page
    assert "the permit can be issued only once" not in page.lower()
    en = {"Accept-Language": "en"}
    client.post(f"{base}/applications/{aid}/issue", data={"send": "1"}, headers=en)
    page = client.get(f"{base}/applications/{aid}", headers=en).get_data(as_text=True)
    assert "The permit can be issued only once it is approved and its fee is paid." in page
    # acting on a stage once every stage is done: the module's refusal, in Indonesian
    client.post(f"{base}/applications/{aid}/act", data={"step": "2", "decision": "approve", "note": ""})
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "Permohonan ini tidak sedang menunggu tindakan suatu tahap." in page
    assert "not awaiting" not in page


FIELDS = [{"code": "luas_m2", "label_id": "Luas bangunan (m²)", "label_en": "Floor area (m²)", "kind": "field"}]


def test_describe_writes_the_fee_with_the_fields_label_and_readable_brackets():
    table = fees.parse("table luas_m2 100:500000 1500.5:1500000 *:3000000")
    assert fees.describe(table, FIELDS, "en") == [
        ("Floor area (m²) up to 100", 500000), ("Floor area (m²) up to 1,500.5", 1500000),
        ("Floor area (m²) over 1,500.5", 3000000)]
    per_unit = fees.describe(fees.parse("per_unit 15000 * luas_m2 min 100000"), FIELDS, "en")
    assert per_unit == [("per unit of Floor area (m²)", 15000), ("minimum", 100000)]
    assert fees.describe(fees.parse("table luas_m2 *:7000"), FIELDS, "en") == [("any Floor area (m²)", 7000)]
    assert fees.describe(fees.parse("fixed 250000"), FIELDS, "id") == [("", 250000)]
    assert fees.describe(fees.parse("per_unit 5 * lain"), FIELDS, "id")[0][0].endswith("lain")  # no label: its code


def test_the_standard_of_service_shows_the_fee_in_both_languages(client, tenant):
    base = f"/t/{tenant.slug}/permits/standard/PBG"
    page = client.get(base).get_data(as_text=True)
    assert "Luas bangunan (m²) sampai dengan 100" in page
    assert "Luas bangunan (m²) lebih dari 500" in page
    assert "luas_m2" not in page
    english = client.get(base, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Floor area (m²) up to 100" in english and "Floor area (m²) over 500" in english
    assert "luas_m2" not in english and "Luas bangunan" not in english


def test_the_applicant_is_told_in_their_language_else_the_tenants(app_ctx, tenant, people, actor, outbox):
    citizen, other = actor(people["citizen"]), actor(people["other"])
    citizen.user.locale = "en"
    other.user.locale = "fr"  # not a language of the tenant: its first language (Indonesian)
    english, indonesian = draft(tenant, citizen), draft(tenant, other)
    services.submit(tenant, citizen, english.id)
    services.submit(tenant, other, indonesian.id)
    services.approve_stage(tenant, actor(people["intake"]), english.id, 0)
    services.ask_applicant(tenant, actor(people["pu"]), english.id, 1, "The plan is unreadable")
    (en_id, en_ref), (id_id, id_ref) = (english.id, english.reference), (indonesian.id, indonesian.reference)
    db.session.commit()
    told = outbox(tenant, "sms")
    to_english = [m["body"] for m in told if m["ref"] == f"permits:{en_id}"]
    assert (f"Application {en_ref} (Building approval) received. It is to be completed within 5 "
            "working days.") in to_english
    assert any("stage Intake is done" in b for b in to_english)
    assert f"Application {en_ref} needs completing: The plan is unreadable" in to_english
    assert not any("Permohonan" in b for b in to_english)
    to_indonesian = [m["body"] for m in told if m["ref"] == f"permits:{id_id}"]
    assert to_indonesian == [f"Permohonan {id_ref} (Persetujuan Bangunan Gedung) telah diterima dan "
                            "diselesaikan paling lama 5 hari kerja."]
