"""Signing a PDF: PAdES baseline B-B (ETSI EN 319 142-1), B-T when a timestamp service is
configured (RFC 3161), with pyHanko, behind one interface.

    class Signer:  kind: str;  sign(pdf: bytes, *, reason: str, location: str) -> bytes

- ``LocalSigner``: a key and certificate from files (the test CA of ``certs.py`` by default).
- ``BsreSigner``: an adapter shaped like BSrE's (Balai Sertifikasi Elektronik, BSSN) signing API:
  ``POST <base>/api/sign/pdf`` (multipart: ``file``, ``nik``, ``passphrase`` or ``totp``,
  ``tampilan=invisible``), answering the signed PDF, or JSON ``{"error": ..., "status_code": ...}``.

Both return the whole signed file; the signature's byte range covers all of it (nothing is appended
after signing). Failures raise ``SigningError`` with one clear English line for the CLI and the
log (``message``), the same for people in the reader's language (``local``, a lazy gettext string:
pages show it) and a stable ``code``. Neither names an internal URL or an exception class: those
go to the log only (logger ``pamong.documents``).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from io import BytesIO

from flask_babel import lazy_gettext as _l

from ..errors import PamongError

log = logging.getLogger("pamong.documents")

# what people read, by code (the reader's language); ``SigningError`` fills ``local`` from it
MESSAGES = {
    "certificate_not_yet_valid": _l("The signing certificate is not valid yet; the administrator must check it."),
    "certificate_expired": _l("The signing certificate has expired; the administrator must renew it."),
    "certificate_invalid": _l("The signing certificate cannot be read; the administrator must check it."),
    "signing_failed": _l("The document could not be signed. Try again later; if it keeps failing, tell the "
                         "administrator."),
    "signer_config": _l("The signer is not set up correctly in the documents settings; the administrator must "
                        "check them."),
    "signer_missing": _l("This tenant has no signing certificate yet; the administrator must create one."),
    "bsre_unreachable": _l("The BSrE signing service cannot be reached right now. Try again later."),
    "bsre_unauthorised": _l("BSrE refused the signer's NIK, passphrase or TOTP code."),
    "bsre_refused": _l("BSrE refused the signing request."),
    "bsre_unavailable": _l("The BSrE signing service is not working right now. Try again later."),
    "bsre_bad_answer": _l("The BSrE signing service did not send back a signed document. Try again later."),
}


def english(text) -> str:
    """A (lazy) message in English, for a sentence of the CLI or the log."""
    from flask import has_app_context
    from flask_babel import force_locale

    if not has_app_context():
        return str(text)
    with force_locale("en"):
        return str(text)


class SigningError(PamongError):
    """A signer's failure: ``message`` (English, for the CLI and log), ``local`` (for people, from
    ``MESSAGES`` by ``code`` unless given) and ``code``."""

    code = "signing_error"

    def __init__(self, message: str, *, where: str = "", code: str | None = None, local=None):
        super().__init__(message, where=where, code=code,
                         local=local if local is not None else MESSAGES.get(code or self.code))


class Signer:
    """The interface: ``kind`` names the implementation (stored in the register)."""

    kind = "base"

    def sign(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes:  # pragma: no cover
        raise NotImplementedError


def check_validity(cert, now: datetime | None = None) -> None:
    """Refuse a certificate outside its validity period (RFC 5280 §4.1.2.5)."""
    now = now or datetime.now(timezone.utc)
    if now < cert.not_valid_before_utc:
        raise SigningError(f"the signing certificate is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
                           where="certificate", code="certificate_not_yet_valid")
    if now > cert.not_valid_after_utc:
        raise SigningError(f"the signing certificate expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC",
                           where="certificate", code="certificate_expired")


class LocalSigner(Signer):
    """Signs with a key held by this deployment (PEM files). ``tsa_url``: B-T via RFC 3161."""

    kind = "local"

    def __init__(self, key_pem: bytes, cert_pem: bytes, chain_pem: list[bytes] = (), tsa_url: str = "",
                 signer_name: str = ""):
        from cryptography import x509

        try:
            self.cert = x509.load_pem_x509_certificate(cert_pem)
        except ValueError:
            raise SigningError("is not a PEM certificate", where="certificate", code="certificate_invalid") from None
        self.key_pem, self.cert_pem, self.chain_pem = key_pem, cert_pem, list(chain_pem)
        self.tsa_url, self.signer_name = tsa_url, signer_name

    @classmethod
    def from_files(cls, files, tsa_url: str = "", signer_name: str = "") -> "LocalSigner":
        return cls(files.key.read_bytes(), files.cert.read_bytes(), [files.ca.read_bytes()], tsa_url, signer_name)

    def _pyhanko_signer(self):
        from asn1crypto import keys as asn1_keys, pem, x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        def cert_of(data: bytes):
            return asn1_x509.Certificate.load(pem.unarmor(data)[2])

        key = serialization.load_pem_private_key(self.key_pem, password=None)
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        return signers.SimpleSigner(
            signing_cert=cert_of(self.cert_pem), signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([cert_of(c) for c in self.chain_pem]),
        )

    def sign(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
        check_validity(self.cert)
        return pades_sign(pdf, self._pyhanko_signer(), reason=reason, location=location,
                          name=self.signer_name, tsa_url=self.tsa_url)


def outside_event_loop(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, on a worker thread when this thread already runs an asyncio event
    loop: pyHanko's synchronous API calls ``asyncio.run()``, which refuses to run inside a running
    loop (an async server, or Playwright's sync API in the same process)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running here: call it directly
        return fn(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def pades_sign(pdf: bytes, signer, *, reason: str, location: str, name: str = "", tsa_url: str = "") -> bytes:
    """``pdf`` signed by a pyHanko ``signer`` as PAdES (B-B, or B-T with ``tsa_url``)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=name or None,
    )
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        out = outside_event_loop(signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf, writer)
    except PamongError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyHanko's and the TSA's failures, as one line
        log.warning("could not sign the PDF: %s: %s", type(exc).__name__, str(exc)[:500])
        raise SigningError("could not sign the PDF (the log has the details)", where="signer",
                           code="signing_failed") from exc
    return out.getvalue()


