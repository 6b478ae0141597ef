"""The module's background work on the core's queue (``core.kit.periodic``), one transaction per
letter or tenant, a tenant's trouble never stopping the others:

- ``eoffice_finish_signatures`` (every 5 minutes): letters numbered whose signature was not
  finished (the signer service was down) are finished as the official who approved them
  (``review.finish_signing``); one still failing waits for the next run;
- ``eoffice_reminders`` (hourly): the reminders of ``reminders.py``.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from core.kit import Actor, Tenant, User, db, enabled_modules, periodic, tenant_scope, utcnow

from . import NAME

log = logging.getLogger("pamong.eoffice")
GRACE = timedelta(minutes=2)  # a signature being finished by its request is left alone this long


def tenants_with_module() -> list:
    return [t for t in db.session.execute(db.select(Tenant).order_by(Tenant.id)).scalars().all()
            if NAME in enabled_modules(t)]


def finish_signatures(tenant, now=None, signer=None) -> list[int]:
    """Finish every letter of ``tenant`` numbered before ``now`` - GRACE and not signed; returns
    the ids finished (each committed on its own)."""
    from .models import NUMBERED, Letter
    from .review import finish_signing

    now = now or utcnow()
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Letter.id, Letter.signer_id).where(
            Letter.status == NUMBERED, Letter.updated_at <= now - GRACE).order_by(Letter.id)).all()
    db.session.rollback()
    done = []
    for letter_id, signer_id in rows:
        user = db.session.get(User, signer_id) if signer_id else None
        if user is None:
            continue  # no official to sign as: the letter page's holder of the position finishes it
        try:
            finish_signing(tenant, Actor.for_user(user, tenant), letter_id, signer=signer)
            db.session.commit()
            done.append(letter_id)
        except Exception:  # noqa: BLE001 - retried on the next run
            db.session.rollback()
            log.warning("eoffice: letter %s of %s: the signature could not be finished yet", letter_id, tenant.slug,
                        exc_info=True)
    return done


@periodic({"minute": "*/5"})
def eoffice_finish_signatures() -> dict:
    return {t.slug: len(finish_signatures(t)) for t in tenants_with_module()}


def reminders(now=None) -> dict:
    """Every tenant with the module: ``reminders.run``, one transaction per tenant."""
    from .reminders import run

    counts = {}
    for tenant in tenants_with_module():
        try:
            counts[tenant.slug] = run(tenant, now)
            db.session.commit()
        except Exception:  # noqa: BLE001 - one tenant's trouble must not stop the others
            db.session.rollback()
            log.exception("eoffice: reminders failed for tenant %s", tenant.slug)
    return counts


@periodic({"minute": "7"})
def eoffice_reminders() -> dict:
    return reminders()
