"""The ledger's periodic job: holds past their timeout are voided (``expire``), each tenant in turn."""
from __future__ import annotations

from ..jobs import periodic


def expire_all(now=None) -> int:
    from ..extensions import db
    from ..tenancy.models import Tenant
    from .service import expire_pending

    total = 0
    for tenant in db.session.execute(db.select(Tenant).order_by(Tenant.id)).scalars().all():
        total += expire_pending(tenant, now)
        db.session.commit()
    return total


@periodic({"minute": "*"})
def ledger_expire_sweep() -> int:
    return expire_all()
