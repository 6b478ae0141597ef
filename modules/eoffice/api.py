"""The JSON API under ``/api/v1/eoffice/`` (tenant API tokens, scope ``eoffice:read``): signed
and sent letters' register entries (number, subject, unit, dates, whether the signed PDF was
revoked: never the text, and only ``biasa`` letters: ``terbatas`` and ``rahasia`` ones are left
out) and the figures per agency.
Errors are ``{"error": {"code", "message"}}``."""
from __future__ import annotations

from flask import Blueprint, g, jsonify
from pydantic import Field

from core.kit import ApiModel, ApiOutput, api_scope, db, documents, local_iso, operation, tenant_scope

from .figures import per_agency
from .models import Letter
from .queries import ordinary

api = Blueprint("eoffice_api", __name__)


class LetterQuery(ApiModel):
    q: str = Field("", description="Part of the number, subject, unit or drafter")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=200)


class RegisterEntry(ApiOutput):
    number: str | None
    subject: str
    type: str = Field(description="The letter type's code")
    classification: str | None = Field(description="The archive classification code")
    unit: str | None = Field(description="The issuing unit's org unit code: the agency of the signing position "
                                         "(the Wali Kota's letters are the Setda's), as in the number")
    status: str = Field(description="signed or sent")
    revoked: bool = Field(description="Its signed PDF was revoked (the verification page gives the reason): "
                                      "a revoked letter is not sent or disposed any more")
    signed_at: str | None = Field(description="ISO 8601 in the tenant's offset")
    sent_at: str | None = Field(description="ISO 8601 in the tenant's offset")


class LetterPage(ApiOutput):
    page: int
    has_next: bool
    letters: list[RegisterEntry]


class AgencyFigures(ApiOutput):
    code: str
    name: str
    out: int = Field(description="Letters signed, leaving out those whose signed PDF was revoked")
    in_: int = Field(alias="in", description="Letters received (as addressee or copy), leaving out those whose "
                                              "signed PDF was revoked")
    avg_hours_to_sign: float = Field(description="Average hours from submission to signature of the letters signed, "
                                                 "leaving out those whose signed PDF was revoked (0.0 when none)")
    open_dispositions: int
    overdue_dispositions: int


class Figures(ApiOutput):
    agencies: list[AgencyFigures]


def _time(value):
    """ISO 8601 in the tenant's offset, to the second, as the rest of the API (SQLite gives naive UTC)."""
    return local_iso(value)


@api.route("/letters")
@api_scope("eoffice:read")
@operation("Signed and sent ordinary (biasa) letters, newest first", query=LetterQuery, response=LetterPage,
           description="Register entries only (number, subject, unit, dates, revoked or not): never the text; terbatas and "
                       "rahasia letters are left out.")
def letters():
    page, size = g.api_query.page, g.api_query.per_page
    q = g.api_query.q.strip()[:100]
    with tenant_scope(g.tenant):
        # the tenant's own register: a letter that came in (from another tenant, or registered from paper) is not
        query = ordinary(q, own_only=True)
        rows = db.session.execute(query.order_by(Letter.signed_at.desc(), Letter.id.desc())
                                  .limit(size + 1).offset((page - 1) * size)).scalars().all()
    revoked = documents.revoked(g.tenant, [r.document_code for r in rows[:size]])
    return jsonify(page=page, has_next=len(rows) > size, letters=[{
        "number": r.number, "subject": r.subject, "type": r.letter_type, "classification": r.classification,
        "unit": r.unit_code, "status": r.status, "revoked": r.document_code in revoked,
        "signed_at": _time(r.signed_at), "sent_at": _time(r.sent_at),
    } for r in rows[:size]])


@api.route("/figures")
@api_scope("eoffice:read")
@operation("Figures per agency", response=Figures,
           description="Letters out and in, average hours to sign, open and overdue dispositions.")
def figures():
    return jsonify(agencies=per_agency(g.tenant))
