"""The JSON API under ``/api/v1/complaints/`` (tenant API tokens with scopes), and the chat webhook.

Errors are ``{"error": {"code", "message"}}`` with a stable code. No answer carries the filer's
name, phone or e-mail, and a *rahasia* (confidential) complaint is not there at all: left out of
lists, 404 by its number (``disclosure.py``); only the answer to the token that filed it shows it
once. No answer names a *rahasia* complaint either: a duplicate of one says "merged with a
confidential report" (``disclosure.status_note_for``, issue 10.3). The description of every path
is declared with the endpoint (``operation``), from the models in ``api_docs.py`` that validate it.
"""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, g, jsonify
from sqlalchemy.exc import IntegrityError

from core.kit import (
    NotFound, OrgUnit, PamongError, ValidationError, api_error, api_scope, current_actor, db, int_arg, json_object,
    local_iso, operation, page_arg, signed_webhook, utcnow,
)

from . import channels, filer_info, queue, services, workflow
from . import api_docs as m
from .disclosure import event_note_for, is_public, status_note_for
from .limits import intake_limit
from .models import aware
from .transparency import scrub

bp = Blueprint("complaints_api", __name__)


def _time(value):
    """ISO 8601 in the tenant's offset, as Open311 gives it (``2026-11-30T22:05:00+08:00``)."""
    return local_iso(aware(value))


