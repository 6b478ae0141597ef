"""Secrets a tenant's settings name: resolved only inside that tenant's own namespace.

A module setting marked ``"secret": true`` in its schema (core/hookspecs.py ``settings_schema``)
holds either the secret itself or ``env:NAME``. ``env:NAME`` never means any environment variable:
it means ``PAMONG_SECRET_<SLUG>__<NAME>``, where ``<SLUG>`` is the tenant's slug in upper case with
``-`` as ``_`` (``kota-bandung`` -> ``KOTA_BANDUNG``) and ``NAME`` is upper-case letters, digits and
single underscores (``CHAT_WEBHOOK``). The double underscore keeps namespaces apart: no tenant can
write a NAME that reaches into another tenant's variables (or the deployment's own, such as
``PAMONG_SMS_SECRET_<SLUG>`` or ``PAMONG_SECRET_KEY``).

Every secret property takes only ``env:NAME``: the secret itself written into the settings is
refused where it is written (code ``secret_literal``), so it is never stored, audited, shown on a
form or printed by ``tenant export``. No module has to remember to ask for this. The one exception
is a property the core itself marks ``"x-literal-allowed": true`` (the document signer's NIK and API
user: identifiers more than secrets); ``"x-reference-only": true``, once needed, is now implied.

A malformed name or a variable that is not set is refused when the settings are written
(``tenant apply``, the admin form), never met at request time; a request whose secret has since
gone missing is answered exactly as a wrong signature (no oracle on which variables exist).
"""
from __future__ import annotations

import os
import re

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

PREFIX = "env:"
REFERENCE_ONLY = "x-reference-only"  # implied by "secret": true (kept harmless in older schemas)
LITERAL_ALLOWED = "x-literal-allowed"  # a secret property that may also hold its value in place
NAME = re.compile(r"^[A-Z0-9]+(_[A-Z0-9]+)*$")


def env_name(slug: str, name: str) -> str:
    """The environment variable ``env:NAME`` means for tenant ``slug``."""
    return f"PAMONG_SECRET_{re.sub(r'[^A-Z0-9]', '_', slug.upper())}__{name}"


def is_reference(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def resolve(tenant, value: str) -> str:
    """The secret ``value`` stands for in ``tenant``'s namespace; "" when none (unset or empty)."""
    if not is_reference(value):
        return value or ""
    name = value[len(PREFIX):]
    if not NAME.match(name):
        return ""
    return os.environ.get(env_name(tenant.slug, name), "")


def check(slug: str, value, where: str, *, reference_only: bool = False, label=None) -> None:
    """Raise one ValidationError naming ``where`` when ``value`` names a secret that is malformed
    or not set for tenant ``slug`` (code ``unknown_secret``), or, with ``reference_only``, is a
    secret written in place (code ``secret_literal``). ``label``: the setting's name for people
    (a lazy string), used in the error's words in the reader's language (``local``)."""
    if not is_reference(value):
        if reference_only and value:
            label = label or where.rsplit(".", 1)[-1]
            raise ValidationError(
                f"is a secret: write a reference env:NAME (the deployment sets "
                f"{env_name(slug, 'NAME')}), never the secret itself", where=where, code="secret_literal",
                local=_l("%(field)s is a secret: write a reference env:NAME here (the deployment sets the secret "
                         "as %(variable)s), never the secret itself.", field=label, variable=env_name(slug, "NAME")),
            )
        return
    name = value[len(PREFIX):]
    if not NAME.match(name):
        raise ValidationError(
            f"'{value}' is not a secret name (env: then upper-case letters, digits and single "
            f"underscores, e.g. env:CHAT_WEBHOOK)", where=where, code="bad_secret_name",
            local=_l("Not a secret name: write env: followed by capital letters, digits and single underscores "
                     "(e.g. env:CHAT_WEBHOOK)."),
        )
    if not os.environ.get(env_name(slug, name)):
        raise ValidationError(
            f"secret '{value}' is not set: the deployment must set {env_name(slug, name)}",
            where=where, code="unknown_secret",
            local=_l("This secret is not set for this tenant: ask the deployment operator to set %(variable)s, "
                     "or leave the field empty.", variable=env_name(slug, name)),
        )


def secret_paths(schema: dict, prefix: tuple = ()) -> list[tuple]:
    """The paths of the properties marked ``"secret": true`` in an object schema (nested objects too)."""
    return [path for path, _sub in secret_properties(schema, prefix)]


def secret_properties(schema: dict, prefix: tuple = ()) -> list[tuple[tuple, dict]]:
    """``(path, property schema)`` of each property marked ``"secret": true`` (nested objects too)."""
    out = []
    for key, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        if sub.get("secret") is True:
            out.append((prefix + (key,), sub))
        elif sub.get("type") == "object":
            out += secret_properties(sub, prefix + (key,))
    return out


def reference_only(sub: dict) -> bool:
    """Does the property (``sub``) take ``env:NAME`` only? Every secret does, unless the property
    says ``"x-literal-allowed": true``."""
    return (sub.get("secret") is True or sub.get(REFERENCE_ONLY) is True) and sub.get(LITERAL_ALLOWED) is not True


def literal(sub: dict, value) -> bool:
    """Is ``value`` a secret written in place where the property (``sub``) takes references only?"""
    return reference_only(sub) and bool(value) and not is_reference(value)


def as_references(schema: dict, settings: dict, prefix: str) -> dict:
    """``settings`` with each secret stored in place (before references were required) replaced by
    the reference ``env:<PREFIX>_<KEY>`` (the deployment must then set it): for ``tenant export``,
    which never prints a secret."""
    import copy

    out = copy.deepcopy(settings) if isinstance(settings, dict) else settings
    for path, sub in secret_properties(schema):
        table = out
        for part in path[:-1]:
            table = table.get(part) if isinstance(table, dict) else None
        if isinstance(table, dict) and literal(sub, table.get(path[-1])):
            table[path[-1]] = PREFIX + re.sub(r"[^A-Z0-9]+", "_", "_".join((prefix,) + path).upper()).strip("_")
    return out


def secret_problems(schema: dict, settings: dict, slug: str, where: str) -> list[ValidationError]:
    """The refusal of each secret setting of ``settings`` that ``check`` refuses (a value that is
    not text is the schema's to refuse, and skipped here)."""
    found = []
    for path, sub in secret_properties(schema):
        value = settings
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and not isinstance(value, str):
            continue
        try:
            check(slug, value, f"{where}.{'.'.join(path)}", reference_only=reference_only(sub),
                  label=sub.get("title") or _x_label(sub))
        except ValidationError as exc:
            found.append(exc)
    return found


def _x_label(sub: dict):
    """The property's ``x-label`` (``{"id": ..., "en": ...}``) in the reader's language, when read."""
    from flask_babel import LazyString

    from .admin.settings_form.language import words

    return LazyString(words, sub["x-label"]) if isinstance(sub.get("x-label"), dict) else None
