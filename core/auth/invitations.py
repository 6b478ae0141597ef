"""Invitations and password resets: a link to set a password, sent through the outbox (issue 19.1).

``invite`` is called when a role is granted to someone who has no password yet (the admin's Users
page, ``pamong user add``) and by the admin's "send the invitation again"; ``request_reset`` is
"forgot password". Both send a single-use, expiring link (``core/auth/tokens.py``) to
``/invitation/<token>`` or ``/password/reset/<token>`` under the tenant's real address
(``core/links.py``), by e-mail, or by SMS when a phone number is given. ``set_password_from_link``
is what those pages do with the new password: every session of the person ends, the link and its
siblings die, and a self-registered address counts as verified (the link reached it).

A reset request for an address without an account is answered exactly like one with (the views
show one page whatever happens); a person gets at most one reset message per
``PAMONG_RESET_INTERVAL`` seconds (default 300), on top of the per-address rate limit of the views.
"""
from __future__ import annotations

import math
from datetime import timedelta, timezone

from flask import current_app
from flask_babel import force_locale, gettext as _

from ..audit import record
from ..errors import ValidationError
from ..extensions import db
from ..links import tenant_url
from ..notify import notify
from ..notify.models import OutboxMessage
from ..sms.phone import normalise_phone
from ..tenancy.scope import tenant_scope
from . import tokens
from .models import User
from .service import find_user, set_password


def _locale(user: User, tenant) -> str:
    return user.locale or tenant.default_locale


def sms_allowed(tenant, user: User) -> bool:
    """Whether a tenant admin may send ``user``'s invitation to a phone number they type in: only
    for someone with no password, no operator, and no role in any other tenant. Otherwise the link
    goes to the account's own address, so an admin of one tenant cannot take over an account that
    another tenant (or the deployment) relies on."""
    from .service import tenants_of

    return (not user.password_hash and not user.is_operator
            and all(t.id == tenant.id for t in tenants_of(user)))


def invite(tenant, user: User, actor, phone: str | None = None, trusted: bool = False) -> OutboxMessage:
    """Send ``user`` a link to set their password in ``tenant``: by SMS to ``phone`` if given (any
    usual Indonesian spelling), else by e-mail. ValidationError where="phone": not a phone number,
    or (unless ``trusted``: the deployment's CLI) ``sms_allowed`` says no (code "phone_not_allowed").
    Audited as ``auth.invitation_sent`` (the channel, never the phone number). Returns the outbox row."""
    number = normalise_phone(phone, where="phone") if phone else None
    if number and not trusted and not sms_allowed(tenant, user):
        raise ValidationError("this person's invitation can only go to their own e-mail address",
                              where="phone", code="phone_not_allowed")
    link = tenant_url(tenant, f"/invitation/{tokens.make(tokens.INVITE, tenant, user)}")
    days = tokens.max_age(tokens.INVITE) // 86400
    with force_locale(_locale(user, tenant)):
        if number:
            body = _("%(tenant)s: you have an account. Set your password within %(days)s days: %(link)s",
                     tenant=tenant.name, days=days, link=link)
            subject = ""
        else:
            subject = _("Your account at %(tenant)s", tenant=tenant.name)
            body = _(
                "You have been given an account at %(tenant)s for %(email)s.\n\n"
                "Open this link to choose your password (it works once, for %(days)s days):\n%(link)s\n\n"
                "If you did not expect this, ignore this message.",
                tenant=tenant.name, email=user.email, days=days, link=link,
            )
    message = notify(tenant, "sms" if number else "email", number or user.email, body, subject=subject,
                     ref=f"auth:invite:{user.id}")
    with tenant_scope(tenant):
        record(tenant, actor, "auth.invitation_sent", "user", user.email, channel=message.channel)
    return message


def invitation_channels(tenant, user_ids) -> dict[int, str]:
    """The channel ("email" or "sms") of the latest invitation sent in ``tenant`` to each of
    ``user_ids`` that has one: the invitation remembers its channel in its outbox row."""
    refs = {f"auth:invite:{uid}": uid for uid in user_ids}
    if not refs:
        return {}
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(OutboxMessage.ref, OutboxMessage.channel).where(OutboxMessage.ref.in_(refs))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        ).all()
    return {refs[ref]: channel for ref, channel in rows}  # the latest wins


def invite_again(tenant, user: User, actor, channel: str | None = None, phone: str | None = None) -> OutboxMessage:
    """Send ``user`` a new invitation: to ``phone`` if the admin typed one, by e-mail if they chose
    ``channel="email"``, else the way the last invitation went (an SMS invitation goes again by
    SMS to the same number; nothing before: e-mail). Same checks and audit as ``invite``."""
    if phone:
        return invite(tenant, user, actor, phone=phone)
    if channel != "email":
        with tenant_scope(tenant):
            last = db.session.execute(
                db.select(OutboxMessage).where(OutboxMessage.ref == f"auth:invite:{user.id}")
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(1)
            ).scalar_one_or_none()
        if last is not None and last.channel == "sms":
            return invite(tenant, user, actor, phone=last.recipient)
    return invite(tenant, user, actor)


