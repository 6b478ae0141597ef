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
