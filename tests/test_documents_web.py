"""The public verification page /verify/<code> and its upload form, through the test client, on
both databases: a tenant's own code only, status and reason, exact-file check, bad uploads."""
from __future__ import annotations

import re

import pytest

from tests.test_documents import issue


@pytest.fixture
def tenant(app, create_tenant):
    """English first, so the messages checked below read the same before and after the Indonesian
    catalogue has them; ``test_page_is_in_the_tenants_language`` covers an Indonesian tenant."""
    from core.documents.certs import ensure_tenant_cert

    t = create_tenant(locales=["en", "id"], extra={"documents": {"signer_name": "Andi Wijaya"}})
    ensure_tenant_cert(app.config["INSTANCE_DIR"], t)
    return t


def test_page_is_in_the_tenants_language(app, client, create_tenant):
    from flask_babel import force_locale, gettext

    from core.documents.certs import ensure_tenant_cert

    t = create_tenant(locales=["id", "en"])
    ensure_tenant_cert(app.config["INSTANCE_DIR"], t)
    doc, _ = issue(app, t, number="ID/1")
    html = page(client, t, doc["code"]).get_data(as_text=True)
    with app.test_request_context(), force_locale("id"):
        valid, heading = gettext("Valid"), gettext("Document verification")
    assert 'lang="id"' in html and f"<strong>{valid}</strong>" in html and heading in html


def page(client, tenant, code, **kw):
    return client.get(f"/t/{tenant.slug}/verify/{code}", **kw)


