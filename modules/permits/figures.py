"""Public figures of the permit office, per permit type and month (the tenant's local month of
submission): applications, permits issued, the median working days the office itself took (the SLA
clock's running time: waiting on the applicant is not counted) and the share decided within the
service level. Also the retribution collected per type and month from the ledger (``payments``)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from statistics import median

from core.kit import db, local_date, month_name, tenant_scope, utcnow

from .models import DRAFT, ISSUED, REJECTED, Application

MONTHS = 12


def month_label(month: str, locale: str) -> str:
    """A month key ``"YYYY-MM"`` as the reader's language writes it: "Des 2026" (id), "Dec 2026" (en)
    (the core's ``month_name``); a key of another form is returned as it is."""
    return month_name(month, "MMM y", locale or "id")


@dataclass
class Row:
    type_code: str
    month: str
    applications: int = 0
    issued: int = 0
    decided: int = 0
    within: int = 0
    days: list = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return median(self.days) if self.days else None

    @property
    def share_within(self) -> int | None:
        """Per cent of the decided applications decided within the service level."""
        return round(100 * self.within / self.decided) if self.decided else None


def _aware(at):
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def table(tenant, months: int = MONTHS) -> list[Row]:
    """Rows for the last ``months`` months, newest month first, then by type."""
    since = utcnow() - timedelta(days=31 * months)
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(
            Application.type_code, Application.submitted_at, Application.status, Application.office_days,
            Application.within_sla,
        ).where(Application.status != DRAFT, Application.submitted_at >= since)).all()
    out: dict[tuple[str, str], Row] = {}
    for type_code, submitted_at, status, days, within in rows:
        month = local_date(tenant, _aware(submitted_at)).strftime("%Y-%m")
        row = out.setdefault((month, type_code), Row(type_code, month))
        row.applications += 1
        row.issued += status == ISSUED
        if status in (ISSUED, REJECTED) and within is not None:
            row.decided += 1
            row.within += bool(within)
            row.days.append(days or 0)
    return [out[k] for k in sorted(out, key=lambda k: (k[0], k[1]), reverse=True)]


def per_month(rows: list[Row]) -> list[tuple[str, int, int]]:
    """``[(month, applications, issued)]`` over every type, oldest first (the chart)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        sums[row.month][0] += row.applications
        sums[row.month][1] += row.issued
    return [(m, a, i) for m, (a, i) in sorted(sums.items())]
