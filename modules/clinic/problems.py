"""Every problem of a form at once: a service that checks independent things (the day, the NIK,
the phone, the vital signs) collects its refusals and raises them together as the core's ``Problems``
(``raise_all``, from ``core.kit``; this module kept a copy of its own until 2026-12-03).

``Problems`` is a ``ValidationError`` whose ``message``, ``where`` and ``code`` are those of the first
problem, so a caller that answers one error (the SMS reply, the BPJS envelope, the CLI) answers as it
did before; a page puts each of ``problems`` on its own field (``on_fields``) and the form's summary
(``macros.error_summary``) lists them all at the top, each linking to its field.
"""
from __future__ import annotations

from core.kit import Problems, ValidationError, put_on_form, raise_all

__all__ = ["Problems", "each", "on_fields", "raise_all"]  # the core's two, re-exported for the module


def each(exc: ValidationError) -> list[ValidationError]:
    """The problems an error stands for: those of ``Problems``, else the error itself."""
    return list(exc.problems) if isinstance(exc, Problems) else [exc]


def on_fields(form, exc, fields: dict[str, str] | None = None, *, quiet_fields: bool = False) -> None:
    """Each problem of ``exc`` on the form's field its ``where`` names (through ``fields``, a map of
    ``where`` to field name, where they differ), else among the form's own errors. ``quiet_fields``:
    a field that already shows an error (WTForms' own, from the same input) gets no second one
    (the core's ``put_on_form``)."""
    put_on_form(form, exc, fields=fields, quiet_fields=quiet_fields)
