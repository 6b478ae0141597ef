"""What the settings form posts besides the settings: its own fields (the version it was opened on,
the advanced mode, the "add row" button), the suffixes of a list's field names, and the bounds on
what one form may post; the version digest; the request's tenant."""
from __future__ import annotations

import hashlib
import json

VERSION_FIELD = "_settings_version"  # the stored document the form was opened on (a digest)
ADVANCED_FIELD = "_advanced"  # "1": lists and tables as JSON text
ADD_FIELD = "_add_row"  # the "add row" button: its value is the list's field name
ROWS, REMOVE, KEY, VALUE = "__n", "__del", "__key", "__value"
EMPTY_ROWS = 1  # empty rows offered under every list (one more per press of "add row")
MAX_FIELDS = 50_000  # fields one settings form may post (Flask's default of 1,000 is ~60 complaint categories)
MAX_ROWS = 500  # rows a posted list may claim (a bound on the work a form can ask for)
_REFS = "\0refs"  # in ``more``: the tenant's codes by kind (never a field name: a form cannot post NUL)


def version(settings: dict | None) -> str:
    """A digest of a stored settings document: the form posts it back, so a save over someone
    else's newer change is refused instead of silently undoing it."""
    text = json.dumps(settings or {}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _tenant():
    """The request's tenant (``g.tenant``), or None outside a tenant's request."""
    from flask import g, has_app_context

    return getattr(g, "tenant", None) if has_app_context() else None
