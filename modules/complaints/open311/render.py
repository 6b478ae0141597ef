"""What Open311 shows of a complaint: a service request (with ``extensions=true`` its timeline as
``notes`` and ``extended_attributes``) and a FixMyStreet ``request_update``. No personal data: free
text passes through ``transparency.scrub`` and confidential complaints are never shown, nor named:
a duplicate of a *rahasia* original says "merged with a confidential report" in ``status_notes``,
``notes`` and ``request_update`` descriptions, and its ``duplicate_of`` is null (issue 10.3).
"""
from __future__ import annotations

from core.kit import db, org_units

from ..disclosure import event_note_for, is_public, outcome_note, scrub
from ..models import FINISHED_STATUSES, Complaint, ComplaintEvent
from .format import w3c
from .updates import STATUS_CODES, event_code


def visible(complaint: Complaint) -> bool:
    """Whether Open311 may show ``complaint`` at all: a *rahasia* (confidential) one never."""
    return is_public(complaint)


def public_photo_url(photo) -> str | None:
    """Where the public may see ``photo``: nowhere, while photos are shown only to those who may
    read a complaint's details (``views_public.photo``); Open311 still tells that they exist."""
    return None


def photos_of(complaint: Complaint) -> list[dict]:
    return [{"media_url": public_photo_url(p), "content_type": p.content_type, "width": p.width, "height": p.height}
            for p in complaint.photos if not p.hidden]


class Lookups:
    """Names and codes of agencies and villages (from the tenant's configuration in memory, inactive
    ones included: old complaints name them) and category names, looked up once per response."""

    def __init__(self, tenant, categories, locale: str):
        units = org_units(tenant, active_only=False)
        self.tenant = tenant
        self.names = {u.id: u.name for u in units}
        self.codes = {u.id: u.code for u in units}
        self.cat_names = {c.code: c.name(locale) for c in categories}
        self.numbers: dict[int, str | None] = {}
        self.headings: dict = {}  # (status, outcome): the translated head of each row's status_notes

    def number_of(self, complaint_id: int | None) -> str | None:
        """The number of another complaint, if the public may see it (a *rahasia* one: None)."""
        if complaint_id is None:
            return None
        if complaint_id not in self.numbers:
            row = db.session.execute(db.select(Complaint.number, Complaint.confidential)
                                     .where(Complaint.id == complaint_id)).one_or_none()
            self.numbers[complaint_id] = row.number if row is not None and not row.confidential else None
        return self.numbers[complaint_id]


def _status_notes(c: Complaint, look: Lookups) -> str:
    return outcome_note(c, look.headings)  # a duplicate: the original's number unscrubbed (no personal data), if public


def service_request(c: Complaint, look: Lookups, extensions: bool) -> dict:
    zone = look.tenant.timezone
    closed = c.status in FINISHED_STATUSES
    out = {
        "service_request_id": c.number, "status": "closed" if closed else "open", "status_notes": _status_notes(c, look),
        "service_name": look.cat_names.get(c.category_code, c.category_code), "service_code": c.category_code,
        "description": scrub(c.description), "agency_responsible": look.names.get(c.agency_id),
        "service_notice": None, "requested_datetime": w3c(c.created_at, zone),
        "updated_datetime": w3c((c.closed_at or c.resolved_at) if closed else c.updated_at, zone),
        "expected_datetime": w3c(c.resolution_due_at, zone), "address": scrub(c.address) or None,
        "address_id": look.codes.get(c.village_id), "zipcode": None, "lat": c.latitude, "long": c.longitude,
        "media_url": c.media_url or None,
    }
    if extensions:
        out["extended_attributes"] = {
            "channel": c.channel, "detailed_status": c.status.upper(),
            "status_code": "DUPLICATE" if c.duplicate_of_id is not None else STATUS_CODES.get(c.status),
            "duplicate_of": look.number_of(c.duplicate_of_id), "escalation_level": c.escalation_level,
            "expected_response_datetime": w3c(c.response_due_at, zone) if c.status == "submitted" else None,
            "expected_followup_datetime": w3c(c.followup_due_at, zone) if c.status in ("verified", "assigned") else None,
            "photos": photos_of(c),
        }
        out["notes"] = [{"datetime": w3c(e.at, zone), "description": _note(e, look), "type": e.kind}
                        for e in c.events]
    return out


def _note(e: ComplaintEvent, look: Lookups) -> str:
    if e.kind == "info":  # what the filer added is not published
        return e.kind
    if e.kind == "rerouted":
        return f"{look.names.get(e.agency_id, '')}: {event_note_for(e)}".strip(": ")
    return event_note_for(e) or e.kind  # a duplicate: the original's number unscrubbed, if public


def request_update(e: ComplaintEvent, look: Lookups) -> dict:
    c = e.complaint
    return {
        "update_id": str(e.id), "service_request_id": c.number, "status": event_code(e),
        "updated_datetime": w3c(e.at, look.tenant.timezone), "description": _note(e, look),
        "media_url": None, "external_status_code": e.to_status or c.status,
    }


__all__ = ["Lookups", "photos_of", "request_update", "service_request", "visible"]
