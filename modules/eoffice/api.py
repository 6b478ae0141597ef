"""The JSON API under ``/api/v1/eoffice/`` (tenant API tokens, scope ``eoffice:read``): signed
and sent letters' register entries (number, subject, unit, dates: never the text, and only
``biasa`` letters: ``terbatas`` and ``rahasia`` ones are left out) and the figures per agency.
Errors are ``{"error": {"code", "message"}}``."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from sqlalchemy import or_

from core.kit import api_scope, db, int_arg, page_arg, tenant_scope

from .figures import per_agency
from .models import SENT, SIGNED, Letter

api = Blueprint("eoffice_api", __name__)


def _time(value):
    return value.isoformat(timespec="seconds") if value else None


@api.route("/letters")
@api_scope("eoffice:read")
def letters():
    page, size = page_arg(), int_arg("per_page", 50, min=1, max=200)
    q = (request.args.get("q") or "").strip()[:100]
    with tenant_scope(g.tenant):
        query = db.select(Letter).where(Letter.status.in_((SIGNED, SENT)), Letter.security == "biasa")
        if q:
            like = f"%{q.replace('%', '').replace('_', '')}%"
            query = query.where(or_(Letter.number.ilike(like), Letter.subject.ilike(like), Letter.unit_name.ilike(like)))
        rows = db.session.execute(query.order_by(Letter.signed_at.desc(), Letter.id.desc())
                                  .limit(size + 1).offset((page - 1) * size)).scalars().all()
    return jsonify(page=page, has_next=len(rows) > size, letters=[{
        "number": r.number, "subject": r.subject, "type": r.letter_type, "classification": r.classification,
        "unit": r.unit_code, "status": r.status, "signed_at": _time(r.signed_at), "sent_at": _time(r.sent_at),
    } for r in rows[:size]])


@api.route("/figures")
@api_scope("eoffice:read")
def figures():
    return jsonify(agencies=per_agency(g.tenant))


def _op(summary):
    return {"summary": summary, "security": [{"token": ["eoffice:read"]}],
            "responses": {"200": {"description": "OK"}, "401": {"description": "no or bad token"},
                          "403": {"description": "the token lacks eoffice:read"}}}


OPENAPI_PATHS = {
    "/api/v1/eoffice/letters": {"get": {**_op("Signed and sent ordinary (biasa) letters, newest first: register "
                                              "entries only (number, subject, unit, dates)"),
                                        "parameters": [{"name": n, "in": "query", "schema": {"type": t}} for n, t in
                                                       (("q", "string"), ("page", "integer"), ("per_page", "integer"))]}},
    "/api/v1/eoffice/figures": {"get": _op("Figures per agency: letters out and in, average hours to sign, open and "
                                           "overdue dispositions")},
}
