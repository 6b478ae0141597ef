"""Who works which clinic's desk (registration and calls) and opens its encounters.

The permission ``clinic.desk`` says a role may work *a* desk; which clinic's desk a person works is
the clinic's own settings (configuration as code, checked at ``tenant apply``):

- ``desk_positions``: position codes (jabatan of the core's organisation, e.g. *Petugas Loket* in
  the section *UPT Puskesmas Kassi-Kassi* of Dinas Kesehatan); whoever holds one on the tenant's
  today (an acting holder, Plt., within their period too) works this clinic's desk;
- ``desk_staff``: e-mail addresses of accounts assigned to this clinic's desk (staff without a
  jabatan of their own);
- the clinic's ``practitioners`` (they call their own patients).

A tenant admin works every clinic's desk (they assign the staff). Anyone else with ``clinic.desk``
(an officer of any agency) works none: ``may_work_desk`` is False and the routes answer 403 before
anything is read or written.
"""
from __future__ import annotations

from core.kit import positions_of

from .settings import Clinic, clinics


def _email(user) -> str:
    return (getattr(user, "email", "") or "").strip().lower()


def is_tenant_admin(actor) -> bool:
    return "admin" in actor.roles


def desk_clinics(tenant, actor) -> list[Clinic]:
    """The tenant's clinics whose desk ``actor`` (a signed-in user's ``Actor``) works, in settings
    order. Empty for anyone not a user."""
    if actor.kind != "user" or actor.user is None:
        return []
    every = clinics(tenant)
    if is_tenant_admin(actor):
        return every
    email = _email(actor.user)
    held = None  # read the positions only when a clinic names some
    mine = []
    for clinic in every:
        if email and (email in clinic.desk_staff or any(p.email == email for p in clinic.practitioners)):
            mine.append(clinic)
            continue
        if clinic.desk_positions:
            if held is None:
                held = {p["code"] for p in positions_of(tenant, actor.user)}
            if held & set(clinic.desk_positions):
                mine.append(clinic)
    return mine


def may_work_desk(tenant, actor, clinic_code: str) -> bool:
    """Whether ``actor`` works the desk of the clinic ``clinic_code`` (see the module docstring)."""
    code = (clinic_code or "").strip().upper()
    return any(c.code == code for c in desk_clinics(tenant, actor))
