"""Tracking numbers: gap-free per tenant and local year, e.g. ``MKS-2026-000123``.

Taken from the core's counters (``core.kit.allocate_number``; scope ``("complaints",)``, period
``"year"``) in the transaction that adds the complaint, so concurrent filings take turns and a
rolled-back complaint gives its number back. The yearly counters this module kept before
(``complaint_counters``) were copied into the core's by the migration c3e8a1f05d27, so every year's
sequence continues where it was.
"""
from __future__ import annotations

from datetime import datetime

from core.kit import allocate_number, local_date, render_number

SCOPE = ("complaints",)
PATTERN = "{prefix}-{year}-{serial:06}"


def local_year(tenant, when: datetime) -> int:
    """The year on the tenant's calendar (a complaint at 23:30 WIB on 31 December is still that year)."""
    return local_date(tenant, when).year


def prefix_of(tenant, settings: dict) -> str:
    return (settings.get("number_prefix") or tenant.slug).upper()


def format_number(prefix: str, year: int, seq: int) -> str:
    return render_number(PATTERN, seq, datetime(year, 1, 1).date(), prefix=prefix)


def allocate(tenant, when: datetime) -> tuple[int, int]:
    """Take the next number of ``tenant``'s year at ``when``: returns (year, seq)."""
    got = allocate_number(tenant, SCOPE, "year", when)
    return got.local.year, got.serial
