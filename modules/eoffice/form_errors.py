"""How a refused form shows its problems: each beside its field, the rest above the form. Shared by
the view files (kept out of them, so no view file imports another)."""
from __future__ import annotations


def show_all(form, exc) -> None:
    """Every problem beside its field (``register.check`` and the services find them all), once per
    field; a problem of no field of ``form`` goes to the form's own errors."""
    for error in getattr(exc, "all", None) or [exc]:
        field = form._fields.get(error.where) if error.where else None
        message = error.local or error.message
        if field is None:
            form.form_errors.append(message)
        elif not field.errors:
            field.errors = [message]


HIDDEN = ("HiddenField", "CSRFTokenField")


def unshown(form, shown: bool = True) -> list:
    """The problems of ``form`` the page would not show beside a field, taken off it for the page's
    top message: every one when the form is not on the page any more (a stale tab, a second post),
    else those on its hidden fields (a stale ``step``)."""
    out = []
    if form is None:
        return out
    for field in form:
        if field.errors and (not shown or field.type in HIDDEN):
            out += [e for e in field.errors if e not in out]
            field.errors = []
    if not shown:
        out += [e for e in form.form_errors if e not in out]
        form.form_errors[:] = []
    return out
