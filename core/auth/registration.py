"""Citizens create their own account, where the tenant allows it (issue 19.1).

A tenant opens registration with ``[accounts] self_registration = true`` in its TOML (off by
default). ``register`` creates the account with its password but ``needs_verification`` set: it
cannot sign in (``core/auth/views.py``, ``core/auth/session.py``), so it cannot follow a complaint
or file one signed in, until the person opens the verification link sent to the address through
the outbox (``verify``). Registering an address that already has an account changes nothing and
sends that address a note with a reset link instead, so the page's answer never tells whether an
address has an account (OWASP Authentication Cheat Sheet, "Registration"). A person gets at most
one such message per ``PAMONG_RESET_INTERVAL`` seconds.
"""
from __future__ import annotations

from flask_babel import force_locale, gettext as _

from ..audit import record
from ..errors import NotFound
from ..extensions import db
from ..links import tenant_url
from ..notify import notify
from ..tenancy.scope import tenant_scope
from . import tokens
from .invitations import _recently_sent, request_reset
from .models import User
from .service import create_user, find_user, set_password


def open_for(tenant) -> bool:
    """Whether citizens may register in ``tenant``."""
    return bool(tenant is not None and tenant.self_registration)


def send_verification(tenant, user: User, force: bool = False) -> bool:
    """E-mail ``user`` a link that verifies their address (at most one per interval unless
    ``force``). Returns whether a message went out."""
    ref = f"auth:verify:{user.id}"
    if not force and _recently_sent(tenant, ref):
        return False
    link = tenant_url(tenant, f"/verify/{tokens.make(tokens.VERIFY, tenant, user)}")
    with force_locale(user.locale or tenant.default_locale):
        subject = _("Confirm your e-mail address for %(tenant)s", tenant=tenant.name)
        body = _(
            "Welcome to %(tenant)s. To finish creating your account %(email)s, open this link "
            "(it works once, for %(days)s days):\n%(link)s\n\n"
            "If you did not create an account, ignore this message.",
            tenant=tenant.name, email=user.email, days=tokens.max_age(tokens.VERIFY) // 86400, link=link,
        )
    notify(tenant, "email", user.email, body, subject=subject, ref=ref)
    return True


def register(tenant, email: str, name: str, password: str, locale: str | None = None) -> User | None:
    """Create a citizen account in ``tenant`` waiting for verification, and send the link.

    Returns the new user, or None when the address had an account already (it is sent a reset
    link instead; the caller answers the same). Raises NotFound when the tenant does not allow
    registration, ValidationError for a bad address (where="EMAIL") or a short password
    (where="password"). Audited as ``auth.register``."""
    if not open_for(tenant):
        raise NotFound("registration is closed in this tenant", where="register")
    existing = find_user(email)
    if existing is not None:
        request_reset(tenant, existing.email)
        return None
    user = create_user(email, name=name.strip()[:200])
    set_password(user, password)
    user.needs_verification = True
    user.locale = locale
    db.session.flush()
    with tenant_scope(tenant):
        record(tenant, None, "auth.register", "user", user.email)
    send_verification(tenant, user, force=True)
    return user


def verify(tenant, token: str) -> User:
    """Use a verification ``token``: the account may sign in from now on. Raises
    ``tokens.TokenProblem`` (nothing changes). Audited as ``auth.verified``."""
    user = tokens.peek(tokens.VERIFY, token, tenant)
    user.needs_verification = False
    tokens.spend(user)
    with tenant_scope(tenant):
        record(tenant, user, "auth.verified", "user", user.email)
    return user
