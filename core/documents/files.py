"""What the documents service knows of files a module holds but did not issue: whether an upload is
a PDF a viewer will open, and a QR code drawn for a page (QRIS, EMVCo merchant-presented mode, asks
for error correction level M). Modules call these through ``core.kit.documents`` instead of reading
PDFs or drawing codes themselves (DESIGN: documents are the core's)."""
from __future__ import annotations

import io


def pdf_opens(data: bytes) -> bool:
    """Whether ``data`` reads as a PDF with at least one page (pyHanko's reader, lenient as viewers
    are about small faults): a file with only the PDF header and junk after it does not."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        pages = PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]
        return int(pages["/Count"]) > 0 and len(pages["/Kids"]) > 0
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways, each a refusal
        return False


def qr_svg(text: str, scale: int = 4, error: str = "m") -> bytes:
    """The QR code of ``text`` as an SVG image (no XML declaration: it can be inlined), error
    correction ``error`` (L, M, Q or H), ``scale`` pixels per module."""
    import segno

    out = io.BytesIO()
    segno.make(text, error=error, micro=False).save(out, kind="svg", scale=scale, xmldecl=False)
    return out.getvalue()
