"""Official documents (issue 13.1): render on the tenant's letterhead, sign (PAdES), register,
verify publicly. Modules use ``core.kit.documents``:

    from core.kit import documents
    doc = documents.issue(tenant, "permit", "503/12/DPMPTSP/2026", "Izin reklame", "permits/letter.html",
                          {"applicant": name}, "Kepala Dinas", actor)
    doc.code, documents.verification_url(tenant, doc.code)

See ``service.py`` (issue, revoke, find, matches), ``signing.py`` (Signer, LocalSigner, BsreSigner),
``labels.py`` (a kind's words: ``register_kind``, ``kind_label``), ``render.py`` (WeasyPrint, nothing fetched), ``files.py`` (an upload that opens as a PDF, a QR code), ``certs.py`` (the local test CA).
"""
from .files import pdf_opens, qr_svg  # an upload that opens as a PDF; a QR code for a page
from .labels import kind_label, register_kind
from .models import Document
from .render import image_data_uri, static_image  # a picture under the static folder (a kop's emblem)
from .service import (
    REVOKE_PERMISSION, allocate_number, find, issue, listing, matches, revoke, revoked, revoked_codes,
    signer_for, verification_url,
)
from .signing import BsreSigner, LocalSigner, Signer, SigningError

__all__ = [
    "BsreSigner", "Document", "image_data_uri", "static_image", "allocate_number", "LocalSigner", "REVOKE_PERMISSION", "Signer", "SigningError", "find", "issue",
    "kind_label", "listing", "matches", "pdf_opens", "qr_svg", "register_kind", "revoke", "revoked", "revoked_codes", "signer_for", "verification_url",
]
