"""The BSrE adapter against a stub of its signing API on 127.0.0.1: a signed PDF, 401, 500,
garbage, an unsigned PDF, nobody listening. Each failure is one clear error and registers nothing."""
from __future__ import annotations

import socket

import pytest

from tests.documents_helpers import BsreStub, assert_tampered_fails, assert_valid, ca_pem
from tests.test_documents import count_documents, issue

NIK = "7371010101900001"


@pytest.fixture
def tenant_with_local_key(app, create_tenant):
    from core.documents.certs import ensure_tenant_cert

    tenant = create_tenant()
    ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    return tenant


@pytest.fixture
def stub(app, tenant_with_local_key):
    """A BSrE stub that signs with the tenant's local key (as BSrE would with the signer's)."""
    from core.documents import LocalSigner
    from core.documents.certs import tenant_files

    local = LocalSigner.from_files(tenant_files(app.config["INSTANCE_DIR"], tenant_with_local_key.slug))
    with BsreStub(sign_with=lambda pdf: local.sign(pdf, reason="bsre")) as server:
        yield server


def test_bsre_signs_and_the_document_is_registered(app, tenant_with_local_key, stub):
    from core.documents import BsreSigner

    signer = BsreSigner(stub.url, NIK, passphrase="rahasia")
    doc, data = issue(app, tenant_with_local_key, number="B/1", signer=signer)
    assert_valid(data, ca_pem(app))
    assert_tampered_fails(data, ca_pem(app))
    [call] = stub.requests
    assert call["path"] == "/api/sign/pdf"
    assert call["fields"]["nik"] == NIK.encode() and call["fields"]["passphrase"] == b"rahasia"
    assert call["fields"]["file"].startswith(b"%PDF-")
    with app.app_context():
        from core.documents import find

        assert find(tenant_with_local_key, doc["code"]).signer_kind == "bsre"


def test_bsre_with_totp_sends_no_passphrase(app, tenant_with_local_key, stub):
    from core.documents import BsreSigner

    issue(app, tenant_with_local_key, number="B/2", signer=BsreSigner(stub.url, NIK, totp="123456",
                                                                     client_user="app", client_password="pw"))
    [call] = stub.requests
    assert call["fields"]["totp"] == b"123456" and "passphrase" not in call["fields"]
    assert call["auth"].startswith("Basic ")


@pytest.mark.parametrize("mode, code, words", [
    ("401", "bsre_unauthorised", "NIK, passphrase or TOTP (NIK atau passphrase salah)"),
    ("500", "bsre_unavailable", "HTTP 500"),
    ("garbage", "bsre_bad_answer", "without a signed PDF"),
    ("unsigned", "bsre_bad_answer", "without a signed PDF"),
])
def test_bsre_failures_are_clear_and_leave_nothing(app, tenant_with_local_key, stub, mode, code, words):
    from pathlib import Path

    from core.documents import BsreSigner, SigningError

    stub.mode = mode
    files_before = sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf"))
    with pytest.raises(SigningError) as err:
        issue(app, tenant_with_local_key, number=f"B/{mode}", signer=BsreSigner(stub.url, NIK, passphrase="x"))
    assert err.value.code == code
    assert words in str(err.value) and "\n" not in str(err.value)
    assert count_documents(app, tenant_with_local_key) == 0
    assert sorted(Path(app.config["INSTANCE_DIR"]).rglob("*.pdf")) == files_before


def test_bsre_unreachable(app, tenant_with_local_key):
    from core.documents import BsreSigner, SigningError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with pytest.raises(SigningError) as err:
        issue(app, tenant_with_local_key, number="B/down",
              signer=BsreSigner(f"http://127.0.0.1:{port}", NIK, passphrase="x", timeout=2))
    assert err.value.code == "bsre_unreachable"
    assert count_documents(app, tenant_with_local_key) == 0


@pytest.mark.parametrize("args, where", [
    (("ftp://bsre", NIK), "bsre_url"), (("", NIK), "bsre_url"),
    (("http://bsre", "12345"), "nik"), (("http://bsre", "73710101019000XX"), "nik"),
])
def test_bsre_configuration_errors(args, where):
    from core.documents import BsreSigner, SigningError

    with pytest.raises(SigningError) as err:
        BsreSigner(*args, passphrase="x")
    assert err.value.where == where


def test_bsre_needs_a_passphrase_or_totp():
    from core.documents import BsreSigner, SigningError

    with pytest.raises(SigningError, match="passphrase"):
        BsreSigner("http://bsre", NIK)


