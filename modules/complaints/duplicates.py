"""Duplicates: open complaints near a new one are offered before filing, and an officer can mark a
complaint as a duplicate of another (its followers move over and are told).

A public complaint is merged into a *rahasia* (confidential) one only by the coordinator
(``complaints.coordinate``), who confirms it knowingly (``confirm_confidential``); an officer is
refused (``original_confidential``), and one who may not see the original at all is answered as for
a number that does not exist. Public outputs then say "merged with a confidential report", never
its number (``disclosure.status_note_for``), and the public complaint's followers stay where they
are. Every output that names an original applies its visibility at the time it is shown, so an
original made *rahasia* later is not named either.

The radius search is tenant-scoped: a bounding box on the indexed latitude and longitude
(``ix_complaints_tenant_category_lat_lon``) narrows the rows in SQL, then the haversine distance
decides. Each category has its own radius (``duplicate_radius_m``; 0 offers nothing).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from core.kit import NotFound, User, ValidationError, audit, db, tenant_scope, utcnow

from . import deadlines, notifications, services
from .access import may_coordinate, may_view
from .disclosure import is_public, public_only
from .models import OPEN_STATUSES, Complaint, ComplaintContactFollower, ComplaintFollower
from .settings import MAX_RADIUS_M, category

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
OFFERED = 5  # at most this many nearby complaints are offered


@dataclass(frozen=True)
class Nearby:
    complaint: Complaint
    distance_m: float


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float | None, float | None]:
    """(south, north, west, east) in degrees around a point, slightly larger than the circle;
    west/east are None when the box would reach a pole or cross the 180th meridian (no filter)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.001
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(max(abs(south), abs(north))))
    if cos_lat < 1e-6:
        return south, north, None, None
    dlon = dlat / cos_lat
    if lon - dlon < -180 or lon + dlon > 180:
        return south, north, None, None
    return south, north, lon - dlon, lon + dlon


def check_radius(value, where: str = "radius") -> int:
    """A radius in whole metres, 1 to MAX_RADIUS_M; a clear ValidationError otherwise."""
    try:
        radius = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError("must be a whole number of metres", where=where, code="invalid_radius") from None
    if not 1 <= radius <= MAX_RADIUS_M:
        raise ValidationError(f"must be between 1 and {MAX_RADIUS_M} metres", where=where, code="invalid_radius")
    return radius


def within(tenant, lat: float, lon: float, radius_m: int, query=None) -> list[Nearby]:
    """Complaints of ``tenant`` (narrowed by ``query``, a select of Complaint) within ``radius_m``
    metres of (lat, lon), nearest first."""
    south, north, west, east = bounding_box(lat, lon, radius_m)
    query = (query if query is not None else db.select(Complaint)).where(
        Complaint.latitude.is_not(None), Complaint.latitude.between(south, north))
    if west is not None:
        query = query.where(Complaint.longitude.between(west, east))
    with tenant_scope(tenant):
        rows = db.session.execute(query).scalars().all()
    found = [Nearby(c, haversine_m(lat, lon, c.latitude, c.longitude)) for c in rows]
    return sorted((n for n in found if n.distance_m <= radius_m), key=lambda n: (n.distance_m, n.complaint.id))


def nearby_open(tenant, category_code: str, lat: float, lon: float, radius_m: int,
                visible=lambda complaint: True, limit: int = OFFERED) -> list[Nearby]:
    """Open complaints of one category within ``radius_m``: what a citizen may follow instead."""
    query = public_only(db.select(Complaint)).where(
        Complaint.category_code == category_code, Complaint.status.in_(OPEN_STATUSES),
        Complaint.duplicate_of_id.is_(None),
    )
    return [n for n in within(tenant, lat, lon, check_radius(radius_m), query) if visible(n.complaint)][:limit]


def offer(tenant, filing: services.Filing) -> list[Nearby]:
    """Before filing: the open complaints of the filing's category within the category's radius
    (none without coordinates, or when the category's radius is 0). Bad input is left to filing."""
    try:
        cat = category(tenant, filing.category)
        lat = services.coordinate(filing.latitude, "latitude", 90)
        lon = services.coordinate(filing.longitude, "longitude", 180)
    except ValidationError:
        return []
    if lat is None or lon is None or not cat.duplicate_radius_m:
        return []
    return nearby_open(tenant, cat.code, lat, lon, cat.duplicate_radius_m, visible=may_be_offered)


def may_be_offered(complaint: Complaint) -> bool:
    """A nearby complaint shown to someone filing: never a confidential (*rahasia*) one."""
    return is_public(complaint)


def move_followers(tenant, duplicate: Complaint, original: Complaint) -> list[User]:
    """The duplicate's followers (and its filer, if signed in) follow the original instead; returns
    them (to be told). A confidential original takes no followers: the public may not see it."""
    rows = db.session.execute(
        db.select(ComplaintFollower).where(ComplaintFollower.complaint_id == duplicate.id)
    ).scalars().all()
    if not is_public(original):
        return []
    already = set(db.session.execute(
        db.select(ComplaintFollower.user_id).where(ComplaintFollower.complaint_id == original.id)
    ).scalars())
    moved = []
    for row in rows:
        moved.append(row.user_id)
        if row.user_id in already:  # followed both: once is enough
            db.session.delete(row)
            continue
        row.complaint_id = original.id
        already.add(row.user_id)
    if duplicate.filer_user_id is not None and duplicate.filer_user_id not in already:
        db.session.add(ComplaintFollower(complaint_id=original.id, user_id=duplicate.filer_user_id))
        moved.append(duplicate.filer_user_id)
    return [db.session.get(User, user_id) for user_id in moved]


