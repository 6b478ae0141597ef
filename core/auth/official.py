"""A person's official identity on signed letters (issue 14; Permendagri 1/2023 on tata naskah
dinas: under the signer's name come the pangkat/golongan and the NIP).

- ``official_identity(user) -> {"name": str, "nip": str | None, "rank": str | None}``: what a
  signature block prints; ``nip`` the 18 digits (print as ``"NIP. " + nip``), ``rank`` the
  pangkat/golongan text; ``None`` when the person has none (not an ASN, or not yet recorded).
- ``check_official(nip, rank, where) -> (nip | None, rank | None)``: normalised values, or a
  ValidationError naming ``where`` (``<where>.nip`` / ``<where>.rank``).
- ``set_official_identity(user, nip, rank, actor, tenant)``: stores them, audited in ``tenant``
  as ``user.official_identity`` with before/after, the NIP masked there (``mask_nip``: first 4 and
  last 2 digits, as ``core.identity.mask_identity`` masks every identity number); a NIP another
  person holds is a ValidationError (code ``nip_taken``). The one path for every writer: the
  tenant file's ``[[accounts.people]]`` (core/tenancy/service.py) and the admin's page
  (core/admin/official.py, through ``update_official_identity``, which checks first).
"""
from __future__ import annotations

from ..audit import record
from ..errors import ValidationError
from ..extensions import db
from ..identity import IdentityError, mask_identity, normalise_nip
from ..tenancy.scope import tenant_scope
from .models import User

RANK_MAX = 60  # characters, the users.rank column
# The civil servants' pangkat/golongan ruang (PP 99/2000), as a letter prints them: offered to the
# admin as they type (an HTML datalist), not a closed list: a rank is free text (PPPK, TNI/Polri, ...).
RANKS = (
    "Juru Muda (I/a)", "Juru Muda Tk. I (I/b)", "Juru (I/c)", "Juru Tk. I (I/d)",
    "Pengatur Muda (II/a)", "Pengatur Muda Tk. I (II/b)", "Pengatur (II/c)", "Pengatur Tk. I (II/d)",
    "Penata Muda (III/a)", "Penata Muda Tk. I (III/b)", "Penata (III/c)", "Penata Tk. I (III/d)",
    "Pembina (IV/a)", "Pembina Tk. I (IV/b)", "Pembina Utama Muda (IV/c)", "Pembina Utama Madya (IV/d)",
    "Pembina Utama (IV/e)",
)


def official_identity(user: User) -> dict:
    """``{"name", "nip", "rank"}`` of ``user`` for a signature block (see the module docstring)."""
    return {"name": user.name or user.email, "nip": user.nip or None, "rank": user.rank or None}


def check_official(nip, rank, where: str) -> tuple[str | None, str | None]:
    """Normalise a NIP (PP 11/2017 shape, core/identity.py) and a rank; empty means none."""
    nip = (str(nip).strip() if nip is not None else "") or None
    if nip is not None:
        try:
            nip = normalise_nip(nip)
        except IdentityError as exc:
            raise ValidationError(_english(exc.message), where=f"{where}.nip", code=exc.code, local=exc.message) from None
    rank = " ".join(str(rank).split()) if rank is not None else ""
    if len(rank) > RANK_MAX:
        raise ValidationError(f"rank is longer than {RANK_MAX} characters", where=f"{where}.rank", code="too_long")
    return nip, rank or None


def _english(message) -> str:
    """A lazy message in English, as the CLI and files' errors speak (the page shows ``local``)."""
    from flask import has_app_context
    from flask_babel import force_locale

    if not has_app_context():
        return str(message)
    with force_locale("en"):
        return str(message)


def nip_holder(nip: str | None) -> User | None:
    """The user who holds ``nip`` (normalised), if any."""
    if not nip:
        return None
    return db.session.execute(db.select(User).where(User.nip == nip)).scalar_one_or_none()


def set_official_identity(user: User, nip: str | None, rank: str | None, actor, tenant, where: str = "nip") -> bool:
    """Store ``nip`` and ``rank`` (already checked by ``check_official``); True when they changed.
    ValidationError (``where``, code ``nip_taken``) when another person holds the NIP."""
    holder = nip_holder(nip)
    if holder is not None and holder.id != user.id:
        raise ValidationError(f"NIP {nip} belongs to another person ({holder.email})", where=where, code="nip_taken")
    if (user.nip, user.rank) == (nip, rank):
        return False
    before = {"nip": mask_nip(user.nip), "rank": user.rank}
    after = {"nip": mask_nip(nip), "rank": rank}
    user.nip, user.rank = nip, rank
    db.session.flush()
    with tenant_scope(tenant):
        record(tenant, actor, "user.official_identity", "user", user.email, before=before, after=after)
    return True


def update_official_identity(user: User, nip, rank, actor, tenant, where: str = "official") -> bool:
    """``check_official`` then ``set_official_identity``: what a person typed, stored if it is
    well-formed and nobody else holds the NIP (``where.nip`` / ``where.rank`` name the field)."""
    nip, rank = check_official(nip, rank, where)
    return set_official_identity(user, nip, rank, actor, tenant, where=f"{where}.nip")


def mask_nip(nip: str | None) -> str | None:
    """A NIP as an audit record keeps it: ``1975************02``; None stays None."""
    return mask_identity(nip) if nip else None