def upload(client, tenant, code, data: bytes, name="copy.pdf"):
    from io import BytesIO

    return client.post(f"/t/{tenant.slug}/verify/{code}", data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_page_shows_the_register_entry_and_no_personal_data(app, client, tenant, create_user):
    from core.auth.service import find_user

    officer = create_user(tenant, role="admin")
    with app.app_context():
        actor = find_user(officer)
        from core.documents import issue as do_issue
        from core.extensions import db

        doc = do_issue(tenant, "permit", "503/7/DPMPTSP/2026", "Izin reklame", "documents/sample.html", {},
                       "Kepala Dinas", actor)
        code, sha = doc.code, doc.sha256
        db.session.commit()
    response = page(client, tenant, code)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("503/7/DPMPTSP/2026", "Izin reklame", "Andi Wijaya", "Kepala Dinas", sha, 'lang="en"'):
        assert text in html
    assert officer not in html  # who pressed the button is not published
    assert "Valid" in html


def test_code_of_another_tenant_unknown_code_and_no_tenant_are_404(app, client, tenant, create_tenant):
    doc, _ = issue(app, tenant, number="N/1")
    other = create_tenant()
    assert page(client, other, doc["code"]).status_code == 404
    assert page(client, tenant, doc["code"][:-1] + ("A" if doc["code"][-1] != "A" else "B")).status_code == 404
    assert page(client, tenant, "short").status_code == 404
    assert client.get(f"/verify/{doc['code']}").status_code == 404
    assert upload(client, other, doc["code"], b"%PDF-1.7").status_code == 404


def test_upload_of_the_exact_file_matches_and_a_changed_one_does_not(app, client, tenant):
    doc, data = issue(app, tenant, number="U/1")
    ok = upload(client, tenant, doc["code"], data)
    assert ok.status_code == 200
    assert "exactly this document" in ok.get_data(as_text=True)
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x20
    bad = upload(client, tenant, doc["code"], bytes(changed))
    assert bad.status_code == 200
    assert "is not this document" in bad.get_data(as_text=True)


@pytest.mark.parametrize("body, name", [(b"GIF89a not a pdf", "copy.pdf"), (b"", "empty.pdf"),
                                        (b"  %PDF-1.7 leading junk", "x.pdf")])
def test_upload_that_is_not_a_pdf_is_the_form_with_a_message(app, client, tenant, body, name):
    doc, _ = issue(app, tenant, number=f"P/{len(body)}")
    response = upload(client, tenant, doc["code"], body, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and ("This is not a PDF file." in html or "Choose a PDF file." in html)
    assert "verify-result" not in html


def test_upload_over_the_page_limit_is_the_form_with_a_message(app, client, tenant, monkeypatch):
    doc, data = issue(app, tenant, number="L/1")
    monkeypatch.setitem(app.config, "PAMONG_VERIFY_MAX_BYTES", 1024 * 1024)
    response = upload(client, tenant, doc["code"], b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    assert response.status_code == 422
    assert "larger than 1 MB" in response.get_data(as_text=True)


class CountingStream:
    """A request body of ``size`` bytes that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size, self.pos, self.read_bytes = size, 0, 0

    def tell(self):
        return self.pos

    def seek(self, offset, whence=0):
        self.pos = offset if whence == 0 else self.size + offset if whence == 2 else self.pos + offset

    def read(self, n=-1):
        n = self.size - self.pos if n is None or n < 0 else min(n, self.size - self.pos)
        self.pos += n
        self.read_bytes += n
        return b"0" * n

    def readline(self, n=-1):
        return self.read(min(n, 65536) if n and n > 0 else 65536)


def test_a_50_mb_upload_is_413_and_not_read(app, client, tenant):
    doc, _ = issue(app, tenant, number="BIG/1")
    stream = CountingStream(50 * 1024 * 1024)
    response = client.post(f"/t/{tenant.slug}/verify/{doc['code']}", input_stream=stream,
                           content_length=stream.size, content_type="multipart/form-data; boundary=xyz")
    assert response.status_code == 413
    # the verification page again with the message (core/documents/views.py too_large)
    assert "The file is larger than 10 MB" in response.get_data(as_text=True)
    assert stream.read_bytes <= app.config["MAX_CONTENT_LENGTH"]


def test_revoked_document_shows_revoked_with_its_reason(app, client, tenant):
    from core.documents import find, revoke
    from core.extensions import db

    doc, data = issue(app, tenant, number="RV/1")
    with app.app_context():
        revoke(tenant, find(tenant, doc["code"]), "Salah alamat; diganti RV/2", "test")
        db.session.commit()
    html = page(client, tenant, doc["code"]).get_data(as_text=True)
    assert "Revoked" in html and "Salah alamat; diganti RV/2" in html
    assert "exactly this document" in upload(client, tenant, doc["code"], data).get_data(as_text=True)


def test_revoking_on_the_web_needs_the_permission_and_is_audited(app, tenant, create_user, login, audit_entries):
    doc, _ = issue(app, tenant, number="W/1")
    url = f"/t/{tenant.slug}/verify/{doc['code']}/revoke"
    citizen, admin = app.test_client(), app.test_client()
    login(citizen, create_user(tenant), tenant)
    assert "Revoke this document" not in page(citizen, tenant, doc["code"]).get_data(as_text=True)
    assert citizen.post(url, data={"reason": "no"}).status_code == 403
    anonymous = app.test_client().post(url, data={"reason": "no"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(admin, create_user(tenant, role="admin"), tenant)
    assert "Revoke this document" in page(admin, tenant, doc["code"]).get_data(as_text=True)
    empty = admin.post(url, data={"reason": "  "})
    assert empty.status_code == 422 and "Give the reason." in empty.get_data(as_text=True)
    assert admin.post(url, data={"reason": "Dicabut"}).status_code == 302
    assert "Dicabut" in page(admin, tenant, doc["code"]).get_data(as_text=True)
    twice = admin.post(url, data={"reason": "again"})
    assert twice.status_code == 422 and "already revoked" in twice.get_data(as_text=True)
    [entry] = audit_entries(tenant, "document.revoked")
    assert entry["summary"]["after"]["reason"] == "Dicabut"


def test_upload_needs_the_csrf_token(app, error_app, tenant):
    from io import BytesIO

    doc, data = issue(app, tenant, number="CSRF/1")
    client = error_app.test_client()
    url = f"/t/{tenant.slug}/verify/{doc['code']}"
    without = client.post(url, data={"file": (BytesIO(data), "a.pdf")}, content_type="multipart/form-data")
    assert without.status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    token = token.group(1) or token.group(2)
    ok = client.post(url, data={"csrf_token": token, "file": (BytesIO(data), "a.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 200 and "exactly this document" in ok.get_data(as_text=True)


def test_expired_document_shows_expired(app, client, tenant):
    from datetime import datetime, timedelta, timezone

    from core.documents import Document
    from core.extensions import db
    from core.tenancy.scope import tenant_scope

    doc, _ = issue(app, tenant, number="EX/1", expires_at=datetime.now(timezone.utc) + timedelta(days=1))
    with app.app_context(), tenant_scope(tenant):
        db.session.get(Document, doc["id"]).expires_at = datetime.now(timezone.utc) - timedelta(days=1)
        db.session.commit()
    html = page(client, tenant, doc["code"]).get_data(as_text=True)
    assert "Expired" in html and "Valid</strong>" not in html


def test_a_50_mb_upload_on_an_indonesian_tenant_is_its_verify_page_in_its_language(app, error_app, create_tenant):
    """Issue 13 trial: a bare 413 branded "Pamong", in English for an en-US browser. The answer is
    the verification page again (the tenant's name and language) with the message, status 413."""
    from flask_babel import force_locale, gettext

    from core.documents.certs import ensure_tenant_cert

    t = create_tenant(locales=["id"], name="Kota Sampel Raya")
    ensure_tenant_cert(app.config["INSTANCE_DIR"], t)
    doc, _ = issue(app, t, number="BESAR/1")
    stream = CountingStream(50 * 1024 * 1024)
    client = error_app.test_client()  # as deployed: CSRF protection reads the form before the tenant is known
    response = client.post(f"/t/{t.slug}/verify/{doc['code']}", input_stream=stream, content_length=stream.size,
                           content_type="multipart/form-data; boundary=xyz",
                           headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert stream.read_bytes <= app.config["MAX_CONTENT_LENGTH"]
    with app.test_request_context(), force_locale("id"):
        heading = gettext("Document verification")
        message = gettext("The file is larger than %(mb)d MB; this document is much smaller.", mb=10)
    assert 'lang="id"' in html and heading in html and "BESAR/1" in html, html[:1500]
    assert "Kota Sampel Raya" in html and message.replace("'", "&#39;") in html
    assert 'enctype="multipart/form-data"' in html  # the form again, ready for a smaller file

    # elsewhere in the tenant (no verify page to show): the core's error page, the tenant's own
    response = client.post(f"/t/{t.slug}/verify/{'x' * 32}", input_stream=CountingStream(50 * 1024 * 1024),
                           content_length=50 * 1024 * 1024, content_type="multipart/form-data; boundary=xyz",
                           headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    with app.test_request_context(), force_locale("id"):
        too_large = gettext("The upload is too large.")
    assert response.status_code == 413 and 'lang="id"' in html and too_large in html and "Kota Sampel Raya" in html
