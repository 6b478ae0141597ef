"""One transaction per action of a view: commit when the block ends, roll back on an error, and
turn the error into the answer (the form again with the message, or the route's error).

A page::

    with unit_of_work(form) as work:
        thing = services.do(g.tenant, current_actor(), ...)
        work.audit("things.do", "thing", thing.id, after={...})   # same transaction
    if work.ok:
        flash(_("Done.")); return redirect(...)
    return render_template("page.html", form=form), 400        # the message is on the form

An API (``api=True``): an error is raised as an HTTPException carrying ``pamong_code`` and
``pamong_message`` (``errors.api_message``: in the request's language, after its ``where``, but for a
``where`` that is ``whole``, the request's object as a whole), answered in the route's own format
(``{"error": {"code", "message"}}`` under ``/api``; Open311, BPJS or FHIR where a module declared it through ``error_formats``).

Errors: ``NotFound`` is 404; a class in ``statuses`` (e.g. ``{Forbidden: 403}``) its status; a
``ValidationError`` (and any other ``PamongError``) goes on the form's field named by ``where``
(else the form's own errors) through ``show(form, exc)`` when given; for an API it is 400 (409 for
code ``duplicate``/``conflict``). Anything else is rolled back and raised (a 500).
"""
from __future__ import annotations

from .errors import NotFound, PamongError, api_message


class UnitOfWork:
    """``ok`` after the block: committed; ``error`` the PamongError that undid it (or None)."""

    def __init__(self, form=None, *, show=None, statuses=None, api: bool = False, tenant=None, actor=None,
                 whole: str = ""):
        self.form, self.show, self.api, self.whole = form, show, api, whole
        self.statuses = dict(statuses or {})
        self._tenant, self._actor = tenant, actor
        self.ok = False
        self.error: PamongError | None = None

    # -- inside the block ---------------------------------------------------------------------

    def audit(self, action: str, obj_type: str, obj_id, before=None, after=None, **extra):
        """An audit entry in this transaction, by the request's tenant and actor (or those given)."""
        from .audit import record
        from .actor import current_actor

        tenant = self._tenant
        if tenant is None:
            from flask import g

            tenant = g.tenant
        actor = self._actor if self._actor is not None else current_actor()
        from .tenancy.scope import tenant_scope

        with tenant_scope(tenant):
            return record(tenant, actor, action, obj_type, obj_id, before=before, after=after, **extra)

    # -- the block ------------------------------------------------------------------------------

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        from .extensions import db

        if exc is None:
            db.session.commit()
            self.ok = True
            return False
        db.session.rollback()
        status = next((s for cls, s in self.statuses.items() if isinstance(exc, cls)), None)
        if status is None and isinstance(exc, NotFound):
            status = 404
        if status is not None:
            self._refuse(status, exc)
        if not isinstance(exc, PamongError):
            return False  # a bug: rolled back, raised on
        self.error = exc
        if self.api:
            self._refuse(409 if exc.code in ("duplicate", "conflict") else 400, exc)
        self._on_form(exc)
        return True  # the view answers with the form again

    def _refuse(self, status: int, exc):
        """An API: the error's code and message; a page: the status's own localised page."""
        from werkzeug.exceptions import default_exceptions

        from .api.auth import refusal

        if self.api and isinstance(exc, PamongError):
            raise refusal(status, exc.code, api_message(exc, self.whole)) from exc
        raise default_exceptions[status]() from exc

    def add_error(self, exc: PamongError) -> None:
        """Put a further refusal on the form as the block's own would be (a page that checks two
        things and names both: the second's refusal after the block ended on the first)."""
        self._on_form(exc)

    def _on_form(self, exc: PamongError) -> None:
        if self.form is None:
            return
        if self.show is not None:
            self.show(self.form, exc)
            return
        from wtforms import Field

        field = getattr(self.form, exc.where, None) if exc.where else None
        message = exc.local or exc.message  # the reader's language where the raiser gave it (issue 20.7)
        if isinstance(field, Field):
            field.errors = list(field.errors or []) + [message]
        else:
            self.form.form_errors.append(message)


def unit_of_work(form=None, *, show=None, statuses=None, api: bool = False, tenant=None, actor=None,
                 whole: str = "") -> UnitOfWork:
    """``with unit_of_work(form) as work: ...`` (see the module docstring). ``show(form, exc)``
    puts an error on the form in the module's own words; ``statuses`` maps exception classes to
    HTTP statuses; ``api=True`` answers errors in the route's format instead of on a form;
    ``whole`` the ``where`` a module gives a refusal of the request's object as a whole (said
    without it in an API's message)."""
    return UnitOfWork(form, show=show, statuses=statuses, api=api, tenant=tenant, actor=actor, whole=whole)
