"""pyHanko's own verdict on an issued permit: signature intact, valid, trusted (the tenant's test CA)
and covering the entire file; and the QR code on its page decodes to the verification URL."""
from __future__ import annotations

import importlib
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit


def assert_signed_permit(app, data: bytes, verification_url: str) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(Path(app.config["INSTANCE_DIR"]) / "signing" / "ca.pem"))
    [signature] = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    # the signing module runs pyHanko off any running event loop (Playwright's sync API has one)
    outside = importlib.import_module("core.documents.signing").outside_event_loop
    status = outside(validate_pdf_signature, signature, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    import pypdfium2 as pdfium
    import zxingcpp

    image = pdfium.PdfDocument(data)[0].render(scale=3).to_pil()
    # the host is the one the issuing request came in on (a live server's port in the browser test)
    paths = [urlsplit(r.text).path for r in zxingcpp.read_barcodes(image)]
    # the same document's page: its code (the QR names the tenant's own address, core.links)
    assert urlsplit(verification_url).path.rsplit("/", 1)[-1] in [p.rsplit("/", 1)[-1] for p in paths], paths
