"""Open311 GeoReport v2 at ``/open311/v2/`` of a tenant (its own domain or ``/t/<slug>/``).

Services are the tenant's complaint categories; a service request is a complaint and its
``service_request_id`` the tracking number. Status is ``open`` or ``closed`` (resolved, closed and
rejected complaints are closed); the fine status is in ``status_notes``. Extensions accepted:
``page``/``page_size``, ``updated_after``/``updated_before`` and ``extensions=true`` (channel,
fine status and the timeline as notes).
POST needs ``api_key``: a tenant API token with the scope ``complaints:write``.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, g, redirect, request, url_for

from core.kit import OrgUnit, ValidationError, db, public, tenant_scope, token_for, utcnow

from . import services
from .labels import status_label
from .limits import intake_limit
from .models import FINISHED_STATUSES, Complaint
from .open311_post import filing_from_post
from .open311_format import (
    Open311Error, check_format, comma_list, error_response, parse_w3c, positive_int, respond, w3c,
)
from .settings import categories, settings_of
from .transparency import scrub

bp = Blueprint("open311", __name__)
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00Z"
WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000


def _fmt():
    return (request.view_args or {}).get("fmt", "xml")


@bp.errorhandler(Open311Error)
def _open311_error(exc):
    db.session.rollback()
    return error_response(_fmt(), exc)


@bp.errorhandler(429)
def _too_many(exc):
    return error_response(_fmt(), Open311Error(429, "too many requests from this client; wait a minute"))


def _jurisdiction() -> None:
    """Optional here (the address names the tenant); if given, it must be this tenant's."""
    given = (request.values.get("jurisdiction_id") or "").strip().lower()
    if given and given not in {g.tenant.slug, *(d.host for d in g.tenant.domains)}:
        raise Open311Error(404, f"jurisdiction_id '{given}' is not served here")


def _service(cat, locale: str) -> dict:
    return {
        "service_code": cat.code, "service_name": cat.name(locale), "description": cat.description or None,
        "metadata": bool(cat.attributes), "type": "realtime", "keywords": ",".join(cat.keywords) or None,
        "group": cat.group or None,
    }


def _locale() -> str:
    return g.tenant.default_locale


@bp.route("/")
@public
def root():
    return redirect(url_for("open311.discovery", fmt="xml"))


