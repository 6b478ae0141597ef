"""Who acts: one value for a signed-in user, an API token, the system (a job, the CLI, a webhook)
or an anonymous visitor, in one tenant (DESIGN §2: services take ``tenant`` and ``actor``).

    actor = current_actor()            # in a view: from the session or the request's API token
    actor.kind                         # "user" | "token" | "system" | "anonymous"
    actor.can("complaints.handle")     # permission (user: its roles; token: its scopes; system: yes)
    actor.roles, actor.agency_ids      # the user's roles and agencies in the tenant (empty otherwise)
    audit(tenant, actor, ...)          # the audit trail takes an Actor as it takes a user

``actor.principal`` is what code written before this value takes: the ``User``, ``"token:NAME"``,
``"system:NAME"`` or None (anonymous).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

USER, TOKEN, SYSTEM, ANONYMOUS = "user", "token", "system", "anonymous"


@dataclass(frozen=True, eq=False)
class Actor:
    """``kind`` one of user/token/system/anonymous; ``tenant`` the tenant acted in (or None);
    ``user`` for a user; ``name`` the token's or system's name; ``scopes`` a token's scopes."""

    kind: str
    tenant: object = None
    user: object = None
    name: str = ""
    scopes: frozenset = field(default_factory=frozenset)

    # -- making one ---------------------------------------------------------------------------

    @classmethod
    def for_user(cls, user, tenant=None) -> "Actor":
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(ANONYMOUS, tenant)
        return cls(USER, tenant, user=user, name=getattr(user, "email", "") or "")

    @classmethod
    def for_token(cls, token, tenant=None) -> "Actor":
        """``token`` an ``ApiToken`` row (``name``, ``scopes``)."""
        return cls(TOKEN, tenant, name=token.name, scopes=frozenset(token.scopes or ()))

    @classmethod
    def system(cls, name: str, tenant=None) -> "Actor":
        """A job, a command or a signed webhook (``name`` e.g. ``"sla-sweep"``, ``"webhook:social"``)."""
        return cls(SYSTEM, tenant, name=name)

    # -- what it is -----------------------------------------------------------------------------

    @property
    def is_anonymous(self) -> bool:
        return self.kind == ANONYMOUS

    @property
    def principal(self):
        """The ``User``, ``"token:NAME"``, ``"system:NAME"`` (a name with a colon is kept) or None."""
        if self.kind == USER:
            return self.user
        if self.kind == TOKEN:
            return f"token:{self.name}"
        if self.kind == SYSTEM:
            return self.name if ":" in self.name else f"system:{self.name}"
        return None

    def __str__(self) -> str:
        return self.name if self.kind == USER else (self.principal or ANONYMOUS)

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles in the tenant (``citizen`` at least); empty for anyone else."""
        if self.kind != USER or self.tenant is None:
            return frozenset()
        from .auth.permissions import roles_of

        return frozenset(roles_of(self.user, self.tenant))

    @cached_property
    def agency_ids(self) -> frozenset[int]:
        """The ids of the agencies the user is an officer of in the tenant; empty for anyone else."""
        if self.kind != USER or self.tenant is None:
            return frozenset()
        from .auth.service import agencies_of

        return frozenset(agencies_of(self.user, self.tenant))

    def can(self, permission: str) -> bool:
        """A user: the permission is granted to one of its roles in the tenant (an operator: all).
        A token: ``permission`` is one of its scopes. The system: yes. Anonymous: no."""
        if self.kind == SYSTEM:
            return True
        if self.kind == TOKEN:
            return permission in self.scopes
        if self.kind == USER and self.tenant is not None:
            from .auth.permissions import has_permission

            return has_permission(self.user, self.tenant, permission)
        return False


def current_actor() -> Actor:
    """Who makes the current request: the request's API token (``@api_scope``), else the signed-in
    user, else anonymous; in the request's tenant. Outside a request: the anonymous actor."""
    from flask import g, has_request_context

    if not has_request_context():
        return Actor(ANONYMOUS)
    tenant = getattr(g, "tenant", None)
    token = getattr(g, "api_token", None)
    if token is not None:
        return Actor.for_token(token, tenant)
    from flask_login import current_user

    return Actor.for_user(current_user._get_current_object() if current_user else None, tenant)
