"""Per-tenant module settings, validated against the module's ``settings_schema()`` (JSON Schema).

Read them with the tenant named: ``module_settings(tenant, "complaints")["reopen_days"]``.
"""
from __future__ import annotations

import copy
import threading

from cachetools import LRUCache
from jsonschema import Draft202012Validator

from .errors import ValidationError, raise_all


def _fill_defaults(schema: dict, value: dict) -> dict:
    out = copy.deepcopy(value)
    for key, sub in (schema.get("properties") or {}).items():
        if key not in out and "default" in sub:
            out[key] = copy.deepcopy(sub["default"])
        elif isinstance(out.get(key), dict) and sub.get("type") == "object":
            out[key] = _fill_defaults(sub, out[key])
    return out


def validate_settings(schema: dict, value: dict, where: str, slug: str | None = None) -> dict:
    """Return ``value`` with defaults filled in, or raise every problem at once (``settings_problems``):
    one ValidationError naming the key, or ``core.errors.Problems`` for several.

    ``value`` is the whole settings document: a key it leaves out takes its default. With the
    tenant's ``slug``, every secret setting (``"secret": true``) must name a secret that is set in
    that tenant's own namespace (core/tenant_secrets.py).
    """
    filled, problems = settings_problems(schema, value, where, slug)
    raise_all(problems)
    return filled


