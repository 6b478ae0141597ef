"""Figures per agency (issue 14.7, transparency and oversight): letters out (signed) and in
(received as addressee or copy), the average time from submission to signature (hours), and open
and overdue dispositions (to people of the agency). A letter whose signed PDF was revoked (the
core's register, ``documents.revoked``; for a letter from another government, as its sender told,
``revocation.py``) is in none of the letter figures: it is not sent or disposed any more (trials
t14f, t14h). Reads only; counts, never letter contents, so a ``rahasia``
letter is counted but not shown. Read on the figures pages and the API only (an overseer's, never
every visitor's: the module gives no ``dashboard_metrics``): the revocations are one read of the
core's register for all the letters, whatever their number."""
from __future__ import annotations

from core.kit import OrgUnit, db, documents, local_date, member_ids_by_agency, tenant_scope, utcnow

from .models import OPEN, SENT, Disposition, Letter, Recipient


def _hours_to_sign(dialect: str):
    """Hours from submission to signature, as SQL: never negative, 0 without a submission time.
    PostgreSQL subtracts timestamps; SQLite (naive UTC text) compares Julian days."""
    if dialect == "postgresql":
        span = db.func.extract("epoch", Letter.signed_at - Letter.submitted_at) / 3600.0
    else:
        span = (db.func.julianday(Letter.signed_at) - db.func.julianday(Letter.submitted_at)) * 24.0
    return db.case((span.is_(None), 0.0), (span < 0, 0.0), else_=span)


def _not_revoked(column, revoked: set[str]):
    """``column`` (a letter's document code) names no revoked document (no code: not revoked)."""
    if not revoked:
        return db.true()
    return db.or_(column.is_(None), column.not_in(sorted(revoked)))


def per_agency(tenant) -> list[dict]:
    """``[{"code", "name", "out", "in", "avg_hours_to_sign", "open_dispositions", "overdue_dispositions"}]``
    for each active agency, in code order (average 0.0 when nothing was signed). ``out``, ``in``
    and ``avg_hours_to_sign`` leave out the letters whose signed PDF was revoked (the core's
    register, ``documents.revoked_codes``, asked once). Counted in SQL, grouped by unit: the page
    costs the same few statements with ten letters or a million."""
    today = local_date(tenant, utcnow())
    revoked = documents.revoked_codes(tenant)
    members = member_ids_by_agency(tenant, "officer")
    with tenant_scope(tenant):
        dialect = db.session.get_bind().dialect.name
        agencies = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
                                           .order_by(OrgUnit.code)).scalars())
        signed = {unit: (n, hours) for unit, n, hours in db.session.execute(
            db.select(Letter.unit_code, db.func.count(), db.func.avg(_hours_to_sign(dialect)))
            .where(Letter.signed_at.is_not(None), _not_revoked(Letter.document_code, revoked))
            .group_by(Letter.unit_code))}
        # each letter once per receiving unit (an addressee and a copy row of one unit are one letter in)
        # a letter from another government its sender revoked (revocation.py) is no letter in either
        incoming = dict(db.session.execute(
            db.select(Recipient.unit_code, db.func.count(db.distinct(Recipient.letter_id)))
            .join(Letter, Letter.id == Recipient.letter_id)
            .where(Letter.status == SENT, Recipient.unit_code.is_not(None), Letter.origin_revoked_at.is_(None),
                   _not_revoked(Letter.document_code, revoked))
            .group_by(Recipient.unit_code)).all())
        dispositions = db.session.execute(db.select(Disposition.to_id, Disposition.due_on)
                                          .where(Disposition.status == OPEN)).all()
    rows = []
    for agency in agencies:
        people = members.get(agency.id, set())
        mine = [due for to, due in dispositions if to in people]
        out, hours = signed.get(agency.code, (0, None))
        rows.append({"code": agency.code, "name": agency.name, "out": out, "in": incoming.get(agency.code, 0),
                     "avg_hours_to_sign": round(float(hours), 1) if out and hours is not None else 0.0,
                     "open_dispositions": len(mine), "overdue_dispositions": sum(1 for due in mine if due < today)})
    return rows
