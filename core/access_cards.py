"""Access cards: a service (library, clinic registration, public pool, city buses) checks a card and
its holder's entitlements without importing the module that issues the cards (issue 18.5).

    from core.kit import access_cards
    verdict = access_cards.check(tenant, "6032 9810 0000 0001", "library")
    if verdict.allowed: ...              # else verdict.reason: unknown, blocked, closed, replaced, not_entitled

The answer comes from the ``access_card`` hook (``core/hookspecs.py``) of a module the tenant
enabled (the city card module, ``smartcard``); with none enabled every card is ``unknown``.
Nothing is written: a caller that must keep the check audits it itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    """``allowed``: the card is active and its holder holds ``entitlement``; else ``reason``."""

    allowed: bool
    reason: str  # "ok", "unknown", "blocked", "closed", "replaced", "not_entitled"
    number: str = ""
    holder_kind: str | None = None
    entitlements: tuple[str, ...] = field(default_factory=tuple)


def lookup(tenant, number: str) -> dict | None:
    """The issuing module's plain answer for ``number`` (see the hook), or None."""
    from flask import current_app

    from .modules import manager

    if not isinstance(number, str) or not number.strip():
        return None
    return manager().for_tenant(tenant).access_card(app=current_app._get_current_object(), tenant=tenant,
                                                    number=number)


def check(tenant, number: str, entitlement: str) -> Verdict:
    """May card ``number`` of ``tenant`` be used for ``entitlement`` (e.g. "library", "pool")?"""
    found = lookup(tenant, number)
    if not found:
        return Verdict(False, "unknown", number if isinstance(number, str) else "")
    rights = tuple(found.get("entitlements") or ())
    status = found.get("status")
    if status != "active":
        reason = status if status in ("blocked", "closed", "replaced") else "unknown"
        return Verdict(False, reason, found.get("number", ""), found.get("holder_kind"), rights)
    allowed = entitlement in rights
    return Verdict(allowed, "ok" if allowed else "not_entitled", found.get("number", ""), found.get("holder_kind"),
                   rights)
