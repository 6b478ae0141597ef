"""The JSON API under ``/api/v1/complaints/`` (tenant API tokens with scopes), and the chat webhook.

Errors are ``{"error": {"code", "message"}}`` with a stable code. No answer carries the filer's
name, phone or e-mail, and a *rahasia* (confidential) complaint is not there at all: left out of
lists, 404 by its number (``disclosure.py``); only the answer to the token that filed it shows it
once. No answer names a *rahasia* complaint either: a duplicate of one says "merged with a
confidential report" (``disclosure.status_note_for``, issue 10.3). The description of every path
is in ``api_docs.py``.
"""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, g, jsonify, request
from sqlalchemy.exc import IntegrityError

from core.kit import (
    NotFound, OrgUnit, PamongError, ValidationError, api_error, api_scope, current_actor, db, int_arg, json_object,
    local_iso, page_arg, signed_webhook, utcnow,
)

from . import channels, filer_info, queue, services, workflow
from .api_docs import OPENAPI_PATHS  # noqa: F401  (the module's openapi_paths hook reads it here)
from .disclosure import event_note_for, is_public, status_note_for
from .limits import intake_limit
from .models import aware
from .transparency import scrub

bp = Blueprint("complaints_api", __name__)


def _time(value):
    """ISO 8601 in the tenant's offset, as Open311 gives it (``2026-11-30T22:05:00+08:00``)."""
    return local_iso(aware(value))


def represent(c, codes: dict[int, str], timeline: bool = False) -> dict:
    out = {
        "number": c.number, "status": c.status, "status_note": status_note_for(c), "category": c.category_code,
        "agency": codes.get(c.agency_id), "district": codes.get(c.district_id), "village": codes.get(c.village_id),
        "address": scrub(c.address), "lat": c.latitude, "long": c.longitude, "description": scrub(c.description),
        "channel": c.channel, "created_at": _time(c.created_at), "updated_at": _time(c.updated_at),
        "response_due_at": _time(c.response_due_at), "resolution_due_at": _time(c.resolution_due_at),
        "resolved_at": _time(c.resolved_at), "closed_at": _time(c.closed_at),
        "escalation_level": c.escalation_level, "overdue": c.due(utcnow()) or None,
        "photos": len([p for p in c.photos if not p.hidden]), "outcome": c.outcome or None,
        "confirmed_at": _time(c.confirmed_at), "anonymous": bool(c.anonymous),
    }
    if timeline:
        out["timeline"] = [{
            "at": _time(e.at), "kind": e.kind, "from_status": e.from_status or None, "to_status": e.to_status or None,
            "agency": codes.get(e.agency_id), "outcome": e.outcome or None,
            "note": "" if e.kind == "info" else event_note_for(e),  # what the filer added is not published
        } for e in c.events]
    return out


def _codes() -> dict[int, str]:
    return {u.id: u.code for u in db.session.execute(db.select(OrgUnit)).scalars()}


def _fail(exc: PamongError):
    db.session.rollback()
    if isinstance(exc, NotFound):
        return api_error(exc.code, str(exc), 404)
    if isinstance(exc, services.Forbidden):
        return api_error("forbidden", str(exc), 403)
    if exc.code == "duplicate":
        return api_error("replayed", str(exc), 409)
    return api_error(exc.code, str(exc), 400)


def _json() -> dict:
    return json_object()  # cleaned text (core.text); BadJson (400) names what is wrong


def _visible(number: str):
    """The complaint by its number; a *rahasia* one is NotFound, like a number that does not exist."""
    complaint = services.get_by_number(g.tenant, number)
    if not is_public(complaint):
        raise NotFound("no such complaint", where="number")
    return complaint


def _photos(data: dict) -> list[bytes]:
    raw = data.get("photos") or []
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ValidationError("must be a list of base64 strings", where="photos", code="invalid_photo")
    try:
        return [base64.b64decode(p, validate=True) for p in raw]
    except (binascii.Error, ValueError):
        raise ValidationError("is not base64", where="photos", code="invalid_photo") from None


