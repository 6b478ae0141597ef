"""What the applicant is told (issue 15: "told at each step"): SMS to the phone on the application
and their account's own channel, through the core outbox, in the applicant's language where the
tenant speaks it, else the tenant's first. Messages are English msgids of the module's catalogue
(marked with ``N_``, defined here)."""
from __future__ import annotations

from pathlib import Path

from core.kit import ValidationError, contact_of, db, module_domain, normalise_phone, notify, rupiah

# The module's own catalogue, whatever the request's default domain (a job, the core's pages).
_DOMAIN = module_domain("permits", Path(__file__).parent / "translations")


def N_(message: str) -> str:
    """Marks an English message for the catalogue (pybabel's default keyword) without translating it."""
    return message


def refused(message: str, where: str, code: str | None = None, **params) -> ValidationError:
    """A ``ValidationError`` whose ``message`` is the English ``message`` with ``params`` (the CLI's
    line, logs, the API) and whose ``local`` is the same in the reader's language from this module's
    catalogue (the admin's settings page): e.g. a settings check (``settings.check_settings``)."""
    return ValidationError(message % params if params else message, where=where, code=code,
                           local=_DOMAIN.lazy_gettext(message, **params))


def language(tenant, wanted: str | None) -> str:
    """``wanted`` if the tenant speaks it, else the tenant's first language."""
    wanted = (wanted or "")[:2]
    return wanted if wanted and wanted in (tenant.locales or []) else (tenant.default_locale or "id")


def in_language(lang: str, message: str, params: dict) -> str:
    """``message`` (an English msgid of this module's catalogue) in ``lang`` with ``params``; a
    parameter given as ``{"id": ..., "en": ...}`` takes the text of that language."""
    from flask_babel import force_locale

    picked = {k: (v.get(lang) or v.get("id") or "") if isinstance(v, dict) else v for k, v in params.items()}
    with force_locale(lang):
        return str(_DOMAIN.gettext(message, **picked))


def money(amount: int, languages=("id", "en")) -> dict[str, str]:
    """Whole rupiah as each language writes it (core ``rupiah``: ``Rp 1.250.000`` in Indonesian,
    ``Rp 1,250,000`` in English): a parameter of ``in_language``/``tell``."""
    from flask_babel import force_locale

    out = {}
    for lang in languages:
        with force_locale(lang):
            out[lang] = rupiah(amount)
    return out


def tell(tenant, application, message: str, **params) -> None:
    """The applicant's SMS (when they gave a phone) and their account's own channel (its e-mail, or
    the number of a phone-only account: ``contact_of``), through the core outbox; one SMS when both
    are the same number. ``message`` is an English msgid (``N_``) told in the applicant's language
    where the tenant speaks it, else the tenant's first (``in_language``)."""
    ref_ = f"permits:{application.id}"
    user = db.session.get(_user_model(), application.applicant_id)
    lang = language(tenant, getattr(user, "locale", None))
    body = in_language(lang, message, params)
    if application.phone:
        notify(tenant, "sms", application.phone, body[:300], ref=ref_)
    if user is None or not user.email:
        return
    channel, address = contact_of(user)
    if channel == "sms":
        if address != _number(application.phone):
            notify(tenant, "sms", address, body[:300], ref=ref_)
    else:
        notify(tenant, "email", address, body, subject=subject(lang, application), ref=ref_)


def subject(lang: str, application) -> str:
    """The e-mail's short subject in ``lang``: "Permohonan izin REG/SKU/2026/00010" (the body says
    what happened; a subject cut from the body ended mid-word)."""
    if application.reference:
        return in_language(lang, N_("Permit application %(reference)s"), {"reference": application.reference})
    return in_language(lang, N_("Permit application"), {})


def _number(phone: str) -> str:
    """``phone`` as the outbox writes it (+62...), or "" if it is none."""
    try:
        return normalise_phone(phone) if phone else ""
    except ValidationError:
        return ""


def _user_model():
    from core.kit import User

    return User
