"""The transparency page's first view after a change, at 100,000 complaints (issue 11.1;
``python bench/transparency.py``; SQLite by default, ``--database-url postgresql://...`` for a
scratch PostgreSQL database ``<name>_tbench`` beside it, dropped afterwards).

One tenant is onboarded with the complaints module and ``--rows`` complaints written straight to
the table (as an import would: filed over two years, two thirds of them fixed); its public figures'
counters are rebuilt once (``pamong complaints rebuild-summary``, timed). Then, ``--rounds`` times: a
complaint is filed through the module's service and committed (the change, with its counters), and
the transparency page and the home page are requested once each right after it — the first view
after a change, with no cache that could hide a recomputation. Each is printed beside a bare Flask
app serving the same captured page (bench/bare_app.py's style: no database) in the same run, as
p50/p95 and a ratio, and checked against the goal: the transparency page's first view after a change
under 200 ms. In-process (Flask's test client), so no HTTP client caps either side.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

SECRET = "bench-secret-not-for-production"
GOAL_MS = 200.0
CATEGORIES = [
    {"code": "SAMPAH", "name_id": "Sampah", "name_en": "Rubbish", "agency": "DLH", "resolution_days": 7},
    {"code": "JALAN", "name_id": "Jalan rusak", "name_en": "Damaged road", "agency": "PU", "resolution_days": 30},
    {"code": "LAMPU", "name_id": "Lampu jalan mati", "name_en": "Street light out", "agency": "DISHUB",
     "resolution_days": 7},
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a postgresql:// URL (a scratch database <name>_tbench is made beside it); default SQLite")
    p.add_argument("--rows", type=int, default=100_000, help="complaints in the tenant (default 100,000)")
    p.add_argument("--rounds", type=int, default=30, help="changes, each followed by a first view (default 30)")
    args = p.parse_args(argv)
    if args.rows < 10 or not 1 <= args.rounds <= 1000:
        p.error("--rows must be at least 10 and --rounds 1..1000")
    if args.database_url and not args.database_url.startswith(("postgresql://", "postgres://")):
        p.error("--database-url: give a postgresql:// URL (or none for SQLite)")
    return args


def onboard(app):
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.models import Tenant
    from core.tenancy.schema import parse_tenant

    with app.app_context():
        doc = parse_tenant({
            "slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
            "domains": ["bench.example.test"],
            "agencies": [{"code": "DLH", "name": "Dinas Lingkungan Hidup"}, {"code": "PU", "name": "Dinas PU"},
                         {"code": "DISHUB", "name": "Dinas Perhubungan"}],
            "modules": {"complaints": {"enabled": True, "settings": {"categories": CATEGORIES}}},
        }, "bench")
        (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
        service.apply_doc(doc, "bench", app.extensions["pamong"])
        db.session.commit()
        return db.session.execute(db.select(Tenant).where(Tenant.slug == "bench")).scalar_one()


def write_rows(app, tenant, count: int) -> float:
    """``count`` complaints written straight to the table; seconds."""
    from sqlalchemy import insert

    from core.kit import OrgUnit, db, tenant_scope
    from modules.complaints.models import Complaint

    start = time.perf_counter()
    now = datetime.now(timezone.utc)
    with app.app_context(), tenant_scope(tenant):
        agencies = dict(db.session.execute(db.select(OrgUnit.code, OrgUnit.id).where(OrgUnit.kind == "agency")).all())
        batch = []
        for i in range(count):
            category = CATEGORIES[i % len(CATEGORIES)]
            created = now - timedelta(minutes=(count - i) * 10)  # newest last, over ~2 years at 100,000
            fixed = i % 3 != 0 and created < now - timedelta(days=3)
            batch.append({
                "tenant_id": tenant.id, "number": f"IMPORT-{i:07d}", "year": created.year, "seq": 10_000_000 + i,
                "token": secrets.token_hex(10), "category_code": category["code"],
                "agency_id": agencies[category["agency"]], "description": "Sampah menumpuk di depan pasar.",
                "channel": "portal", "created_at": created, "updated_at": created,
                "response_due_at": created + timedelta(days=3), "resolution_due_at": created + timedelta(days=7),
                "status": "resolved" if fixed else "submitted", "outcome": "fixed" if fixed else "",
                "resolved_at": created + timedelta(hours=6 + i % 200) if fixed else None,
                "resolved_within_target": (i % 200 < 150) if fixed else None,
            })
            if len(batch) == 5000:
                db.session.execute(insert(Complaint), batch)
                batch = []
        if batch:
            db.session.execute(insert(Complaint), batch)
        db.session.commit()
    return time.perf_counter() - start


def rebuild(app, tenant) -> float:
    from core.extensions import db
    from modules.complaints import summary

    from core.tenancy.models import Tenant

    start = time.perf_counter()
    with app.app_context():
        summary.rebuild(db.session.get(Tenant, tenant.id))
        db.session.commit()
    return time.perf_counter() - start


def file_one(app, tenant, i: int) -> float:
    from core.extensions import db
    from core.kit import tenant_scope
    from modules.complaints import services

    from core.tenancy.models import Tenant

    start = time.perf_counter()
    with app.app_context():
        tenant = db.session.get(Tenant, tenant.id)
        with tenant_scope(tenant):
            services.file_complaint(tenant, None, services.Filing(
                category=CATEGORIES[i % len(CATEGORIES)]["code"], description=f"Pengaduan bench {i}",
                notify_by="none"), "portal")
            db.session.commit()
    return time.perf_counter() - start


def timed_get(client, path: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"error: {path} answered {response.status_code}")
    return took, response.get_data()


def bare_client(pages: dict[str, bytes]):
    """A bare Flask app (no database) serving the captured pages, as bench/bare_app.py does."""
    from flask import Flask, Response

    bare = Flask("bare")

    @bare.route("/<path:path>")
    def page(path):
        return Response(pages["/" + path], mimetype="text/html")

    return bare.test_client()


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pamong-tbench-"))
    os.environ.update(PAMONG_INSTANCE=str(tmp), PAMONG_SECRET_KEY=SECRET)
    if args.database_url:
        from tenants import scratch_postgres

        url = scratch_postgres(args.database_url, suffix="_tbench")
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    try:
        from core import create_app, migrate
        from core.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_DIR": str(tmp),
                          "PAMONG_DEMO": True, "SESSION_COOKIE_SECURE": False})
        migrate.upgrade(app)
        tenant = onboard(app)
        rows_s = write_rows(app, tenant, args.rows)
        rebuild_s = rebuild(app, tenant)
        print(f"{args.rows:,} complaints written in {rows_s:.1f} s; counters rebuilt in {rebuild_s:.1f} s", flush=True)
        client = app.test_client()
        paths = {"transparency": "/t/bench/complaints/transparency", "home": "/t/bench/"}
        for path in paths.values():
            timed_get(client, path)  # warm the process (templates, catalogues, tenant cache)
        pamong = {name: [] for name in paths}
        writes, pages = [], {}
        for i in range(args.rounds):
            writes.append(file_one(app, tenant, i))
            for name, path in paths.items():
                took, body = timed_get(client, path)
                pamong[name].append(took)
                pages[path] = body
        bare = {name: [] for name in paths}
        baseline = bare_client(pages)
        for path in paths.values():
            timed_get(baseline, path)
        for _ in range(args.rounds):
            for name, path in paths.items():
                bare[name].append(timed_get(baseline, path)[0])
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.database_url:
            from tenants import scratch_postgres

            scratch_postgres(args.database_url, drop=True, suffix="_tbench")
        shutil.rmtree(tmp, ignore_errors=True)

    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{platform.python_implementation()} {platform.python_version()}, {backend}, {args.rows:,} complaints "
          f"in the tenant, {args.rounds} rounds (a complaint filed and committed, then each page once)")
    print(f"{'page (first view after a change)':36} {'p50 ms':>8} {'p95 ms':>8} {'bare p50':>9} {'bare p95':>9} "
          f"{'ratio p50':>9}")
    ok = True
    for name in paths:
        p50, p95 = stats(pamong[name])
        b50, b95 = stats(bare[name])
        print(f"{name:36} {p50:8.1f} {p95:8.1f} {b50:9.2f} {b95:9.2f} {b50 / p50:9.3f}")
        if name == "transparency":
            ok = p95 < GOAL_MS
    w50, w95 = stats(writes)
    print(f"{'filing a complaint (with its counters)':36} {w50:8.1f} {w95:8.1f}")
    print(f"\ngoal: the transparency page's first view after a change under {GOAL_MS:.0f} ms at p95: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
