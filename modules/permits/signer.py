"""Who signs a permit: the holder, on the day of issuance, of the type's ``signer_position``.

The setting names the position by its code (``KADIS_DPM``) or its name as the organisation writes it
(``Kepala DPMPTSP``). When that position has a holder on the tenant's local day of issuance (core
positions with their history: ``holders_of``; an acting holder, Plt., within their period), the permit
prints the holder's name under the signature with their rank (pangkat/golongan) and NIP (core
``official_identity``, as the e-office module prints them on naskah dinas), and "Plt." before the
position of an acting holder. When it names no position, or nobody holds it that day, the permit is
still issued, signed in the office's name only (the documents service's default signer name).
"""
from __future__ import annotations

from datetime import date

from core.kit import active_positions, holders_of, official_identity, positions_of


def position_named(tenant, wanted: str) -> dict | None:
    """The active position whose code, or else whose name (case and spaces aside), is ``wanted``."""
    key = " ".join((wanted or "").split()).casefold()
    if not key:
        return None
    positions = active_positions(tenant)
    return (next((p for p in positions if p["code"].casefold() == key), None)
            or next((p for p in positions if " ".join(p["name"].split()).casefold() == key), None))


def signer_of(tenant, signer_position: str, day: date) -> tuple[str, dict | None]:
    """``(position as printed, {"name", "rank", "nip"} or None)`` for a permit issued on ``day``:
    the position's name when the setting gives its code ("Plt. ..." before it for an acting holder);
    the identity of its holder that day (the first in the core's order), None when the setting
    names no position or nobody holds it that day."""
    position = position_named(tenant, signer_position)
    if position is None:
        return signer_position, None
    by_code = position["code"].casefold() == " ".join(signer_position.split()).casefold()
    title = position["name"] if by_code else signer_position
    holders = holders_of(tenant, position["code"], day)
    if not holders:
        return title, None
    user = holders[0]
    acting = any(p["code"] == position["code"] and p.get("acting") for p in positions_of(tenant, user, day))
    return (f"Plt. {title}" if acting else title), official_identity(user)
