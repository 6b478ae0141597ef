"""Turn a module's JSON Schema into form fields and the submitted form back into settings.

The form carries the whole settings document: every field of the schema is posted (a checkbox
with a hidden companion, so "unchecked" and "not sent" differ). A field the POST leaves out is an
error shown on the form, never a silent reset to its default (issue 10.12).

One field per setting (issue 19.3), labelled and explained in the reader's language from the
schema's own words: a property may carry ``"x-label": {"id": "...", "en": "..."}`` and
``"x-help": {"id": "...", "en": "..."}``; without them its ``title`` / ``description`` (a lazy
gettext string, or English text shown only on an English page), and a humanised key last.

Widgets by schema shape:

- ``enum`` → a select; ``boolean`` → a checkbox; ``integer`` / ``number`` → a number; ``string`` → text;
- an array of objects → rows (each row its fields, a "remove" box; empty rows below to add one,
  and an "add row" submit button for more: no JavaScript needed); an object whose entries are named
  by a code (``additionalProperties``, e.g. agency contacts) → rows with the code as first field;
- an array of choices → checkboxes; an array of strings or numbers → one entry a line;
- an object with ``properties`` → its fields grouped;
- anything else, and every list or table in the "advanced" mode → JSON text.

Field names are the setting's path: ``categories.0.agency`` (``.__n`` the rows shown, ``.__del``
a row's remove box, ``.__key`` / ``.__value`` a named entry's code and value). A list's rows are
numbered after empty and removed rows are dropped, so an error names the row as it is shown again.

Errors (``dict`` field name → message) are in the reader's language: jsonschema's English messages
are replaced by one per validator kind naming the limit ("Paling besar 10."); a ``pattern`` that
fails says the property's ``"x-pattern-error": {"id": "...", "en": "..."}`` (the form it expects,
e.g. "YYYY-MM-01 (mis. 2026-12-01)"), else "Not in the expected form."; broken JSON names its line
and column.

The package, by what its files hold: ``protocol`` (the form's own fields and bounds, the version
digest), ``language`` (labels and help in the reader's language), ``kinds`` (schema shapes → field
kinds), ``rendering`` (the fields, the error summary's labels, errors placed on fields, ``as_form``),
``reading`` (parsing the posted form, ``keep_written``) and ``messages`` (checking, translated error
messages, field names of paths). Every public name is importable from here.
"""
from __future__ import annotations

from .kinds import kind_of
from .language import help_of, humanise, label_of, words
from .messages import add_deeper, check, field_of, merge, message_of, name_of, setting_message
from .protocol import (
    ADD_FIELD, ADVANCED_FIELD, EMPTY_ROWS, KEY, MAX_FIELDS, MAX_ROWS, REMOVE, ROWS, VALUE, VERSION_FIELD, version,
)
from .reading import keep_written, parse
from .rendering import as_form, fields, labels, names, page, place

__all__ = [
    "ADD_FIELD", "ADVANCED_FIELD", "EMPTY_ROWS", "KEY", "MAX_FIELDS", "MAX_ROWS", "REMOVE", "ROWS", "VALUE",
    "VERSION_FIELD", "add_deeper", "as_form", "check", "field_of", "fields", "help_of", "humanise", "keep_written", "kind_of",
    "label_of", "labels", "merge", "message_of", "name_of", "names", "page", "parse", "place", "setting_message", "version", "words",
]
