"""Before a permit's validity ends, its holder is told once (``REMIND_DAYS`` ahead) so the renewal
is applied for in time: a valid permit (not suspended or revoked) whose ``valid_until`` falls within
the coming ``REMIND_DAYS`` days gets an ``expiry_reminder`` line in its timeline (audited as
``permits.expiry_reminder``) and the applicant an SMS/e-mail in their language with the last day
(the tenant's local date). Part of the periodic sweep (``sweep.run_all``)."""
from __future__ import annotations

from datetime import timedelta, timezone

from babel.dates import format_date
from sqlalchemy import exists

from core.kit import Actor, db, local_date, tenant_scope, utcnow

from .models import ISSUED, VALID, Application, Event
from .notices import tell
from .services import N_, log

REMIND_DAYS = 30
LANGUAGES = ("id", "en")


def remind_expiring(tenant, now=None, days: int = REMIND_DAYS) -> list[int]:
    """Tell the holders of the valid permits ending within ``days`` days and not told yet; returns
    the applications' ids (at most 500 a run: the next sweep takes the rest). The caller commits."""
    now = now or utcnow()
    actor = Actor.system("permits-expiry", tenant)
    done = []
    with tenant_scope(tenant):
        told = exists().where(Event.application_id == Application.id, Event.action == "expiry_reminder")
        rows = db.session.execute(
            db.select(Application).where(Application.status == ISSUED, Application.permit_status == VALID,
                                         Application.valid_until > now,
                                         Application.valid_until <= now + timedelta(days=days), ~told)
            .order_by(Application.valid_until, Application.id).limit(500)).scalars().all()
        for application in rows:
            until = application.valid_until
            until = until if until.tzinfo else until.replace(tzinfo=timezone.utc)   # SQLite gives naive UTC
            last_day = local_date(tenant, until)
            log(tenant, actor, application, "expiry_reminder", after={"valid_until": last_day.isoformat()})
            tell(tenant, application, N_("Permit %(number)s is valid until %(date)s. Apply in time to renew it."),
                 number=application.permit_number,
                 date={lang: format_date(last_day, "long", locale=lang) for lang in LANGUAGES})
            done.append(application.id)
    return done
