"""Reading Open311 parameters: an optional parameter sent empty counts as absent; dates, the
90-day window, paging, the radius search and ``jurisdiction_id`` (required on the deployment-wide
endpoint, optional but checked on a tenant's own address). Bad values are ``Open311Error`` 400/404.
"""
from __future__ import annotations

from datetime import timedelta

from flask import g, request

from core.kit import Tenant, ValidationError, db, enabled_modules, utcnow

from . import duplicates, services
from .open311_format import Open311Error, parse_w3c, positive_int

WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
DEFAULT_RADIUS_M = 500


def value(name: str) -> str:
    """A parameter of the query or the form; sent empty, it is as if absent ("")."""
    return (request.values.get(name) or "").strip()


def find_jurisdiction():
    """On the deployment's own host: the tenant named by ``jurisdiction_id`` (required there)."""
    given = value("jurisdiction_id").lower()
    if not given:
        raise Open311Error(400, "jurisdiction_id is required on this shared endpoint (a tenant's slug or domain)")
    tenant = db.session.execute(db.select(Tenant).where(Tenant.slug == given)).scalar_one_or_none()
    if tenant is None:
        tenant = db.session.execute(db.select(Tenant).where(Tenant.domains.any(host=given))).scalar_one_or_none()
    if tenant is None or "complaints" not in enabled_modules(tenant):
        raise Open311Error(404, f"jurisdiction_id '{given}' is not served here")
    return tenant


def check_jurisdiction() -> None:
    """Optional on a tenant's address; if given, it must be this tenant's."""
    given = value("jurisdiction_id").lower()
    if given and given not in {g.tenant.slug, *(d.host for d in g.tenant.domains)}:
        raise Open311Error(404, f"jurisdiction_id '{given}' is not served here")


def date(name: str):
    raw = value(name)
    return parse_w3c(raw, name, g.tenant.timezone) if raw else None


def window(start, end, default_end=True):
    """The spec's window: the most recent 90 days by default, at most 90 days."""
    if start is None and end is None and default_end:
        end = utcnow()
    if start is None and end is not None:
        start = end - WINDOW
    if end is None and start is not None:
        end = start + WINDOW
    if start is not None:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > WINDOW:
            raise Open311Error(400, "the date range may span at most 90 days")
    return start, end


def paging() -> tuple[int, int]:
    page_size = positive_int(value("page_size"), "page_size", MAX_REQUESTS, MAX_REQUESTS)
    return positive_int(value("page"), "page", 1, 1_000_000), page_size


def near():
    """``lat``, ``long`` and ``radius`` (metres): the requests around a point, or None."""
    lat, lon, radius = value("lat"), value("long"), value("radius")
    if not (lat or lon):
        if radius:
            raise Open311Error(400, "radius needs lat and long")
        return None
    try:
        point = (services.coordinate(lat, "lat", 90), services.coordinate(lon, "long", 180))
        if None in point:
            raise ValidationError("give both lat and long", where="lat")
        return (*point, duplicates.check_radius(radius or DEFAULT_RADIUS_M))
    except ValidationError as exc:
        raise Open311Error(400, f"{exc.where}: {exc.message}") from None
