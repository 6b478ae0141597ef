"""The baseline: a bare Flask app with no database, rendering pages shaped like Pamong's, so the
benchmarks can print ratios.

- ``/`` and ``/t/<slug>/``: a tenant's home page (a similar size), for ``bench/tenants.py``;
- ``/t/<slug>/rows.html?n=50``: the layout with a table of ``n`` rows of six columns (like an
  officer's queue page), for ``bench/complaints.py``;
- ``/t/<slug>/rows.json?n=100``: ``n`` objects shaped like Open311 service requests (17 fields,
  W3C date-times formatted per request), for ``bench/complaints.py``.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, Response, render_template, request

HERE = Path(__file__).resolve().parent
WITA = timezone(timedelta(hours=8))


def _count(default: int) -> int:
    try:
        return max(1, min(int(request.args.get("n", default)), 1000))
    except ValueError:
        return default


def _rows(n: int) -> list[dict]:
    start = datetime.now(timezone.utc)
    out = []
    for i in range(n):
        created = start - timedelta(hours=7 * i)
        out.append({
            "service_request_id": f"BARE-2026-{i + 1:07d}", "status": "open" if i % 3 else "closed",
            "status_notes": "Sedang ditangani", "service_name": "Sampah", "service_code": "SAMPAH",
            "description": f"Sampah menumpuk di depan pasar sejak {i % 9 + 1} hari, baunya menyengat.",
            "agency_responsible": "Dinas Lingkungan Hidup", "service_notice": None,
            "requested_datetime": created.astimezone(WITA).isoformat(timespec="seconds"),
            "updated_datetime": (created + timedelta(hours=5)).astimezone(WITA).isoformat(timespec="seconds"),
            "expected_datetime": (created + timedelta(days=7)).astimezone(WITA).isoformat(timespec="seconds"),
            "address": f"Jl. Rajawali No. {i % 200 + 1}", "address_id": "K01-01", "zipcode": None,
            "lat": -5.14 + i / 10000, "long": 119.43 + i / 10000, "media_url": None,
        })
    return out


def create_bare_app() -> Flask:
    app = Flask("bare", template_folder=str(HERE / "templates"), static_folder=str(HERE.parent / "core" / "static"))

    def page_values(slug: str) -> dict:
        name = slug.replace("-", " ").title()
        return {
            "slug": slug, "name": name, "tagline": f"Melayani warga {name}",
            "locales": [("id", "Bahasa Indonesia"), ("en", "English")], "current": "id",
            "nav": [("Home", f"/t/{slug}/")], "token": "x" * 88,
            "now": datetime.now(timezone.utc).strftime("%A, %d %B %Y %H.%M.%S UTC"),
        }

    @app.route("/", defaults={"slug": "bare"})
    @app.route("/t/<slug>/")
    def home(slug: str):
        return render_template("bare_home.html", **page_values(slug))

    @app.route("/t/<slug>/rows.html")
    def rows_html(slug: str):
        return render_template("bare_rows.html", rows=_rows(_count(50)), **page_values(slug))

    @app.route("/t/<slug>/rows.json")
    def rows_json(slug: str):
        body = json.dumps(_rows(_count(100)), ensure_ascii=False).encode("utf-8")
        return Response(body, content_type="application/json; charset=utf-8")

    return app
