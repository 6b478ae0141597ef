"""Accounts as services: used by the CLI, the admin pages and the tests alike."""
from __future__ import annotations

import functools
import hashlib
import re
import secrets

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..errors import ValidationError
from ..extensions import db
from ..tenancy.models import OrgUnit
from ..tenancy.scope import tenant_scope, within_tenant
from .models import ROLES, ApiToken, Membership, RolePermission, User, new_session_generation
from .passwords import MIN_LENGTH, hash_password

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def find_user(email: str) -> User | None:
    """The account signed in with ``email``: an e-mail address, or for an account registered with a
    mobile number only (``create_phone_user``) that number in any usual spelling."""
    key = (email or "").strip().lower()
    if key and "@" not in key:
        from ..sms.phone import normalise_phone

        try:
            key = normalise_phone(key, where="EMAIL")
        except ValidationError:
            return None
    return db.session.execute(db.select(User).where(User.email == key)).scalar_one_or_none()


def is_phone_account(user: User) -> bool:
    """Whether ``user`` signs in with a mobile number (a citizen who registered without an e-mail
    address): the account's ``email`` column holds that number, E.164 ("+62...")."""
    return (user.email or "").startswith("+")


def contact_of(user: User) -> tuple[str, str]:
    """(channel, address) where the account's own messages go: its e-mail address, or by SMS to the
    number of a phone-only account."""
    return ("sms", user.email) if is_phone_account(user) else ("email", user.email)


def create_phone_user(number: str, name: str = "") -> User:
    """An account whose sign-in is the mobile ``number`` (already normalised, "+62..."): a citizen
    who registered without an e-mail address. ValidationError where="phone" if it is taken."""
    if not number.startswith("+") or find_user(number):
        raise ValidationError(f"'{number}' cannot be used for a new account", where="phone", code="duplicate")
    user = User(email=number, name=name or number[-4:])
    db.session.add(user)
    db.session.flush()
    return user


def create_user(email: str, name: str = "", password: str | None = None, operator: bool = False) -> User:
    email = email.strip().lower()
    if email and "@" not in email and re.match(r"^\+?[0-9][0-9 ().-]{6,30}$", email):
        # a mobile number: only a citizen who registered with it has an account that signs in with one
        raise ValidationError(f"no account signs in with the number '{email}'", where="EMAIL", code="unknown_phone",
                              local=_l("No account signs in with this mobile number: give the e-mail address of "
                                       "someone new, or the number of a citizen who registered with it."))
    if not EMAIL.match(email):
        raise ValidationError(f"'{email}' is not an e-mail address", where="EMAIL",
                              local=_l("This is not a valid e-mail address."))
    if find_user(email):
        raise ValidationError(f"a user '{email}' already exists", where="EMAIL", code="duplicate",
                              local=_l("An account with this e-mail address already exists."))
    user = User(email=email, name=name or email.split("@")[0], is_operator=operator)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Set the password; every session and remember cookie of the person ends (issue 10.2), and every
    link sent to them for a password or a verification stops working (issue 19.1)."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"must have at least {MIN_LENGTH} characters", where="password",
                              local=_l("Use at least %(min)d characters.", min=MIN_LENGTH))
    user.password_hash = hash_password(password)
    end_sessions(user)
    from .tokens import spend

    spend(user)  # every outstanding invitation / reset / verification link dies (core/auth/tokens.py)


def end_sessions(user: User) -> None:
    """A new session generation: every session cookie and remember cookie of ``user`` stops working
    at its next request, on every device (core/auth/session.py checks it on each request)."""
    user.session_generation = new_session_generation()


def tenants_of(user: User) -> list:
    """The tenants where ``user`` has a role, by slug (reads across tenants, for the audit trail)."""
    from ..tenancy.models import Tenant
    from ..tenancy.scope import read_scope

    tenants = db.session.execute(db.select(Tenant).order_by(Tenant.slug)).scalars().all()
    with read_scope(tenants):
        ids = set(db.session.execute(
            db.select(Membership.tenant_id).where(Membership.user_id == user.id)
        ).scalars())
    return [t for t in tenants if t.id in ids]


def _audit_everywhere(user: User, actor, action: str, tenant=None) -> None:
    for where in ([tenant] if tenant is not None else tenants_of(user)):
        with tenant_scope(where):
            record(where, actor, action, "user", user.email)


def change_password(user: User, password: str, actor, tenant=None) -> None:
    """Set a new password (ends every session), audited in ``tenant`` or in every tenant where the
    person has a role. ValidationError (where="password") if it is too short."""
    set_password(user, password)
    _audit_everywhere(user, actor, "auth.password_change", tenant)


def sign_out_everywhere(user: User, actor, tenant=None) -> None:
    """End every session and remember cookie of ``user``, audited like ``change_password``."""
    end_sessions(user)
    _audit_everywhere(user, actor, "auth.sign_out_everywhere", tenant)


