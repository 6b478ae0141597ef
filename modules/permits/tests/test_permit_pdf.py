"""The applicant's copy of the signed permit: ``/applications/<id>/permit.pdf`` serves the very PDF
the documents service signed at issuance, to the applicant and the office (an officer's reading is
audited), never cached, and to nobody else; nothing before issuance."""
from __future__ import annotations

from core.kit import db, documents, storage, tenant_scope

from .. import services
from .conftest import NIK
from .test_permit_status import issued


def url(tenant, aid):
    return f"/t/{tenant.slug}/permits/applications/{aid}/permit.pdf"


def test_the_applicant_downloads_the_signed_pdf_byte_for_byte(app, client, tenant, people, login, signer,
                                                               audit_entries):
    aid, number, code = issued(app, tenant, people)
    login(client, people["citizen"], tenant)
    page = client.get(f"/t/{tenant.slug}/permits/applications/{aid}").get_data(as_text=True)
    assert 'id="permit-pdf"' in page and url(tenant, aid).replace("/", "/") in page and 'id="permit-verify"' in page
    response = client.get(url(tenant, aid))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f'filename={number.replace("/", "-")}.pdf' in response.headers["Content-Disposition"]
    with app.app_context():
        doc = documents.find(tenant, code)
        assert response.data == storage().get(doc.storage_key, tenant=tenant) and response.data[:5] == b"%PDF-"
    assert not [e for e in audit_entries(tenant) if e["action"] == "permits.permit_read"]  # one's own: not audited


def test_an_officer_may_read_it_audited_and_another_citizen_may_not(app, client, tenant, people, login, signer,
                                                                    audit_entries):
    aid, number, _code = issued(app, tenant, people)
    login(client, people["other"], tenant)
    assert client.get(url(tenant, aid)).status_code == 404
    login(client, people["intake"], tenant)
    assert client.get(url(tenant, aid)).status_code == 200
    reads = [e for e in audit_entries(tenant) if e["action"] == "permits.permit_read"]
    assert len(reads) == 1 and reads[0]["summary"]["after"] == {"number": number}


def test_nothing_before_issuance_and_no_link(app, client, tenant, people, login, actor):
    with app.app_context():
        citizen = actor(people["citizen"])
        application = services.save_draft(tenant, citizen, "SKU", {"name": "Daeng", "nik": NIK}, {"usaha": "Coto"})
        services.submit(tenant, citizen, application.id)
        with tenant_scope(tenant):
            aid = application.id
        db.session.commit()
    login(client, people["citizen"], tenant)
    assert client.get(url(tenant, aid)).status_code == 404
    assert 'id="permit-pdf"' not in client.get(f"/t/{tenant.slug}/permits/applications/{aid}").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(app, client, tenant, people, signer):
    aid, _number, _code = issued(app, tenant, people)
    assert client.get(url(tenant, aid)).status_code in (302, 401)