class BsreSigner(Signer):
    """BSrE's signing API. ``base_url``: e.g. ``https://esign.example.go.id``; ``nik``: the signer's
    NIK, normalised and checked by ``core.identity.normalise_nik`` (16 digits, a province that
    exists, a birth date; ``SigningError(code="signer_config", where="nik")`` otherwise); ``passphrase`` or ``totp``; ``client_user``/``client_password``: the API
    client's HTTP basic credentials when the service asks for them."""

    kind = "bsre"
    PATH = "/api/sign/pdf"

    def __init__(self, base_url: str, nik: str, passphrase: str = "", totp: str = "", client_user: str = "",
                 client_password: str = "", timeout: float = 30.0, session=None):
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise SigningError("is not an http(s) URL", where="bsre_url", code="signer_config")
        from ..identity import IdentityError, normalise_nik

        try:
            nik = normalise_nik(nik)  # spaces, dots and hyphens dropped; every NIK rule (core.identity)
        except IdentityError as exc:
            raise SigningError(f"the signer's NIK is not valid: {english(exc.message)}", where="nik",
                               code="signer_config",
                               local=_l("The signer's NIK in the documents settings is not valid: %(reason)s",
                                        reason=exc.message)) from None
        if not (passphrase or totp):
            raise SigningError("needs the signer's passphrase or a TOTP code", where="passphrase",
                               code="signer_config")
        self.base_url, self.nik, self.passphrase, self.totp = base_url.rstrip("/"), nik, passphrase, totp
        self.auth = (client_user, client_password) if client_user else None
        self.timeout, self.session = timeout, session

    def sign(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
        import requests

        fields = {"nik": self.nik, "tampilan": "invisible"}
        fields.update({"totp": self.totp} if self.totp else {"passphrase": self.passphrase})
        if reason:
            fields["reason"] = reason
        if location:
            fields["location"] = location
        http = self.session or requests
        try:
            response = http.post(self.base_url + self.PATH, data=fields, auth=self.auth, timeout=self.timeout,
                                 files={"file": ("document.pdf", pdf, "application/pdf")})
        except requests.RequestException as exc:
            log.warning("cannot reach the BSrE signing service at %s: %s: %s", self.base_url, type(exc).__name__,
                        str(exc)[:300])
            raise SigningError("cannot reach the BSrE signing service (the log has the address and the cause)",
                               where="bsre", code="bsre_unreachable") from None
        return self._answer(response)

    def _answer(self, response) -> bytes:
        status = response.status_code
        detail = _error_text(response)
        if status >= 400:
            log.warning("BSrE at %s answered HTTP %s: %s", self.base_url, status, detail or "(no error text)")
        if status in (401, 403):
            raise SigningError("BSrE refused the signer's NIK, passphrase or TOTP" + (f" ({detail})" if detail else ""),
                               where="bsre", code="bsre_unauthorised")
        if 400 <= status < 500:
            raise SigningError(f"BSrE refused the request (HTTP {status})" + (f": {detail}" if detail else ""),
                               where="bsre", code="bsre_refused",
                               local=_l("BSrE refused the signing request (HTTP %(status)s).", status=status))
        if status >= 500:
            raise SigningError(f"the BSrE signing service failed (HTTP {status}); try again later",
                               where="bsre", code="bsre_unavailable",
                               local=_l("The BSrE signing service is not working right now (HTTP %(status)s). "
                                        "Try again later.", status=status))
        body = response.content
        if status != 200 or not _is_signed_pdf(body):
            log.warning("BSrE at %s answered HTTP %s without a signed PDF (%s, %d bytes)", self.base_url, status,
                        response.headers.get("Content-Type", "no content type"), len(body))
            raise SigningError(f"BSrE answered HTTP {status} without a signed PDF", where="bsre",
                               code="bsre_bad_answer")
        return body


def _error_text(response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        text = data.get("error") or data.get("message") or ""
        return str(text)[:200].replace("\n", " ")
    return ""


def _is_signed_pdf(data: bytes) -> bool:
    """A PDF that pyHanko can read and that holds at least one signature."""
    if not data.startswith(b"%PDF-"):
        return False
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return bool(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)
    except Exception:  # noqa: BLE001 - garbage of any kind
        return False
