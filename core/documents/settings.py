"""The tenant's documents settings: its ``[extra.documents]`` table, checked where it is written.

    [extra.documents]
    signer = "bsre"                       # or "local" (the default: the test CA under instance/signing/)
    signer_name = "Ir. Andi Wijaya, M.T." # printed under the signature (default: the tenant's name)
    bsre_url = "https://esign.example.go.id"
    nik = "env:BSRE_NIK"                  # the signer's NIK (16 digits, core.identity rules)
    passphrase = "env:BSRE_PASSPHRASE"    # or totp = "env:BSRE_TOTP"
    number_pattern = "{kind}/{serial:04}/{month_roman}/{year}"   # numbers the core allocates itself
    number_period = "year"

``SCHEMA`` is a JSON Schema read by the core's settings validation (``core.settings.validate_settings``:
unknown keys, types, ``"secret": true`` references set in the tenant's own namespace, number
patterns), so ``tenant apply`` and the admin's documents settings page refuse a bad table the same
way they refuse a module's settings: one ``ValidationError`` naming the key
(``<file>: extra.documents.<key>``). ``check`` adds what the schema cannot say: a BSrE signer needs
an http(s) URL, a NIK that passes ``core.identity.normalise_nik`` (UU 24/2013; Permendagri 72/2019)
and a passphrase or a TOTP secret.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from ..errors import ValidationError
from ..number_patterns import number_pattern_setting
from ..numbering import PERIODS

SIGNERS = ("local", "bsre")
DEFAULT_PATTERN = "{kind}/{serial:04}/{month_roman}/{year}"

SCHEMA = {
    "type": "object",
    "properties": {
        "signer": {"type": "string", "enum": list(SIGNERS), "default": "local", "title": _l("Signer"),
                   "description": _l("local: this deployment's test CA; bsre: BSrE's signing service")},
        "signer_name": {"type": "string", "maxLength": 200, "default": "", "title": _l("Signer's name"),
                        "description": _l("printed under the signature; empty: the tenant's name")},
        "bsre_url": {"type": "string", "maxLength": 300, "default": "", "title": _l("BSrE URL"),
                     "description": _l("empty: the deployment's PAMONG_BSRE_URL")},
        "nik": {"type": "string", "maxLength": 100, "default": "", "secret": True, "title": _l("Signer's NIK"),
                "description": _l("16 digits, or env:NAME")},
        "passphrase": {"type": "string", "maxLength": 300, "default": "", "secret": True, "title": _l("Passphrase"),
                       "description": _l("env:NAME")},
        "totp": {"type": "string", "maxLength": 300, "default": "", "secret": True, "title": _l("TOTP"),
                 "description": _l("env:NAME (instead of the passphrase)")},
        "client_user": {"type": "string", "maxLength": 300, "default": "", "secret": True,
                        "title": _l("API client user"), "description": _l("when BSrE asks for HTTP basic credentials")},
        "client_password": {"type": "string", "maxLength": 300, "default": "", "secret": True,
                            "title": _l("API client password"), "description": _l("env:NAME")},
        "number_pattern": {**number_pattern_setting(DEFAULT_PATTERN, ["kind"], _l("{kind} is the document's kind in capitals")),
                           "title": _l("Document number pattern")},
        "number_period": {"type": "string", "enum": list(PERIODS), "default": "year",
                          "title": _l("Numbers restart every")},
    },
}


def filled(value) -> dict:
    """``value`` (the stored table, possibly empty) with every default filled in."""
    from ..settings import _fill_defaults

    return _fill_defaults(SCHEMA, value if isinstance(value, dict) else {})


def check(value, where: str, slug: str) -> dict:
    """Validate a ``[extra.documents]`` table written for tenant ``slug``; returns it with defaults
    filled (for reading; what is stored is what was written). Raises one ``ValidationError`` whose
    ``where`` is ``<where>.<key>``."""
    from ..identity import IdentityError, normalise_nik
    from ..settings import validate_settings
    from ..tenant_secrets import is_reference, resolve

    settings = validate_settings(SCHEMA, value, where, slug=slug)
    if settings["signer"] != "bsre":
        return settings
    url = settings["bsre_url"]
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError(f"'{url}' is not an http(s) URL", where=f"{where}.bsre_url", code="signer_config")
    if not settings["nik"]:
        raise ValidationError("a BSrE signer needs the signer's NIK (16 digits, or env:NAME)", where=f"{where}.nik",
                              code="signer_config")

    nik = resolve(SimpleNamespace(slug=slug), settings["nik"])  # resolve() reads the slug only
    try:
        normalise_nik(nik)
    except IdentityError as exc:
        shown = f"the NIK in {settings['nik']}" if is_reference(settings["nik"]) else "the signer's NIK"
        raise ValidationError(f"{shown} is not valid: {exc.message!s}", where=f"{where}.nik",
                              code="signer_config") from None
    if not (settings["passphrase"] or settings["totp"]):
        raise ValidationError("a BSrE signer needs a passphrase or a TOTP secret", where=f"{where}.passphrase",
                              code="signer_config")
    return settings


def check_tenant_file(extra: dict, where: str, slug: str) -> None:
    """``tenant apply``: check the file's ``[extra.documents]`` when it has one."""
    if isinstance(extra, dict) and "documents" in extra:
        check(extra["documents"], f"{where}: extra.documents", slug)