def move_contact_followers(tenant, duplicate: Complaint, original: Complaint) -> list[ComplaintContactFollower]:
    """The duplicate's confirmed followers without an account (``follow.py``) follow the original
    instead; returns their rows on the original (to be told, each with its own stop link). A
    contact that already follows the original keeps that one row (the duplicate's goes); one with
    a pending code for the original is confirmed by this (its code is spent). A pending request on
    the duplicate stays there (its code is bound to the duplicate's number). A confidential
    original takes no followers: the public may not see it."""
    if not is_public(original):
        return []
    rows = db.session.execute(
        db.select(ComplaintContactFollower).where(ComplaintContactFollower.complaint_id == duplicate.id,
                                                  ComplaintContactFollower.confirmed_at.is_not(None))
        .order_by(ComplaintContactFollower.id)
    ).scalars().all()
    there = {r.contact_hash: r for r in db.session.execute(
        db.select(ComplaintContactFollower).where(ComplaintContactFollower.complaint_id == original.id)
    ).scalars()}
    moved = []
    for row in rows:
        kept = there.get(row.contact_hash)
        if kept is None:
            row.complaint_id = original.id
            there[row.contact_hash] = row
            moved.append(row)
            continue
        if kept.confirmed_at is None:  # asked to follow the original too: now it does
            kept.confirmed_at, kept.code_hash, kept.code_expires_at, kept.tries = row.confirmed_at, "", None, 0
            kept.locale = kept.locale or row.locale
        db.session.delete(row)  # followed both: once is enough
        if kept not in moved:
            moved.append(kept)
    return moved


def mark_duplicate(tenant, actor, complaint: Complaint, original_number: str, now: datetime | None = None,
                   confirm_confidential: bool = False) -> Complaint:
    """An officer marks ``complaint`` as a duplicate of another complaint of the tenant: it is closed
    with that note, its followers (and its filer) follow the original and are told.

    ValidationError (``where="original"``): ``unknown_complaint`` (no such number, or one the actor
    may not see), ``same_complaint``, ``original_rejected``, ``invalid_transition`` (not open),
    ``original_confidential`` (a public complaint into a *rahasia* one, by someone who is not the
    coordinator), ``confirm_confidential`` (the coordinator has not confirmed that merge)."""
    now = now or utcnow()
    with tenant_scope(tenant):
        services.require_handler(tenant, actor, complaint)
        if not complaint.is_open:
            raise ValidationError("only an open complaint can be marked as a duplicate", where="original",
                                  code="invalid_transition")
        try:
            original = services.get_by_number(tenant, original_number)
        except NotFound:
            raise ValidationError("no such complaint", where="original", code="unknown_complaint") from None
        while original.duplicate_of_id is not None:  # keep the links one level deep
            original = db.session.get(Complaint, original.duplicate_of_id)
        if original.id == complaint.id:
            raise ValidationError("a complaint cannot be a duplicate of itself", where="original", code="same_complaint")
        if not may_view(tenant, actor, original):  # a rahasia complaint of another agency: as if unknown
            raise ValidationError("no such complaint", where="original", code="unknown_complaint")
        if original.status == "rejected":
            raise ValidationError("the original complaint was rejected", where="original", code="original_rejected")
        into_confidential = is_public(complaint) and not is_public(original)
        if into_confidential and not may_coordinate(tenant, actor):
            raise ValidationError("the original complaint is confidential: only the complaint coordinator may "
                                  "merge a public complaint into it", where="original", code="original_confidential")
        if into_confidential and not confirm_confidential:
            raise ValidationError("the original complaint is confidential: confirm the merge", where="original",
                                  code="confirm_confidential")
        before = complaint.status
        complaint.duplicate_of_id = original.id
        # the public reason: the original's number, never a confidential one's (outputs re-check it)
        complaint.status, complaint.outcome = "closed", "duplicate"
        complaint.status_note = original.number if is_public(original) else ""
        complaint.closed_at = complaint.updated_at = now
        complaint.paused_at = None
        deadlines.on_status(tenant, complaint, now)  # closed: every clock finishes
        services.add_event(complaint, "duplicate", actor, services.actor_role(actor), now, note=original.number,
                           from_status=before, to_status="closed", outcome="duplicate")
        told = move_followers(tenant, complaint, original)
        moved = len(told)
        contacts = move_contact_followers(tenant, complaint, original)
        if not is_public(original):  # its followers stay; they are told it was merged, not into what
            from .follow import contact_followers_of, followers_of

            told, contacts = followers_of(tenant, complaint), contact_followers_of(tenant, complaint)
        audit(tenant, actor, "complaints.duplicate", "complaint", complaint.number,
              before={"status": before}, after={"status": "closed", "duplicate_of": original.number,
                                                 "followers_moved": moved,
                                                 "contact_followers_moved": len(contacts) if is_public(original) else 0,
                                                 "original_confidential": not is_public(original)})
        if into_confidential:  # the coordinator's decision, on the original's record too
            audit(tenant, actor, "complaints.merge_into_confidential", "complaint", original.number,
                  after={"duplicate": complaint.number, "decided_by": "coordinator"})
        db.session.flush()
        notifications.duplicate(tenant, complaint, original,
                                [u for u in told if u is not None and u.id != complaint.filer_user_id], contacts)
        services.announce_event(tenant, actor, "duplicate", complaint,
                                original=original.number if is_public(original) else None, previous=before)
        return complaint


def duplicates_of(tenant, complaint: Complaint) -> list[Complaint]:
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(Complaint).where(Complaint.duplicate_of_id == complaint.id).order_by(Complaint.id)
        ).scalars())


__all__ = ["Nearby", "bounding_box", "check_radius", "duplicates_of", "haversine_m", "mark_duplicate",
           "nearby_open", "offer", "within"]
