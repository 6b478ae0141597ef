"""API token scopes are a closed vocabulary: the ones the core or an installed module declares.

Modules declare theirs with the ``api_scopes()`` hook (core/hookspecs.py); an ``@api_scope``
endpoint's scope counts as declared too. Every path that creates a token checks its scopes here.
"""
from __future__ import annotations

from flask import current_app, has_app_context

from ..errors import ValidationError


def known_scopes() -> dict[str, dict]:
    """``{name: {"name", "description", "module"}}`` of the running app (empty outside one)."""
    if not has_app_context() or "pamong" not in current_app.extensions:
        return {}
    return current_app.extensions["pamong"].all_api_scopes(current_app)


def check_scopes(scopes: list[str], where: str = "--scope") -> list[str]:
    """Return the scopes, sorted and unique; raise one ValidationError naming the first unknown
    scope and listing the known ones (code ``unknown_scope``)."""
    known = known_scopes()
    for scope in scopes:
        if scope not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise ValidationError(f"unknown scope '{scope}' (known: {listed})", where=where, code="unknown_scope")
    return sorted(set(scopes))
