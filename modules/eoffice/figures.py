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

from collections import defaultdict

from core.kit import OrgUnit, db, documents, local_date, members_of, tenant_scope, utcnow

from .models import OPEN, SENT, Disposition, Letter, Recipient


def _hours(start, end) -> float:
    if start is None or end is None:
        return 0.0
    if start.tzinfo is None or end.tzinfo is None:  # SQLite keeps them naive (UTC)
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return max(0.0, (end - start).total_seconds() / 3600)


def per_agency(tenant) -> list[dict]:
    """``[{"code", "name", "out", "in", "avg_hours_to_sign", "open_dispositions", "overdue_dispositions"}]``
    for each active agency, in code order (average 0.0 when nothing was signed). ``out``, ``in``
    and ``avg_hours_to_sign`` leave out the letters whose signed PDF was revoked (the core's
    register, ``documents.revoked``, asked once for all of them)."""
    today = local_date(tenant, utcnow())
    with tenant_scope(tenant):
        agencies = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
                                           .order_by(OrgUnit.code)).scalars())
        signed = db.session.execute(db.select(Letter.unit_code, Letter.submitted_at, Letter.signed_at,
                                              Letter.document_code).where(Letter.signed_at.is_not(None))).all()
        # each letter once per receiving unit (an addressee and a copy row of one unit are one letter in)
        # a letter from another government its sender revoked (revocation.py) is no letter in either
        received = db.session.execute(db.select(Recipient.unit_code, Recipient.letter_id, Letter.document_code)
                                      .distinct().join(Letter, Letter.id == Recipient.letter_id)
                                      .where(Letter.status == SENT, Recipient.unit_code.is_not(None),
                                             Letter.origin_revoked_at.is_(None))).all()
        dispositions = db.session.execute(db.select(Disposition.to_id, Disposition.due_on)
                                          .where(Disposition.status == OPEN)).all()
    revoked = documents.revoked(tenant, {row[-1] for row in signed} | {row[-1] for row in received})
    out, hours, incoming = defaultdict(int), defaultdict(list), defaultdict(int)
    for unit, submitted, signed_at, code in signed:
        if code not in revoked:
            out[unit] += 1
            hours[unit].append(_hours(submitted, signed_at))
    for unit, _letter, code in received:
        incoming[unit] += 0 if code in revoked else 1
    rows = []
    for agency in agencies:
        people = {u.id for u in members_of(tenant, "officer", agency.id)}
        mine = [due for to, due in dispositions if to in people]
        spent = hours.get(agency.code) or []
        rows.append({"code": agency.code, "name": agency.name, "out": out.get(agency.code, 0),
                     "in": incoming.get(agency.code, 0),
                     "avg_hours_to_sign": round(sum(spent) / len(spent), 1) if spent else 0.0,
                     "open_dispositions": len(mine), "overdue_dispositions": sum(1 for due in mine if due < today)})
    return rows
