"""Attachments (lampiran) of a letter: PDF files only, checked where they enter (the file must
begin with the PDF header ``%PDF-``, whatever its name or declared type says, and open as a PDF:
pyHanko's reader, the kit's PDF library, finds its cross-reference table and its pages), at most
``MAX_FILES`` of at most ``MAX_BYTES`` each; kept by the core's storage for the tenant."""
from __future__ import annotations

import hashlib
import re

from core.kit import NotFound, ValidationError, db, documents, lazy_gettext as _l, storage, tenant_scope

from . import stored
from .models import Attachment, Letter

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024


def check(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """``[(filename, data)]`` checked; empty uploads (no file chosen) are dropped. Raises
    ``ValidationError`` (``where="attachments"``, code ``not_pdf`` / ``too_large`` / ``too_many``)."""
    files = [(name, data) for name, data in files if data]
    if len(files) > MAX_FILES:
        raise ValidationError(_l("At most %(n)s attachments.", n=MAX_FILES), where="attachments", code="too_many")
    out = []
    for name, data in files:
        name = re.sub(r"[^\w.\- ]+", "_", (name or "lampiran.pdf").strip())[-120:] or "lampiran.pdf"
        if len(data) > MAX_BYTES:
            raise ValidationError(_l("An attachment is larger than 5 MB."), where="attachments", code="too_large")
        if not data.lstrip()[:5] == b"%PDF-":
            raise ValidationError(_l("'%(name)s' is not a PDF file.", name=name), where="attachments", code="not_pdf")
        if not opens(data):
            raise ValidationError(_l("'%(name)s' begins like a PDF but does not open as one (damaged or incomplete): "
                                     "save it again as PDF and attach it once more.", name=name),
                                  where="attachments", code="not_pdf")
        out.append((name, data))
    return out


def opens(data: bytes) -> bool:
    """Whether ``data`` reads as a PDF with at least one page (the core's ``documents.pdf_opens``)."""
    return documents.pdf_opens(data)


def attach(tenant, letter: Letter, files: list[tuple[str, bytes]]) -> list[Attachment]:
    """Store checked ``files`` and add them to ``letter`` in the caller's transaction; the stored
    files are deleted again if that transaction does not commit (``stored``)."""
    rows = []
    with tenant_scope(tenant):
        for name, data in files:
            row = Attachment(letter_id=letter.id, filename=name, storage_key=stored.put(tenant, data, name),
                             size=len(data), sha256=hashlib.sha256(data).hexdigest())
            db.session.add(row)
            rows.append(row)
        db.session.flush()
    return rows


def of(tenant, letter: Letter) -> list[Attachment]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Attachment).where(Attachment.letter_id == letter.id)
                                       .order_by(Attachment.id)).scalars())


def read(tenant, letter: Letter, attachment_id: int) -> tuple[Attachment, bytes]:
    """The attachment of ``letter`` (the caller checked the reader may read the letter)."""
    row = next((a for a in of(tenant, letter) if a.id == attachment_id), None)
    if row is None:
        raise NotFound("no such attachment", code="attachment_not_found")
    return row, storage().get(row.storage_key, tenant=tenant)


def with_data(tenant, letter: Letter) -> list[tuple[Attachment, bytes, str]]:
    """``[(attachment, data, sha256)]`` of ``letter``, the checksum computed again from the stored
    bytes: a file whose bytes no longer match the checksum kept at attaching is refused
    (``ValidationError`` ``attachment_changed``) rather than sent on."""
    out = []
    for row in of(tenant, letter):
        data = storage().get(row.storage_key, tenant=tenant)
        digest = hashlib.sha256(data).hexdigest()
        if row.sha256 and row.sha256 != digest:
            raise ValidationError(_l("The attachment '%(name)s' was changed in storage after it was attached.",
                                     name=row.filename), where="attachments", code="attachment_changed")
        out.append((row, data, digest))
    return out
