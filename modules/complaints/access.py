"""Finding a complaint, and who may see or do what with it.

- The agency's officers (``complaints.handle``) and coordinators (``complaints.coordinate``) handle
  it; auditors (``complaints.read_all``) read it.
- The filer is whoever filed it signed in, or proves it with the access code or the phone or
  e-mail they gave (``proven``: the pages remember that proof in the session).
- *anonim* (SP4N-LAPOR!): the filer's identity is shown to the coordinator and the filer only,
  not to the agency's officers nor to auditors.
- *rahasia*: the complaint is hidden from every public output; only handlers, auditors and the
  filer see it at all.
"""
from __future__ import annotations

import hmac

from core.kit import (
    NotFound, PamongError, User, ValidationError, db, has_permission, keyed_hash, normalise_email,
    normalise_phone, for_change, tenant_scope, writing,
)
from core.kit import agencies_of as member_agencies

from .models import Complaint


class Forbidden(PamongError):
    code = "forbidden"


def _load(tenant, condition) -> Complaint | None:
    """One complaint; locked for the rest of the transaction when the context writes (a POST, a
    job: ``core.kit.writing``), so a change is made to the current row and two changes take turns."""
    query = db.select(Complaint).where(condition)
    if writing():
        query = for_change(query, Complaint)
    with tenant_scope(tenant):
        return db.session.execute(query).scalar_one_or_none()


def get_by_number(tenant, number: str) -> Complaint:
    row = _load(tenant, Complaint.number == (number or "").strip().upper())
    if row is None:
        raise NotFound("no such complaint", where="number")
    return row


def get_by_token(tenant, token: str) -> Complaint:
    row = _load(tenant, Complaint.token == token)
    if row is None:
        raise NotFound("no such token", where="token")
    return row


def agencies_of(tenant, user) -> set[int]:
    """The agencies whose queue ``user`` works in ``tenant`` (their officer memberships)."""
    if not isinstance(user, User):
        return set()
    return set(member_agencies(user, tenant))


def may_coordinate(tenant, actor) -> bool:
    return isinstance(actor, User) and has_permission(actor, tenant, "complaints.coordinate")


def may_handle(tenant, actor, complaint: Complaint) -> bool:
    """Tokens and the system act for the tenant; people need the permission and the agency."""
    if isinstance(actor, str):
        return actor == "system" or actor.startswith("token:")
    if not isinstance(actor, User):
        return False
    if may_coordinate(tenant, actor):
        return True
    return has_permission(actor, tenant, "complaints.handle") and complaint.agency_id in agencies_of(tenant, actor)


def require_handler(tenant, actor, complaint: Complaint) -> None:
    if not may_handle(tenant, actor, complaint):
        raise Forbidden("you do not handle this complaint's agency", where="complaint")


def is_filer(actor, complaint: Complaint, proven: bool = False) -> bool:
    """The person who filed it: signed in as them, or proven by code or contact."""
    return proven or (isinstance(actor, User) and complaint.filer_user_id == actor.id)


def may_read_private(tenant, actor, complaint: Complaint, proven: bool = False) -> bool:
    """The full description, address, coordinates, photos and notes: handlers, auditors, the filer."""
    if is_filer(actor, complaint, proven) or may_handle(tenant, actor, complaint):
        return True
    return isinstance(actor, User) and has_permission(actor, tenant, "complaints.read_all")


def may_see_identity(tenant, actor, complaint: Complaint, proven: bool = False) -> bool:
    """The filer's name, phone and e-mail. For an *anonim* complaint: the coordinator and the filer."""
    if is_filer(actor, complaint, proven):
        return True
    if complaint.anonymous:
        return may_coordinate(tenant, actor)
    return not isinstance(actor, str) and may_read_private(tenant, actor, complaint)


def may_view(tenant, actor, complaint: Complaint, proven: bool = False) -> bool:
    """The complaint's page: anyone, unless it is *rahasia*."""
    return not complaint.confidential or may_read_private(tenant, actor, complaint, proven)


def access_key_matches(complaint: Complaint, key: str) -> bool:
    key = (key or "").strip().upper()
    return bool(key) and bool(complaint.access_key_hash) and hmac.compare_digest(
        complaint.access_key_hash, keyed_hash(key)
    )


def contact_hashes(contact: str) -> tuple[str, str]:
    """(phone hash, e-mail hash) of what someone typed as their contact; "" where it is not one."""
    contact = (contact or "").strip()
    if not contact:
        return "", ""
    if "@" in contact:
        try:
            return "", keyed_hash(normalise_email(contact))
        except ValidationError:
            return "", ""
    try:
        return keyed_hash(normalise_phone(contact)), ""
    except ValidationError:
        return "", ""


def contact_matches(complaint: Complaint, contact: str) -> bool:
    """The phone number or e-mail address given when filing (any usual spelling)."""
    phone, email = contact_hashes(contact)
    return bool(
        (phone and complaint.filer_phone_hash and hmac.compare_digest(phone, complaint.filer_phone_hash))
        or (email and complaint.filer_email_hash and hmac.compare_digest(email, complaint.filer_email_hash))
    )


def require_filer(actor, complaint: Complaint, access_key: str = "", proven: bool = False) -> None:
    if not (is_filer(actor, complaint, proven) or access_key_matches(complaint, access_key)):
        raise Forbidden("only the person who filed the complaint may do this", where="access_key")


def filed_by(tenant, user: User) -> list[Complaint]:
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(Complaint).where(Complaint.filer_user_id == user.id).order_by(Complaint.id.desc())
        ).scalars())
