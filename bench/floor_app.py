"""The floor of ``bench/scaleout.py``: the least a signed-in tenant page does with the libraries of
the design card, and nothing of Pamong's own, rendering the very page Pamong answered in the run.

Per request, as any multi-tenant Flask app with sign-in must:

- the tenant's row read by its slug, and the signed-in person's row by the id in the session
  cookie (Flask-Login's ``user_loader``), each one ``SELECT`` through Flask-SQLAlchemy's session on
  the run's PostgreSQL database (the session's transaction rolled back at teardown);
- Flask-Babel: the page's language from the request, its time zone from the tenant, and the
  newest time on the page formatted in it;
- Flask-WTF: the CSRF token of the page's forms (the session cookie written back);
- Jinja: the captured page, compiled once as ``bench/bare_capture.py`` keeps it, inside a layout that prints the
  tenant's name, the person's name, the date and the token.

Pamong's own work (module hooks, navigation, permissions, figures, audit, rate limits) is absent,
so the ratio floor / bare is what the libraries alone leave of the bare app's rate: an upper bound
for any page of Pamong that does the same per request. ``PAMONG_BENCH_CAPTURED`` names the JSON file
``{path: html}``, ``PAMONG_DATABASE_URL`` the database (tables ``tenants`` and ``users`` as Pamong
made them), ``PAMONG_BENCH_USER`` the signed-in person's e-mail. ``/login`` signs that person in
(the cookie to send); ``/t/<slug>/<path>`` answers a captured page, 404 if none.

``/m/<slug>/<path>`` is the same page **from memory**: the tenant's row and the person's, once
read, are kept in the process (no statement per request, as a design that learns of their changes
by notification rather than by reading would have), so the gap between the two floors is what the
two reads cost.
Run with gunicorn: ``gunicorn 'floor_app:app'`` from ``bench/``.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from flask import Flask, abort, g, request
from flask_babel import Babel, format_datetime
from flask_login import LoginManager, UserMixin, current_user, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import text

from bare_capture import compiled

LAYOUT = """<!doctype html><html lang="{{ lang }}"><head><title>{{ tenant.name }}</title></head><body>
<header>{{ tenant.name }} · {{ user.name }} · {{ when }}</header>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ token }}"></form>
{{ page|safe }}</body></html>"""

db = SQLAlchemy()


class Person(UserMixin):
    def __init__(self, row):
        self.id, self.name, self.email = row.id, row.name, row.email


def create_app(captured: dict[str, str], database_url: str, email: str) -> Flask:
    app = Flask("floor")
    app.config.update(SECRET_KEY=os.environ.get("PAMONG_SECRET_KEY", "floor"), SQLALCHEMY_DATABASE_URI=database_url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 8}, BABEL_DEFAULT_LOCALE="id")
    db.init_app(app)
    CSRFProtect(app)
    logins = LoginManager(app)
    Babel(app, locale_selector=lambda: request.accept_languages.best_match(["id", "en"]) or "id",
          timezone_selector=lambda: g.get("zone", "Asia/Jakarta"))
    pages = compiled(app, captured)  # each compiled once, as the bare app's
    layout = app.jinja_env.from_string(LAYOUT)

    kept: dict = {}  # "/m/": (kind, key) -> row, read once

    def read(kind: str, sql: str, key):
        if request.path.startswith("/m/") and (kind, key) in kept:
            return kept[(kind, key)]
        row = kept[(kind, key)] = db.session.execute(text(sql), {"k": key}).one_or_none()
        return row

    @logins.user_loader
    def load(user_id):
        row = read("user", "SELECT id, name, email FROM users WHERE id = :k", int(user_id))
        return Person(row) if row else None

    @app.route("/login")
    def login():
        row = db.session.execute(text("SELECT id, name, email FROM users WHERE email = :e"), {"e": email}).one()
        login_user(Person(row))
        generate_csrf()  # kept in the session, as Pamong's sign-in form leaves it
        return "signed in"

    @app.route("/t/<slug>/<path:path>")
    @app.route("/m/<slug>/<path:path>")
    def page(slug: str, path: str):
        tenant = read("tenant", "SELECT id, name, timezone FROM tenants WHERE slug = :k", slug)
        template = pages.get("/" + path)
        if tenant is None or template is None or not current_user.is_authenticated:
            abort(404)
        g.zone = tenant.timezone
        return layout.render(page=template.render(), lang=request.accept_languages.best_match(["id", "en"]) or "id",
                             tenant=tenant, user=current_user, token=generate_csrf(),
                             when=format_datetime(datetime.now(timezone.utc)))

    return app


def _load() -> dict[str, str]:
    with open(os.environ["PAMONG_BENCH_CAPTURED"], encoding="utf-8") as fh:
        return json.load(fh)


def _psycopg(url: str) -> str:
    """psycopg 3, as Pamong uses, for a plain ``postgresql://`` URL."""
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith(("postgresql://", "postgres://")) else url


app = (create_app(_load(), _psycopg(os.environ["PAMONG_DATABASE_URL"]), os.environ["PAMONG_BENCH_USER"])
       if os.environ.get("PAMONG_BENCH_CAPTURED") else None)
