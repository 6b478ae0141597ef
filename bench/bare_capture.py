"""The bare baseline of ``bench/scaleout.py``: a Flask app with no database that renders, through
Jinja, the very pages Pamong answered in the same run (captured once, then served per request).

``PAMONG_BENCH_CAPTURED`` names a JSON file ``{path: html}``; any other path answers 404.
Run with gunicorn: ``gunicorn 'bare_capture:app'`` from ``bench/``.
"""
from __future__ import annotations

import json
import os

from flask import Flask, abort


def compiled(app: Flask, captured: dict[str, str]) -> dict:
    """Each page as a template of its own text (raw: Pamong's page may hold braces), compiled once
    as ``render_template`` keeps a file's template: ``render_template_string`` compiles its source
    on every call, which cost the bare app about 0.8 ms a request (half of it) until 2026-12-03."""
    return {path: app.jinja_env.from_string("{% raw %}" + page.replace("{% endraw %}", "") + "{% endraw %}")
            for path, page in captured.items()}


def create_app(captured: dict[str, str]) -> Flask:
    app = Flask("bare_capture")
    templates = compiled(app, captured)

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def page(path: str):
        template = templates.get("/" + path)
        if template is None:
            abort(404)
        return template.render()

    return app


def _load() -> dict[str, str]:
    with open(os.environ["PAMONG_BENCH_CAPTURED"], encoding="utf-8") as fh:
        return json.load(fh)


app = create_app(_load()) if os.environ.get("PAMONG_BENCH_CAPTURED") else None
