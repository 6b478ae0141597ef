"""Open311 GeoReport v2 at ``/open311/v2/`` of a tenant (its own domain or ``/t/<slug>/``), and
deployment-wide at ``/open311/v2/`` of the deployment's own host, where ``jurisdiction_id`` (the
tenant's slug or one of its domains) is required and names the tenant.

Services are the tenant's complaint categories; a service request is a complaint and its
``service_request_id`` the tracking number. Status is ``open`` or ``closed`` (resolved, closed and
rejected complaints are closed); the fine status is in ``status_notes``. Extensions accepted:
``page``/``page_size``, ``updated_after``/``updated_before``, ``lat``/``long``/``radius`` (metres)
and ``extensions=true`` (``notes`` and ``extended_attributes``); FixMyStreet's
``servicerequestupdates`` (GET and POST) in ``updates.py``. An optional parameter sent empty
counts as absent. POST needs ``api_key``: a tenant API token with the scope ``complaints:write``.
"""
from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for
from sqlalchemy.exc import IntegrityError

from core.kit import (
    NotFound, ValidationError, api_scope, current_actor, custom_plans, db, deployment_wide, public, public_root,
    tenant_scope,
)

from .. import duplicates, services
from ..disclosure import public_only
from ..limits import intake_limit
from ..models import FINISHED_STATUSES, Complaint, without_filer
from ..settings import categories, settings_of
from . import updates as open311_updates
from .format import Open311Error, check_format, comma_list, error_response, parse_w3c, respond
from .params import (
    MAX_REQUESTS, check_jurisdiction, date, find_jurisdiction, near, paging, value, window,
)
from .post import filing_from_post
from .render import Lookups, request_update, service_request, visible

bp = Blueprint("open311", __name__)
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00Z"


def _fmt():
    return (request.view_args or {}).get("fmt", "xml")


@bp.errorhandler(Open311Error)
def _open311_error(exc):
    db.session.rollback()
    return error_response(_fmt(), exc)


deployment_wide(bp, find_jurisdiction)


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
    query = {"jurisdiction_id": g.tenant.slug} if g.get("deployment_wide") else {}
    return redirect(url_for("open311.discovery", fmt="xml", **query))


@bp.route("/discovery.<fmt>")
@public
def discovery(fmt):
    check_format(fmt)
    settings = settings_of(g.tenant)
    base = public_root() + "open311/v2/"  # the configured address, never the Host header
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
    check_jurisdiction()
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
    check_jurisdiction()
    cat = _category(code)
    attributes = [{
        "variable": True, "code": a["code"], "datatype": a.get("datatype", "string"),
        "required": bool(a.get("required", False)), "datatype_description": a.get("datatype_description") or None,
        "order": order, "description": a["description"],
        "values": [{"key": v["key"], "name": v["name"]} for v in a.get("values", [])],
    } for order, a in enumerate(cat.attributes, start=1)]
    return respond(fmt, "service_definition", {"service_code": cat.code, "attributes": attributes})


# -- service requests ------------------------------------------------------------------------------

def _render_requests(fmt: str, rows: list[Complaint]):
    look = Lookups(g.tenant, categories(g.tenant), _locale())
    extensions = value("extensions").lower() == "true"
    return respond(fmt, "service_requests", [service_request(c, look, extensions) for c in rows if visible(c)])