def settings_problems(schema: dict, value: dict, where: str, slug: str | None = None) -> tuple[dict, list]:
    """``(value with defaults filled in, [ValidationError])``: every problem of the document at once,
    the schema's (English, each naming its key) and then ``deeper_problems``."""
    if not isinstance(value, dict):
        return value, [ValidationError("must be a table", where=where)]
    schema = {"additionalProperties": False, **schema}
    try:
        filled = _fill_defaults(schema, value)
        errors = sorted(Draft202012Validator(schema).iter_errors(filled), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:  # lists or tables nested deeper than Python follows
        return value, [ValidationError("is nested too deeply", where=where)]
    problems = []
    for err in errors:
        path = ".".join(str(p) for p in err.absolute_path)
        message = err.message
        if err.validator == "additionalProperties":
            message = "unknown key: " + message.split("(")[-1].rstrip(")")
        elif err.validator == "pattern" and isinstance(err.schema.get("x-pattern-error"), dict):
            message = f"{str(err.instance)[:40]!r} is not in the expected form: {err.schema['x-pattern-error'].get('en', '')}"
        problems.append(ValidationError(message, where=f"{where}.{path}" if path else where))
    return filled, problems + deeper_problems(schema, filled, where, slug)


def deeper_problems(schema: dict, filled: dict, where: str, slug: str | None = None) -> list:
    """What the JSON Schema cannot say, checked on whatever parts are well-formed: the number
    patterns (``number_pattern_setting``) and, with the tenant's ``slug``, the secrets."""
    from .number_patterns import pattern_problems

    found = pattern_problems(schema, filled, where)
    if slug is not None:
        from .tenant_secrets import secret_problems

        found += secret_problems(schema, filled, slug, where)
    return found


def module_settings(tenant, module: str, *, shared: bool = False) -> dict:
    """The tenant's settings for ``module`` (defaults filled in): a copy the caller may change,
    kept in this process while the tenant's configuration is unchanged (core/tenancy/config_cache.py).
    ``shared=True``: no copy, the same dict for every caller until the configuration changes; the
    caller must not change it (a request path that only reads its settings saves the deep copy)."""
    from .modules import manager
    from .tenancy.config_cache import tenant_config

    config = tenant_config(tenant)
    if shared:
        with _SHARED_LOCK:
            hit = _SHARED.get((id(config), module))
        if hit is not None and hit[0] is config:  # the same configuration object: still current
            return hit[1]
    spec = manager().get(module)
    schema = spec.schema if spec else {}
    filled = _fill_defaults(schema, config.settings.get(module, {}))  # a deep copy
    if shared:
        with _SHARED_LOCK:
            _SHARED[(id(config), module)] = (config, filled)
    return filled


# (id of a TenantConfig, module) -> (that TenantConfig, its filled settings); the config is kept
# with its entry, so its id is not reused while the entry lives
_SHARED: LRUCache = LRUCache(maxsize=1024)
_SHARED_LOCK = threading.Lock()


# -- references to the tenant's organisation (DESIGN §5: configuration is checked where it is written)

REF_KINDS = ("agency", "section", "district", "village", "position")  # what ``"x-ref"`` may name


def known_codes(tenant, kind: str) -> dict[str, str]:
    """The tenant's active ``kind`` (an org unit kind, or ``position``) by code → name."""
    from .extensions import db
    from .tenancy.models import OrgUnit, Position
    from .tenancy.scope import tenant_scope

    with tenant_scope(tenant):
        if kind == "position":
            query = db.select(Position.code, Position.name).where(Position.active.is_(True))
        else:
            query = db.select(OrgUnit.code, OrgUnit.name).where(OrgUnit.kind == kind, OrgUnit.active.is_(True))
        return dict(db.session.execute(query.order_by(query.selected_columns[0])).all())


def references(schema: dict, value, path: tuple = ()):
    """Every reference a settings document makes: ``(path, kind, code)`` for a string property
    marked ``"x-ref": "<kind>"`` and for each key of a table marked ``"x-ref-keys": "<kind>"``."""
    for found_path, kind, code, _ref in _references(schema, value, path):
        yield found_path, kind, code


def _references(schema: dict, value, path: tuple = ()):
    """``references`` with what makes each one: ``"x-ref"`` (a value) or ``"x-ref-keys"`` (a code)."""
    if not isinstance(schema, dict):
        return
    if schema.get("x-ref") in REF_KINDS and isinstance(value, str) and value:
        yield path, schema["x-ref"], value, "x-ref"
    if isinstance(value, dict):
        if schema.get("x-ref-keys") in REF_KINDS:
            for key in value:
                yield path + (key,), schema["x-ref-keys"], key, "x-ref-keys"
        props = schema.get("properties") or {}
        entry = schema.get("additionalProperties")
        for key, sub in value.items():
            yield from _references(props.get(key, entry if isinstance(entry, dict) else None), sub, path + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _references(schema["items"], item, path + (index,))


def _row_code(settings, path) -> str:
    """``"the row with code 'SAMPAH'"`` for the innermost row (of a list) on ``path`` that has a code."""
    found, value = "", settings
    for step in path:
        value = value[step] if isinstance(value, (dict, list)) and (
            isinstance(value, dict) and step in value or isinstance(value, list) and isinstance(step, int)) else None
        if isinstance(step, int) and isinstance(value, dict) and isinstance(value.get("code"), str):
            found = f"the row with code '{value['code']}'"
    return found


def reference_errors(tenant, schema: dict, settings, where: str):
    """Every reference in ``settings`` to an agency, section, district, village or position the
    tenant does not have (active), in the document's order: ``(path, ref, error)`` with the
    setting's ``path`` (a tuple; for a table's code, the code itself last), ``ref`` saying whether
    a value or a code is wrong (``"x-ref"`` or ``"x-ref-keys"``) and one ValidationError: its
    ``where`` is ``<where>.<path>``, its message names the missing code and the codes there are
    (English for the CLI; ``local`` in the reader's language for the admin's form).

    Only what is well-formed is looked at (a string where ``"x-ref"`` is, the codes of a table
    marked ``"x-ref-keys"``), so it runs on a document the schema refuses elsewhere too: the admin's
    form shows a range error and an unknown agency in one pass (issue 19.3)."""
    from flask_babel import lazy_gettext as _l

    from .errors import ValidationError

    cache: dict[str, dict] = {}
    for path, kind, code, ref in _references(schema, settings):
        known = cache.get(kind)
        if known is None:
            known = cache[kind] = known_codes(tenant, kind)
        if code in known:
            continue
        listed = ", ".join(sorted(known))
        row = _row_code(settings, path)
        words = {"agency": (_l("agency"), "agency"), "section": (_l("section"), "section"),
                 "district": (_l("district"), "district"), "village": (_l("village"), "village"),
                 "position": (_l("position"), "position")}[kind]
        error = ValidationError(
            (f"{row} names {words[1]} '{code}', which does not exist" if row else f"{words[1]} '{code}' does not exist")
            + f" in tenant '{tenant.slug}' ({kind} codes: {listed or 'none'})",
            where=".".join([where, *map(str, path)]), code=f"unknown_{kind}",
            local=_l("There is no %(kind)s with the code %(code)s in this tenant (codes: %(codes)s).",
                     kind=words[0], code=code, codes=listed or "—"),
        )
        yield path, ref, error


def check_references(tenant, schema: dict, settings: dict, where: str) -> None:
    """Raise one ValidationError for the first reference to an agency, section, district, village
    or position the tenant does not have (active): see ``reference_errors``."""
    for _path, _ref, error in reference_errors(tenant, schema, settings, where):
        raise error