def test_tenant_configured_for_bsre_uses_its_secrets(app, create_tenant, stub, monkeypatch):
    from core.documents import BsreSigner, signer_for
    from core.tenant_secrets import env_name
    from core.testing import unique

    slug = unique("tn")  # the secrets are set before the file is applied: it checks them
    monkeypatch.setenv(env_name(slug, "BSRE_NIK"), "7371 0101 0190 0001")  # typed with spaces: normalised
    monkeypatch.setenv(env_name(slug, "BSRE_PASSPHRASE"), "rahasia")
    tenant = create_tenant(slug=slug, extra={"documents": {"signer": "bsre", "bsre_url": stub.url, "nik": "env:BSRE_NIK",
                                                           "passphrase": "env:BSRE_PASSPHRASE"}})
    with app.app_context():
        signer = signer_for(tenant)
    assert isinstance(signer, BsreSigner) and signer.nik == NIK and signer.passphrase == "rahasia"
    _, data = issue(app, tenant, number="B/conf")
    assert_valid(data, ca_pem(app))
    assert stub.requests[-1]["fields"]["passphrase"] == b"rahasia"


def test_unknown_signer_kind_is_refused(app, create_tenant):
    from core.documents import SigningError, signer_for

    tenant = create_tenant()
    tenant.extra = {"documents": {"signer": "fax"}}  # stored before the check existed: refused when used
    with app.app_context(), pytest.raises(SigningError, match="unknown signer 'fax'"):
        signer_for(tenant)


@pytest.mark.parametrize("nik, code", [("7371010101900000", "serial"), ("9971010101900001", "province"),
                                       ("7371013201900001", "birth_date")])
def test_bsre_nik_breaking_an_identity_rule_is_named(nik, code):
    from core.documents import BsreSigner, SigningError

    with pytest.raises(SigningError) as err:
        BsreSigner("http://bsre", nik, passphrase="x")
    assert err.value.where == "nik" and err.value.code == "signer_config"
    assert "NIK" in err.value.message


def test_signing_failures_speak_to_people_and_log_the_details(app, tenant_with_local_key, stub, caplog):
    """Issue 13 trial: "cannot reach the BSrE signing service at http://127.0.0.1:5999:
    ConnectionError" on an Indonesian page. Each failure carries words for people in the reader's
    language (``local``) and a stable code; the internal address and the exception's name go to
    the log only (neither in ``message`` nor in ``local``)."""
    import logging

    from flask_babel import force_locale

    from core.documents import BsreSigner, SigningError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = f"http://127.0.0.1:{port}"
    cases = [(BsreSigner(down, NIK, passphrase="x", timeout=2), None, "bsre_unreachable")]
    cases += [(BsreSigner(stub.url, NIK, passphrase="x"), mode, code) for mode, code in
              (("401", "bsre_unauthorised"), ("500", "bsre_unavailable"), ("garbage", "bsre_bad_answer"))]
    for signer, mode, code in cases:
        stub.mode = mode or "ok"
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="pamong.documents"), pytest.raises(SigningError) as err:
            issue(app, tenant_with_local_key, number=f"B/{code}", signer=signer)
        exc = err.value
        assert exc.code == code and exc.local is not None, (code, exc)
        with app.test_request_context(), force_locale("id"):
            indonesian = str(exc.local)
        with app.test_request_context(), force_locale("en"):
            english = str(exc.local)
        for text in (exc.message, indonesian, english):
            assert "127.0.0.1" not in text and "Error" not in text and "http://" not in text, (code, text)
        assert "BSrE" in indonesian and indonesian != english, (code, indonesian)
        assert signer.base_url in caplog.text, (code, exc.message, caplog.records)  # the address for the operator, in the log


def test_a_signing_failure_on_a_form_shows_the_readers_words(app):
    """The unit of work puts an error's ``local`` on the form (the e-office sign step's path)."""
    from flask_babel import force_locale
    from flask_wtf import FlaskForm

    from core.documents import SigningError
    from core.unit_of_work import unit_of_work

    with app.test_request_context(method="POST"), force_locale("id"):
        form = FlaskForm(meta={"csrf": False})
        with unit_of_work(form) as work:
            raise SigningError("cannot reach the BSrE signing service", where="bsre", code="bsre_unreachable")
        assert not work.ok
        [shown] = form.form_errors
        assert str(shown).startswith("Layanan tanda tangan BSrE") and "reach" not in str(shown)
