"""The baseline: a bare Flask app rendering one DB-free Jinja page shaped like a tenant's home page
(same routes ``/`` and ``/t/<slug>/``, a similar size), so the benchmark can print ratios."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from flask import Flask, render_template

HERE = Path(__file__).resolve().parent


def create_bare_app() -> Flask:
    app = Flask("bare", template_folder=str(HERE / "templates"), static_folder=str(HERE.parent / "core" / "static"))

    @app.route("/", defaults={"slug": "bare"})
    @app.route("/t/<slug>/")
    def home(slug: str):
        name = slug.replace("-", " ").title()
        return render_template(
            "bare_home.html", slug=slug, name=name, tagline=f"Melayani warga {name}",
            locales=[("id", "Bahasa Indonesia"), ("en", "English")], current="id",
            nav=[("Home", f"/t/{slug}/")], token="x" * 88,
            now=datetime.now(timezone.utc).strftime("%A, %d %B %Y %H.%M.%S UTC"),
        )

    return app