def resend_wait(tenant, ref: str) -> int:
    """Seconds before another message with ``ref`` may go (0: now): at most one per
    ``PAMONG_RESET_INTERVAL`` seconds (default 300) for the same person and purpose."""
    interval = int(current_app.config.get("PAMONG_RESET_INTERVAL", 300))
    from ..clock import now

    moment = now()
    with tenant_scope(tenant):
        last = db.session.execute(
            db.select(db.func.max(OutboxMessage.created_at)).where(
                OutboxMessage.ref == ref, OutboxMessage.created_at >= moment - timedelta(seconds=interval))
        ).scalar()
    if last is None:
        return 0
    if last.tzinfo is None:  # SQLite gives the stored UTC time back without its zone
        last = last.replace(tzinfo=timezone.utc)
    return max(0, math.ceil((last + timedelta(seconds=interval) - moment).total_seconds()))


def _recently_sent(tenant, ref: str) -> bool:
    return resend_wait(tenant, ref) > 0


def request_reset(tenant, email: str, attempt: bool = False) -> bool:
    """"Forgot password" for ``email`` in ``tenant``: a reset link by e-mail (by SMS for an account
    registered with a mobile number only, ``email`` then that number) if an active account has that address and none was sent to it in the last ``PAMONG_RESET_INTERVAL`` seconds.
    With ``attempt`` (someone registered with the address or number of an existing account) the one
    message says so: if it was the owner, the link chooses a new password.
    Returns whether a message went out; callers must not show it (the answer is the same for
    every address). Audited as ``auth.password_reset_requested`` when a message goes out."""
    user = find_user(email or "")
    if user is None or not user.active:
        return False
    ref = f"auth:reset:{user.id}"
    if _recently_sent(tenant, ref):
        return False
    link = tenant_url(tenant, f"/password/reset/{tokens.make(tokens.RESET, tenant, user)}")
    minutes = tokens.max_age(tokens.RESET) // 60
    from .service import contact_of

    channel, to = contact_of(user)
    if channel == "sms":  # an account registered with a mobile number only
        with force_locale(_locale(user, tenant)):
            if attempt:
                body = _("%(tenant)s: someone tried to create an account with your number, which has one "
                         "already. If it was you, choose a new password: %(link)s (for %(minutes)s minutes). "
                         "Not you? Ignore this.", tenant=tenant.name, link=link, minutes=minutes)
            else:
                body = _("%(tenant)s: to choose a new password open %(link)s (for %(minutes)s minutes). Not you? "
                         "Ignore this.", tenant=tenant.name, link=link, minutes=minutes)
        notify(tenant, "sms", to, body, ref=ref)
        with tenant_scope(tenant):
            record(tenant, None, "auth.password_reset_requested", "user", user.email, channel="sms")
        return True
    with force_locale(_locale(user, tenant)):
        subject = (_("Someone tried to create an account at %(tenant)s with your address", tenant=tenant.name)
                   if attempt else _("Choose a new password for %(tenant)s", tenant=tenant.name))
        body = _(
            "Someone tried to create an account at %(tenant)s with your address %(email)s, which has one "
            "already.\n\nIf it was you, open this link to choose a new password (it works once, for "
            "%(minutes)s minutes):\n%(link)s\n\nIf it was not you, ignore this message: your password stays "
            "as it is.", email=user.email, tenant=tenant.name, minutes=minutes, link=link,
        ) if attempt else _(
            "Someone asked to choose a new password for the account %(email)s at %(tenant)s.\n\n"
            "Open this link to choose it (it works once, for %(minutes)s minutes):\n%(link)s\n\n"
            "If it was not you, ignore this message: your password stays as it is.",
            email=user.email, tenant=tenant.name, minutes=minutes, link=link,
        )
    notify(tenant, "email", user.email, body, subject=subject, ref=ref)
    with tenant_scope(tenant):
        record(tenant, None, "auth.password_reset_requested", "user", user.email)
    return True


def set_password_from_link(purpose: str, token: str, tenant, password: str) -> User:
    """Use an invitation or reset ``token`` of ``tenant`` to set ``password``.

    Raises ``tokens.TokenProblem`` (nothing changes) or ValidationError where="password" (too
    short; the link stays usable). Every session of the person ends (``set_password``), the link
    and its siblings die, and the address counts as verified. Audited as ``auth.password_set``
    (invitation) or ``auth.password_reset``, with the person as actor."""
    user = tokens.peek(purpose, token, tenant)
    set_password(user, password)  # also spends the nonce
    user.needs_verification = False
    from . import throttle

    throttle.clear(user)
    with tenant_scope(tenant):
        record(tenant, user, "auth.password_set" if purpose == tokens.INVITE else "auth.password_reset",
               "user", user.email)
    return user
