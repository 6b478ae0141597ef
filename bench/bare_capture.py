"""The bare baseline of ``bench/scaleout.py``: a Flask app with no database that renders, through
Jinja, the very pages Pamong answered in the same run (captured once, then served per request).

``PAMONG_BENCH_CAPTURED`` names a JSON file ``{path: html}``; any other path answers 404.
Run with gunicorn: ``gunicorn 'bare_capture:app'`` from ``bench/``.
"""
from __future__ import annotations

import json
import os

from flask import Flask, abort, render_template_string


def create_app(captured: dict[str, str]) -> Flask:
    app = Flask("bare_capture")
    # each page becomes a template of its own text (raw: Pamong's page may hold braces)
    templates = {path: "{% raw %}" + page.replace("{% endraw %}", "") + "{% endraw %}"
                 for path, page in captured.items()}

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def page(path: str):
        source = templates.get("/" + path)
        if source is None:
            abort(404)
        return render_template_string(source)

    return app


def _load() -> dict[str, str]:
    with open(os.environ["PAMONG_BENCH_CAPTURED"], encoding="utf-8") as fh:
        return json.load(fh)


app = create_app(_load()) if os.environ.get("PAMONG_BENCH_CAPTURED") else None
