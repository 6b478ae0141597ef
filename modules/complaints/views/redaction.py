"""Redaction on the pages: an officer redacts text or hides a photo; an auditor reads the originals
(``complaints.read_redacted``). The rules and the reasons for them are in ``redaction.py``."""
from __future__ import annotations

from flask import Response, abort, g, render_template

from core.kit import NotFound, PamongError, current_actor, db, requires

from .. import redaction
from ..forms import HidePhotoForm, RedactForm
from ..labels import gettext as _
from ..models import ComplaintPhoto
from . import bp, unit_names
from .public import _complaint_or_404, officer_action


@bp.route("/manage/<number>/redact", methods=["POST"])
@requires("complaints.handle")
def redact(number: str):
    form = RedactForm()

    def act(complaint):
        try:
            event_id = int(form.event_id.data) if (form.event_id.data or "").strip() else None
        except ValueError:
            abort(400)
        redaction.redact_text(g.tenant, current_actor().principal, complaint, form.target.data, form.text.data or "",
                              form.reason.data, event_id=event_id)

    return officer_action(number, form, "redact_form", act,
                          _("Redacted. The original is kept for the auditors."))


@bp.route("/manage/photos/<int:photo_id>/hide", methods=["POST"])
@requires("complaints.handle")
def hide_photo(photo_id: int):
    row = db.session.get(ComplaintPhoto, photo_id)
    if row is None or row.tenant_id != g.tenant.id:
        abort(404)
    form = HidePhotoForm()
    return officer_action(
        row.complaint.number, form, "hide_form",
        lambda c: redaction.hide_photo(g.tenant, current_actor().principal, row, form.reason.data),
        _("The photo is hidden. The original is kept for the auditors."),
    )


@bp.route("/manage/<number>/redactions")
@requires("complaints.read_redacted")
def redactions(number: str):
    complaint = _complaint_or_404(number)
    rows = redaction.originals(g.tenant, current_actor().principal, complaint)
    db.session.commit()  # the reading is audited
    return render_template("complaints/redactions.html", complaint=complaint, rows=rows, names=unit_names(),
                           matches=redaction.matches_digest)


@bp.route("/manage/redactions/<int:redaction_id>/photo")
@requires("complaints.read_redacted")
def redacted_photo(redaction_id: int):
    try:
        row, data, content_type = redaction.original_photo(g.tenant, current_actor().principal, redaction_id)
    except (NotFound, PamongError):
        abort(404)
    return Response(data, mimetype=content_type, headers={"Cache-Control": "private, no-store"})
