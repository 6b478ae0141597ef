"""Secrets a tenant's settings name: resolved only inside that tenant's own namespace.

A module setting marked ``"secret": true`` in its schema (core/hookspecs.py ``settings_schema``)
holds either the secret itself or ``env:NAME``. ``env:NAME`` never means any environment variable:
it means ``PAMONG_SECRET_<SLUG>__<NAME>``, where ``<SLUG>`` is the tenant's slug in upper case with
``-`` as ``_`` (``kota-bandung`` -> ``KOTA_BANDUNG``) and ``NAME`` is upper-case letters, digits and
single underscores (``CHAT_WEBHOOK``). The double underscore keeps namespaces apart: no tenant can
write a NAME that reaches into another tenant's variables (or the deployment's own, such as
``PAMONG_SMS_SECRET_<SLUG>`` or ``PAMONG_SECRET_KEY``).

A malformed name or a variable that is not set is refused when the settings are written
(``tenant apply``, the admin form), never met at request time; a request whose secret has since
gone missing is answered exactly as a wrong signature (no oracle on which variables exist).
"""
from __future__ import annotations

import os
import re

from .errors import ValidationError

PREFIX = "env:"
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


def check(slug: str, value, where: str) -> None:
    """Raise one ValidationError naming ``where`` when ``value`` names a secret that is malformed
    or not set for tenant ``slug`` (code ``unknown_secret``)."""
    if not is_reference(value):
        return
    name = value[len(PREFIX):]
    if not NAME.match(name):
        raise ValidationError(
            f"'{value}' is not a secret name (env: then upper-case letters, digits and single "
            f"underscores, e.g. env:CHAT_WEBHOOK)", where=where, code="bad_secret_name",
        )
    if not os.environ.get(env_name(slug, name)):
        raise ValidationError(
            f"secret '{value}' is not set: the deployment must set {env_name(slug, name)}",
            where=where, code="unknown_secret",
        )


def secret_paths(schema: dict, prefix: tuple = ()) -> list[tuple]:
    """The paths of the properties marked ``"secret": true`` in an object schema (nested objects too)."""
    out = []
    for key, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        if sub.get("secret") is True:
            out.append(prefix + (key,))
        elif sub.get("type") == "object":
            out += secret_paths(sub, prefix + (key,))
    return out


def check_settings(schema: dict, settings: dict, slug: str, where: str) -> None:
    """Check every secret setting of ``settings`` (validated against ``schema``) for tenant ``slug``."""
    for path in secret_paths(schema):
        value = settings
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        check(slug, value, f"{where}.{'.'.join(path)}")
