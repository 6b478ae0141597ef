"""WTForms' own messages ("This field is required.", ...) in the request's language.

WTForms ships no Indonesian catalogue, so Flask-WTF's lookup (``flask_wtf.i18n``, which reads
``request.wtforms_translations`` first) is handed the core catalogue instead: every form of the
core and of every module answers in Indonesian or English like the rest of the page. The messages
themselves are listed in ``_for_extraction`` so ``make i18n-extract`` puts them in the core catalogue.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_translations, gettext, ngettext


class FormMessages:
    """The translations object Flask-WTF expects (``ugettext``/``ungettext``), on the core catalogue.
    Nothing is formatted here: WTForms fills the placeholders (``%(min)d``) itself."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


MESSAGES = FormMessages()


def init_form_messages(app: Flask) -> None:
    @app.before_request
    def form_messages_in_the_page_language():
        request.wtforms_translations = MESSAGES


def _for_extraction() -> None:  # pragma: no cover - never called: pybabel reads these calls
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Not a valid choice.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    gettext("Not a valid date value.")
    gettext("Not a valid datetime value.")
    gettext("Not a valid time value.")
    gettext("Field must be equal to %(other_name)s.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)


def put_on_form(form, exc, *, fields: dict[str, str] | None = None, message=None,
                quiet_fields: bool = False) -> None:
    """Each problem of a service's ``ValidationError`` (every one of ``core.kit.Problems``) on the
    form's field its ``where`` names (through ``fields``, a map of ``where`` to field name where
    they differ), else among the form's own errors (``form.form_errors``), each message once.
    ``message(problem)`` words it (default: the problem's ``local`` text, else its message);
    ``quiet_fields``: a field that already shows an error (WTForms' own, from the same input) gets
    no second one. The form's summary (``macros.error_summary``) then lists them all."""
    from wtforms import Field

    for problem in getattr(exc, "problems", None) or [exc]:
        name = (fields or {}).get(problem.where, problem.where) if problem.where else ""
        field = getattr(form, name, None) if name else None
        text = message(problem) if message is not None else str(problem.local or problem.message)
        if isinstance(field, Field):
            if quiet_fields and field.errors:
                continue
            if text not in (field.errors or []):
                field.errors = list(field.errors or []) + [text]
        elif text not in form.form_errors:
            form.form_errors.append(text)