@bp.route("/requests.<fmt>", methods=["GET"])
@public
def request_list(fmt):
    check_format(fmt)
    check_jurisdiction()
    query = public_only(db.select(Complaint))  # never a rahasia complaint
    ids = comma_list(value("service_request_id"))
    if ids:  # overrides every other parameter
        query = query.where(Complaint.number.in_([i.upper() for i in ids[:MAX_REQUESTS]]))
        with tenant_scope(g.tenant):
            rows = db.session.execute(query.options(*without_filer()).order_by(Complaint.created_at.desc())).scalars().all()
        return _render_requests(fmt, rows)
    codes = comma_list(value("service_code"))
    known = {c.code for c in categories(g.tenant)}
    for code in codes:
        if code not in known:
            raise Open311Error(400, f"service_code '{code}' not found")
    statuses = comma_list(value("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status must be open, closed or both (comma separated)")
    dates = {name: date(name) for name in ("start_date", "end_date", "updated_after", "updated_before")}
    by_update = dates["updated_after"] is not None or dates["updated_before"] is not None
    start, end = window(dates["start_date"], dates["end_date"], default_end=not by_update)
    if start is not None:
        query = query.where(Complaint.created_at >= start, Complaint.created_at <= end)
    if dates["updated_after"] is not None:
        query = query.where(Complaint.updated_at >= dates["updated_after"])
    if dates["updated_before"] is not None:
        query = query.where(Complaint.updated_at <= dates["updated_before"])
    page, page_size = paging()
    around = near()
    if codes:
        query = query.where(Complaint.category_code.in_(codes))
    if set(statuses) == {"open"}:
        query = query.where(Complaint.status.not_in(FINISHED_STATUSES))
    elif set(statuses) == {"closed"}:
        query = query.where(Complaint.status.in_(FINISHED_STATUSES))
    if around is not None:  # nearest first, within the radius
        rows = [n.complaint for n in duplicates.within(g.tenant, *around, query=query.options(*without_filer()))]
        return _render_requests(fmt, rows[(page - 1) * page_size:page * page_size])
    newest = (Complaint.created_at.desc(), Complaint.id.desc())
    # the page's ids first (narrow rows walked and skipped in the index's order), then those rows
    # whole: a deep page no longer carries every skipped row's every column through the sort
    # (issue 11: at 100,000 complaints in the tenant, page 50 of 100 went from ~17 to ~9 ms of SQL)
    page_ids = (query.with_only_columns(Complaint.id, maintain_column_froms=True).order_by(*newest)
                .offset((page - 1) * page_size).limit(page_size))
    with tenant_scope(g.tenant):
        custom_plans(db.session)  # the plan for this tenant's size, not an average tenant's
        rows = db.session.execute(
            db.select(Complaint).options(*without_filer())
            .where(Complaint.id.in_(page_ids.scalar_subquery())).order_by(*newest)
        ).scalars().all()
    return _render_requests(fmt, rows)


def _complaint(request_id: str) -> Complaint:
    try:
        complaint = services.get_by_number(g.tenant, request_id)
    except NotFound:
        complaint = None
    if complaint is None or not visible(complaint):
        raise Open311Error(404, f"service_request_id '{request_id}' not found")
    return complaint


@bp.route("/requests/<request_id>.<fmt>", methods=["GET"])
@public
def request_one(request_id, fmt):
    check_format(fmt)
    check_jurisdiction()
    return _render_requests(fmt, [_complaint(request_id)])


@bp.route("/tokens/<token>.<fmt>", methods=["GET"])
@public
def token_status(token, fmt):
    check_format(fmt)
    check_jurisdiction()
    try:
        complaint = services.get_by_token(g.tenant, token)
    except NotFound:
        raise Open311Error(404, f"token '{token}' not found") from None
    if not visible(complaint):  # rahasia: as if the token did not exist
        raise Open311Error(404, f"token '{token}' not found")
    return respond(fmt, "service_requests", [{"service_request_id": complaint.number, "token": token}])


# POST needs ``api_key`` (a tenant API token with complaints:write); a refusal is the spec's <errors>
# (403, the route's own format through the error_formats hook), so these routes are not @public
writes = api_scope("complaints:write", error_format="route", unauthorized_status=403,
                   message="api_key is missing or not valid for this jurisdiction")


@bp.route("/requests.<fmt>", methods=["POST"])
@intake_limit()
@writes
def request_create(fmt):
    check_format(fmt)
    client = current_actor().principal  # the api_key's client: "token:NAME"
    check_jurisdiction()
    filing = filing_from_post(g.tenant, request.form, _category)
    try:
        complaint, _key = services.file_complaint(g.tenant, client, filing, "open311")
        db.session.commit()
    except ValidationError as exc:  # every problem, each an error of the spec's list
        db.session.rollback()
        raise Open311Error.refusal(exc) from None
    return respond(fmt, "service_requests", [{
        "service_request_id": complaint.number, "service_notice": None, "account_id": None,
    }])


# -- FixMyStreet's servicerequestupdates -----------------------------------------------------------

@bp.route("/servicerequestupdates.<fmt>", methods=["GET"])
@public
def update_list(fmt):
    check_format(fmt)
    check_jurisdiction()
    start, end = window(date("start_date"), date("end_date"))
    page, page_size = paging()
    events = open311_updates.updates_between(g.tenant, start, end, (page - 1) * page_size, page_size, visible)
    look = Lookups(g.tenant, categories(g.tenant), _locale())
    return respond(fmt, "service_request_updates", [request_update(e, look) for e in events])


@bp.route("/servicerequestupdates.<fmt>", methods=["POST"])
@intake_limit()
@writes
def update_create(fmt):
    check_format(fmt)
    client = current_actor().principal  # the api_key's client: "token:NAME"
    check_jurisdiction()
    for name in ("service_request_id", "update_id", "updated_datetime", "status", "description"):
        if not value(name):
            raise Open311Error(400, f"{name} is required")
    updated_at = parse_w3c(value("updated_datetime"), "updated_datetime", g.tenant.timezone)
    request_id = value("service_request_id")
    _complaint(request_id)  # 404 for a request this tenant does not have (or may not show)
    try:
        event = open311_updates.receive(
            g.tenant, client, request_id, value("update_id"), value("status"), value("description"),
            updated_at, media_url=value("media_url"),
        )
        db.session.commit()
    except (ValidationError, services.Forbidden) as exc:
        db.session.rollback()
        raise Open311Error.refusal(exc) from None
    except IntegrityError:  # the same update_id, received at the same moment by another worker
        db.session.rollback()
        raise Open311Error(400, f"update_id: '{value('update_id')}' was already received") from None
    return respond(fmt, "service_request_updates", [{"update_id": str(event.id)}])


@bp.route("/<path:rest>", methods=["GET", "POST"])
@public
def unknown(rest):
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(fmt, Open311Error(404, f"no Open311 resource at '{rest}'"))
