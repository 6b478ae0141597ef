"""A small module the core's tests plug in: a tenant-owned model, pages, an API, settings."""
from flask import Blueprint, g, jsonify, render_template, request

from core.kit import api_scope, audit, db, hookimpl, public, requires

from .models import Note

pages = Blueprint("notes", __name__)
received_events: list = []
api = Blueprint("notes_api", __name__)


@hookimpl
def module_info():
    return {"name": "notes", "title": "Notes", "version": "1.0", "requires": [], "description": "Test notes"}


@hookimpl
def settings_schema():
    return {
        "type": "object",
        "properties": {
            "max_length": {"type": "integer", "minimum": 1, "maximum": 500, "default": 140},
            "greeting": {"type": "string", "default": "Halo"},
        },
    }


@hookimpl
def permissions():
    return [{"name": "notes.write", "description": "Write notes", "roles": ["officer", "admin"]}]


@hookimpl
def api_scopes():
    return [{"name": "notes:read", "description": "Read notes"}]


@hookimpl
def register_blueprints(app):
    return [pages]


@hookimpl
def register_api(app):
    return [api]


@hookimpl
def nav_items(tenant, user):
    return [{"title": "Notes", "endpoint": "notes.index"}]


@hookimpl
def openapi_paths(app):
    return {"/api/v1/notes/": {"get": {  # described by hand, as a module without models may
        "summary": "List notes", "security": [{"token": ["notes:read"]}],
        "responses": {"200": {"description": "notes"}, "401": {"description": "No valid token"},
                      "403": {"description": "The token lacks notes:read"}}}}}


@hookimpl
def handle_event(tenant, event):
    received_events.append((tenant.slug, event["name"], event["payload"]))
    return f"notes saw {event['name']}"


@pages.route("/")
@public
def index():
    notes = db.session.execute(db.select(Note).order_by(Note.id)).scalars().all()
    return render_template("notes/index.html", notes=notes)


@pages.route("/new", methods=["POST"])
@requires("notes.write")
def create():
    from flask_login import current_user

    note = Note(text=request.form["text"])
    db.session.add(note)
    db.session.flush()
    audit(g.tenant, current_user._get_current_object(), "notes.create", "note", note.id, after={"text": note.text})
    db.session.commit()
    return "created", 201


@api.route("/")
@api_scope("notes:read")
def list_notes():
    notes = db.session.execute(db.select(Note).order_by(Note.id)).scalars().all()
    return jsonify(notes=[{"id": n.id, "text": n.text} for n in notes])


# -- an idempotent POST that moves money (core/idempotency.py, core/ledger; tests/test_idempotency.py)
import threading  # noqa: E402

from core.kit import idempotent, ledger  # noqa: E402

pay_gate = {"entered": threading.Event(), "release": threading.Event()}


@api.route("/pay", methods=["POST"])
@api_scope("notes:read")
@idempotent
def pay():
    return _pay(commit=True)


@api.route("/pay-together", methods=["POST"])
@api_scope("notes:read")
@idempotent(commit=True)
def pay_together():
    """As ``/pay``, the work left uncommitted: the helper commits it with the stored answer."""
    return _pay(commit=False)


def _pay(commit: bool):
    body = request.get_json(silent=True) or {}
    if body.get("wait"):
        pay_gate["entered"].set()
        pay_gate["release"].wait(10)
    if body.get("crash"):
        raise RuntimeError("injected failure")
    try:
        t = ledger.transfer(g.tenant, f"token:{g.api_token.id}", body.get("id"), body.get("from"), body.get("to"),
                            body.get("amount"))
    except ledger.LedgerError as exc:
        return jsonify(error={"code": exc.code, "message": exc.message, "where": exc.where}), exc.status
    if commit:
        db.session.commit()
    return jsonify(id=t.key, amount=t.amount, seq=t.id), 201
