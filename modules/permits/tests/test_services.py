"""The workflow as services: draft -> submit -> stages -> invoice -> payment -> issued, with the
SLA clock in OSS terms, the timeline, the audit trail and the applicant's messages."""
from __future__ import annotations

from datetime import timezone

import pytest

from core.kit import (
    ApprovalError, IdentityError, ValidationError, db, documents, ledger, local_date, sla, storage, tenant_scope,
)

from .. import issuance, notices, payments, services
from ..models import APPROVED, AWAITING_PAYMENT, ISSUED, RETURNED, SUBMITTED
from .conftest import NIK, jpeg, pdf
from .pdf_check import assert_signed_permit

APPLICANT = {"name": "Andi Mappanyukki", "nik": NIK, "phone": "081234567890"}


def draft(tenant, who, area="150"):
    app_ = services.save_draft(tenant, who, "PBG", APPLICANT, {"luas_m2": area, "alamat": "Jl. Ratulangi 5"})
    services.attach(tenant, who, app_, "ktp", jpeg(), "ktp.jpg")
    services.attach(tenant, who, app_, "gambar", pdf(), "gambar.pdf")
    return app_


MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


def test_a_paid_application_goes_through_every_stage_to_a_signed_permit(
        app_ctx, tenant, people, actor, signer, audit_entries, outbox):
    citizen = actor(people["citizen"])
    app_ = draft(tenant, citizen)
    services.submit(tenant, citizen, app_.id)
    assert app_.status == SUBMITTED and app_.reference.startswith("REG/PBG/") and app_.fee_amount == 1_500_000
    assert app_.due_at is not None
    services.approve_stage(tenant, actor(people["intake"]), app_.id, 0)
    services.approve_stage(tenant, actor(people["pu"]), app_.id, 1)
    with pytest.raises(ValidationError) as not_paid:
        services.approve_stage(tenant, actor(people["admin"]), app_.id, 2)
        issuance.issue_permit(tenant, actor(people["admin"]), app_.id)
    assert not_paid.value.code == "not_paid"
    assert app_.status == AWAITING_PAYMENT and payments.valid_code(app_.payment_code)
    assert sla.clock_of(tenant, services.ref(app_), services.CLOCK).state == sla.PAUSED
    payments.record_payment(tenant, actor(people["intake"]), app_.payment_code, 1_500_000, "teller 7")
    assert app_.status == APPROVED
    again = payments.record_payment(tenant, actor(people["intake"]), app_.payment_code, 1_500_000, "teller 7")
    assert again.id == app_.id  # the same payment twice is one payment
    issuance.issue_permit(tenant, actor(people["admin"]), app_.id)
    db.session.commit()
    scope = tenant_scope(tenant)
    scope.__enter__()  # read what was committed in the tenant's scope (PostgreSQL's Row Level Security)
    assert app_.status == ISSUED and app_.permit_number.startswith("PBG/0001/")
    doc = documents.find(tenant, app_.document_code)
    assert doc.number == app_.permit_number and doc.expires_at is not None  # valid 60 months
    assert_signed_permit(app_ctx, storage().get(doc.storage_key, tenant=tenant),
                         documents.verification_url(tenant, doc.code))
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(storage().get(doc.storage_key, tenant=tenant))[0].get_textpage().get_text_range()
    expires = doc.expires_at if doc.expires_at.tzinfo else doc.expires_at.replace(tzinfo=timezone.utc)
    last_day = local_date(tenant, expires)
    assert last_day.isoformat() not in text   # the valid-until day as the core writes dates, not ISO
    assert f"{last_day.day} {MONTHS_ID[last_day.month - 1]} {last_day.year}" in " ".join(text.split()), text
    assert sla.clock_of(tenant, services.ref(app_), services.CLOCK).state == sla.DONE
    issued = app_.issued_at if app_.issued_at.tzinfo else app_.issued_at.replace(tzinfo=timezone.utc)
    month = local_date(tenant, issued).strftime("%Y-%m")   # the tenant's local month (WITA), not UTC's
    assert payments.collected(tenant) == {("PBG", month): 1_500_000}
    with tenant_scope(tenant):
        assert ledger.get_account(tenant, "permits.fees.PBG").credits_posted == 1_500_000
    codes = [e.oss_code for e in services.timeline(tenant, app_)]
    # OSS-RBA Lampiran 10 (oss.py): complete 09, validation 20 per stage, requirements verified 45,
    # payment awaited 30, accepted 33, issued 50
    assert codes == ["", "09", "20", "20", "45", "30", "33", "50"]
    actions = {e["action"] for e in audit_entries(tenant)}
    assert {"permits.submit", "permits.approve", "permits.invoice", "permits.paid", "permits.issue",
            "document.issued", "permits.clock.pause", "permits.clock.resume"} <= actions
    scope.__exit__(None, None, None)
    bodies = [m["body"] for m in outbox(tenant, "sms")]
    assert any("kode bayar" in b for b in bodies) and any("telah terbit" in b for b in bodies)
    # told at each step: received, each stage done, invoiced, paid, issued (issue 15.2)
    assert [b for b in bodies if "tahap Verifikasi berkas selesai" in b] and \
        [b for b in bodies if "tahap Kajian teknis selesai" in b] and [b for b in bodies if "diterima" in b]


