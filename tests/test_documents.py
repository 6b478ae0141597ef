"""Official documents (issue 13.1): render, sign (PAdES), register, revoke, CLI; on both databases."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.documents_helpers import (
    FetchTrap, TsaStub, assert_tampered_fails, assert_valid, ca_pem, decode_qr, validate,
)


@pytest.fixture
def signing_tenant(app, create_tenant):
    from core.documents.certs import ensure_tenant_cert

    tenant = create_tenant(timezone="Asia/Jayapura", extra={
        "address": "Jl. Balai Kota No. 1", "documents": {"signer_name": "Drs. Budi Santoso"}})
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    return tenant


def issue(app, tenant, number="001/TEST/2026", template="documents/sample.html", context=None, **kw):
    from core.documents import issue as do_issue
    from core.extensions import db
    from core.storage import storage

    with app.app_context():
        doc = do_issue(tenant, kw.pop("kind", "letter"), number, kw.pop("subject", "Surat uji"), template,
                       context or {}, kw.pop("position", "Kepala Dinas"), "test", **kw)
        row = {"code": doc.code, "sha256": doc.sha256, "key": doc.storage_key, "id": doc.id}
        db.session.commit()
        return row, storage().get(row["key"], tenant=tenant)


def count_documents(app, tenant) -> int:
    from core.documents import listing

    with app.app_context():
        return len(listing(tenant))


def test_issued_document_is_signed_registered_and_audited(app, signing_tenant, audit_entries):
    doc, data = issue(app, signing_tenant)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == doc["sha256"]
    assert_valid(data, ca_pem(app))
    assert_tampered_fails(data, ca_pem(app))
    [entry] = audit_entries(signing_tenant, "document.issued")
    assert entry["summary"]["after"]["sha256"] == doc["sha256"]


def test_qr_decodes_to_the_verification_url(app, signing_tenant):
    from core.documents import verification_url

    doc, data = issue(app, signing_tenant)
    with app.app_context():
        url = verification_url(signing_tenant, doc["code"])
    assert url == f"https://{signing_tenant.domains[0].host}/verify/{doc['code']}"  # its own domain (core/links)
    assert decode_qr(data) == [url]


@pytest.mark.parametrize("locales", [["id", "en"], ["en", "id"]])
def test_letterhead_locale_and_zone_are_the_tenants(app, create_tenant, locales):
    import pypdfium2 as pdfium
    from zoneinfo import ZoneInfo

    from core.documents.certs import ensure_tenant_cert

    tenant = create_tenant(timezone="Asia/Jayapura", locales=locales, extra={
        "address": "Jl. Balai Kota No. 1", "documents": {"signer_name": "Drs. Budi Santoso"}})
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    _, data = issue(app, tenant)
    text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert tenant.name.upper() in text  # kop surat
    assert "Jl. Balai Kota No. 1" in text
    assert "Drs. Budi Santoso" in text and "Kepala Dinas" in text
    local = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Jayapura"))  # the letter's date: WIT
    id_months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                 "Oktober", "November", "Desember"]
    if locales[0] == "id":
        assert f"{local.day} {id_months[local.month - 1]} {local.year}" in text
    else:
        assert f"{local:%B} {local.day}, {local.year}" in text


def test_codes_are_unguessable_and_distinct(app, signing_tenant):
    a, _ = issue(app, signing_tenant, number="A/1")
    b, _ = issue(app, signing_tenant, number="A/2")
    assert a["code"] != b["code"] and len(a["code"]) >= 32


def test_codes_never_start_with_a_dash(monkeypatch):
    """A code beginning with "-" read as an option on the command line (found by the CLI test)."""
    from core.documents import service

    drawn = iter(["-starts-with-a-dash-aaaaaaaaaaaa", "Zgood-code-bbbbbbbbbbbbbbbbbbbbbb"])
    monkeypatch.setattr(service.secrets, "token_urlsafe", lambda n: next(drawn))
    assert service.new_code() == "Zgood-code-bbbbbbbbbbbbbbbbbbbbbb"


def test_a_number_already_used_is_refused_and_nothing_is_stored(app, signing_tenant):
    from core.errors import ValidationError

    issue(app, signing_tenant, number="DUP/1")
    before = count_documents(app, signing_tenant)
    files_before = sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf"))
    with pytest.raises(ValidationError, match="number"):
        issue(app, signing_tenant, number="DUP/1")
    assert count_documents(app, signing_tenant) == before
    assert sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf")) == files_before


@pytest.mark.parametrize("field, value", [("number", ""), ("number", "  "), ("subject", ""), ("kind", "Bad Kind"),
                                          ("position", ""), ("subject", "x" * 301)])
def test_bad_fields_are_refused_by_name(app, signing_tenant, field, value):
    from core.errors import ValidationError

    args = {"number": "F/1", "subject": "Surat", "kind": "letter", "position": "Kepala"}
    args[field] = value
    number = args.pop("number")
    with pytest.raises(ValidationError) as err:
        issue(app, signing_tenant, number=number, **args)
    assert err.value.where in (field, "signer_position")
    assert count_documents(app, signing_tenant) == 0


def test_a_failing_database_write_leaves_no_stored_file(app, signing_tenant, monkeypatch):
    from core.documents import service

    stored = []

    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    with app.app_context():
        backend = service.storage()
        original = backend.put

        def put(*args, **kwargs):
            key = original(*args, **kwargs)
            stored.append(key)
            return key

        monkeypatch.setattr(backend, "put", put)
        monkeypatch.setattr(service, "audit", boom)
        with pytest.raises(RuntimeError):
            service.issue(signing_tenant, "letter", "X/1", "Surat", "documents/sample.html", {}, "Kepala", "test")
        from core.extensions import db

        db.session.rollback()
        assert stored and not backend.exists(stored[0])
    assert count_documents(app, signing_tenant) == 0


def test_script_and_external_urls_are_inert(app, signing_tenant):
    tenants_dir = Path(app.config["PAMONG_TENANTS_DIR"])
    with FetchTrap() as trap:
        (tenants_dir / "evil.html").write_text(
            '{% extends "documents/letter.html" %}{% block body %}'
            f'<link rel="stylesheet" href="{trap.url}/style.css">'
            f'<style>@import url("{trap.url}/import.css"); p {{ background: url("{trap.url}/bg.png") }}</style>'
            f'<img src="{trap.url}/pixel.png"><img src="file:///etc/passwd">'
            '<script>document.write("INJECTED")</script>'
            '<p>{{ note }}</p>{% endblock %}')
        note = f'<img src="{trap.url}/typed.png"><script>alert(1)</script>'
        doc, data = issue(app, signing_tenant, number="EVIL/1", template="tenant/evil.html", context={"note": note})
        assert trap.hits == []
    assert_valid(data, ca_pem(app))
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "INJECTED" not in text
    assert "<script>alert(1)</script>" in text  # a user's text is shown as text, escaped


def test_unknown_template_is_one_clear_error(app, signing_tenant):
    from core.errors import ValidationError

    with pytest.raises(ValidationError, match="template"):
        issue(app, signing_tenant, number="T/1", template="documents/no-such.html")
    assert count_documents(app, signing_tenant) == 0


@pytest.mark.parametrize("when", ["expired", "not yet valid"])
def test_certificate_outside_its_validity_is_refused(app, signing_tenant, when):
    from core.documents import LocalSigner, SigningError
    from core.documents.certs import issue_cert

    now = datetime.now(timezone.utc)
    bounds = ({"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=1)} if when == "expired"
              else {"not_before": now + timedelta(days=1), "not_after": now + timedelta(days=400)})
    key, cert = issue_cert(app.config["INSTANCE_DIR"], "Old signer", "Test", **bounds)
    signer = LocalSigner(key, cert, [ca_pem(app)])
    with pytest.raises(SigningError) as err:
        issue(app, signing_tenant, number="C/1", signer=signer)
    assert err.value.code == ("certificate_expired" if when == "expired" else "certificate_not_yet_valid")
    assert ("expired" if when == "expired" else "not valid before") in str(err.value)
    assert count_documents(app, signing_tenant) == 0


def test_missing_local_certificate_names_the_command(app, create_tenant):
    from core.errors import PamongError

    tenant = create_tenant()
    with pytest.raises(PamongError, match="init-signer"):
        issue(app, tenant, number="M/1")


def test_revocation_is_audited_and_shown(app, signing_tenant, audit_entries):
    from core.documents import find, revoke
    from core.errors import ValidationError
    from core.extensions import db

    doc, _ = issue(app, signing_tenant, number="R/1")
    with app.app_context():
        revoke(signing_tenant, find(signing_tenant, doc["code"]), "Diterbitkan ulang", "test")
        db.session.commit()
        again = find(signing_tenant, doc["code"])
        assert again.state() == "revoked" and again.revoked_reason == "Diterbitkan ulang"
        with pytest.raises(ValidationError, match="already revoked"):
            revoke(signing_tenant, again, "twice", "test")
        db.session.rollback()
    [entry] = audit_entries(signing_tenant, "document.revoked")
    assert entry["summary"]["after"]["reason"] == "Diterbitkan ulang"


def test_expired_document_reads_as_expired(app, signing_tenant):
    from core.documents import find

    doc, _ = issue(app, signing_tenant, number="E/1", expires_at=datetime.now(timezone.utc) + timedelta(hours=1))
    with app.app_context():
        d = find(signing_tenant, doc["code"])
        assert d.state() == "valid"
        assert d.state(datetime.now(timezone.utc) + timedelta(hours=2)) == "expired"


@pytest.mark.parametrize("expires_at, words", [
    (datetime.now(timezone.utc) - timedelta(minutes=1), "already past"),
    (datetime(2030, 1, 1), "time zone"),
])
def test_bad_expiry_is_refused(app, signing_tenant, expires_at, words):
    from core.errors import ValidationError

    with pytest.raises(ValidationError, match=words) as err:
        issue(app, signing_tenant, number="E/bad", expires_at=expires_at)
    assert err.value.where == "expires_at"
    assert count_documents(app, signing_tenant) == 0


def test_revoke_permission_is_declared_for_admins(app):
    with app.app_context():
        perms = app.extensions["pamong"].all_permissions()
    assert perms["core.documents.revoke"]["roles"] == ["admin"]


def test_with_a_timestamp_service_the_signature_is_b_t(app, signing_tenant, monkeypatch):
    """PAdES B-T: PAMONG_TSA_URL set, the signature carries an RFC 3161 timestamp token."""
    _, plain = issue(app, signing_tenant, number="BB/1")
    assert validate(plain, ca_pem(app)).timestamp_validity is None  # B-B without a TSA
    with TsaStub(app.config["INSTANCE_DIR"]) as tsa:
        monkeypatch.setitem(app.config, "PAMONG_TSA_URL", tsa.url)
        _, data = issue(app, signing_tenant, number="BT/1")
        assert tsa.calls >= 1  # pyHanko asks once more first, to size the signature
    assert_valid(data, ca_pem(app))
    assert_tampered_fails(data, ca_pem(app))
    stamp = validate(data, ca_pem(app)).timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted


def test_timestamp_service_down_is_a_signing_error(app, signing_tenant, monkeypatch):
    import socket

    from core.documents import SigningError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(app.config, "PAMONG_TSA_URL", f"http://127.0.0.1:{port}/tsa")
    with pytest.raises(SigningError) as err:
        issue(app, signing_tenant, number="BT/down")
    assert err.value.code == "signing_failed"
    assert count_documents(app, signing_tenant) == 0


def test_verification_url_in_a_request_is_public_root_never_the_host_header(app, signing_tenant):
    """On the tenant's own domain the URL is that domain; a Host the tenant does not own is not copied."""
    from flask import g

    from core.documents import verification_url

    host = signing_tenant.domains[0].host
    with app.test_request_context("/", base_url=f"http://{host}/"):
        g.tenant = signing_tenant
        assert verification_url(signing_tenant, "CODE") == f"http://{host}/verify/CODE"
    with app.test_request_context("/", base_url="http://evil.example.com/"):
        g.tenant = signing_tenant
        assert verification_url(signing_tenant, "CODE") == f"http://{host}/verify/CODE"


