"""Per-tenant module settings, validated against the module's ``settings_schema()`` (JSON Schema).

Read them with the tenant named: ``module_settings(tenant, "complaints")["reopen_days"]``.
"""
from __future__ import annotations

import copy

from jsonschema import Draft202012Validator

from .errors import ValidationError


def _fill_defaults(schema: dict, value: dict) -> dict:
    out = copy.deepcopy(value)
    for key, sub in (schema.get("properties") or {}).items():
        if key not in out and "default" in sub:
            out[key] = copy.deepcopy(sub["default"])
        elif isinstance(out.get(key), dict) and sub.get("type") == "object":
            out[key] = _fill_defaults(sub, out[key])
    return out


def validate_settings(schema: dict, value: dict, where: str, slug: str | None = None) -> dict:
    """Return ``value`` with defaults filled in, or raise one ValidationError naming the key.

    ``value`` is the whole settings document: a key it leaves out takes its default. With the
    tenant's ``slug``, every secret setting (``"secret": true``) must name a secret that is set in
    that tenant's own namespace (core/tenant_secrets.py).
    """
    if not isinstance(value, dict):
        raise ValidationError("must be a table", where=where)
    schema = {"additionalProperties": False, **schema}
    try:
        filled = _fill_defaults(schema, value)
        errors = sorted(Draft202012Validator(schema).iter_errors(filled), key=lambda e: list(e.absolute_path))
    except RecursionError:  # lists or tables nested deeper than Python follows
        raise ValidationError("is nested too deeply", where=where) from None
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        message = err.message
        if err.validator == "additionalProperties":
            message = "unknown key: " + message.split("(")[-1].rstrip(")")
        raise ValidationError(message, where=f"{where}.{path}" if path else where)
    from .number_patterns import check_pattern_settings

    check_pattern_settings(schema, filled, where)  # settings declared with number_pattern_setting
    if slug is not None:
        from .tenant_secrets import check_settings

        check_settings(schema, filled, slug, where)
    return filled


def module_settings(tenant, module: str) -> dict:
    """The tenant's settings for ``module`` (defaults filled in): a copy the caller may change,
    kept in this process while the tenant's configuration is unchanged (core/tenancy/config_cache.py)."""
    from .modules import manager
    from .tenancy.config_cache import tenant_config

    spec = manager().get(module)
    schema = spec.schema if spec else {}
    return _fill_defaults(schema, tenant_config(tenant).settings.get(module, {}))  # a deep copy
