"""Each JSON endpoint declared once: its input and output models validate requests and write the
OpenAPI document (``/api/v1/openapi.json``), so the document cannot drift from what is accepted.

The models are pydantic v2 (already the core's validator of tenant TOML): a model's JSON Schema
is JSON Schema 2020-12, which is exactly what OpenAPI 3.1 takes for a schema, so no adapter
library sits between the two. A view declares itself with ``@operation(...)`` under its
``@api_scope`` (or ``@signed_webhook``)::

    @bp.route("/<number>/status", methods=["POST"])
    @api_scope("complaints:write")
    @operation("Move a complaint", body=StatusChange, response=Complaint, errors={400: "...", 404: "..."})
    def change_status(number): data = g.api_body  # the validated model

- ``body``: the request's JSON object (``core.web_request.json_object``: ``invalid_json`` when it is
  not one; under ``@signed_webhook``, the body exactly as signed, ``g.webhook.body``, whatever its
  Content-Type), validated by the model. The first problem is a ``ValidationError`` whose ``where``
  is the field's path (``punches.0.kind``) and whose ``code`` is stable:
  ``required`` for a missing required field, else the model's ``error_codes[field]``, else
  ``invalid_field``. It goes to the view's ``fail`` (the module's own error answer, e.g.
  complaints' ``_fail``), or is answered 400 ``{"error": {"code", "message"}}``. With
  ``validate=False`` the model only documents a body the view checks itself, in its own words.
- ``error_messages``: ``{field: lazy message}``, said for the field's errors but a missing field,
  where pydantic's words say nothing useful (a pattern mismatch).
- ``error_codes``: ``{field: code}``; ``"*"`` stands for every field the model does not name. A code
  given as text is for the field's type and range errors (a missing field stays ``required``); as a
  dict it is per pydantic error type, ``"*"`` for the others, ``missing`` included
  (``{"amount": {"greater_than_equal": "amount_not_positive", "*": "amount_not_integer"}}``), for an
  API whose clients already know a code for each. A field of a nested model (an item of a list)
  takes the nested model's ``error_codes``, else the enclosing field's.
- ``query``: the query string, read field by field: a whole-number field through
  ``core.params.int_arg`` with the field's ``ge``/``le`` bounds (``ParameterError`` 400,
  ``invalid_parameter`` or ``error_codes[field]``), any other through the model; ``g.api_query``.
- ``response``: the 2xx answer's model (``status``, 200 by default), emitted in serialization mode.
- path parameters come from the route's own rule (``<int:year>`` is an integer), and the token's
  scope from ``@api_scope`` (the view's ``_pamong_permission``), so neither is written twice.

Standards keep their own formats (Open311 GeoReport v2, HL7 FHIR R4, BPJS WS Antrean): a module
documents those with the ``openapi_paths`` hook and an ``externalDocs`` link, unchanged.
"""
from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar

from annotated_types import Ge, Le
from flask import g, request
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError
from pydantic.json_schema import models_json_schema

from ..errors import PamongError, ValidationError
from .error_messages import message as error_message
from ..params import MAX_PAGE, int_arg

REF = "#/components/schemas/{model}"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
STANDARD_ERRORS = {
    401: "No valid API token of this tenant (code unauthorized)",
    403: "The token lacks the scope (code insufficient_scope)",
}


class ApiModel(BaseModel):
    """Base of every API input model: unknown keys are ignored (clients may send more),
    ``error_codes`` maps a field to the stable code of its errors (see the module docstring)."""

    model_config = ConfigDict(extra="ignore")
    error_codes: ClassVar[dict[str, str | dict[str, str]]] = {}
    # ``{field: message}`` (lazy gettext): said instead of pydantic's words for the field's errors
    # but a missing field, where those words would say nothing (a pattern: "the shape does not match")
    error_messages: ClassVar[dict] = {}