def test_acting_out_of_turn_twice_or_on_anothers_stage_changes_nothing(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    app_ = draft(tenant, citizen)
    services.submit(tenant, citizen, app_.id)
    with pytest.raises(ApprovalError) as exc:
        services.approve_stage(tenant, actor(people["pu"]), app_.id, 1)
    assert exc.value.code == "approval_out_of_turn"
    with pytest.raises(ApprovalError) as exc:
        services.approve_stage(tenant, actor(people["pu"]), app_.id, 0)
    assert exc.value.code == "approval_not_holder"
    services.approve_stage(tenant, actor(people["intake"]), app_.id, 0)
    with pytest.raises(ApprovalError) as exc:
        services.approve_stage(tenant, actor(people["intake"]), app_.id, 0)
    assert exc.value.code in ("approval_twice", "approval_out_of_turn")
    assert app_.stage == 1


def test_asking_the_applicant_pauses_and_resubmitting_resumes_the_clock(app_ctx, tenant, people, actor, outbox):
    citizen = actor(people["citizen"])
    app_ = draft(tenant, citizen)
    services.submit(tenant, citizen, app_.id)
    services.ask_applicant(tenant, actor(people["intake"]), app_.id, 0, "Gambar rencana tidak terbaca")
    assert app_.status == RETURNED
    assert sla.clock_of(tenant, services.ref(app_), services.CLOCK).state == sla.PAUSED
    app_id = app_.id
    db.session.commit()
    assert any("perlu dilengkapi" in m["body"] for m in outbox(tenant, "sms"))
    app_ = services.get(tenant, app_id)
    services.attach(tenant, citizen, app_, "gambar", pdf(), "gambar2.pdf")
    services.resubmit(tenant, citizen, app_.id)
    assert app_.status == SUBMITTED
    clock = sla.clock_of(tenant, services.ref(app_), services.CLOCK)
    assert clock.state == sla.RUNNING and app_.due_at == clock.due_at
    codes = [e.oss_code for e in services.timeline(tenant, app_)]
    assert "41" in codes and codes[-1] == "42"


def test_a_reset_restarts_the_clock_from_zero(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    app_ = draft(tenant, citizen)
    services.submit(tenant, citizen, app_.id)
    services.ask_applicant(tenant, actor(people["intake"]), app_.id, 0, "Ajukan ulang dengan data benar", reset=True)
    assert sla.clock_of(tenant, services.ref(app_), services.CLOCK).state == sla.STOPPED
    services.resubmit(tenant, citizen, app_.id)
    codes = [e.oss_code for e in services.timeline(tenant, app_)]
    assert "43" in codes and codes[-1] == "44"


def test_a_free_type_is_issued_without_an_invoice(app_ctx, tenant, people, actor, signer):
    citizen = actor(people["citizen"])
    app_ = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung Coto"})
    services.submit(tenant, citizen, app_.id)
    services.approve_stage(tenant, actor(people["intake"]), app_.id, 0)
    assert app_.status == APPROVED and app_.payment_code is None
    issuance.issue_permit(tenant, actor(people["admin"]), app_.id)
    assert app_.status == ISSUED and app_.valid_until is None


@pytest.mark.parametrize("field,value,code", [("nik", "1234", "length"), ("nib", "12AB", None)])
def test_a_nik_or_nib_of_the_wrong_form_is_refused(app_ctx, tenant, people, actor, field, value, code):
    with pytest.raises(IdentityError) as exc:
        services.save_draft(tenant, actor(people["citizen"]), "PBG", {**APPLICANT, field: value}, {})
    assert exc.value.where == field


def test_submitting_with_a_missing_requirement_names_it(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    app_ = services.save_draft(tenant, citizen, "PBG", APPLICANT, {"luas_m2": "90", "alamat": "x"})
    with pytest.raises(ValidationError) as exc:
        services.submit(tenant, citizen, app_.id)
    assert exc.value.where == "ktp"


def test_a_payment_for_the_wrong_amount_or_an_unknown_code_is_refused(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    app_ = draft(tenant, citizen, area="50")
    services.submit(tenant, citizen, app_.id)
    for i, who in enumerate(("intake", "pu", "admin")):
        services.approve_stage(tenant, actor(people[who]), app_.id, i)
    with pytest.raises(ValidationError) as exc:
        payments.record_payment(tenant, actor(people["intake"]), app_.payment_code, 400_000)
    assert exc.value.code == "amount_mismatch"
    from core.kit import NotFound

    with pytest.raises(NotFound):
        payments.record_payment(tenant, actor(people["intake"]), "900000000000", 500_000)
    assert app_.status == AWAITING_PAYMENT


def test_suspension_and_revocation_show_on_the_register_and_the_verification_page(
        app, client, tenant, people, actor, signer):
    with app.app_context():
        citizen, admin = actor(people["citizen"]), actor(people["admin"])
        app_ = services.save_draft(tenant, citizen, "SKU", {**APPLICANT, "business_name": "Warung Coto"},
                                   {"usaha": "Warung Coto"})
        services.submit(tenant, citizen, app_.id)
        services.approve_stage(tenant, actor(people["intake"]), app_.id, 0)
        issuance.issue_permit(tenant, admin, app_.id)
        issuance.suspend_permit(tenant, admin, app_.id, "Pemeriksaan lapangan")
        with pytest.raises(ValidationError):
            issuance.suspend_permit(tenant, admin, app_.id, "lagi")  # twice
        with tenant_scope(tenant):
            code, app_id = app_.document_code, app_.id
        db.session.commit()
    register = client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    assert "status-suspended" in register
    with app.app_context():
        issuance.suspend_permit(tenant, actor(people["admin"]), app_id, "Selesai diperiksa", lift=True)
        issuance.revoke_permit(tenant, actor(people["admin"]), app_id, "Usaha tidak lagi beroperasi")
        with pytest.raises(ValidationError):
            issuance.revoke_permit(tenant, actor(people["admin"]), app_id, "lagi")
        db.session.commit()
    assert "status-revoked" in client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    assert "Usaha tidak lagi beroperasi" in client.get(f"/t/{tenant.slug}/verify/{code}").get_data(as_text=True)


def test_a_phone_only_applicant_hears_by_sms_once_and_no_mail_goes_to_a_number(app_ctx, tenant, actor, outbox):
    """A citizen who registered with a mobile number only (core.auth: the number is the account's
    sign-in) is told through ``contact_of``: one SMS when the application gives the same number,
    two numbers each get theirs, and never an e-mail addressed to a phone number."""
    from core.auth.service import create_phone_user, grant_role

    user = create_phone_user("+6281234567890", "Andi")
    grant_role(tenant, user, "citizen", "test:permits")
    db.session.commit()
    citizen = actor(user.email)  # the number is the account's sign-in
    same = services.save_draft(tenant, citizen, "PBG", APPLICANT, {"luas_m2": "150", "alamat": "Jl. Ratulangi 5"})
    notices.tell(tenant, same, "Pesan uji satu")
    other = services.save_draft(tenant, citizen, "PBG", {**APPLICANT, "phone": "081299998888"},
                                {"luas_m2": "150", "alamat": "Jl. Ratulangi 5"})
    notices.tell(tenant, other, "Pesan uji dua")
    db.session.commit()
    sms = [(m["recipient"], m["body"]) for m in outbox(tenant, "sms")]
    assert sms.count(("+6281234567890", "Pesan uji satu")) == 1
    assert {("+6281299998888", "Pesan uji dua"), ("+6281234567890", "Pesan uji dua")} <= set(sms)
    assert not [m for m in outbox(tenant, "email") if m["recipient"].startswith("+")]
