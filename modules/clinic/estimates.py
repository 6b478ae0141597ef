"""Estimated times of service (``estimasi dilayani``, BPJS Antrean Online), pure arithmetic.

The minutes one patient takes are the median of the service times observed that day at the poli
(called -> finished), or the poli's configured ``service_minutes`` before any is observed. With
``practitioners`` serving the poli (those of the clinic's settings who name it; at least 1) the queue
moves that many times faster: a patient with ``ahead`` patients still to be served before them is
expected at ``max(now, session opens) + ahead * minutes / practitioners``. Times are aware UTC datetimes.
The estimates stored are those of the last desk action; every reader shows them through
``not_before`` (``registration.shown_estimates``), so none shown is ever before now.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from statistics import median


def minutes_per_patient(observed_minutes: list[float], default_minutes: float) -> float:
    """Median of the positive observed service times (minutes), else ``default_minutes``."""
    seen = [m for m in observed_minutes if m > 0]
    return float(median(seen)) if seen else float(default_minutes)


def estimated_at(now: datetime, opens_at: datetime, ahead: int, minutes: float, practitioners: int = 1) -> datetime:
    """When a patient with ``ahead`` (>= 0) patients before them should be called, ``practitioners``
    serving the poli in parallel (fewer than 1 counts as 1)."""
    if ahead < 0:
        raise ValueError("ahead must be 0 or more")
    return max(now, opens_at) + timedelta(minutes=ahead * minutes / max(1, practitioners))


def not_before(times: dict, now: datetime) -> dict:
    """The estimates ``times`` (key -> datetime of the patients still waiting) as they are shown at
    ``now``: when the earliest is before ``now`` (the queue fell behind since the last desk action)
    all are shifted by that much, so the first is ``now`` and the spacing observed is kept; else they
    are returned as they are. Naive datetimes are taken as UTC."""
    times = {k: t if t.tzinfo else t.replace(tzinfo=timezone.utc) for k, t in times.items() if t is not None}
    if not times:
        return {}
    late = now - min(times.values())
    if late <= timedelta(0):
        return times
    return {k: t + late for k, t in times.items()}


def service_minutes(called_at: datetime | None, finished_at: datetime | None) -> float | None:
    """Minutes from call to finish (None when either is missing)."""
    if called_at is None or finished_at is None:
        return None
    return (finished_at - called_at).total_seconds() / 60
