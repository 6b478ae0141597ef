"""Issue 15 reviewed point by point against what a permits office trips on: the verifying officer
opens the requirement files (audited; nobody else can), an expired permit reads expired in the
register and on its page, a draft may be saved without the NIK (submitting needs it)."""
from __future__ import annotations

import io
from datetime import timedelta

from core.kit import db, tenant_scope, utcnow

from .. import services
from ..models import Application
from .conftest import NIK, jpeg, pdf, user_actor
from .test_pages import form


def _draft_with_files(app, tenant, people):
    with app.app_context():
        citizen = user_actor(people["citizen"], tenant)
        application = services.save_draft(tenant, citizen, "PBG", {"name": "Andi", "nik": NIK},
                                          {"luas_m2": "90", "alamat": "Jl. Ratulangi 5"})
        services.attach(tenant, citizen, application, "ktp", jpeg(), "ktp.jpg")
        services.attach(tenant, citizen, application, "gambar", pdf(), "plan.pdf")
        services.submit(tenant, citizen, application.id)
        aid = application.id
        db.session.commit()
    return aid


def test_the_applicant_and_the_officers_open_the_files_and_an_officers_reading_is_audited(
        app, client, tenant, people, login, audit_entries):
    aid = _draft_with_files(app, tenant, people)
    base = f"/t/{tenant.slug}/permits/applications/{aid}/files"
    login(client, people["citizen"], tenant)
    own = client.get(f"{base}/ktp")
    assert own.status_code == 200 and own.data == jpeg() and own.mimetype == "image/jpeg"
    assert "no-store" in own.headers["Cache-Control"]
    assert audit_entries(tenant, "permits.file_read") == []   # the applicant's own reading
    officer = app.test_client()
    login(officer, people["intake"], tenant)
    plan = officer.get(f"{base}/gambar")
    assert plan.status_code == 200 and plan.mimetype == "application/pdf" and plan.data.startswith(b"%PDF")
    assert "attachment" in plan.headers["Content-Disposition"] and "REG-PBG-" in plan.headers["Content-Disposition"]
    read = audit_entries(tenant, "permits.file_read")
    assert len(read) == 1 and read[0]["summary"]["after"]["requirement"] == "gambar"
    assert officer.get(f"{base}/nothing").status_code == 404
    stranger = app.test_client()
    login(stranger, people["other"], tenant)
    assert stranger.get(f"{base}/ktp").status_code == 404   # another citizen
    page = officer.get(f"/t/{tenant.slug}/permits/applications/{aid}").get_data(as_text=True)
    assert f'href="{base}/ktp"' in page


def test_an_expired_permit_reads_expired_in_the_register_and_the_api(app, client, tenant, people, create_token):
    with app.app_context():
        applicant = user_actor(people["citizen"], tenant).user
        with tenant_scope(tenant):
            for number, days in (("PBG/0001/2020", -1), ("PBG/0002/2025", 30)):
                db.session.add(Application(
                    type_code="PBG", status="issued", applicant_id=applicant.id, applicant_name="Andi",
                    reference=f"REG/{number}",
                    business_name=f"CV {number}", permit_number=number, issued_at=utcnow() - timedelta(days=400),
                    valid_until=utcnow() + timedelta(days=days), permit_status="valid"))
            db.session.commit()
    html = client.get(f"/t/{tenant.slug}/permits/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    old, new = html.index("PBG/0001/2020"), html.index("PBG/0002/2025")
    row = lambda at: html[at:html.index("</tr>", at)]   # noqa: E731
    assert "status-expired" in row(old) and "Expired" in row(old)
    assert "status-valid" in row(new) and "Expired" not in row(new)
    assert "Kedaluwarsa" in client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    api = f"/t/{tenant.slug}/api/v1/permits/applications/REG"
    assert client.get(f"{api}/PBG/0001/2020", headers=token).get_json()["permit_status"] == "expired"
    assert client.get(f"{api}/PBG/0002/2025", headers=token).get_json()["permit_status"] == "valid"


def test_a_draft_is_saved_without_the_nik_and_submitting_asks_for_it(app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    saved = client.post(f"{base}/apply/SKU", data={**form(nik="", save="1"), "usaha": "Warung"},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    aid = int(saved.headers["Location"].rsplit("/", 1)[1])
    sent = client.post(f"{base}/applications/{aid}/edit", data={**form(nik="", send="1"), "usaha": "Warung"},
                       content_type="multipart/form-data")
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and 'href="#nik"' in html and "NIK pemohon wajib diisi" in html
    with app.app_context():
        assert services.get(tenant, aid).status == "draft"


def test_the_officer_reads_what_the_applicant_gave_and_the_applicant_their_nik_masked(
        app, client, tenant, people, login):
    aid = _draft_with_files(app, tenant, people)
    page = f"/t/{tenant.slug}/permits/applications/{aid}"
    login(client, people["intake"], tenant)
    html = client.get(page).get_data(as_text=True)
    details = html[html.index('id="details"'):html.index("</dl>", html.index('id="details"'))]
    assert NIK in details and "Luas bangunan (m²)" in details and "90" in details and "Jl. Ratulangi 5" in details
    own = app.test_client()
    login(own, people["citizen"], tenant)
    html = own.get(page).get_data(as_text=True)
    assert NIK not in html and NIK[:4] + "*" * 10 + NIK[-2:] in html


def test_the_cashier_filters_the_queue_by_status(app, client, tenant, people, login):
    aid = _draft_with_files(app, tenant, people)   # in the stages
    with app.app_context():
        citizen = user_actor(people["citizen"], tenant)
        sku = services.save_draft(tenant, citizen, "SKU", {"name": "Besse", "nik": NIK}, {"usaha": "Warung"})
        services.submit(tenant, citizen, sku.id)
        services.approve_stage(tenant, user_actor(people["intake"], tenant), sku.id, 0)   # free: to be signed
        references = {aid: services.get(tenant, aid).reference, "sku": sku.reference}
        db.session.commit()
    login(client, people["intake"], tenant)
    base = f"/t/{tenant.slug}/permits/queue"
    to_sign = client.get(f"{base}?status=approved").get_data(as_text=True)
    assert references["sku"] in to_sign and references[aid] not in to_sign
    assert 'value="approved" selected' in to_sign
    assert client.get(f"{base}?status=nonsense").status_code == 400   # refused, as a bad stage (issue 15 trial)
    everything = client.get(base).get_data(as_text=True)
    assert references["sku"] in everything and references[aid] in everything
