"""Facts of a letter that travel with it between tenants (``crossing.py``) besides its text: the
date written on it (the sender's calendar day of signing: the receiver's disposition sheet and
letter page show it) and its addressees (the receiver of a copy, tembusan, lists them under "To").
Pure functions of the sender's letter or of the payload: nothing here reads the other tenant."""
from __future__ import annotations

from core.kit import local_date

from .models import TO

MAX_ADDRESSEES = 30  # the addressees a payload names (a copy's receiver lists them), at most


def signing_day(tenant, letter) -> str | None:
    """The ISO date of ``letter``'s signing in the sender's (``tenant``'s) zone, None if unsigned."""
    if letter.signed_at is None:
        return None
    from datetime import timezone

    when = letter.signed_at if letter.signed_at.tzinfo else letter.signed_at.replace(tzinfo=timezone.utc)
    return local_date(tenant, when).isoformat()


def letter_date(tenant, payload):
    """The date written on the received letter: the payload's ``letter_date`` (the sender's day of
    signing), else the receiver's day of its ``signed_at`` (a post sent before dates were carried);
    None when neither reads as a date."""
    from datetime import date, datetime, timezone

    try:
        if isinstance(payload.get("letter_date"), str):
            return date.fromisoformat(payload["letter_date"][:10])
        if isinstance(payload.get("signed_at"), str):
            when = datetime.fromisoformat(payload["signed_at"])
            return local_date(tenant, when if when.tzinfo else when.replace(tzinfo=timezone.utc))
    except ValueError:
        pass
    return None


def addressees(recipients) -> list[dict]:
    """The letter's addressees (its ``to`` rows) for the payload: ``{"name", "government",
    "outside"}`` (another tenant; someone outside the deployment, named only)."""
    return [{"name": r.name, "government": bool(r.tenant_slug),
             "outside": not (r.unit_code or r.position_code or r.tenant_slug)}
            for r in recipients if r.kind == TO][:MAX_ADDRESSEES]


def addressees_of(raw, sender: str) -> list[str]:
    """The names of the letter's addressees as the receiver of a copy lists them: a government by
    its name, someone outside as written, a unit or position of the sender followed by the sender's
    government (``Dinas PU · Kota Makassar``: not this tenant's unit of that name)."""
    out = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            continue
        name = " ".join(entry["name"].split())[:120]
        own = entry.get("government") is True or entry.get("outside") is True
        out.append(name if own else f"{name} · {sender}"[:200])
    return out[:MAX_ADDRESSEES]
