"""The requirement files of an application (a KTP scan, a building plan) and the signed permit (PDF),
for who may read them:
the applicant, and the office's officers (``permits.process``) who verify them. A file is served
with the type its content was checked as (``uploads.py``), never cached; a PDF as a download, an
image inline. An officer's reading is audited (``permits.file_read``: a citizen's identity
documents are personal data, UU 27/2022 on personal data protection); the applicant's own is not."""
from __future__ import annotations

import io

from flask import abort, g, send_file
from flask_login import current_user

from core.kit import documents, has_permission, signed_in, storage, unit_of_work

from . import services
from .views import load, pages

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _readable(application_id: int):
    """The application and whether the reader is its applicant: its files are for the applicant and
    the office's officers (``permits.process``); 404 for anyone else (as if there were none)."""
    application = load(application_id)
    own = application.applicant_id == current_user.id
    if not own and not has_permission(current_user, g.tenant, "permits.process"):
        abort(404)
    return application, own


def _serve(application, own: bool, data: bytes, mimetype: str, name: str, action: str, after: dict):
    """``data`` never cached (a PDF as a download, an image inline); an officer's reading audited as
    ``action``, the applicant's own not."""
    if not own:
        with unit_of_work() as work:
            work.audit(action, "permits.application", application.id, after=after)
    response = send_file(io.BytesIO(data), mimetype=mimetype, download_name=name,
                         as_attachment=mimetype == "application/pdf", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@pages.route("/applications/<int:application_id>/files/<requirement>")
@signed_in
def requirement_file(application_id, requirement):
    """The file given for the document ``requirement``; 404 for anyone else, or no such file."""
    application, own = _readable(application_id)
    upload = services.uploads_of(g.tenant, application).get(requirement)
    if upload is None:
        abort(404)
    data = storage().get(upload.storage_key, tenant=g.tenant)
    name = f"{(application.reference or str(application.id)).replace('/', '-')}-{requirement}." \
           f"{EXTENSIONS.get(upload.content_type, 'bin')}"
    return _serve(application, own, data, upload.content_type, name, "permits.file_read",
                  {"requirement": requirement, "type": upload.content_type})


@pages.route("/applications/<int:application_id>/permit.pdf")
@signed_in
def permit_pdf(application_id):
    """The applicant's copy of the signed permit: the PDF the core documents service signed (PAdES)
    at issuance, byte for byte, as a download. For the applicant and the office's officers
    (``permits.process``, audited ``permits.permit_read``); 404 for anyone else and before issuance.
    A suspended or revoked permit is still served: its QR code leads to the verification page, which
    tells its status."""
    application, own = _readable(application_id)
    doc = documents.find(g.tenant, application.document_code) if application.document_code else None
    if doc is None:
        abort(404)
    data = storage().get(doc.storage_key, tenant=g.tenant)
    return _serve(application, own, data, "application/pdf", f"{application.permit_number.replace('/', '-')}.pdf",
                  "permits.permit_read", {"number": application.permit_number})
