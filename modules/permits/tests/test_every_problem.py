"""Review of the new-user trial (issue 15): a form shows ALL its problems at once with a summary at
the top linking to each field, and saves nothing; a cashier cannot record the payment of their own
application; money is written in the reader's language (core ``rupiah``)."""
from __future__ import annotations

import io

import pytest

from core.kit import ValidationError, db, tenant_scope

from .. import checks, payments, reconciliation, services
from ..figures import month_label
from ..models import AWAITING_PAYMENT, Application, Upload
from .conftest import MONTH, NIK, REKLAME, invoice, jpeg, pdf, user_actor
from .test_pages import form

EN = {"Accept-Language": "en"}


def _count(app, tenant, model) -> int:
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_the_application_form_lists_every_problem_at_once_and_saves_nothing(app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    sent = client.post(f"{base}/apply/PBG", content_type="multipart/form-data", data={
        **form(nik="7371014101900", phone="12345", luas_m2="seratus", alamat="", send="1"),
        "gambar": (io.BytesIO(jpeg()), "plan.pdf")})   # a JPEG where only a PDF is accepted; no KTP scan
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400
    summary = html[html.index('id="error-summary"'):html.index("</ul>", html.index('id="error-summary"'))]
    for field in ("nik", "phone", "luas_m2", "alamat", "ktp", "gambar"):   # each problem, linked to its field
        assert f'href="#{field}"' in summary, field
    assert "bukan jenis yang diterima di sini (PDF)" in summary and "ponsel" in summary
    assert "Kolom ini wajib diisi." in summary and "Wajib diisi." not in summary   # one form of words
    assert "pilih lagi" in summary   # the files chosen are not kept either
    assert _count(app, tenant, Application) == 0 and _count(app, tenant, Upload) == 0   # nothing saved


def test_a_draft_with_a_bad_field_only_is_refused_with_that_field_and_missing_ones_wait_for_submission(
        app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    saved = client.post(f"{base}/apply/PBG", data=form(luas_m2="12,5", save="1"), content_type="multipart/form-data")
    assert saved.status_code == 302   # a draft may be half filled
    aid = int(saved.headers["Location"].rsplit("/", 1)[1])
    sent = client.post(f"{base}/applications/{aid}/edit", content_type="multipart/form-data",
                       data={**form(luas_m2="12,5", alamat="", send="1"), "ktp": (io.BytesIO(jpeg()), "ktp.jpg")},
                       headers=EN)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and 'href="#alamat"' in html and 'href="#gambar"' in html
    assert 'href="#ktp"' not in html   # sent now, and good
    assert _count(app, tenant, Upload) == 0   # not kept while the form is refused
    with app.app_context():
        assert services.get(tenant, aid).status == "draft"


def test_submit_names_every_missing_requirement(app_ctx, tenant, people, actor):
    citizen = actor(people["citizen"])
    application = services.save_draft(tenant, citizen, "PBG", {"name": "Andi", "nik": NIK}, {"luas_m2": "90"})
    with pytest.raises(checks.Problems) as refused:
        services.submit(tenant, citizen, application.id)
    assert {p.where for p in refused.value.problems} == {"alamat", "ktp", "gambar"}
    assert refused.value.code == "missing_requirement"


def test_save_draft_refuses_a_bad_nik_and_a_bad_phone_together(app_ctx, tenant, people, actor):
    with pytest.raises(checks.Problems) as refused:
        services.save_draft(tenant, actor(people["citizen"]), "PBG",
                            {"name": "", "nik": "123", "phone": "12"}, {"luas_m2": "x"})
    assert [p.where for p in refused.value.problems] == ["name", "nik", "phone", "luas_m2"]


@pytest.fixture
def billboard(app, make_tenant, create_user):
    """A billboard office whose officer ``cashier`` applied for a permit another officer approved."""
    tenant = make_tenant({"types": [REKLAME], "payment_secret": "env:PAYMENT"})
    people = {"cashier": create_user(tenant, "officer", agency="DPM"),
              "colleague": create_user(tenant, "officer", agency="DPM")}
    with app.app_context():
        application, code = invoice(tenant, user_actor(people["cashier"], tenant),
                                    user_actor(people["colleague"], tenant), "REK", 10)
        aid = application.id
        db.session.commit()
    return tenant, people, aid, code


def test_a_cashier_cannot_record_the_payment_of_their_own_application(app, client, billboard, login):
    tenant, people, aid, code = billboard
    with app.app_context():
        with pytest.raises(ValidationError) as refused:
            payments.record_payment(tenant, user_actor(people["cashier"], tenant), code, 150_000, "KAS-1")
        assert refused.value.code == services.OWN_APPLICATION
        db.session.rollback()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["cashier"], tenant)
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert 'id="own-application"' in page and 'class="pay"' not in page
    sent = client.post(f"{base}/applications/{aid}/pay", data={"amount": "150000", "reference": "KAS-1"})
    assert sent.status_code == 302
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert page.count("petugas lain yang harus") == 2   # the notice, and the refusal flashed
    with app.app_context():
        assert services.get(tenant, aid).status == AWAITING_PAYMENT
        assert payments.collected(tenant) == {}   # nothing on the ledger


def test_the_payment_and_decision_forms_come_back_with_their_messages(app, client, billboard, login):
    tenant, people, aid, _code = billboard
    base = f"/t/{tenant.slug}/permits"
    login(client, people["colleague"], tenant)
    wrong = client.post(f"{base}/applications/{aid}/pay", data={"amount": "1000", "reference": "KAS-1"})
    html = wrong.get_data(as_text=True).replace("\xa0", " ")
    assert wrong.status_code == 400 and 'id="error-summary"' in html and 'href="#amount"' in html
    assert "Tagihannya Rp 150.000, bukan Rp 1.000." in html
    english = client.post(f"{base}/applications/{aid}/pay", data={"amount": "1000"}, headers=EN)
    assert "The invoice is Rp 150,000, not Rp 1,000." in english.get_data(as_text=True).replace("\xa0", " ")
    empty = client.post(f"{base}/applications/{aid}/pay", data={"amount": "", "reference": "x" * 101})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 400 and 'href="#amount"' in html and 'href="#reference"' in html
    with app.app_context():
        assert services.get(tenant, aid).status == AWAITING_PAYMENT


def test_asking_the_applicant_without_a_note_comes_back_on_the_note(app, client, make_tenant, create_user, login):
    tenant = make_tenant({"types": [REKLAME]})
    citizen, officer = create_user(tenant, "citizen"), create_user(tenant, "officer", agency="DPM")
    with app.app_context():
        application = services.save_draft(tenant, user_actor(citizen, tenant), "REK", {"name": "Andi", "nik": NIK},
                                          {"luas_m2": "10"})
        services.submit(tenant, user_actor(citizen, tenant), application.id)
        aid = application.id
        db.session.commit()
    login(client, officer, tenant)
    sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/act", data={"step": "0", "decision": "ask"})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and 'href="#note"' in html and 'name="decision"' in html
    assert 'value="back"' not in html   # the form sent back offers what it offered
    with app.app_context():
        assert services.get(tenant, aid).status == "submitted"


def test_money_is_written_in_the_readers_language(app, office, outbox, frozen_clock):
    tenant, people, _aid = office
    told = [m["body"].replace("\xa0", " ") for m in outbox(tenant)]
    assert any("Bayar retribusi Rp 150.000 dengan kode bayar" in b for b in told)   # the applicant's language: Indonesian
    with app.app_context():
        with tenant_scope(tenant):
            db.session.execute(db.update(Application).values(fee_amount=175_000))   # changed outside the module
        reconciliation.alert(tenant)
        db.session.commit()
    body = [m["body"] for m in outbox(tenant) if "reconcile" in (m["ref"] or "")][-1].replace("\xa0", " ")
    assert "buku besar Rp 150.000" in body and "selisih -Rp 25.000" in body
    assert "ledger Rp 150,000, paid applications Rp 175,000 (difference -Rp 25,000)" in body
    shown = month_label(MONTH, "id"), month_label(MONTH, "en")   # "Mar 2026", not "2026-03"
    assert f"bulan {shown[0]} tidak cocok" in body and f"for {shown[1]} does not" in body and MONTH not in body


def test_returning_a_stage_offers_no_earlier_stage_at_the_first_and_asks_for_the_reason_in_the_readers_words(
        app, client, tenant, people, login):
    with app.app_context():
        citizen = user_actor(people["citizen"], tenant)
        application = services.save_draft(tenant, citizen, "SKU", {"name": "Andi", "nik": NIK}, {"usaha": "Warung"})
        services.submit(tenant, citizen, application.id)
        free = application.id
        pbg = services.save_draft(tenant, citizen, "PBG", {"name": "Andi", "nik": NIK},
                                  {"luas_m2": "90", "alamat": "Jl. Ratulangi 5"})
        services.attach(tenant, citizen, pbg, "ktp", jpeg(), "ktp.jpg")
        services.attach(tenant, citizen, pbg, "gambar", pdf(), "plan.pdf")
        services.submit(tenant, citizen, pbg.id)
        services.approve_stage(tenant, user_actor(people["intake"], tenant), pbg.id, 0)
        building = pbg.id
        db.session.commit()
    base = f"/t/{tenant.slug}/permits/applications"
    login(client, people["intake"], tenant)
    page = client.get(f"{base}/{free}").get_data(as_text=True)
    assert 'name="decision"' in page and 'value="back"' not in page   # the first stage: nothing earlier
    forged = client.post(f"{base}/{free}/act", data={"step": "0", "decision": "back", "note": "x"})
    assert forged.status_code == 302
    assert "tidak ada tahap sebelumnya" in client.get(f"{base}/{free}").get_data(as_text=True)
    reviewer = app.test_client()
    login(reviewer, people["pu"], tenant)
    assert 'value="back"' in reviewer.get(f"{base}/{building}").get_data(as_text=True)
    sent = reviewer.post(f"{base}/{building}/act", data={"step": "1", "decision": "back", "note": ""})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and 'href="#note"' in html and "Sebutkan alasan pengembaliannya." in html
    with app.app_context():
        assert services.get(tenant, building).stage == 1


def test_a_second_payment_at_the_counter_of_a_paid_invoice_is_refused_and_audited(app, client, billboard, login,
                                                                                   audit_entries):
    """Issue 15 trial: a second payment of a paid invoice was recorded nowhere; at the counter it is
    refused in the reader's language and kept in the audit trail (``permits.second_payment``)."""
    tenant, people, aid, code = billboard
    base = f"/t/{tenant.slug}/permits"
    login(client, people["colleague"], tenant)
    first = client.post(f"{base}/applications/{aid}/pay", data={"amount": "150000", "reference": "KAS-1"})
    assert first.status_code == 302
    again = client.post(f"{base}/applications/{aid}/pay", data={"amount": "150000", "reference": "KAS-1"})
    assert again.status_code == 302 and audit_entries(tenant, "permits.second_payment") == []  # the same one
    second = client.post(f"{base}/applications/{aid}/pay", data={"amount": "150000", "reference": "KAS-2"},
                         follow_redirects=True)
    assert "Tagihan ini sudah dibayar: pembayaran kedua ini tidak dicatat." in second.get_data(as_text=True)
    english = client.post(f"{base}/applications/{aid}/pay", data={"amount": "150000", "reference": "KAS-3"},
                          headers=EN, follow_redirects=True)
    assert "This invoice is already paid: this second payment was not recorded." in english.get_data(as_text=True)
    assert [e["summary"]["after"] for e in audit_entries(tenant, "permits.second_payment")] == [
        {"payment_code": code, "amount": 150000, "reference": ref, "paid_reference": "KAS-1"}
        for ref in ("KAS-2", "KAS-3")]
    assert len(audit_entries(tenant, "permits.paid")) == 1
    with app.app_context():
        assert payments.collected(tenant) and sum(payments.collected(tenant).values()) == 150000
