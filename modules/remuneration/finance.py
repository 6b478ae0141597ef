"""Who pays out: closing a month for payment and issuing its signed per-agency summaries belong to
the finance agency (BPKAD, Badan Pengelolaan Keuangan dan Aset Daerah), not to the personnel agency
(BKPSDM) that imports and computes (``remuneration.manage``).

The rule, per tenant (settings ``finance_positions``: position codes of the core's organisation,
checked by the core like ``position_classes``):

- positions named: the holders of those positions on the day (acting holders, Plt., within their
  period count; ``core.kit.holds``) close and sign, **and nobody else**, whatever their roles: the
  administrator who runs the months does not close them (separation of duties: the one who computes
  is not the one who releases the money);
- no position named: the ``remuneration.close`` permission (the administrator by default; the
  tenant may grant it to another role), as before the setting existed;
- the system (the CLI's ``pamong remuneration close``, an operator's command; the demo's seed) may.

Refused: ``FinanceOnly`` (code ``finance_only``, HTTP 403 on the pages), nothing written. Every close
is audited (``remuneration.close``) with the position the closer held, if any.
"""
from __future__ import annotations

from core.kit import PamongError, holds, lazy_gettext as _l

from .settings import settings_of


class FinanceOnly(PamongError):
    code = "finance_only"


def finance_positions(tenant) -> list[str]:
    return [code for code in (settings_of(tenant).get("finance_positions") or []) if code]


def _user(actor):
    """The User behind ``actor`` (an ``Actor`` or a user), or None for the system, a token or a name."""
    if getattr(actor, "kind", None) is not None:
        return actor.user if actor.kind == "user" else None
    return actor if getattr(actor, "is_authenticated", False) else None


def finance_position_of(tenant, actor) -> str | None:
    """The first of the tenant's finance positions the actor's user holds today, else None."""
    user = _user(actor)
    if user is None:
        return None
    return next((code for code in finance_positions(tenant) if holds(tenant, user, code)), None)


def may_pay(tenant, actor) -> bool:
    """Whether ``actor`` (an ``Actor``, a ``User``, or a plain name for the system) may close a month
    and issue its signed summaries (see the module docstring)."""
    kind = getattr(actor, "kind", None)
    if kind == "system" or isinstance(actor, str):
        return True
    user = _user(actor)
    if user is None:
        return False
    if finance_positions(tenant):
        return finance_position_of(tenant, actor) is not None
    from core.kit import has_permission

    return has_permission(user, tenant, "remuneration.close")


def require_finance(tenant, actor) -> str | None:
    """``FinanceOnly`` unless ``may_pay``; returns the finance position the actor holds (or None)."""
    if not may_pay(tenant, actor):
        raise FinanceOnly("closing a month and signing its summaries is the finance agency's "
                          "(a holder of the finance positions in the settings)",
                          local=_l("Closing a month and signing its summaries is for the finance agency "
                                   "(a holder of a finance position in the settings)."))
    return finance_position_of(tenant, actor)


def finance_names(tenant) -> list[str]:
    """The names (the core organisation's) of the tenant's finance positions, for a page that says
    who closes the months; empty when the settings name none (then "the finance office", generic:
    no agency is presumed, BPKAD or another)."""
    from core.kit import find_position

    names = []
    for code in finance_positions(tenant):
        position = find_position(tenant, code)
        names.append(position.name if position is not None else code)
    return names
