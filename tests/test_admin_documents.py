"""The admin's register of signed documents (filters, pages, revoke with a reason, links to the
verification page) and the documents settings form, over HTTP on both databases: permission
refusals and bad input answered with the page and its message, nothing changed."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from core.audit import AuditEntry
from core.documents.models import Document
from core.extensions import db
from core.tenancy.scope import tenant_scope

NIK = "7371010101900001"


def add_documents(app, tenant, count, kind="letter", **fields):
    """Register rows without rendering a PDF (the register page reads only the rows)."""
    from core.documents.service import new_code

    with app.app_context(), tenant_scope(tenant):
        codes = []
        for n in range(count):
            doc = Document(**{"kind": kind, "number": f"{kind}/{n + 1}", "subject": f"Perihal {n + 1}",
                              "signer_name": "Andi", "signer_position": "Kepala Dinas", "sha256": "0" * 64, "size": 1,
                              "status": "valid", "revoked_reason": "", "storage_key": f"k{n}", "code": new_code(),
                              "signer_kind": "local",
                              "signed_at": datetime.now(timezone.utc) - timedelta(minutes=count - n), **fields})
            db.session.add(doc)
            codes.append(doc.code)
        db.session.commit()
    return codes


def signed_in(client, create_tenant, create_user, login, role="admin"):
    tenant = create_tenant(locales=["en", "id"])
    login(client, create_user(tenant, role), tenant)
    return tenant


def state_of(app, tenant, code):
    with app.app_context(), tenant_scope(tenant):
        doc = db.session.execute(db.select(Document).where(Document.code == code)).scalar_one()
        return doc.status, doc.revoked_reason


def test_register_lists_filters_and_pages(app, client, create_tenant, create_user, login):
    tenant = signed_in(client, create_tenant, create_user, login)
    letters = add_documents(app, tenant, 52)
    add_documents(app, tenant, 1, kind="permit")
    past = datetime.now(timezone.utc) - timedelta(days=1)
    [expired] = add_documents(app, tenant, 1, kind="sk", expires_at=past)
    base = f"/t/{tenant.slug}/admin/documents"
    first = client.get(base)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and html.count('class="revoke inline"') == 50
    assert f"/t/{tenant.slug}/verify/{expired}" in html and "page=2" in html
    second = client.get(f"{base}?page=2").get_data(as_text=True)
    assert second.count('class="revoke inline"') == 4 and f"/verify/{letters[0]}" in second
    permits = client.get(f"{base}?kind=permit").get_data(as_text=True)
    assert "permit/1" in permits and "letter/1<" not in permits
    only_expired = client.get(f"{base}?status=expired").get_data(as_text=True)
    assert "sk/1" in only_expired and "permit/1" not in only_expired
    assert "sk/1" not in client.get(f"{base}?status=valid&kind=sk").get_data(as_text=True)


@pytest.mark.parametrize("query", ["kind=Surat%20Keputusan", "status=lost", "page=0", "page=abc"])
def test_bad_filters_are_the_page_with_a_message(client, create_tenant, create_user, login, query):
    tenant = signed_in(client, create_tenant, create_user, login)
    response = client.get(f"/t/{tenant.slug}/admin/documents?{query}")
    assert response.status_code == 400


def test_revoke_with_a_reason_is_audited_and_shown_publicly(app, client, create_tenant, create_user, login):
    tenant = signed_in(client, create_tenant, create_user, login)
    [code] = add_documents(app, tenant, 1)
    question = client.get(f"/t/{tenant.slug}/admin/documents/{code}/revoke?status=valid")
    assert question.status_code == 200 and 'name="confirm" value="1"' in question.get_data(as_text=True)
    assert state_of(app, tenant, code) == ("valid", "")  # the question changes nothing
    unconfirmed = client.post(f"/t/{tenant.slug}/admin/documents/{code}/revoke", data={"reason": "Salah penerima"})
    assert unconfirmed.status_code == 200 and state_of(app, tenant, code) == ("valid", "")
    assert 'value="Salah penerima"' in unconfirmed.get_data(as_text=True)  # the reason typed is kept
    response = client.post(f"/t/{tenant.slug}/admin/documents/{code}/revoke?status=valid",
                           data={"reason": "Salah penerima", "confirm": "1"})
    assert response.status_code == 302 and "status=valid" in response.headers["Location"]
    assert state_of(app, tenant, code) == ("revoked", "Salah penerima")
    with app.app_context(), tenant_scope(tenant):
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "document.revoked")).scalar_one()
        assert entry.summary["after"]["reason"] == "Salah penerima"
    listed = client.get(f"/t/{tenant.slug}/admin/documents?status=revoked").get_data(as_text=True)
    assert "Salah penerima" in listed and 'class="revoke inline"' not in listed
    again = client.post(f"/t/{tenant.slug}/admin/documents/{code}/revoke", data={"reason": "Lagi", "confirm": "1"})
    assert again.status_code == 400 and "already revoked" in again.get_data(as_text=True)
    assert state_of(app, tenant, code) == ("revoked", "Salah penerima")


@pytest.mark.parametrize("reason, message", [("", "Give the reason."), ("   ", "Give the reason."),
                                             ("x" * 1001, "longer than 1,000")])
def test_revoke_without_a_usable_reason_changes_nothing(app, client, create_tenant, create_user, login, reason,
                                                        message):
    tenant = signed_in(client, create_tenant, create_user, login)
    [code] = add_documents(app, tenant, 1)
    response = client.post(f"/t/{tenant.slug}/admin/documents/{code}/revoke", data={"reason": reason, "confirm": "1"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert state_of(app, tenant, code) == ("valid", "")


def test_unknown_or_other_tenants_code_is_404(app, client, create_tenant, create_user, login):
    tenant = signed_in(client, create_tenant, create_user, login)
    other = create_tenant()
    [theirs] = add_documents(app, other, 1)
    for code in (theirs, "A" * 32, "../../etc"):
        assert client.post(f"/t/{tenant.slug}/admin/documents/{code}/revoke",
                           data={"reason": "x", "confirm": "1"}).status_code == 404
        assert client.get(f"/t/{tenant.slug}/admin/documents/{code}/revoke").status_code == 404
    assert state_of(app, other, theirs) == ("valid", "")
    assert theirs not in client.get(f"/t/{tenant.slug}/admin/documents").get_data(as_text=True)


def test_permissions(app, client, create_tenant, create_user, login):
    tenant = create_tenant()
    [code] = add_documents(app, tenant, 1)
    base = f"/t/{tenant.slug}/admin/documents"
    assert client.get(base).status_code in (302, 401, 403)  # nobody signed in
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/{code}/revoke", data={"reason": "x", "confirm": "1"}).status_code == 403
    client = app.test_client()  # another browser
    login(client, create_user(tenant, "auditor"), tenant)
    page = client.get(base)
    assert page.status_code == 200 and 'class="revoke inline"' not in page.get_data(as_text=True)
    assert client.post(f"{base}/{code}/revoke", data={"reason": "x", "confirm": "1"}).status_code == 403
    assert client.get(f"{base}/{code}/revoke").status_code == 403
    assert client.get(f"{base}/settings").status_code == 403
    assert state_of(app, tenant, code) == ("valid", "")


def test_settings_form_checks_as_tenant_apply_does(app, client, create_tenant, create_user, login, monkeypatch):
    from core.tenant_secrets import env_name

    tenant = signed_in(client, create_tenant, create_user, login)
    monkeypatch.setenv(env_name(tenant.slug, "BSRE_PASSPHRASE"), "rahasia")
    url = f"/t/{tenant.slug}/admin/documents/settings"
    page = client.get(url).get_data(as_text=True)
    assert 'name="number_pattern"' in page and 'name="signer"' in page
    form = {"signer": "bsre", "signer_name": "Andi", "bsre_url": "https://esign.example.go.id", "nik": "7371010101900000",
            "passphrase": "env:BSRE_PASSPHRASE", "totp": "", "client_user": "", "client_password": "",
            "number_pattern": "{kind}/{serial}/{year}", "number_period": "year"}
    bad_nik = client.post(url, data=form)
    assert bad_nik.status_code == 400 and "NIK" in bad_nik.get_data(as_text=True)
    bad_pattern = client.post(url, data={**form, "nik": NIK, "number_pattern": "{kind}/{nomor}"})
    assert bad_pattern.status_code == 400 and "{nomor}" in bad_pattern.get_data(as_text=True)
    missing = client.post(url, data={k: v for k, v in form.items() if k != "number_period"})
    assert missing.status_code == 400
    with app.app_context():
        from core.tenancy.models import Tenant

        assert "documents" not in (db.session.get(Tenant, tenant.id).extra or {})
    saved = client.post(url, data={**form, "nik": "7371 0101 0190 0001"})
    assert saved.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        from core.tenancy.models import Tenant

        stored = db.session.get(Tenant, tenant.id).extra["documents"]
        assert stored["signer"] == "bsre" and stored["number_pattern"] == "{kind}/{serial}/{year}"
        entry = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "tenant.documents.settings")).scalar_one()
        assert entry.summary["after"]["passphrase"] == "env:BSRE_PASSPHRASE" and "rahasia" not in str(entry.summary)


def settings_form(**over):
    return {"signer": "bsre", "signer_name": "Andi", "bsre_url": "https://esign.example.go.id", "nik": NIK,
            "passphrase": "", "totp": "", "client_user": "", "client_password": "",
            "number_pattern": "{kind}/{serial}/{year}", "number_period": "year", **over}


def test_settings_form_refuses_a_secret_written_in_place_and_never_shows_one(app, client, create_tenant,
                                                                              create_user, login):
    """Issue 13 trial: "Frasa sandi" stored and shown in plain text. Refused with a message naming
    the field, not echoed back; one stored in place earlier is not shown either."""
    import html

    tenant = create_tenant()  # Indonesian
    login(client, create_user(tenant, "admin"), tenant)
    url = f"/t/{tenant.slug}/admin/documents/settings"
    refused = client.post(url, data=settings_form(passphrase="rahasia-sekali"))
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "rahasia-sekali" not in page
    assert "Frasa sandi adalah rahasia: tulis rujukan env:NAMA" in page, page[page.find("error"):][:800]
    with app.app_context():
        from core.tenancy.models import Tenant

        tenant_row = db.session.get(Tenant, tenant.id)
        assert "documents" not in (tenant_row.extra or {})
        tenant_row.extra = {"documents": settings_form(passphrase="lama-rahasia")}  # stored by an older version
        db.session.commit()
    shown = client.get(url)
    assert shown.status_code == 200 and "lama-rahasia" not in shown.get_data(as_text=True)


def test_settings_form_reports_every_problem_in_the_pages_language_with_labelled_choices(
        app, client, create_tenant, create_user, login):
    """URL and NIK wrong together: both shown, each on its field, in Indonesian only; the signer
    and period choices have labels, not raw values."""
    import html
    import re

    tenant = create_tenant()
    login(client, create_user(tenant, "admin"), tenant)
    url = f"/t/{tenant.slug}/admin/documents/settings"
    page = html.unescape(client.get(url).get_data(as_text=True))
    options = dict(re.findall(r'<option value="([a-z]+)"[^>]*>([^<]+)</option>', page))
    assert options["bsre"].startswith("BSrE (") and options["local"].startswith("Lokal")
    assert options["year"] == "Tahun" and options["none"] == "Tidak pernah"
    bad = client.post(url, data=settings_form(bsre_url="not a url", nik="12345", passphrase="env:NOPE"))
    page = html.unescape(bad.get_data(as_text=True))
    assert bad.status_code == 400
    assert "not a url bukan alamat yang diawali http:// atau https://." in page
    assert "NIK penanda tangan tidak sah: NIK harus terdiri atas 16 angka" in page
    assert "Rahasia ini belum diatur untuk tenant ini" in page
    for english in ("is not an http(s) URL", "is not valid", "needs the signer", "is not set", "Nilai tidak sah"):
        assert english not in page, english


def test_settings_form_shows_every_error_on_the_first_submit(app, client, create_tenant, create_user, login):
    """Second trial of issue 13: with a bad URL, NIK, two literal secrets, an unset TOTP reference
    and a bad number pattern, the first submit showed only the pattern and the literal secrets;
    every one shows at once now, each on its own field, and nothing is saved."""
    import html
    import re

    tenant = create_tenant()  # Indonesian
    login(client, create_user(tenant, "admin"), tenant)
    url = f"/t/{tenant.slug}/admin/documents/settings"
    bad = client.post(url, data=settings_form(bsre_url="bukan url", nik="123", passphrase="rahasia-frasa",
                                              client_password="rahasia-klien", totp="env:TIDAK_ADA",
                                              number_pattern="{bogus}/{year}"))
    page = html.unescape(bad.get_data(as_text=True))
    assert bad.status_code == 400
    errors = dict(re.findall(r'<p class="error" role="alert" id="e-([a-z_]+)">([^<]*)</p>', page))
    assert set(errors) >= {"bsre_url", "nik", "passphrase", "totp", "client_password", "number_pattern"}, errors
    assert "bukan url bukan alamat yang diawali http:// atau https://." == errors["bsre_url"]
    assert errors["nik"].startswith("NIK penanda tangan tidak sah: NIK") and errors["nik"].endswith("."), errors["nik"]
    assert "{bogus}" in errors["number_pattern"]
    assert "Rahasia ini belum diatur" in errors["totp"]
    assert "rahasia-frasa" not in page and "rahasia-klien" not in page
    with app.app_context():
        from core.tenancy.models import Tenant

        assert "documents" not in (db.session.get(Tenant, tenant.id).extra or {})


def test_register_shows_kinds_in_words_and_each_document_as_a_card(app, client, create_tenant, create_user,
                                                                    login):
    """Second trial: the "Jenis" column showed raw codes. The core's own kind reads translated, a
    module's kind reads as the module's name, a registered kind as its label, an unknown one as its
    code; the codes stay in the filter's suggestions."""
    import html

    from core.documents import labels

    tenant = create_tenant()  # Indonesian
    login(client, create_user(tenant, "admin"), tenant)
    add_documents(app, tenant, 1, kind="test")
    add_documents(app, tenant, 1, kind="permit")
    add_documents(app, tenant, 1, kind="eoffice-2026")
    add_documents(app, tenant, 1, kind="zzz-unknown")
    add_documents(app, tenant, 1, kind="registered.one")
    labels.register_kind("registered.", "Surat terdaftar")
    try:
        page = html.unescape(client.get(f"/t/{tenant.slug}/admin/documents").get_data(as_text=True))
    finally:
        labels._registered.pop("registered.")
    kinds = dict(re.findall(r'<span title="([^"]+)">([^<]+)</span>', page))
    with app.app_context():
        manager = app.extensions["pamong"]
        from flask_babel import force_locale

        with app.test_request_context(), force_locale("id"):
            permits = str(manager.modules["permits"].title) if "permits" in manager.modules else "permit"
            eoffice = str(manager.modules["eoffice"].title) if "eoffice" in manager.modules else "eoffice-2026"
    assert kinds == {"test": "Tanda tangan uji", "permit": permits, "eoffice-2026": eoffice,
                     "zzz-unknown": "zzz-unknown", "registered.one": "Surat terdaftar"}, kinds
    assert "permits" in manager.modules and permits != "permit"  # the built-in module is installed here
    assert '<table class="documents stacked">' in page and '<td class="card-head number">test/1</td>' in page
    assert '<option value="eoffice-2026">' in page  # the filter still takes the code


def test_kind_label_without_an_app_or_modules():
    from core.documents.labels import kind_label

    class Spec:
        title = "Perizinan"

    assert kind_label("permit", {"permits": Spec()}) == "Perizinan"
    assert kind_label("permits-2026", {"permits": Spec()}) == "Perizinan"
    assert kind_label("no-such-kind", {"permits": Spec()}) == "no-such-kind"
    assert kind_label("permit", {}) == "permit"
