"""The periodic sweep over overdue applications (every 15 minutes, one transaction per tenant):

- *fiktif positif*: an application of a type whose law deems it approved when the service level
  lapses (UU 30/2014 art. 53 as amended by UU 6/2023; the type's ``fiktif_positif``) and that is
  past its deadline while in the office's hands is approved by law: invoiced, or ready to sign when
  free (OSS 57 on issuance); the open stage is left as it was, with the reason in the timeline;
- escalation: every other overdue application is reported once to the office head (the holders
  today of the ``head_position`` setting's position, e.g. the head of the DPMPTSP; without it, or
  while the post is vacant, the tenant's admins), each by their own channel, with an ``escalate``
  line in its timeline;
- expiry: the holder of a permit whose validity ends within 30 days is told once (``expiry.py``).
"""
from __future__ import annotations

import logging

from sqlalchemy import exists

from core.kit import (
    Actor, Tenant, ValidationError, contact_of, db, enabled_modules, for_change, holders_of, members_of, module_settings,
    notify, tenant_scope, utcnow,
)

from . import oss
from .expiry import remind_expiring
from .models import SUBMITTED, Application, Event
from .notices import in_language, language
from .services import N_, NAME, _stages_done, log
from .settings import permit_types
from .system_notes import written

logger = logging.getLogger("pamong.permits")


def _overdue(now):
    return db.select(Application).where(Application.status == SUBMITTED, Application.due_at < now)


def deem_approved(tenant, now=None) -> list[int]:
    """Approve by law the overdue applications of fiktif-positif types; returns their ids."""
    now = now or utcnow()
    codes = [t.code for t in permit_types(tenant) if t.fiktif_positif]
    if not codes:
        return []
    actor = Actor.system("permits-fiktif-positif", tenant)
    done = []
    with tenant_scope(tenant):
        rows = db.session.execute(for_change(_overdue(now).where(Application.type_code.in_(codes)), Application,
                                             skip_locked=True)).scalars().all()
        for application in rows:
            application.fiktif_positif = True
            # no OSS code of its own: the approval line that follows tells OSS 45, and 57 comes with
            # the issued permit (telling 57 first would send OSS back from "issued" to 45)
            log(tenant, actor, application, "fiktif_positif", note=written("fiktif_positif"), code="")
            _stages_done(tenant, actor, application)
            done.append(application.id)
    return done


def office_heads(tenant) -> list:
    """Who is told of overdue work: the holders of the ``head_position`` setting's position today
    (acting holders included); the tenant's admins when none is set or nobody holds it today (a
    vacant post must not swallow the escalation)."""
    position = module_settings(tenant, NAME).get("head_position") or ""
    return (holders_of(tenant, position) if position else []) or members_of(tenant, "admin")


def escalate(tenant, now=None) -> list[int]:
    """Tell the office heads (``office_heads``) once about each overdue application not yet escalated; returns their ids. Each
    admin is told by their own channel (e-mail, or SMS for a phone-only account: ``contact_of``), in
    their language where the tenant speaks it (``notices.language``)."""
    now = now or utcnow()
    actor = Actor.system("permits-escalation", tenant)
    heads = [u for u in office_heads(tenant) if u.email]
    done = []
    with tenant_scope(tenant):
        told = exists().where(Event.application_id == Application.id, Event.action == "escalate")
        rows = db.session.execute(_overdue(now).where(~told).order_by(Application.due_at).limit(500)).scalars().all()
        for application in rows:
            log(tenant, actor, application, "escalate", note=written("escalate"))
            for user in heads:
                lang = language(tenant, getattr(user, "locale", None))
                body = in_language(lang, N_("Application %(reference)s is past its service deadline."),
                                   {"reference": application.reference})
                channel, address = contact_of(user)
                subject = in_language(lang, N_("Overdue: %(reference)s"), {"reference": application.reference})
                try:
                    notify(tenant, channel, address, body, subject=subject if channel == "email" else "",
                           ref=f"permits:{application.id}")
                except ValidationError:   # an unusable address: the other heads are still told
                    logger.warning("permits: an office head of %s has no usable address", tenant.slug)
            done.append(application.id)
    return done


def run_all(now=None) -> dict[str, int]:
    """Every tenant with the module: deem approved, escalate, then remind the holders of permits about
    to expire (``expiry.py``); one transaction per tenant."""
    counts = {}
    for tenant in db.session.execute(db.select(Tenant).order_by(Tenant.id)).scalars().all():
        if NAME not in enabled_modules(tenant):
            continue
        try:
            counts[tenant.slug] = (len(deem_approved(tenant, now)) + len(escalate(tenant, now))
                                   + len(remind_expiring(tenant, now)))
            db.session.commit()
        except Exception:  # noqa: BLE001 - one tenant's trouble must not stop the others
            db.session.rollback()
            logger.exception("permits: sweep failed for tenant %s", tenant.slug)
    return counts