def _flag(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", where=name, code="invalid_field")
    return value


@bp.route("/", methods=["GET"])
@api_scope("complaints:read")
def list_complaints():
    try:
        page = queue.search(
            g.tenant, status=request.args.get("status", "all"), category=request.args.get("category", ""),
            page=page_arg(),
            per_page=int_arg("per_page", 50, min=1, max=queue.MAX_PER_PAGE, code="invalid_page_size"),
            public_only=True,
        )
    except ValidationError as exc:
        return _fail(exc)
    codes = _codes()
    return jsonify(items=[represent(c, codes) for c in page.items], page=page.page, per_page=page.per_page,
                   has_next=page.has_next)


@bp.route("/<number>", methods=["GET"])
@api_scope("complaints:read")
def get_complaint(number: str):
    try:
        complaint = _visible(number)
    except NotFound as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/", methods=["POST"])
@api_scope("complaints:write")
def create_complaint():
    try:
        data = _json()
        filing = services.Filing(
            category=str(data.get("category", "")), description=str(data.get("description", "")),
            district=str(data.get("district", "")), village=str(data.get("village", "")),
            address=str(data.get("address", "")), latitude=data.get("lat"), longitude=data.get("long"),
            name=str(data.get("name", "")), phone=str(data.get("phone", "")), email=str(data.get("email", "")),
            notify_by=str(data.get("notify_by", "")), anonymous=_flag(data, "anonymous"),
            confidential=_flag(data, "confidential"), photos=_photos(data),
        )
        complaint, key = services.file_complaint(g.tenant, current_actor().principal, filing, "api")
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    body = represent(complaint, _codes())
    body["access_code"] = key
    return jsonify(body), 201


@bp.route("/<number>/status", methods=["POST"])
@api_scope("complaints:write")
def change_status(number: str):
    try:
        data = _json()
        complaint = _visible(number)
        workflow.transition(g.tenant, current_actor().principal, complaint, str(data.get("status", "")),
                            note=str(data.get("note", "")), outcome=str(data.get("outcome") or ""))
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/<number>/reroute", methods=["POST"])
@api_scope("complaints:write")
def reroute(number: str):
    try:
        data = _json()
        complaint = _visible(number)
        workflow.reroute(g.tenant, current_actor().principal, complaint, str(data.get("agency", "")),
                         str(data.get("reason", "")))
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


def _filer_step(number: str, step):
    """A filer's step relayed by an integration (a chat bot, a call centre): with the filer's
    ``access_code``; the API token acts for the filer (as an Open311 client does)."""
    try:
        data = _json()
        complaint = _visible(number)
        step(complaint, data, str(data.get("access_code") or ""))
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/<number>/reopen", methods=["POST"])
@api_scope("complaints:write")
def reopen(number: str):
    return _filer_step(number, lambda c, data, key: workflow.reopen(
        g.tenant, current_actor().principal, c, str(data.get("reason", "")), access_key=key))


@bp.route("/<number>/confirm", methods=["POST"])
@api_scope("complaints:write")
def confirm(number: str):
    return _filer_step(number, lambda c, data, key: workflow.confirm(
        g.tenant, current_actor().principal, c, access_key=key))


@bp.route("/<number>/info", methods=["POST"])
@api_scope("complaints:write")
def add_info(number: str):
    return _filer_step(number, lambda c, data, key: filer_info.add_info(
        g.tenant, current_actor().principal, c, str(data.get("text", "")), _photos(data), access_key=key,
        proven=True))  # the token relays for the filer


@bp.route("/webhook/social", methods=["POST"])
@intake_limit()
@signed_webhook(channels.chat_secret,  # HMAC of the tenant's chat secret; the message id stops replays
                missing_secret=("webhook_disabled", "webhook: this tenant takes no chat-gateway messages"))
def social_webhook():
    try:
        complaint, _key = channels.file_social(g.tenant, g.webhook.body)
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    except IntegrityError:  # the same message id arrived twice at once
        db.session.rollback()
        return api_error("replayed", "this message was already received", 409)
    return jsonify(number=complaint.number, status=complaint.status), 201