@bp.route("/discovery.<fmt>")
@public
def discovery(fmt):
    check_format(fmt)
    settings = settings_of(g.tenant)
    base = request.url_root.rstrip("/") + "/open311/v2/"
    return respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": settings.get("coordinator_email") or g.tenant.name,
        "key_service": f"Ask the administrator of {g.tenant.name} for an API token with the scope complaints:write.",
        "endpoints": [{"specification": SPEC, "url": base, "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })


@bp.route("/services.<fmt>")
@public
def service_list(fmt):
    check_format(fmt)
    _jurisdiction()
    return respond(fmt, "services", [_service(c, _locale()) for c in categories(g.tenant)])


def _category(code: str):
    for cat in categories(g.tenant):
        if cat.code == code:
            return cat
    raise Open311Error(404, f"service_code '{code}' not found")


@bp.route("/services/<code>.<fmt>")
@public
def service_definition(code, fmt):
    check_format(fmt)
    _jurisdiction()
    cat = _category(code)
    attributes = [{
        "variable": True, "code": a["code"], "datatype": a.get("datatype", "string"),
        "required": bool(a.get("required", False)), "datatype_description": a.get("datatype_description") or None,
        "order": order, "description": a["description"],
        "values": [{"key": v["key"], "name": v["name"]} for v in a.get("values", [])],
    } for order, a in enumerate(cat.attributes, start=1)]
    return respond(fmt, "service_definition", {"service_code": cat.code, "attributes": attributes})


# -- service requests ------------------------------------------------------------------------------

def _request(c: Complaint, names: dict[int, str], codes: dict[int, str], cat_names: dict[str, str],
             extensions: bool) -> dict:
    zone = g.tenant.timezone
    closed = c.status in FINISHED_STATUSES
    notes = status_label(c.status) + (f": {scrub(c.status_note)}" if c.status_note else "")
    out = {
        "service_request_id": c.number, "status": "closed" if closed else "open", "status_notes": notes,
        "service_name": cat_names.get(c.category_code, c.category_code), "service_code": c.category_code,
        "description": scrub(c.description), "agency_responsible": names.get(c.agency_id),
        "service_notice": None, "requested_datetime": w3c(c.created_at, zone),
        "updated_datetime": w3c((c.closed_at or c.resolved_at) if closed else c.updated_at, zone),
        "expected_datetime": w3c(c.resolution_due_at, zone), "address": scrub(c.address) or None,
        "address_id": codes.get(c.village_id), "zipcode": None, "lat": c.latitude, "long": c.longitude,
        "media_url": c.media_url or None,
    }
    if extensions:
        out["extended_attributes"] = {"channel": c.channel, "detailed_status": c.status.upper(),
                                      "escalation_level": c.escalation_level}
        out["notes"] = [{"datetime": w3c(e.at, zone), "description": scrub(e.note) or e.kind, "type": e.kind}
                        for e in c.events]
    return out


def _render_requests(fmt: str, rows: list[Complaint]):
    units = db.session.execute(db.select(OrgUnit)).scalars().all()
    names = {u.id: u.name for u in units}
    codes = {u.id: u.code for u in units}
    cat_names = {c.code: c.name(_locale()) for c in categories(g.tenant)}
    extensions = request.args.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", [_request(c, names, codes, cat_names, extensions) for c in rows])


@bp.route("/requests.<fmt>", methods=["GET"])
@public
def request_list(fmt):
    check_format(fmt)
    _jurisdiction()
    args = request.args
    query = db.select(Complaint)
    ids = comma_list(args.get("service_request_id"))
    if ids:  # overrides every other parameter
        query = query.where(Complaint.number.in_([i.upper() for i in ids[:MAX_REQUESTS]]))
        with tenant_scope(g.tenant):
            rows = db.session.execute(query.order_by(Complaint.created_at.desc())).scalars().all()
        return _render_requests(fmt, rows)
    codes = comma_list(args.get("service_code"))
    known = {c.code for c in categories(g.tenant)}
    for code in codes:
        if code not in known:
            raise Open311Error(400, f"service_code '{code}' not found")
    statuses = comma_list(args.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status must be open, closed or both (comma separated)")
    dates = {name: _date(args, name) for name in ("start_date", "end_date", "updated_after", "updated_before")}
    start, end = dates["start_date"], dates["end_date"]
    by_update = dates["updated_after"] is not None or dates["updated_before"] is not None
    if start is None and end is None and not by_update:
        end = utcnow()  # the spec's default: the most recent 90 days
    if start is None and end is not None:
        start = end - WINDOW
    if end is None and start is not None:
        end = start + WINDOW
    if start is not None:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > WINDOW:
            raise Open311Error(400, "the date range may span at most 90 days")
        query = query.where(Complaint.created_at >= start, Complaint.created_at <= end)
    if dates["updated_after"] is not None:
        query = query.where(Complaint.updated_at >= dates["updated_after"])
    if dates["updated_before"] is not None:
        query = query.where(Complaint.updated_at <= dates["updated_before"])
    page_size = positive_int(args.get("page_size"), "page_size", MAX_REQUESTS, MAX_REQUESTS)
    page = positive_int(args.get("page"), "page", 1, 1_000_000)
    if codes:
        query = query.where(Complaint.category_code.in_(codes))
    if set(statuses) == {"open"}:
        query = query.where(Complaint.status.not_in(FINISHED_STATUSES))
    elif set(statuses) == {"closed"}:
        query = query.where(Complaint.status.in_(FINISHED_STATUSES))
    with tenant_scope(g.tenant):
        rows = db.session.execute(
            query.order_by(Complaint.created_at.desc(), Complaint.id.desc())
            .offset((page - 1) * page_size).limit(page_size)
        ).scalars().all()
    return _render_requests(fmt, rows)


def _date(args, name: str):
    raw = (args.get(name) or "").strip()
    return parse_w3c(raw, name, g.tenant.timezone) if raw else None


@bp.route("/requests/<request_id>.<fmt>", methods=["GET"])
@public
def request_one(request_id, fmt):
    check_format(fmt)
    _jurisdiction()
    try:
        complaint = services.get_by_number(g.tenant, request_id)
    except Exception:  # noqa: BLE001 - NotFound
        raise Open311Error(404, f"service_request_id '{request_id}' not found") from None
    return _render_requests(fmt, [complaint])


@bp.route("/tokens/<token>.<fmt>", methods=["GET"])
@public
def token_status(token, fmt):
    check_format(fmt)
    _jurisdiction()
    try:
        complaint = services.get_by_token(g.tenant, token)
    except Exception:  # noqa: BLE001 - NotFound
        raise Open311Error(404, f"token '{token}' not found") from None
    return respond(fmt, "service_requests", [{"service_request_id": complaint.number, "token": token}])


@bp.route("/requests.<fmt>", methods=["POST"])
@intake_limit()
@public  # authenticated by api_key (a tenant API token), checked below
def request_create(fmt):
    check_format(fmt)
    key = (request.form.get("api_key") or "").strip()
    token = token_for(g.tenant, key) if key else None
    if token is None or "complaints:write" not in (token.scopes or []):
        raise Open311Error(403, "api_key is missing or not valid for this jurisdiction")
    _jurisdiction()
    filing = filing_from_post(g.tenant, request.form, _category)
    try:
        complaint, _key = services.file_complaint(g.tenant, f"token:{token.name}", filing, "open311")
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        raise Open311Error(400, f"{exc.where}: {exc.message}" if exc.where else exc.message) from None
    return respond(fmt, "service_requests", [{
        "service_request_id": complaint.number, "service_notice": None, "account_id": None,
    }])


@bp.route("/<path:rest>", methods=["GET", "POST"])
@public
def unknown(rest):
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(fmt, Open311Error(404, f"no Open311 resource at '{rest}'"))
