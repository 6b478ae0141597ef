"""The review of a dossier due for its final disposition (penilaian arsip, JRA; UU 43/2009 on
archives, PP 28/2012): the records unit records what was decided, with the record that decided it.

``review(tenant, actor, dossier_id, decision, reference="", on=None, years=0) -> Dossier``, for a
dossier ``review_due`` (closed, its review date reached), in the caller's transaction:

- ``transferred``: handed to the regional archive (arsip statis; the usual end of a ``permanen``
  series, and allowed for a ``musnah`` one the review found worth keeping): ``reference`` the
  berita acara of the hand-over (required, at most 100 characters), ``on`` its date;
- ``destroyed``: destroyed (``musnah``) by the berita acara ``reference``; refused for a
  ``permanen`` series (``permanent_record``): those are never destroyed;
- ``retained``: kept ``years`` (1 to 10) longer; its review date moves on, nothing else changes.

``on``: the tenant's date of the decision (default today; not in the future). Refused with
``ValidationError`` naming the field: ``not_due`` (not due for review, or reviewed already); then
every one of ``decision``, ``reference``, ``on``, ``years`` that is wrong (the first raised, all in
its ``all``). Audited ``eoffice.dossier.review`` (before and after).
The letters' files are not deleted here: destroying the stored copies follows the berita acara,
outside the application.
"""
from __future__ import annotations

from datetime import date

from core.kit import NotFound, ValidationError, audit, db, for_change, lazy_gettext as _l, local_date, tenant_scope, utcnow

from .archive import DESTROYED, REVIEW_DUE, TRANSFERRED, add_years, state
from .models import Dossier

RETAINED = "retained"
DECISIONS = (TRANSFERRED, DESTROYED, RETAINED)


def review(tenant, actor, dossier_id, decision: str, reference: str = "", on: date | None = None,
           years: int = 0) -> Dossier:
    today = local_date(tenant, utcnow())
    on = on or today
    reference = " ".join((reference or "").split())
    with tenant_scope(tenant):
        try:
            key = int(dossier_id)
        except (TypeError, ValueError):
            raise NotFound("no such dossier", code="dossier_not_found") from None
        dossier = db.session.execute(for_change(db.select(Dossier).where(Dossier.id == key), Dossier)) \
            .scalar_one_or_none()
        if dossier is None:
            raise NotFound("no such dossier", code="dossier_not_found")
        if state(dossier, today) != REVIEW_DUE:
            raise ValidationError(_l("This dossier is not due for review."), where="dossier", code="not_due")
        found = []  # every problem at once
        if decision not in DECISIONS:
            found.append(ValidationError(_l("Choose what the review decided."), where="decision"))
        elif decision == DESTROYED and dossier.final == "permanen":
            found.append(ValidationError(_l("A permanent series is never destroyed: transfer it to the regional archive."),
                                         where="decision", code="permanent_record"))
        if on > today:
            found.append(ValidationError(_l("The decision's date is after today."), where="on"))
        if decision == RETAINED and (not isinstance(years, int) or not 1 <= years <= 10):
            found.append(ValidationError(_l("Keep it 1 to 10 years longer."), where="years"))
        if decision in (TRANSFERRED, DESTROYED) and (not reference or len(reference) > 100):
            found.append(ValidationError(_l("Enter the number of the berita acara (at most 100 characters)."),
                                         where="reference"))
        if found:
            found[0].all = found
            raise found[0]
        before = {"review_on": dossier.review_on.isoformat(), "final": dossier.final}
        if decision == RETAINED:
            dossier.review_on = add_years(max(dossier.review_on, on), years)
            after = {"decision": decision, "years": years, "review_on": dossier.review_on.isoformat()}
        else:
            dossier.outcome, dossier.outcome_on, dossier.outcome_ref = decision, on, reference
            after = {"decision": decision, "on": on.isoformat(), "reference": reference}
        audit(tenant, actor, "eoffice.dossier.review", "dossier", dossier.id, before=before,
              after={"code": dossier.code, **after})
        db.session.flush()
    return dossier
