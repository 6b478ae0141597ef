"""Words for a document's kind, for people (the admin's register); the code stays in the register,
``pamong documents list`` and the filters.

    documents.register_kind("permit", _l("Permit"))             # one kind
    documents.register_kind("eoffice-", _l("Official letter"))  # every kind starting so (eoffice-2026)
    documents.kind_label("eoffice-2026")                         # -> "Official letter" (translated)

A kind nobody registered reads as: the core's own kind's translated name ("test": the signer check
of ``pamong documents test-sign``); else the title of the installed module the kind is named after
(its first word, ``eoffice-2026`` → module ``eoffice``; ``permit`` → ``permits``); else the code.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

CORE_KINDS = {"test": _l("Test signature")}
_registered: dict[str, object] = {}


def register_kind(kind: str, label) -> None:
    """``label`` (a lazy string) for ``kind``, or for every kind starting with ``kind`` when it ends
    in ``-``, ``_`` or ``.``; a later registration of the same code replaces the earlier one."""
    if not isinstance(kind, str) or not kind:
        raise ValueError("a kind or a prefix of kinds")
    _registered[kind] = label


def _module_title(kind: str, modules: dict | None):
    if not modules:
        return None
    word = re.split(r"[-_.]", kind, maxsplit=1)[0]
    for name in (kind, word, word + "s"):
        spec = modules.get(name)
        if spec is not None:
            return spec.title
    return None


def kind_label(kind: str, modules: dict | None = None) -> str:
    """The words for ``kind`` in the request's language. ``modules``: name → ``ModuleSpec`` (default:
    the installed modules of the current app, when there is one)."""
    if kind in _registered:
        return str(_registered[kind])
    prefixes = [p for p in _registered if p[-1] in "-_." and kind.startswith(p)]
    if prefixes:
        return str(_registered[max(prefixes, key=len)])
    if kind in CORE_KINDS:
        return str(CORE_KINDS[kind])
    if modules is None:
        from flask import current_app, has_app_context

        manager = current_app.extensions.get("pamong") if has_app_context() else None
        modules = getattr(manager, "modules", None)
    title = _module_title(kind, modules)
    return str(title) if title is not None else kind
