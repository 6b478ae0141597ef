"""Shared by the documents tests: a tenant with a local signer, pyHanko validation, QR decoding,
and a stub of BSrE's signing API on 127.0.0.1."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path


def ca_pem(app) -> bytes:
    return (Path(app.config["INSTANCE_DIR"]) / "signing" / "ca.pem").read_bytes()


def validate(data: bytes, ca: bytes):
    """pyHanko's own verdict on the first signature of ``data`` (trusting the test CA)."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    import os
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pem", delete=False) as fh:
        fh.write(ca)
    try:
        root = load_cert_from_pemder(fh.name)
    finally:
        os.unlink(fh.name)
    reader = PdfFileReader(BytesIO(data), strict=False)
    sigs = reader.embedded_signatures
    assert len(sigs) == 1, f"{len(sigs)} signatures"
    from core.documents.signing import outside_event_loop

    return outside_event_loop(validate_pdf_signature, sigs[0],
                              ValidationContext(trust_roots=[root], allow_fetching=False))


def assert_valid(data: bytes, ca: bytes) -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    status = validate(data, ca)
    assert status.intact and status.valid, status.pretty_print_details()
    assert status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def assert_tampered_fails(data: bytes, ca: bytes) -> None:
    """Change one byte inside the signed range (the page content) and pyHanko must reject it."""
    raw = bytearray(data)
    at = raw.index(b"stream", 200) + 20  # inside the first stream after the header: signed bytes
    raw[at] ^= 0x01
    try:
        status = validate(bytes(raw), ca)
    except Exception:  # noqa: BLE001 - pyHanko may refuse to read it at all: also a failure
        return
    assert not (status.intact and status.valid)


def decode_qr(data: bytes, page: int = 0) -> list[str]:
    """Render ``page`` of the PDF to an image (pypdfium2) and decode every QR code on it (zxing-cpp)."""
    import pypdfium2 as pdfium
    import zxingcpp

    pdf = pdfium.PdfDocument(data)
    image = pdf[page].render(scale=3).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


class BsreStub:
    """``POST /api/sign/pdf`` answering what ``mode`` says: ``ok`` (a signed PDF, made by
    ``sign_with``), ``401``, ``500``, ``garbage`` (200 with junk), ``unsigned`` (200 with a PDF that
    has no signature). ``requests`` keeps the form fields of every call."""

    def __init__(self, sign_with=None):
        self.mode, self.sign_with, self.requests = "ok", sign_with, []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                from email.parser import BytesParser
                from email.policy import HTTP

                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                msg = BytesParser(policy=HTTP).parsebytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
                fields = {}
                for part in msg.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    fields[name] = part.get_payload(decode=True)
                stub.requests.append({"path": self.path, "fields": fields, "auth": self.headers.get("Authorization")})
                if stub.mode == "401":
                    return self._send(401, json.dumps({"error": "NIK atau passphrase salah", "status_code": 2031}).encode(),
                                      "application/json")
                if stub.mode == "500":
                    return self._send(500, b"<html>Internal Server Error</html>", "text/html")
                if stub.mode == "garbage":
                    return self._send(200, b"\x00\x01not a pdf at all", "application/pdf")
                if stub.mode == "unsigned":
                    return self._send(200, fields["file"], "application/pdf")
                return self._send(200, stub.sign_with(fields["file"]), "application/pdf")

            def _send(self, status, body, ctype):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class FetchTrap:
    """An HTTP server on 127.0.0.1 that counts every request (a template must fetch nothing)."""

    def __init__(self):
        trap = self
        self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                trap.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class TsaStub:
    """An RFC 3161 time-stamping authority on 127.0.0.1 (pyHanko's DummyTimeStamper behind
    http.server), its certificate issued by the test CA; ``calls`` counts requests."""

    def __init__(self, instance_dir):
        from asn1crypto import keys, pem, tsp, x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        from core.documents.certs import issue_cert

        key_pem, cert_pem = issue_cert(instance_dir, "Test TSA", "Test", time_stamping=True)
        key = serialization.load_pem_private_key(key_pem, password=None)
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        dummy = DummyTimeStamper(asn1_x509.Certificate.load(pem.unarmor(cert_pem)[2]), keys.PrivateKeyInfo.load(der))
        self.calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                stub.calls += 1
                req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
                body = dummy.request_tsa_response(req).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
