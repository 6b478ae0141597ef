"""Citizens create their own account, where the tenant allows it (issue 19.1).

A tenant opens registration with ``[accounts] self_registration = true`` in its TOML (off by
default). ``register`` creates the account with its password but ``needs_verification`` set: it
cannot sign in (``core/auth/views.py``, ``core/auth/session.py``), so it cannot follow a complaint
or file one signed in, until the person opens the verification link sent to the address through
the outbox (``verify``). Registering an address that already has an account changes nothing and
sends the owner one note instead (someone tried to register with your address or number; if it was
you, here is a reset link), so the page's answer never tells whether an address has an account
(OWASP Authentication Cheat Sheet, "Registration"). A person gets at most one such message per
``PAMONG_RESET_INTERVAL`` seconds.
"""
from __future__ import annotations

from flask_babel import force_locale, gettext as _

from ..audit import record
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..links import tenant_url
from ..notify import notify
from ..sms.phone import normalise_phone
from ..tenancy.scope import tenant_scope
from . import tokens
from .invitations import _recently_sent, request_reset, resend_wait
from .models import User
from .service import create_phone_user, create_user, find_user, set_password


def open_for(tenant) -> bool:
    """Whether citizens may register in ``tenant``."""
    return bool(tenant is not None and tenant.self_registration)


def verification_wait(tenant, user: User) -> int:
    """Seconds before ``send_verification`` sends ``user`` another link (0: it would now)."""
    return resend_wait(tenant, f"auth:verify:{user.id}")


def send_verification(tenant, user: User, force: bool = False) -> bool:
    """E-mail ``user`` a link that verifies their address (at most one per interval unless
    ``force``). Returns whether a message was put in the outbox."""
    ref = f"auth:verify:{user.id}"
    if not force and _recently_sent(tenant, ref):
        return False
    link = tenant_url(tenant, f"/register/verify/{tokens.make(tokens.VERIFY, tenant, user)}")
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


def send_sms_code(tenant, user: User, number: str) -> None:
    """SMS ``number`` the code that verifies ``user`` (``tokens.sms_code``)."""
    minutes = tokens.max_age(tokens.SMS_CODE) // 60
    with force_locale(user.locale or tenant.default_locale):
        body = _("%(tenant)s: your code is %(code)s. It confirms your new account for %(minutes)s minutes. "
                 "Do not give it to anyone.", tenant=tenant.name, code=tokens.sms_code(tenant, user), minutes=minutes)
    notify(tenant, "sms", number, body, ref=f"auth:sms-code:{user.id}")


def sms_code_wait(tenant, user: User) -> int:
    """Seconds before ``resend_sms_code`` sends ``user`` another code (0: it would now)."""
    return resend_wait(tenant, f"auth:sms-code:{user.id}")


def resend_sms_code(tenant, user: User) -> bool:
    """"Send the code again" for an account waiting for its SMS confirmation: to the number the
    last code went to (a phone-only account: its own number), at most one per
    ``PAMONG_RESET_INTERVAL``. Returns whether a code was put in the outbox; an account that waits
    for nothing (or has no number) gets none, and the caller answers the same."""
    from ..notify.models import OutboxMessage
    from .service import is_phone_account

    if not user.needs_verification or sms_code_wait(tenant, user):
        return False
    number = user.email if is_phone_account(user) else None
    if number is None:
        with tenant_scope(tenant):
            number = db.session.execute(
                db.select(OutboxMessage.recipient).where(OutboxMessage.ref == f"auth:sms-code:{user.id}")
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(1)).scalar()
    if not number:
        return False
    send_sms_code(tenant, user, number)
    return True


def phone_only_allowed(tenant) -> bool:
    """Whether a citizen may register in ``tenant`` with a mobile number and no e-mail address:
    the deployment sends SMS (``PAMONG_SMS_PROVIDER`` set; the console provider of the demo counts)."""
    from flask import current_app

    return open_for(tenant) and bool(current_app.config.get("PAMONG_SMS_PROVIDER"))


def register(tenant, email: str | None, name: str, password: str, locale: str | None = None,
             phone: str | None = None) -> User | None:
    """Create a citizen account in ``tenant`` waiting for verification, and send the e-mail link,
    or with ``phone`` (any usual Indonesian spelling) an SMS code instead (``verify_sms``).
    Without ``email`` (where ``phone_only_allowed``) the account signs in with the number
    (``service.create_phone_user``); one of the two is needed.

    Returns the new user, or None when the address (or number) had an account already (its owner
    is sent one note with a reset link instead, ``request_reset(..., attempt=True)``, and no code;
    the caller answers the same). Raises NotFound when the tenant does not allow registration, ValidationError for a bad
    address (where="EMAIL", also when both are missing: code "contact_required"), phone
    (where="phone") or a short password (where="password"). Audited as ``auth.register``."""
    from flask_babel import lazy_gettext as _l

    if not open_for(tenant):
        raise NotFound("registration is closed in this tenant", where="register")
    email = (email or "").strip() or None
    if email is None and not (phone and phone_only_allowed(tenant)):
        raise ValidationError("give an e-mail address or a mobile number", where="EMAIL", code="contact_required",
                              local=_l("Give an e-mail address, or a mobile number to confirm the account by SMS."))
    number = normalise_phone(phone, where="phone") if phone else None
    existing = find_user(email or number)
    if existing is not None:
        request_reset(tenant, existing.email, attempt=True)
        return None
    if email is None:
        user = create_phone_user(number, name=name.strip()[:200])
    else:
        user = create_user(email, name=name.strip()[:200])
    set_password(user, password)
    user.needs_verification = True
    user.locale = locale
    db.session.flush()
    with tenant_scope(tenant):
        record(tenant, None, "auth.register", "user", user.email, channel="sms" if number else "email")
    if number:
        send_sms_code(tenant, user, number)
    else:
        send_verification(tenant, user, force=True)
    return user


def verify_sms(tenant, token: str, code: str) -> User:
    """Check the SMS ``code`` for the account that the page's ``token`` (purpose ``SMS_CODE``)
    names. Raises ``tokens.TokenProblem`` (bad or expired page) or ValidationError where="code"
    (wrong code: counted like a wrong password, ``core/auth/throttle.py``, so guessing slows down;
    code "waiting" while the account waits). An account that needs no verification was sent no
    code (``register`` sends its owner a note instead): any code is wrong for it. Audited as ``auth.verified`` (channel sms)."""
    import hmac

    from . import throttle

    user = tokens.peek(tokens.SMS_CODE, token, tenant)
    if throttle.waiting(user):
        raise ValidationError("wait a few minutes before trying again", where="code", code="waiting")
    if not user.needs_verification or not hmac.compare_digest(tokens.sms_code(tenant, user),
                                                                "".join((code or "").split())):
        throttle.record_failure(user, tenant)
        raise ValidationError("is not the code we sent", where="code", code="wrong_code")
    user.needs_verification = False
    tokens.spend(user)
    with tenant_scope(tenant):
        record(tenant, user, "auth.verified", "user", user.email, channel="sms")
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