def _agency(tenant, code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = db.session.execute(
        db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.code == code)
    ).scalar_one_or_none()
    if unit is None:
        raise ValidationError(f"tenant '{tenant.slug}' has no agency '{code}'", where="--agency",
                              code="unknown_agency", local=_l("There is no active agency with this code here."))
    return unit


def grant_role(tenant, user: User, role: str, actor, agency: str | None = None) -> Membership:
    """Give ``user`` ``role`` in ``tenant`` (an officer: of the agency with code ``agency``).
    ValidationError where="--role" or "--agency" (the CLI's option; pages put ``local`` on their
    field). Audited as ``role.grant``; granting a role held already changes nothing."""
    if role not in ROLES:
        raise ValidationError(f"unknown role '{role}' (one of: {', '.join(ROLES)})", where="--role",
                              local=_l("Choose one of the roles in the list."))
    if role == "officer" and not agency:
        raise ValidationError("an officer belongs to an agency: give --agency CODE", where="--agency",
                              code="agency_required", local=_l("An officer belongs to an agency: choose one."))
    with tenant_scope(tenant):
        unit = _agency(tenant, agency)
        existing = db.session.execute(
            db.select(Membership).where(
                Membership.user_id == user.id, Membership.role == role,
                Membership.agency_id == (unit.id if unit else None),
            )
        ).scalar_one_or_none()
        if existing:
            return existing
        member = Membership(user_id=user.id, role=role, agency_id=unit.id if unit else None)
        db.session.add(member)
        record(tenant, actor, "role.grant", "user", user.email, after={"role": role, "agency": agency})
        return member


def is_last_admin(tenant, user: User) -> bool:
    """Whether ``user`` is the only active person holding the admin role in ``tenant`` (withdrawing
    it would leave nobody to run the tenant's admin pages)."""
    with tenant_scope(tenant):
        others = db.session.execute(
            db.select(Membership.id).join(User, User.id == Membership.user_id).where(
                Membership.role == "admin", Membership.user_id != user.id, User.active.is_(True)).limit(1)
        ).first()
        mine = db.session.execute(db.select(Membership.id).where(
            Membership.role == "admin", Membership.user_id == user.id).limit(1)).first()
    return mine is not None and others is None


def revoke_role(tenant, user: User, role: str, actor) -> int:
    """Withdraw ``role`` from ``user`` in ``tenant``; returns how many grants went (0: none held).
    Withdrawing the admin role from the tenant's last active admin is refused (ValidationError
    code "last_admin"): grant it to someone else first. Audited as ``role.revoke``."""
    if role == "admin" and is_last_admin(tenant, user):
        raise ValidationError(f"{user.email} is the last admin of tenant '{tenant.slug}': grant the admin role "
                              "to someone else first", where="--role", code="last_admin",
                              local=_l("%(email)s is the last administrator of this service: grant the admin role "
                                       "to someone else first.", email=user.email))
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id, Membership.role == role)
        ).scalars().all()
        for row in rows:
            db.session.delete(row)
        if rows:
            record(tenant, actor, "role.revoke", "user", user.email, before={"role": role})
        return len(rows)


def set_role_permission(tenant, role: str, permission: str, granted: bool, actor, known: dict) -> None:
    """Grant or withdraw a declared permission from a role in one tenant."""
    if role not in ROLES:
        raise ValidationError(f"unknown role '{role}' (one of: {', '.join(ROLES)})", where="ROLE")
    if permission not in known:
        raise ValidationError(f"unknown permission '{permission}' (known: {', '.join(sorted(known))})",
                              where="PERMISSION")
    with tenant_scope(tenant):
        row = db.session.execute(
            db.select(RolePermission).where(RolePermission.role == role, RolePermission.permission == permission)
        ).scalar_one_or_none()
        if granted and row is None:
            db.session.add(RolePermission(role=role, permission=permission))
            record(tenant, actor, "permission.grant", "role", role, after={"permission": permission})
        elif not granted and row is not None:
            db.session.delete(row)
            record(tenant, actor, "permission.revoke", "role", role, before={"permission": permission})


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"  # fits api_tokens.name (100)


