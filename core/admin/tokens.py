"""The tenant admin's API tokens page: create a token with scopes chosen from the declared ones
(shown once), list and revoke. Scopes are a closed vocabulary (core/api/scopes.py): a POST naming
any other scope gets the form again with a message, and nothing is created."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api.scopes import known_scopes
from ..auth import service as accounts
from ..auth.permissions import requires
from ..errors import PamongError
from ..extensions import db
from .views import _actor, bp


def _message(exc: PamongError, scopes: list[str], known: dict) -> str:
    if exc.code == "unknown_scope":
        unknown = next((s for s in scopes if s not in known), "")
        return _("Unknown scope %(scope)s. A token may carry: %(known)s.", scope=unknown, known=", ".join(sorted(known)))
    if exc.where == "--scope":
        return _("Choose at least one scope.")
    if exc.where == "--name":
        return _("Give the token a name: letters, digits, dots, dashes or underscores (at most 100), not used "
                 "by another token of this tenant.")
    return str(exc.local) if exc.local else exc.message


@bp.route("/tokens", methods=["GET", "POST"])
@requires("core.tokens")
def tokens():
    known = known_scopes()
    error, created, chosen = None, None, []
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        chosen = request.form.getlist("scope")
        try:
            created = accounts.create_token(g.tenant, name, chosen, _actor())
            db.session.commit()
        except PamongError as exc:
            db.session.rollback()
            error = _message(exc, chosen, known)
    return render_template(
        "admin/tokens.html", tokens=accounts.list_tokens(g.tenant), scopes=known, error=error, created=created,
        chosen=chosen,
    ), (400 if error else 200)


@bp.route("/tokens/<name>/revoke", methods=["POST"])
@requires("core.tokens")
def revoke_token(name: str):
    try:
        accounts.revoke_token(g.tenant, name, _actor())
    except PamongError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("Token revoked."))
    return redirect(url_for("admin.tokens"))
