"""Error messages: the schema's problems and the references to codes the tenant does not have, by
field name, in the reader's language (one sentence per validator kind, naming the limit), merged
with the problems of reading the form; and the field a setting's path or an error's ``where`` is
shown at."""
from __future__ import annotations

import re

from flask_babel import format_decimal, gettext as _

from .kinds import _entry_is_group, kind_of
from .language import words as said_in_reader_language
from .protocol import KEY, VALUE, _tenant


def check(schema: dict, settings: dict, tenant=None) -> dict:
    """Every problem jsonschema finds in ``settings`` (defaults filled in), and every reference
    (``"x-ref"``, ``"x-ref-keys"``) to a code the ``tenant`` (default: the request's) does not have,
    as translated messages by field name; an empty dict when the document is valid.

    The references are checked on whatever parts are well-formed also when the schema finds
    problems elsewhere, so a person sees a value out of range and an unknown agency in one pass
    (issue 19.3); a field the schema already refuses keeps only that message."""
    from jsonschema import Draft202012Validator

    from ...settings import _fill_defaults

    schema = {"additionalProperties": False, **schema}
    document = _fill_defaults(schema, settings)
    out: dict = {}
    try:
        found = list(Draft202012Validator(schema).iter_errors(document))
    except RecursionError:
        return {"_form": _("Nested too deeply.")}
    for err in sorted(found, key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path])):
        path = list(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            for missing in err.validator_value:
                if missing not in err.instance:
                    out.setdefault(name_of(schema, document, path + [missing]), _("Required."))
            continue
        out.setdefault(name_of(schema, document, path), message_of(err))
    tenant = tenant if tenant is not None else _tenant()
    if tenant is not None:
        for name, message in _reference_errors(tenant, schema, document).items():
            out.setdefault(name, message)
    return out


def add_deeper(errors: dict, spec, values: dict, tenant, manager, hook: bool = True) -> dict:
    """``errors`` (of ``merge``) with what the schema cannot say added, each at its field: the
    number patterns and secrets (``core.settings.deeper_problems``) and, while ``errors`` is still
    empty (the document is well-formed and names only codes the tenant has) and ``hook``, the
    module's own ``check_settings``, every problem it raises (``problems``): a person sees every
    problem in one pass, never one at a time (issue 17)."""
    from flask import current_app

    from ...errors import PamongError
    from ...settings import _fill_defaults, deeper_problems
    from ...tenancy.scope import tenant_scope

    schema = {"additionalProperties": False, **spec.schema}
    where = f"modules.{spec.name}.settings"
    try:
        document = _fill_defaults(schema, values)
    except RecursionError:
        return errors
    found = deeper_problems(schema, document, where, tenant.slug)
    if hook and not errors:
        try:
            with tenant_scope(tenant):
                manager.call(spec.plugin, "check_settings", app=current_app._get_current_object(), tenant=tenant,
                             settings=document)
        except PamongError as exc:
            found += getattr(exc, "problems", None) or [exc]
    out = dict(errors)
    for problem in found:
        field = field_of(problem.where, spec.schema, values)
        out.setdefault(field or "_form", setting_message(problem, field))
    return out


def setting_message(exc, field: str) -> str:
    """The error for the form, in the person's language where the core knows the kind."""
    if getattr(exc, "local", None):
        return str(exc.local)  # the raiser's own words, in the reader's language
    if exc.code == "unknown_secret":
        return _("This secret is not set for this tenant: ask the deployment operator to set %(variable)s, "
                 "or leave the field empty.", variable=exc.message.rsplit(" ", 1)[-1])
    if exc.code == "bad_secret_name":
        return _("Not a secret name: write env: followed by capital letters, digits and single underscores "
                 "(e.g. env:CHAT_WEBHOOK).")
    detail = exc.message if field or not exc.where else f"{exc.where}: {exc.message}"
    return _("Not a valid value: %(detail)s", detail=detail)


def _reference_errors(tenant, schema: dict, document) -> dict:
    """Field name → the reader's message for every code ``document`` names that ``tenant`` lacks."""
    from ...settings import reference_errors

    out: dict = {}
    for path, ref, error in reference_errors(tenant, schema, document, "settings"):
        name = name_of(schema, document, list(path))
        if ref == "x-ref-keys" and name.endswith("." + VALUE):  # a table of plain values: its code is wrong
            name = name[: -len(VALUE)] + KEY
        out.setdefault(name, str(error.local or error.message))
    return out


def merge(read: dict, checked: dict) -> dict:
    """The errors of reading the form (``parse``) and of checking what was read (``check``): a field
    that could not be read keeps only its own message (not also the type error of the text kept)."""
    out = dict(read)
    for name, message in checked.items():
        if not any(name == r or name.startswith(r + ".") for r in read):
            out[name] = message
    return out


def name_of(schema: dict, document, path: list) -> str:
    """The field name of a setting's ``path`` (``["agency_contacts", "DLH", "email"]`` →
    ``agency_contacts.0.email``): a table named by codes is numbered as its rows are shown."""
    parts, sub, value = [], schema, document
    for depth, step in enumerate(path):
        kind = kind_of(sub) if sub is not schema else "group"
        if kind == "map" and isinstance(value, dict):
            keys = list(value.keys())
            index = keys.index(step) if step in keys else step
            parts.append(str(index))
            entry = sub.get("additionalProperties") or {}
            value = value.get(step)
            parts.append(VALUE if not _entry_is_group(sub) else KEY if depth == len(path) - 1 else None)
            if parts[-1] is None:
                parts.pop()
            sub = entry
            continue
        parts.append(str(step))
        if isinstance(sub, dict) and sub.get("type") == "array":
            sub = sub.get("items") or {}
            value = value[step] if isinstance(value, list) and isinstance(step, int) and step < len(value) else None
        elif isinstance(sub, dict):
            sub = (sub.get("properties") or {}).get(step) or {}
            value = value.get(step) if isinstance(value, dict) else None
        else:
            sub, value = {}, None
    return ".".join(parts) or "_form"


def _limit(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return format_decimal(value)
        except Exception:  # noqa: BLE001 — outside a request: plain digits
            return str(value)
    return str(value)


def message_of(err) -> str:
    """One translated sentence for a jsonschema error, by its validator kind, naming the limit."""
    kind, limit = err.validator, err.validator_value
    if kind == "minimum":
        return _("At least %(limit)s.", limit=_limit(limit))
    if kind == "maximum":
        return _("At most %(limit)s.", limit=_limit(limit))
    if kind == "exclusiveMinimum":
        return _("More than %(limit)s.", limit=_limit(limit))
    if kind == "exclusiveMaximum":
        return _("Less than %(limit)s.", limit=_limit(limit))
    if kind == "minLength":
        return _("Required.") if limit == 1 else _("At least %(limit)s characters.", limit=_limit(limit))
    if kind == "maxLength":
        return _("At most %(limit)s characters.", limit=_limit(limit))
    if kind == "minItems":
        return _("At least %(limit)s rows.", limit=_limit(limit))
    if kind == "maxItems":
        return _("At most %(limit)s rows.", limit=_limit(limit))
    if kind == "uniqueItems":
        return _("An entry appears more than once.")
    if kind == "pattern":  # the setting's own words for its form (``x-pattern-error``), else the general one
        return said_in_reader_language(err.schema.get("x-pattern-error")) or _("Not in the expected form.")
    if kind == "format":
        return _("Not in the expected form.")
    if kind in ("enum", "const"):
        choices = limit if kind == "enum" else [limit]
        return _("Choose one of: %(choices)s.", choices=", ".join(str(c) for c in choices))
    if kind == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        words = {
            "integer": _("a whole number"), "number": _("a number"), "string": _("text"),
            "boolean": _("yes or no"), "array": _("a list"), "object": _("a table"), "null": _("empty"),
        }
        return _("Must be %(kind)s.", kind=" / ".join(str(words.get(k, k)) for k in kinds))
    if kind == "additionalProperties":
        extra = sorted(set(err.instance) - set((err.schema.get("properties") or {}))) if isinstance(err.instance, dict) else []
        return _("Unknown key: %(keys)s.", keys=", ".join(map(str, extra)))
    return _("Not a valid value for this field.")


def field_of(where: str, schema: dict, document=None) -> str:
    """The form field an error's ``where`` (``modules.<m>.settings.<key>[.<more>]``) belongs to, or ""."""
    path = where.split(".settings.", 1)[-1] if ".settings." in where else ""
    path = re.sub(r"\[(\d+)\]", r".\1", path)  # types[0].code → types.0.code
    key = path.split(".", 1)[0]
    if key not in (schema.get("properties") or {}):
        return ""
    if document is None:
        return key
    parts = [int(p) if p.isdigit() else p for p in re.split(r"\.", path) if p]
    return name_of(schema, document, parts)
