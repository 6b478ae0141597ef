"""Reading Open311 parameters: an optional parameter sent empty counts as absent; dates, the
90-day window, paging, the radius search and ``jurisdiction_id`` (required on the deployment-wide
endpoint, optional but checked on a tenant's own address). Bad values are ``Open311Error`` 400/404,
or the kit's ``ParameterError`` (400) for numbers out of bounds, answered in the spec's format too.
"""
from __future__ import annotations

from datetime import timedelta

from flask import g, request

from core.kit import Tenant, db, declare_datetime, enabled_modules, int_arg, lat_arg, lon_arg, utcnow

from ..settings import MAX_RADIUS_M
from .format import Open311Error, parse_w3c

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
    """The W3C date-time ``name`` in UTC, or None; within the kit's date bounds (1900 to 2999)."""
    declare_datetime(name)
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
    """``page`` (1 to the kit's MAX_PAGE) and ``page_size`` (1 to 1000, the spec's cap), query or form."""
    page_size = int_arg("page_size", MAX_REQUESTS, min=1, max=MAX_REQUESTS, source=request.values)
    return int_arg("page", 1, source=request.values), page_size


def near():
    """``lat``, ``long`` and ``radius`` (metres): the requests around a point, or None."""
    lat, lon = lat_arg("lat", source=request.values), lon_arg("long", source=request.values)
    radius = int_arg("radius", DEFAULT_RADIUS_M, min=1, max=MAX_RADIUS_M, source=request.values)
    if lat is None and lon is None:
        if value("radius"):
            raise Open311Error(400, "radius needs lat and long")
        return None
    if lat is None or lon is None:
        raise Open311Error(400, "lat: give both lat and long")
    return lat, lon, radius
