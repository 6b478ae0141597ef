"""The app's request class: every text a request carries is ``core.text.clean``-ed once, here.

Query arguments, form fields (URL-encoded and multipart, upload file names included) and URL
path parameters (``view_args``) are cleaned as Werkzeug parses them; ``get_json()`` reads the body
with ``core.text.load_json`` (UTF-8 only, RFC 8259, bounded nesting, strings cleaned).

A JSON body that cannot be read raises ``JsonBodyError``, a Werkzeug ``BadRequest`` (400) whose
``error_code`` is the stable code (``invalid_encoding``, ``invalid_json``, ``json_too_deep``) and
whose ``description`` names what is wrong, for the app's error handlers to render in the client's
format; ``get_json(silent=True)`` returns None instead, as Flask's does. A body over
``MAX_CONTENT_LENGTH`` is Werkzeug's 413, whatever ``silent`` says. Headers and cookies are not
text the kit stores, and are left as they came; so are fields named ``*password*``.
"""
from __future__ import annotations

from flask import Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, ImmutableMultiDict
from werkzeug.exceptions import BadRequest

from .text import BadJson, clean, load_json


def _clean_value(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, FileStorage) and value.filename:
        value.filename = clean(value.filename)
    return value


def _secret(key) -> bool:
    """A password is compared, never stored or shown: it is kept exactly as typed, so that a
    password set before text was cleaned still signs in."""
    return isinstance(key, str) and "password" in key.lower()


class CleanMultiDict(ImmutableMultiDict):
    """Werkzeug's parameter storage, cleaning every key and text value it is built from
    (passwords excepted, see ``_secret``)."""

    def __init__(self, mapping=None):
        if isinstance(mapping, (list, tuple)):
            mapping = [(_clean_value(k), v if _secret(k) else _clean_value(v)) for k, v in mapping]
        super().__init__(mapping)


class JsonBodyError(BadRequest):
    """400: the JSON body is not UTF-8, not JSON or nested too deeply (``error_code`` says which)."""

    def __init__(self, error: BadJson):
        super().__init__(description=str(error))
        self.error_code = error.code
        self.pamong_code = error.code  # the stable code the error handlers answer with (core.http_errors)
        self.where = error.where


class _CleanJson:
    """What ``Request.get_json`` calls as ``json_module.loads``."""

    @staticmethod
    def loads(data, **_kwargs):
        return load_json(data)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict  # args and form

    @property
    def json_module(self):
        return _CleanJson

    @json_module.setter
    def json_module(self, _provider):
        """Flask hands each request the app's JSON provider; request bodies are read with ours (the
        app's provider, which also reads test responses, stays Flask's)."""

    @property
    def view_args(self):
        return self.__dict__.get("_clean_view_args")

    @view_args.setter
    def view_args(self, values):
        if values is not None:
            values = {k: _clean_value(v) for k, v in values.items()}
        self.__dict__["_clean_view_args"] = values

    def on_json_loading_failed(self, e):
        if isinstance(e, BadJson):
            raise JsonBodyError(e)
        return super().on_json_loading_failed(e)


def json_object(where: str = "body") -> dict:
    """The current request's JSON body, which must be an object; else ``BadJson`` (a
    ``ValidationError``, code ``invalid_json``, ``invalid_encoding`` or ``json_too_deep``)."""
    if not request.is_json:
        raise BadJson(_("send a JSON object (Content-Type: application/json)"), where=where, code="invalid_json")
    data = load_json(request.get_data(cache=True), where=where)
    if not isinstance(data, dict):
        raise BadJson(_("send a JSON object (Content-Type: application/json)"), where=where, code="invalid_json")
    return data
