"""The tenant's documents settings: its ``[extra.documents]`` table, checked where it is written.

    [extra.documents]
    signer = "bsre"                       # or "local" (the default: the test CA under instance/signing/)
    signer_name = "Ir. Andi Wijaya, M.T." # printed under the signature (default: the tenant's name)
    bsre_url = "https://esign.example.go.id"
    nik = "env:BSRE_NIK"                  # the signer's NIK (16 digits, core.identity rules), or the NIK itself
    passphrase = "env:BSRE_PASSPHRASE"    # or totp = "env:BSRE_TOTP"; references only (never the secret)
    number_pattern = "{kind}/{serial:04}/{month_roman}/{year}"   # numbers the core allocates itself
    number_period = "year"

``SCHEMA`` is a JSON Schema read by the core's settings validation (``core.settings.validate_settings``:
unknown keys, types, ``"secret": true`` references set in the tenant's own namespace, number
patterns), so ``tenant apply`` and the admin's documents settings page refuse a bad table the same
way they refuse a module's settings: one ``ValidationError`` naming the key
(``<file>: extra.documents.<key>``). ``check`` adds what the schema cannot say: a BSrE signer needs
an http(s) URL, a NIK that passes ``core.identity.normalise_nik`` (UU 24/2013; Permendagri 72/2019)
and a passphrase or a TOTP secret. ``problems`` finds every one of these at once (the admin's form
shows them all, each on its field); each error carries its words for people (``local``).

The passphrase, the TOTP seed and the API client's password take only a reference ``env:NAME``
(``"x-reference-only"``, core/tenant_secrets.py): the secret itself is refused where it is written,
so it is never stored, shown on the settings page or printed by ``tenant export``. ``exported``
replaces one stored before this rule with a reference the deployment must then set.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from ..errors import ValidationError
from ..number_patterns import number_pattern_setting
from ..numbering import PERIODS

SIGNERS = ("local", "bsre")
DEFAULT_PATTERN = "{kind}/{serial:04}/{month_roman}/{year}"
REFERENCE_ONLY = {"secret": True, "x-reference-only": True}

SCHEMA = {
    "type": "object",
    "properties": {
        "signer": {"type": "string", "enum": list(SIGNERS), "default": "local", "title": _l("Signer"),
                   "description": _l("local: this deployment's test CA; bsre: BSrE's signing service"),
                   "x-choices": {"local": {"id": "Lokal (sertifikat uji deployment ini)",
                                           "en": "Local (this deployment's test certificate)"},
                                 "bsre": {"id": "BSrE (layanan tanda tangan elektronik BSSN)",
                                          "en": "BSrE (BSSN's electronic signing service)"}}},
        "signer_name": {"type": "string", "maxLength": 200, "default": "", "title": _l("Signer's name"),
                        "description": _l("printed under the signature; empty: the tenant's name")},
        "bsre_url": {"type": "string", "maxLength": 300, "default": "", "title": _l("BSrE URL"),
                     "description": _l("empty: the deployment's PAMONG_BSRE_URL")},
        "nik": {"type": "string", "maxLength": 100, "default": "", "secret": True, "x-literal-allowed": True, "title": _l("Signer's NIK"),
                "description": _l("16 digits, or env:NAME")},
        "passphrase": {"type": "string", "maxLength": 300, "default": "", **REFERENCE_ONLY, "title": _l("Passphrase"),
                       "description": _l("env:NAME")},
        "totp": {"type": "string", "maxLength": 300, "default": "", **REFERENCE_ONLY, "title": _l("TOTP"),
                 "description": _l("env:NAME (instead of the passphrase)")},
        "client_user": {"type": "string", "maxLength": 300, "default": "", "secret": True, "x-literal-allowed": True,
                        "title": _l("API client user"), "description": _l("when BSrE asks for HTTP basic credentials")},
        "client_password": {"type": "string", "maxLength": 300, "default": "", **REFERENCE_ONLY,
                            "title": _l("API client password"), "description": _l("env:NAME")},
        "number_pattern": {**number_pattern_setting(DEFAULT_PATTERN, ["kind"], _l("{kind} is the document's kind in capitals")),
                           "title": _l("Document number pattern")},
        "number_period": {"type": "string", "enum": list(PERIODS), "default": "year",
                          "title": _l("Numbers restart every"),
                          "x-choices": {"none": {"id": "Tidak pernah", "en": "Never"},
                                        "year": {"id": "Tahun", "en": "Year"},
                                        "month": {"id": "Bulan", "en": "Month"},
                                        "day": {"id": "Hari", "en": "Day"}}},
    },
}


def filled(value) -> dict:
    """``value`` (the stored table, possibly empty) with every default filled in."""
    from ..settings import _fill_defaults

    return _fill_defaults(SCHEMA, value if isinstance(value, dict) else {})


def literal_secrets(value) -> list[str]:
    """The keys of ``value`` that hold a secret written in place where only a reference is taken."""
    from ..tenant_secrets import literal

    value = value if isinstance(value, dict) else {}
    return [key for key, sub in SCHEMA["properties"].items() if literal(sub, value.get(key))]


def exported(extra: dict) -> dict:
    """The tenant's ``extra`` for ``tenant export``: a secret stored in place (before references
    were required) is replaced by the reference ``env:DOCUMENTS_<KEY>``, never printed."""
    extra = dict(extra or {})
    table = extra.get("documents")
    if isinstance(table, dict) and literal_secrets(table):
        extra["documents"] = {**table, **{key: f"env:DOCUMENTS_{key.upper()}" for key in literal_secrets(table)}}
    return extra


def problems(value, where: str, slug: str) -> list[ValidationError]:
    """Every problem of a ``[extra.documents]`` table written for tenant ``slug``, in the order of
    the form, each a ``ValidationError`` whose ``where`` is ``<where>.<key>`` (none: an empty list)."""
    from ..identity import IdentityError, normalise_nik
    from ..settings import validate_settings
    from ..tenant_secrets import check as check_secret, is_reference, reference_only, resolve, secret_properties

    found, current = [], value
    while True:  # types, keys, number pattern (the secrets below): every key the schema refuses
        try:
            settings = validate_settings(SCHEMA, current, where)
            break
        except ValidationError as exc:
            key = _key_of(exc, where)
            found.append(exc)
            if not isinstance(current, dict) or key not in current:  # the table itself: nothing more to check
                return _in_form_order(found, where)
            current = {k: v for k, v in current.items() if k != key}  # its default, to check the rest
    bad = {exc.where for exc in found}
    for (key,), sub in secret_properties(SCHEMA):
        if f"{where}.{key}" in bad:
            continue
        try:
            check_secret(slug, settings.get(key), f"{where}.{key}", reference_only=reference_only(sub),
                         label=sub.get("title"))
        except ValidationError as exc:
            found.append(exc)
    if settings["signer"] != "bsre":
        return _in_form_order(found, where)
    bad = {exc.where for exc in found}
    url = settings["bsre_url"]
    if url and f"{where}.bsre_url" not in bad and not url.startswith(("http://", "https://")):
        found.append(ValidationError(f"'{url}' is not an http(s) URL", where=f"{where}.bsre_url", code="signer_config",
                                     local=_l("%(url)s is not an address that starts with http:// or https://.",
                                              url=url)))
    if not settings["nik"] and f"{where}.nik" not in bad:
        found.append(ValidationError("a BSrE signer needs the signer's NIK (16 digits, or env:NAME)",
                                     where=f"{where}.nik", code="signer_config",
                                     local=_l("A BSrE signer needs the signer's NIK (16 digits, or env:NAME).")))
    elif f"{where}.nik" not in bad:
        nik = resolve(SimpleNamespace(slug=slug), settings["nik"])  # resolve() reads the slug only
        try:
            normalise_nik(nik)
        except IdentityError as exc:
            from .signing import english

            if is_reference(settings["nik"]):  # the secret's value is not echoed
                message = f"the NIK in {settings['nik']} is not valid: {english(exc.message)}"
                local = _l("The NIK in %(name)s is not valid: %(reason)s.", name=settings["nik"], reason=exc.message)
            else:
                message = f"the signer's NIK is not valid: {english(exc.message)}"
                local = _l("The signer's NIK is not valid: %(reason)s.", reason=exc.message)
            found.append(ValidationError(message, where=f"{where}.nik", code="signer_config", local=local))
    if not (settings["passphrase"] or settings["totp"]) and not bad & {f"{where}.passphrase", f"{where}.totp"}:
        found.append(ValidationError("a BSrE signer needs a passphrase or a TOTP secret", where=f"{where}.passphrase",
                                     code="signer_config",
                                     local=_l("A BSrE signer needs a passphrase or a TOTP secret (env:NAME).")))
    return _in_form_order(found, where)


def _key_of(exc: ValidationError, where: str) -> str:
    """The top-level key an error of the table ``where`` names ("" for the table itself)."""
    return (exc.where or "").removeprefix(where).lstrip(".").split(".", 1)[0]


def _in_form_order(found: list, where: str) -> list:
    order = list(SCHEMA["properties"])
    key = lambda exc: _key_of(exc, where)  # noqa: E731
    return sorted(found, key=lambda exc: order.index(key(exc)) if key(exc) in order else len(order))


def check(value, where: str, slug: str) -> dict:
    """Validate a ``[extra.documents]`` table written for tenant ``slug``; returns it with defaults
    filled (for reading; what is stored is what was written). Raises the first of ``problems``
    (one ``ValidationError`` whose ``where`` is ``<where>.<key>``)."""
    found = problems(value, where, slug)
    if found:
        raise found[0]
    return filled(value)


def check_tenant_file(extra: dict, where: str, slug: str) -> None:
    """``tenant apply``: check the file's ``[extra.documents]`` when it has one."""
    if isinstance(extra, dict) and "documents" in extra:
        check(extra["documents"], f"{where}: extra.documents", slug)
