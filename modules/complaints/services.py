"""Filing a complaint: pure domain logic, called by every channel (finding and access: ``access.py``,
re-exported here).

Functions take ``tenant`` and ``actor`` (a User, a string such as "system" or "token:NAME", or
None for an anonymous citizen) and never touch Flask's request. They add to the caller's
transaction; the caller commits, or rolls back on an error (nothing is half saved).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from core.kit import (
    OrgUnit, OutOfBounds, User, ValidationError, audit, db, keyed_hash, normalise_email, normalise_phone,
    parse_float, publish, raise_all, tenant_scope, utcnow,
)

from . import deadlines, geo, notifications, numbering, photos as photo_store
from .access import (  # noqa: F401  (re-exported: callers know them as services.*)
    Forbidden, access_key_matches, agencies_of, contact_matches, filed_by, get_by_number, get_by_token,
    is_filer, may_coordinate, may_handle, may_read_private, may_see_identity, may_view, require_filer,
    require_handler,
)
from .models import CHANNELS, Complaint, ComplaintEvent, ComplaintPhoto
from .settings import agency_for, category, settings_of

TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_DESCRIPTION = 4000


@dataclass
class Filing:
    """What a citizen (or an officer on a caller's behalf) tells us, from any channel."""

    category: str
    description: str
    district: str = ""  # org unit codes of the tenant's organisation
    village: str = ""
    address: str = ""
    latitude: object = None
    longitude: object = None
    name: str = ""
    phone: str = ""
    email: str = ""
    notify_by: str = ""  # "sms", "email", "" (the first contact given), or "none"
    attributes: dict = field(default_factory=dict)
    media_url: str = ""
    source_ref: str | None = None
    photos: list = field(default_factory=list)  # raw bytes of each upload
    anonymous: bool = False  # SP4N-LAPOR! anonim: identity hidden from the agency's officers too
    confidential: bool = False  # SP4N-LAPOR! rahasia: hidden from every public output
    locale: str = ""  # the filer's language ("id", "en"); "": the tenant's (notifications.py)


# -- validation -----------------------------------------------------------------------------------

def clean_text(value: str, where: str, max_len: int, required: bool = False, min_len: int = 0) -> str:
    text = CONTROL.sub("", (value or "")).strip()
    if required and not text:
        raise ValidationError("is required", where=where, code="required")
    if text and len(text) < min_len:
        raise ValidationError(f"needs at least {min_len} characters", where=where, code="too_short")
    if len(text) > max_len:
        raise ValidationError(f"may have at most {max_len} characters", where=where, code="too_long")
    return text


def coordinate(value, where: str, limit: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_float(value, -limit, limit)  # the kit's bounds: a 400-digit number is refused
    except OutOfBounds as exc:
        raise ValidationError(exc.message, where=where, code="invalid_coordinate") from None


def _unit(kind: str, code: str, where: str) -> OrgUnit | None:
    if not code:
        return None
    unit = db.session.execute(
        db.select(OrgUnit).where(OrgUnit.kind == kind, OrgUnit.code == code, OrgUnit.active.is_(True))
    ).scalar_one_or_none()
    if unit is None:
        raise ValidationError(f"unknown {kind}", where=where, code=f"unknown_{kind}")
    return unit


def _contact(filing: Filing, problems: list) -> tuple[str, str, str]:
    """The phone, the e-mail and how to be told; each refusal added to ``problems``."""
    phone = _checked(problems, normalise_phone, filing.phone, where="phone") if (filing.phone or "").strip() else ""
    email = _checked(problems, normalise_email, filing.email, where="email") if (filing.email or "").strip() else ""
    how = filing.notify_by or ("sms" if phone else "email" if email else "")
    if how == "none":
        how = ""
    if how not in ("", "sms", "email"):
        problems.append(ValidationError("must be sms or email", where="notify_by", code="invalid_choice"))
    elif how == "sms" and phone == "":  # not None: a phone given but refused is already said
        problems.append(ValidationError("give a phone number to be told by SMS", where="phone", code="required"))
    elif how == "email" and email == "":
        problems.append(ValidationError("give an e-mail address to be told by e-mail", where="email", code="required"))
    return phone or "", email or "", how


def _checked(problems: list, check, *args, **kwargs):
    """``check(*args, **kwargs)``, or None with its refusal(s) added to ``problems``."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        problems.extend(getattr(exc, "problems", None) or [exc])
        return None


def _agency(tenant, cat):
    """The category's agency. Settings naming an agency the tenant lacks are refused where they are
    written (core ``x-ref`` check); should one be deactivated since, the citizen is told the
    category cannot take complaints now (on the category field), never the configuration's
    details, and the operator finds them in the log (issue 20.7)."""
    try:
        return agency_for(tenant, cat)
    except ValidationError as exc:
        import logging

        logging.getLogger(__name__).warning("complaints: %s: %s", exc.where, exc.message)
        raise ValidationError("complaints in this category cannot be received at the moment; choose another",
                              where="category", code="unknown_agency") from None


def validate(tenant, filing: Filing, channel: str, settings: dict) -> dict:
    """Everything checked before anything is written; returns the clean values. Every problem at
    once (``raise_all``: one alone as itself, several as ``Problems``, the first as the one an API
    answers), in the order of the form; a check that needs another's value is skipped when that
    value was refused (its own problem already says what to fix)."""
    problems: list[ValidationError] = []
    if channel not in CHANNELS:
        problems.append(ValidationError(f"unknown channel '{channel}'", where="channel"))
    cat = _checked(problems, category, tenant, filing.category, settings)
    agency = _checked(problems, _agency, tenant, cat) if cat is not None else None
    description = _checked(problems, clean_text, filing.description, "description", MAX_DESCRIPTION,
                           required=True, min_len=5)
    if description and TAG.search(description):
        problems.append(ValidationError("may not contain HTML", where="description", code="html_not_allowed"))
    before = len(problems)
    village = _checked(problems, _unit, "village", (filing.village or "").strip(), "village")
    district = _checked(problems, _unit, "district", (filing.district or "").strip(), "district")
    if village is not None:
        if district is not None and village.parent_id != district.id:
            problems.append(ValidationError("is not in the chosen district", where="village",
                                            code="village_not_in_district"))
        district = district or db.session.get(OrgUnit, village.parent_id)
    places_refused = len(problems) > before
    before = len(problems)
    lat = _checked(problems, coordinate, filing.latitude, "latitude", 90)
    lon = _checked(problems, coordinate, filing.longitude, "longitude", 180)
    if len(problems) == before and (lat is None) != (lon is None):
        problems.append(ValidationError("give both latitude and longitude, or neither",
                                        where="latitude" if lat is None else "longitude",
                                        code="incomplete_coordinates"))
    if lat is not None and lon is not None:
        _checked(problems, geo.check_point, tenant, lat, lon, settings)  # in Indonesia, and in the tenant's area
        if len(problems) == before and district is None and village is None and not places_refused:
            # not chosen: from the tenant's boundaries, if any
            place = geo.locate(tenant, lat, lon, settings)
            village = _checked(problems, _unit, "village", place.village, "village") if place.village else None
            district = (db.session.get(OrgUnit, village.parent_id) if village is not None
                        else _checked(problems, _unit, "district", place.district, "district") if place.district
                        else None)
    phone, email, how = _contact(filing, problems)
    clean = _checked(problems, photo_store.check_photos, list(filing.photos or []), settings["max_photos"],
                     settings["max_photo_kb"] * 1024)
    source_ref = (filing.source_ref or "").strip()[:100] or None
    if source_ref and db.session.execute(
        db.select(Complaint.id).where(Complaint.channel == channel, Complaint.source_ref == source_ref)
    ).first():
        problems.append(ValidationError("this message was already received", where="message_id", code="duplicate"))
    address = _checked(problems, clean_text, filing.address, "address", 300)
    name = _checked(problems, clean_text, filing.name, "name", 200)
    media_url = _checked(problems, clean_text, filing.media_url, "media_url", 500)
    raise_all(problems)
    return {
        "category": cat, "agency": agency, "description": description, "district": district,
        "village": village, "address": address, "lat": lat, "lon": lon,
        "name": name, "phone": phone, "email": email, "notify_by": how,
        "photos": clean, "source_ref": source_ref, "attributes": dict(filing.attributes or {}),
        "media_url": media_url,
        "anonymous": bool(filing.anonymous), "confidential": bool(filing.confidential),
    }


def problems_of(tenant, filing: Filing, channel: str) -> list[ValidationError]:
    """What ``validate`` refuses in ``filing``, every problem (none: it would be filed), nothing
    written: a form that found problems of its own says these beside them, all at once."""
    with tenant_scope(tenant):
        try:
            validate(tenant, filing, channel, settings_of(tenant))
        except ValidationError as exc:
            return list(getattr(exc, "problems", None) or [exc])
    return []


# -- filing ---------------------------------------------------------------------------------------

def announce_event(tenant, actor, what: str, complaint: Complaint, **extra) -> None:
    """Tell the tenant's other modules (``handle_event``): ``complaints.<what>``, no personal data."""
    payload = {"number": complaint.number, "category": complaint.category_code, "agency_id": complaint.agency_id,
               "status": complaint.status, "outcome": complaint.outcome or None,
               "anonymous": bool(complaint.anonymous), "confidential": bool(complaint.confidential), **extra}
    publish(tenant, actor, f"complaints.{what}", payload, source="complaints")


def actor_role(actor) -> str:
    return "officer" if isinstance(actor, User) else ("system" if actor else "citizen")


def add_event(complaint: Complaint, kind: str, actor, role: str, now: datetime, note: str = "",
              from_status: str = "", to_status: str = "", outcome: str = "") -> ComplaintEvent:
    event = ComplaintEvent(
        kind=kind, at=now, from_status=from_status, to_status=to_status, agency_id=complaint.agency_id,
        actor_id=actor.id if isinstance(actor, User) else None, actor_role=role, note=note[:1000],
        outcome=outcome,
    )
    complaint.events.append(event)
    return event


def file_complaint(tenant, actor, filing: Filing, channel: str, now: datetime | None = None,
                   filer: User | None = None, announce: bool = True) -> tuple[Complaint, str]:
    """File a complaint; returns it and the filer's access code (shown once, never stored in clear).

    ``filer`` is the signed-in citizen filing for themselves (None: anonymous, or a caller an
    officer enters on the hotline). ``announce=False`` when the channel answers the filer itself
    (the SMS reply), so they are not told twice.
    """
    now = now or utcnow()
    with tenant_scope(tenant):
        settings = settings_of(tenant)
        values = validate(tenant, filing, channel, settings)
        cat = values["category"]
        year, seq = numbering.allocate(tenant, now)
        access_key = secrets.token_hex(4).upper()
        complaint = Complaint(
            number=numbering.format_number(numbering.prefix_of(tenant, settings), year, seq),
            year=year, seq=seq, token=secrets.token_urlsafe(18), access_key_hash=keyed_hash(access_key),
            category_code=cat.code, agency_id=values["agency"].id,
            district_id=values["district"].id if values["district"] else None,
            village_id=values["village"].id if values["village"] else None,
            description=values["description"], address=values["address"],
            latitude=values["lat"], longitude=values["lon"], attributes=values["attributes"],
            media_url=values["media_url"], channel=channel, source_ref=values["source_ref"],
            filer_user_id=filer.id if filer is not None else None,
            filer_name=values["name"] or None, filer_phone=values["phone"] or None,
            filer_email=values["email"] or None,
            filer_phone_hash=keyed_hash(values["phone"]) if values["phone"] else "",
            filer_email_hash=keyed_hash(values["email"]) if values["email"] else "",
            notify_by=values["notify_by"], status="submitted", created_at=now, updated_at=now,
            anonymous=values["anonymous"], confidential=values["confidential"], outcome="",
            filer_locale=(filing.locale or "")[:2] if (filing.locale or "")[:2] in ("id", "en") else "",
            **deadlines.on_filing(tenant, cat, now),  # response and resolution, on the tenant's calendar
        )
        db.session.add(complaint)
        role = "officer" if channel == "hotline" else "citizen"
        add_event(complaint, "filed", actor, role, now, to_status="submitted")
        db.session.flush()
        deadlines.started(tenant, complaint, now)  # their clocks on the core's SLA clock (clocks.py)
        store_photos(tenant, complaint, values["photos"])
        audit(tenant, actor, "complaints.file", "complaint", complaint.number, after={
            "category": cat.code, "agency": values["agency"].code, "channel": channel,
            "photos": len(values["photos"]), "anonymous": values["anonymous"], "confidential": values["confidential"],
        })
        if announce:
            notifications.filed(tenant, complaint, access_key)
        announce_event(tenant, actor, "filed", complaint, channel=channel)
        return complaint, access_key


def store_photos(tenant, complaint: Complaint, clean: list, by_filer: bool = False) -> None:
    """Keep checked photos (each with its thumbnail); on an error the files written are removed."""
    stored: list[str] = []
    first = len(complaint.photos) + 1
    try:
        for index, photo in enumerate(clean, start=first):
            key, thumb_key = photo_store.store(tenant, photo, f"{complaint.number}-{index}")
            stored += [key, thumb_key]
            complaint.photos.append(ComplaintPhoto(
                storage_key=key, content_type=photo.content_type, size=len(photo.data),
                width=photo.width, height=photo.height, thumb_key=thumb_key, thumb_width=photo.thumb_width,
                thumb_height=photo.thumb_height, added_by_filer=by_filer,
            ))
        db.session.flush()
    except Exception:
        photo_store.discard(stored)
        raise