def test_logo_comes_from_the_static_folder_only(app, create_tenant, tmp_path, monkeypatch):
    import base64

    from core.documents.certs import ensure_tenant_cert
    from core.documents.render import logo_data_uri

    from PIL import Image

    static = tmp_path / "static"
    (static / "logos").mkdir(parents=True)
    Image.new("RGB", (40, 40), (200, 30, 30)).save(static / "logos" / "kota.png")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret")
    monkeypatch.setattr(app, "static_folder", str(static))
    tenant = create_tenant(branding={"logo": "logos/kota.png"})
    with app.app_context():
        uri = logo_data_uri(tenant)
        assert uri.startswith("data:image/png;base64,")
        assert base64.b64decode(uri.split(",", 1)[1]) == (static / "logos" / "kota.png").read_bytes()
        for bad in ("../secret.png", "/../secret.png", "logos/missing.png", "logos"):
            tenant.branding = {"logo": bad}
            assert logo_data_uri(tenant) == ""
    tenant.branding = {"logo": "logos/kota.png"}
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    _, data = issue(app, tenant, number="LOGO/1")
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(data)[0]
    images = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 2  # the logo and the QR code


def test_a_number_taken_between_check_and_insert_is_the_same_clear_error(app, signing_tenant, monkeypatch):
    """Two issuers racing for one number: the unique key (tenant, kind, number) decides; the loser
    gets the duplicate error and its stored file is deleted again."""
    from core.documents import service
    from core.errors import ValidationError
    from core.extensions import db

    issue(app, signing_tenant, number="RACE/1")
    real_execute = db.session.execute
    calls = {"n": 0}

    def blind_check(statement, *args, **kwargs):  # the pre-check sees nothing, as in a race
        calls["n"] += 1
        if calls["n"] == 1:
            class Empty:
                def first(self):
                    return None
            return Empty()
        return real_execute(statement, *args, **kwargs)

    files_before = sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf"))
    with app.app_context():
        monkeypatch.setattr(db.session, "execute", blind_check)
        with pytest.raises(ValidationError) as err:
            service.issue(signing_tenant, "letter", "RACE/1", "Surat", "documents/sample.html", {}, "Kepala", "test")
        monkeypatch.undo()
        db.session.rollback()
    assert err.value.code == "duplicate"
    assert sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf")) == files_before
    assert count_documents(app, signing_tenant) == 1


def test_rendering_leaves_pillows_truncated_image_check_alone(app_ctx):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES at import; a document rendered must not make
    the kit's photo checks accept truncated files afterwards."""
    from PIL import ImageFile

    from core.documents.render import html_to_pdf

    assert html_to_pdf("<p>Uji</p>").startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_signing_works_while_an_event_loop_runs_in_the_thread():
    """pyHanko calls asyncio.run(); inside a running loop (an async server, Playwright's sync API in
    the same test session) the kit runs it on a worker thread instead of failing. The loop is made
    on a thread of the test's own, which has none running yet."""
    import asyncio
    import threading

    from core.documents.signing import outside_event_loop

    async def inside_a_loop():
        return outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="signed")))

    results = []
    worker = threading.Thread(target=lambda: results.append(asyncio.run(inside_a_loop())))
    worker.start()
    worker.join(timeout=30)
    assert results == ["signed"]