class ApiOutput(BaseModel):
    """Base of every API answer model (documentation and the tests' check of each answer)."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class Operation:
    summary: str
    description: str = ""
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: dict[int, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # required request headers: name -> description
    validate: bool = True
    fail: Any = None
    tags: list[str] | None = None
    response_description: str = "OK"


def operation(summary: str, **options):
    """Declare a JSON endpoint (see the module docstring); the options are ``Operation``'s fields."""
    op = Operation(summary, **options)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                if op.query is not None:
                    g.api_query = read_query(op.query)
                if op.body is not None and op.validate:
                    g.api_body = read_body(op.body)
            except PamongError as exc:
                if op.fail is not None:
                    return op.fail(exc)
                from .auth import api_error

                return api_error(exc.code, str(exc), 400)
            return view(*args, **kwargs)

        wrapper._pamong_openapi = op
        return wrapper

    return decorate


def _models_in(annotation) -> list[type[BaseModel]]:
    """The models an annotation holds (``list[Punch]``, ``Punch | None``, ``Annotated[...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _is_union(annotation) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _walk(model: type[BaseModel], loc: tuple) -> tuple[list[tuple[type[BaseModel], str]], str]:
    """The (model, field) pairs an error's location passes through, outermost first, and the
    location as ``where`` (a union's member tags, such as ``int`` in ``amount.int``, left out)."""
    owners: list[tuple[type[BaseModel], str]] = []
    where: list[str] = []
    annotation: Any = model
    for part in loc:
        found = next((m for m in _models_in(annotation) if isinstance(part, str) and part in m.model_fields),
                     None)
        if found is not None:
            owners.append((found, part))
            annotation = found.model_fields[part].annotation
        elif isinstance(part, str) and _is_union(annotation):
            continue  # pydantic names the member of a union it tried
        where.append(str(part))
    return owners, ".".join(where)


def _code(owners: list[tuple[type[BaseModel], str]], kind: str) -> str:
    for owner, name in reversed(owners):  # the innermost model that names the field decides
        codes = getattr(owner, "error_codes", {}) or {}
        entry = codes.get(name, codes.get("*"))
        if isinstance(entry, dict):
            chosen = entry.get(kind) or entry.get("*")
            if chosen:
                return chosen
            break
        if entry:
            if kind != "missing":
                return entry
            break
    return "required" if kind == "missing" else "invalid_field"


def _problem(model: type[BaseModel], exc: PydanticError) -> ValidationError:
    """The first of pydantic's errors as the core's ``ValidationError`` with a stable code."""
    first = exc.errors(include_url=False)[0]
    owners, where = _walk(model, tuple(first["loc"]))
    code = _code(owners, first["type"])
    said = next((getattr(owner, "error_messages", {}).get(name) for owner, name in reversed(owners)
                 if name in (getattr(owner, "error_messages", {}) or {})), None)
    text = str(said) if said is not None and first["type"] != "missing" else error_message(first)
    return ValidationError(text, where=where or "body", code=code)


def read_body(model: type[BaseModel]):
    """The request's JSON object validated by ``model``; ``ValidationError`` (see module doc)."""
    from flask_babel import gettext as _

    from ..text import BadJson, load_json
    from ..web_request import json_object

    signed = getattr(g, "webhook", None)
    if signed is not None:  # a signed webhook: the bytes the signature covers, whatever the Content-Type
        data = load_json(signed.body, where="body")
        if not isinstance(data, dict):
            raise BadJson(_("send a JSON object"), where="body", code="invalid_json")
    else:
        data = json_object()
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        raise _problem(model, exc) from None


def _bounds(info) -> tuple[int, int]:
    low, high = 1, MAX_PAGE
    for meta in info.metadata:
        if isinstance(meta, Ge):
            low = meta.ge
        elif isinstance(meta, Le):
            high = meta.le
    return low, high


def read_query(model: type[BaseModel]):
    """The query string as ``model``: whole numbers through ``int_arg`` (bounds, ``DECLARED``)."""
    codes = getattr(model, "error_codes", {}) or {}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.annotation is int:
            low, high = _bounds(info)
            values[name] = int_arg(name, info.default, min=low, max=high,
                                   code=codes.get(name, "invalid_parameter"))
        elif name in request.args:
            values[name] = request.args.get(name)
    try:
        return model.model_validate(values)
    except PydanticError as exc:
        raise _problem(model, exc) from None


# --- the document ------------------------------------------------------------------------------

_ARG = re.compile(r"<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}}


def openapi_path(rule: str) -> tuple[str, list[dict]]:
    """A Werkzeug rule (``/runs/<int:year>``) as an OpenAPI path (``/runs/{year}``) and its path
    parameters (required; typed by the converter)."""
    params = []

    def sub(match):
        converter, name = match.group(1), match.group(2)
        params.append({"name": name, "in": "path", "required": True,
                       "schema": dict(_TYPES.get(converter or "", {"type": "string"}))})
        return "{" + name + "}"

    return _ARG.sub(sub, rule), params


def _query_parameters(model: type[BaseModel], schema: dict) -> list[dict]:
    out = []
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    for name, prop in props.items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        out.append(param)
    return out


def _json(schema) -> dict:
    return {"application/json": {"schema": schema}}


def _strip_titles(value):
    """pydantic's ``title`` on every property repeats its name: left out of the document."""
    if isinstance(value, dict):
        return {k: _strip_titles(v) for k, v in value.items()
                if not (k == "title" and isinstance(v, str) and "properties" not in value)}
    if isinstance(value, list):
        return [_strip_titles(v) for v in value]
    return value


def declared_operations(app, include) -> list[tuple[str, str, Any, Operation]]:
    """``[(path, method, view, Operation)]`` of the app's declared endpoints whose rule passes
    ``include(rule_string)``, in URL-map order."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        op = getattr(view, "_pamong_openapi", None)
        if op is None or not include(rule.rule):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method.lower(), view, op))
    return found


def build_paths(app, include) -> tuple[dict, dict]:
    """OpenAPI ``paths`` and ``components.schemas`` for the declared endpoints (see above)."""
    ops = declared_operations(app, include)
    inputs, outputs = set(), set()
    for _rule, _method, _view, op in ops:
        inputs.update(m for m in (op.body, op.query) if m is not None)
        if op.response is not None:
            outputs.add(op.response)
    models = sorted([(m, "validation") for m in inputs] + [(m, "serialization") for m in outputs],
                    key=lambda pair: (pair[0].__module__, pair[0].__qualname__, pair[1]))
    refs, defs = models_json_schema(models, ref_template=REF) if models else ({}, {})
    schemas = _strip_titles(defs.get("$defs", {}))
    paths: dict[str, dict] = {}
    for rule, method, view, op in ops:
        path, params = openapi_path(rule)
        item: dict[str, Any] = {"summary": op.summary, "operationId": f"{view.__module__.rsplit('.', 2)[-2]}"
                                f"_{view.__name__}_{method}"}
        if op.description:
            item["description"] = op.description
        tag = op.tags or _tag(rule)
        if tag:
            item["tags"] = tag
        permission = getattr(view, "_pamong_permission", "") or ""
        if permission.startswith("api:"):
            item["security"] = [{"token": [permission[4:]]}]
        else:
            item["security"] = []
        for name, text in op.headers.items():
            params.append({"name": name, "in": "header", "required": True, "schema": {"type": "string"},
                           "description": text})
        if op.query is not None:
            name = refs[(op.query, "validation")]["$ref"].rsplit("/", 1)[1]
            params.extend(_query_parameters(op.query, schemas.pop(name)))  # parameters, not a schema
        if params:
            item["parameters"] = params
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": _json(refs[(op.body, "validation")])}
        ok: dict[str, Any] = {"description": op.response_description}
        if op.response is not None:
            ok["content"] = _json(refs[(op.response, "serialization")])
        responses = {str(op.status): ok}
        errors = dict(op.errors)
        if item["security"]:
            for status, text in STANDARD_ERRORS.items():
                errors.setdefault(status, text)
        if op.body is not None or op.query is not None:
            errors.setdefault(400, "Bad input: error.code names the problem (invalid_json, required, "
                                   "invalid_field, ...)")
        for status in sorted(errors):
            responses[str(status)] = {"description": errors[status], "content": _json(ERROR_REF)}
        item["responses"] = responses
        paths.setdefault(path, {})[method] = item
    return paths, schemas


def _tag(rule: str) -> list[str]:
    parts = rule.split("/")
    return [parts[3]] if len(parts) > 4 and rule.startswith("/api/v1/") else ["core"]
