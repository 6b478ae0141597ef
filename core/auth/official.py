"""A person's official identity on signed letters (issue 14; Permendagri 1/2023 on tata naskah
dinas: under the signer's name come the pangkat/golongan and the NIP).

- ``official_identity(user) -> {"name": str, "nip": str | None, "rank": str | None,
  "title_front": str | None, "title_back": str | None, "titled_name": str}``: what a signature
  block prints; ``nip`` the 18 digits (print as ``"NIP. " + nip``), ``rank`` the
  pangkat/golongan text; ``None`` when the person has none (not an ASN, or not yet recorded).
  ``name`` is the name as stored; ``titled_name`` the name with the gelar recorded apart
  (``"Dr. Andi Rahman, S.T., M.Si."``; the name itself when none is): Permendagri 1/2023 Pasal 44
  prints one or the other (``name`` without gelar for a Kepala Daerah, a Sekda, on a keputusan).
- ``check_titles(front, back, where) -> (front | None, back | None)``: gelar normalised (spaces),
  at most 40 / 60 characters (``too_long``), letters, digits, spaces and ``. , ' ( ) - / &`` only
  (``bad_title``: no markup); ``check_title`` checks one.
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


TITLE_FRONT_MAX, TITLE_BACK_MAX = 40, 60  # characters, the users.title_front / title_back columns


def official_identity(user: User) -> dict:
    """``{"name", "nip", "rank", "title_front", "title_back", "titled_name"}`` of ``user`` for a
    signature block (see the module docstring)."""
    name = user.name or user.email
    front, back = user.title_front or None, user.title_back or None
    titled = " ".join(filter(None, [front, name])) + (f", {back}" if back else "")
    return {"name": name, "nip": user.nip or None, "rank": user.rank or None,
            "title_front": front, "title_back": back, "titled_name": titled}


# What a gelar is written with: letters (any script), digits, spaces and . , ' ( ) - / &
# ("Dr. (H.C.)", "S.T., M.Si.", "Sp.PD-KGH"); anything else (markup's < > " = ...) is refused.
TITLE_MARKS = " .,'()/&-"


def check_title(value, field: str, where: str) -> str | None:
    """One gelar (``field`` ``title_front`` or ``title_back``): spaces normalised, empty is None; too
    long (``too_long``) or written with a character a gelar has not (``bad_title``: markup, a
    quote, ...) is a ValidationError naming ``<where>.<field>``."""
    limit = TITLE_FRONT_MAX if field == "title_front" else TITLE_BACK_MAX
    value = " ".join(str(value).split()).strip(", ") if value is not None else ""
    if len(value) > limit:
        raise ValidationError(f"{field} is longer than {limit} characters", where=f"{where}.{field}", code="too_long")
    bad = next((c for c in value if not (c.isalnum() or c in TITLE_MARKS)), None)
    if bad is not None:
        raise ValidationError(f"{field} may not hold '{bad}' (letters, digits, spaces and . , ' ( ) - / & only)",
                              where=f"{where}.{field}", code="bad_title")
    return value or None


def check_titles(front, back, where: str) -> tuple[str | None, str | None]:
    """Gelar before and after the name (``check_title``), each None when empty."""
    return check_title(front, "title_front", where), check_title(back, "title_back", where)


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


def set_official_identity(user: User, nip: str | None, rank: str | None, actor, tenant, where: str = "nip",
                          titles: tuple[str | None, str | None] | None = None) -> bool:
    """Store ``nip`` and ``rank`` (already checked by ``check_official``) and, when ``titles`` is
    given, the gelar ``(front, back)`` (checked by ``check_titles``; None leaves them as they are:
    the tenant file sets no gelar); True when something changed.
    ValidationError (``where``, code ``nip_taken``) when another person holds the NIP."""
    holder = nip_holder(nip)
    if holder is not None and holder.id != user.id:
        raise ValidationError(f"NIP {nip} belongs to another person ({holder.email})", where=where, code="nip_taken")
    old_titles = (user.title_front, user.title_back)
    new_titles = old_titles if titles is None else tuple(titles)
    if (user.nip, user.rank) == (nip, rank) and old_titles == new_titles:
        return False
    before = {"nip": mask_nip(user.nip), "rank": user.rank}
    after = {"nip": mask_nip(nip), "rank": rank}
    if old_titles != new_titles:
        before.update(title_front=old_titles[0], title_back=old_titles[1])
        after.update(title_front=new_titles[0], title_back=new_titles[1])
    user.nip, user.rank = nip, rank
    user.title_front, user.title_back = new_titles
    db.session.flush()
    with tenant_scope(tenant):
        record(tenant, actor, "user.official_identity", "user", user.email, before=before, after=after)
    return True


def update_official_identity(user: User, nip, rank, actor, tenant, where: str = "official",
                             titles: tuple | None = None) -> bool:
    """``check_official`` (and ``check_titles`` when ``titles`` is given) then
    ``set_official_identity``: what a person typed, stored if it is well-formed and nobody else
    holds the NIP (``where.nip`` / ``where.rank`` / ``where.title_front`` / ``where.title_back``)."""
    nip, rank = check_official(nip, rank, where)
    if titles is not None:
        titles = check_titles(titles[0], titles[1], where)
    return set_official_identity(user, nip, rank, actor, tenant, where=f"{where}.nip", titles=titles)


def mask_nip(nip: str | None) -> str | None:
    """A NIP as an audit record keeps it: ``1975************02``; None stays None."""
    return mask_identity(nip) if nip else None