def represent(c, codes: dict[int, str], timeline: bool = False, photos: dict[int, int] | None = None) -> dict:
    """One complaint as the API shows it; ``photos`` ({id: visible photos}, ``queue.photo_counts``)
    lets a list count a page's photos in one statement instead of loading each row's."""
    out = {
        "number": c.number, "status": c.status, "status_note": status_note_for(c), "category": c.category_code,
        "agency": codes.get(c.agency_id), "district": codes.get(c.district_id), "village": codes.get(c.village_id),
        "address": scrub(c.address), "lat": c.latitude, "long": c.longitude, "description": scrub(c.description),
        "channel": c.channel, "created_at": _time(c.created_at), "updated_at": _time(c.updated_at),
        "response_due_at": _time(c.response_due_at), "resolution_due_at": _time(c.resolution_due_at),
        "resolved_at": _time(c.resolved_at), "closed_at": _time(c.closed_at),
        "escalation_level": c.escalation_level, "overdue": c.due(utcnow()) or None,
        "photos": photos.get(c.id, 0) if photos is not None else len([p for p in c.photos if not p.hidden]),
        "outcome": c.outcome or None,
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


def _visible(number: str):
    """The complaint by its number; a *rahasia* one is NotFound, like a number that does not exist."""
    complaint = services.get_by_number(g.tenant, number)
    if not is_public(complaint):
        raise NotFound("no such complaint", where="number")
    return complaint


def _photos(raw: list[str]) -> list[bytes]:
    """The photos of a validated body (a list of strings) as bytes; ``invalid_photo`` if not base64."""
    try:
        return [base64.b64decode(p, validate=True) for p in raw]
    except (binascii.Error, ValueError):
        raise ValidationError("is not base64", where="photos", code="invalid_photo") from None


_NOT_FOUND = {404: "No such complaint (a rahasia one is not found either): not_found"}
_FILER = {400: "Bad input, or the access code is wrong (invalid_access_code) or the step is not allowed now "
               "(cannot_reopen, ...)", **_NOT_FOUND}


@bp.route("/", methods=["GET"])
@api_scope("complaints:read")
@operation("List complaints", query=m.ListQuery, response=m.ComplaintPage, fail=_fail,
           description="Public complaints of the tenant, newest first; a rahasia (confidential) one is left out.")
def list_complaints():
    q = g.api_query
    try:
        page = queue.search(
            g.tenant, status=q.status, category=q.category, page=q.page, per_page=q.per_page,
            public_only=True,
        )
    except ValidationError as exc:
        return _fail(exc)
    codes, photos = _codes(), queue.photo_counts(g.tenant, page.items)
    return jsonify(items=[represent(c, codes, photos=photos) for c in page.items], page=page.page, per_page=page.per_page,
                   has_next=page.has_next)


@bp.route("/<number>", methods=["GET"])
@api_scope("complaints:read")
@operation("One complaint with its timeline", response=m.Complaint, errors=_NOT_FOUND)
def get_complaint(number: str):
    try:
        complaint = _visible(number)
    except NotFound as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/", methods=["POST"])
@api_scope("complaints:write")
@operation("File a complaint", body=m.Filing, response=m.FiledComplaint, status=201, fail=_fail,
           description="The answer carries the filer's access code, once. Errors: unknown_category, required, "
                       "invalid_coordinate, invalid_phone, invalid_photo, rate_limited (429), ...")
def create_complaint():
    try:
        data = g.api_body
        filing = services.Filing(
            category=data.category, description=data.description, district=data.district, village=data.village,
            address=data.address, latitude=data.lat, longitude=data.long, name=data.name, phone=data.phone,
            email=data.email, notify_by=data.notify_by, anonymous=data.anonymous,
            confidential=data.confidential, photos=_photos(data.photos),
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
@operation("Move a complaint to another status", body=m.StatusChange, response=m.Complaint, fail=_fail,
           errors={400: "A move the workflow does not allow: invalid_transition, invalid_outcome, required "
                        "(a note to reject or resolve)", **_NOT_FOUND},
           description="To close an open one without a fix give outcome (not_responsible, duplicate, unable, "
                       "withdrawn) and a note.")
def change_status(number: str):
    try:
        data = g.api_body
        complaint = _visible(number)
        workflow.transition(g.tenant, current_actor().principal, complaint, data.status,
                            note=data.note, outcome=data.outcome or "")
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/<number>/reroute", methods=["POST"])
@api_scope("complaints:write")
@operation("Forward a complaint to another agency", body=m.Reroute, response=m.Complaint, fail=_fail,
           errors={400: "Unknown agency, or the complaint is finished", **_NOT_FOUND})
def reroute(number: str):
    try:
        data = g.api_body
        complaint = _visible(number)
        workflow.reroute(g.tenant, current_actor().principal, complaint, data.agency, data.reason)
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


def _filer_step(number: str, step):
    """A filer's step relayed by an integration (a chat bot, a call centre): with the filer's
    ``access_code``; the API token acts for the filer (as an Open311 client does)."""
    try:
        data = g.api_body
        complaint = _visible(number)
        step(complaint, data, data.access_code)
        db.session.commit()
    except PamongError as exc:
        return _fail(exc)
    return jsonify(represent(complaint, _codes(), timeline=True))


@bp.route("/<number>/reopen", methods=["POST"])
@api_scope("complaints:write")
@operation("The filer reopens a resolved complaint", body=m.Reopen, response=m.Complaint, fail=_fail,
           errors=_FILER, description="Within the tenant's reopen_days (error cannot_reopen after that).")
def reopen(number: str):
    return _filer_step(number, lambda c, data, key: workflow.reopen(
        g.tenant, current_actor().principal, c, data.reason, access_key=key))


@bp.route("/<number>/confirm", methods=["POST"])
@api_scope("complaints:write")
@operation("The filer confirms a resolved complaint is fixed: it closes", body=m.FilerProof, response=m.Complaint,
           fail=_fail, errors=_FILER)
def confirm(number: str):
    return _filer_step(number, lambda c, data, key: workflow.confirm(
        g.tenant, current_actor().principal, c, access_key=key))


@bp.route("/<number>/info", methods=["POST"])
@api_scope("complaints:write")
@operation("The filer adds information or photos to an open complaint", body=m.Info, response=m.Complaint,
           fail=_fail, errors=_FILER)
def add_info(number: str):
    return _filer_step(number, lambda c, data, key: filer_info.add_info(
        g.tenant, current_actor().principal, c, data.text, _photos(data.photos), access_key=key,
        proven=True))  # the token relays for the filer


@bp.route("/webhook/social", methods=["POST"])
@intake_limit()
@signed_webhook(channels.chat_secret,  # HMAC of the tenant's chat secret; the message id stops replays
                missing_secret=("webhook_disabled", "webhook: this tenant takes no chat-gateway messages"))
@operation("A chat-gateway message, signed with the tenant's chat secret", body=m.ChatMessage,
           validate=False,  # read as signed, by channels.file_social
           response=m.ChatFiled, status=201, headers=m.SIGNATURE, response_description="Filed",
           errors={400: "Bad input", 401: "Missing, forged or stale signature (also when the secret the tenant's "
                   "settings name is not set: the same answer)",
                   404: "The tenant has switched the chat webhook off (no webhook_secret)",
                   409: "This message_id was already received (replayed)", 429: "Too many messages (rate_limited)"})
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