def create_token(tenant, name: str, scopes: list[str], actor) -> str:
    """Create an API token; the clear token is returned once and never stored."""
    if not re.match(TOKEN_NAME, name or ""):
        raise ValidationError(f"'{name}' is not a token name (letters, digits, '.', '_', '-'; at most 100)",
                              where="--name", code="bad_token_name")
    if not scopes:
        raise ValidationError("give at least one --scope", where="--scope")
    for scope in scopes:
        if not re.match(r"^[a-z0-9_.:-]+$", scope):
            raise ValidationError(f"'{scope}' is not a scope (e.g. complaints:write)", where="--scope")
    from ..api.scopes import check_scopes

    check_scopes(scopes)  # declared by the core or an installed module (core/api/scopes.py)
    token = f"pmg_{tenant.slug[:8]}_{secrets.token_urlsafe(32)}"
    with tenant_scope(tenant):
        if db.session.execute(db.select(ApiToken).where(ApiToken.name == name)).scalar_one_or_none():
            raise ValidationError(f"tenant '{tenant.slug}' already has a token named '{name}'", where="--name")
        db.session.add(ApiToken(name=name, digest=token_digest(token), prefix=token[:12], scopes=sorted(set(scopes))))
        record(tenant, actor, "token.create", "api_token", name, after={"scopes": sorted(set(scopes))})
    return token


def list_tokens(tenant) -> list[ApiToken]:
    """The tenant's API tokens, revoked ones included, by name."""
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(ApiToken).order_by(ApiToken.name)).scalars())


def token_named(tenant, name: str) -> ApiToken | None:
    """The tenant's unrevoked API token called ``name`` (its scopes in ``.scopes``), else None: for a
    module that binds something to a token by name (a smart card terminal) and must check it exists."""
    with tenant_scope(tenant):
        row = db.session.execute(db.select(ApiToken).where(ApiToken.name == name)).scalar_one_or_none()
    return None if row is None or row.revoked_at is not None else row


def revoke_token(tenant, name: str, actor) -> ApiToken:
    """Revoke the tenant's token ``name``: it is refused from now on (the row is kept, audited)."""
    from ..tenancy.models import utcnow

    with tenant_scope(tenant):
        row = db.session.execute(db.select(ApiToken).where(ApiToken.name == name)).scalar_one_or_none()
        if row is None:
            raise ValidationError(f"tenant '{tenant.slug}' has no token named '{name}'", where="NAME",
                                  code="not_found")
        if row.revoked_at is not None:
            raise ValidationError(f"token '{name}' of tenant '{tenant.slug}' is already revoked", where="NAME")
        row.revoked_at = utcnow()
        record(tenant, actor, "token.revoke", "api_token", name, before={"scopes": list(row.scopes)})
    return row


def token_for(tenant, token: str) -> ApiToken | None:
    """The tenant's unrevoked API token ``token``, else None. A token found is kept in this process
    under the tenant's configuration version (``tenancy.config_cache``): creating or revoking a
    token bumps it, so every process sees the change at its next request, and a warm API request
    reads no token row. What it returns is a detached copy of the row (its columns only)."""
    from ..tenancy.config_cache import cached_token

    digest = token_digest(token)

    def read():
        with within_tenant(tenant):
            row = db.session.execute(_token_by_digest(), {"digest": digest}).scalar_one_or_none()
        return None if row is None or row.revoked_at is not None else row

    return cached_token(tenant, digest, read)


@functools.cache
def _token_by_digest():
    """``token_for``'s statement, built once (every API request runs it; only the digest changes)."""
    return db.select(ApiToken).where(ApiToken.digest == db.bindparam("digest"))


def agencies_of(user: User, tenant) -> set[int]:
    """The ids of the agencies (org units) ``user`` is an officer of in ``tenant`` (from the
    memberships the request has read already: ``permissions.memberships_of``)."""
    from .permissions import memberships_of

    return {agency_id for tenant_id, role, agency_id in memberships_of(user, tenant)
            if tenant_id == tenant.id and role == "officer" and agency_id is not None}


def members_of(tenant, role: str, agency_id: int | None = None) -> list[User]:
    """The active users holding ``role`` in ``tenant`` (of one agency, if ``agency_id`` is given)."""
    with tenant_scope(tenant):
        query = db.select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.role == role, User.active.is_(True)
        )
        if agency_id is not None:
            query = query.where(Membership.agency_id == agency_id)
        return list(db.session.execute(query.order_by(User.id)).unique().scalars())


def member_ids_by_agency(tenant, role: str) -> dict[int, set[int]]:
    """``{agency org-unit id: ids of the active users holding role there}`` in ``tenant``, in one
    statement (figures per agency; ``members_of`` asks for one agency's users)."""
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(Membership.agency_id, Membership.user_id).join(User, User.id == Membership.user_id)
            .where(Membership.role == role, Membership.agency_id.is_not(None), User.active.is_(True))
        ).all()
    found: dict[int, set[int]] = {}
    for agency_id, user_id in rows:
        found.setdefault(agency_id, set()).add(user_id)
    return found


def tenant_member(user_id: int):
    """The ``User`` with this id if they hold a role in the tenant in scope (``Membership`` is
    tenant-owned: the ORM's tenant filter applies), else None: what a tenant admin may act on."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    found = db.session.execute(db.select(Membership.id).where(Membership.user_id == user.id).limit(1)).first()
    return user if found is not None else None
