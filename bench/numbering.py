"""Gap-free numbering under contention (core/numbering.py), against a bare counter, on PostgreSQL.

    .venv/bin/python bench/numbering.py --database-url postgresql://postgres@127.0.0.1:5432/pamong

In a scratch database made beside ``--database-url`` (``<name>_nbench``, dropped afterwards unless
``--keep``), migrated as ``pamong db upgrade`` does, with one tenant: ``--writers`` threads (16)
each take ``--each`` numbers (200), one transaction per number, from one counter, so every
allocation waits for the one before it to commit. Twice, in the same run:

- bare: ``UPDATE bench_counter SET n = n + 1 RETURNING n`` and COMMIT on a plain SQLAlchemy
  connection (no ORM, no tenant scope, no Row Level Security);
- pamong: ``core.numbering.allocate(tenant, ("bench",), "year")`` and ``db.session.commit()`` in an
  app context and the tenant's scope, as a module's service runs (the ORM session, the tenant set
  per transaction for Row Level Security, the upsert on ``number_counters``).

Prints allocations per second of each and their ratio (goal: pamong / bare >= 0.5), and checks that
each run issued exactly 1..writers*each.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from tenants import scratch_postgres  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL; the scratch database <name>_nbench is made beside it "
                        "(default: $PAMONG_BENCH_DATABASE_URL)")
    p.add_argument("--writers", type=int, default=16, help="concurrent writers (default 16)")
    p.add_argument("--each", type=int, default=200, help="numbers each writer takes (default 200)")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url: give a postgresql:// URL (or set PAMONG_BENCH_DATABASE_URL)")
    if not 1 <= args.writers <= 64:
        p.error("--writers: from 1 to 64")
    if not 1 <= args.each <= 100_000:
        p.error("--each: from 1 to 100000")
    return args


def run_threads(writers: int, work) -> tuple[float, list[int]]:
    """Start ``writers`` threads together on ``work(i) -> [numbers]``; (seconds, all numbers)."""
    got, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(writers + 1)

    def body(i):
        try:
            start.wait()
            numbers = work(i)
            with lock:
                got.extend(numbers)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    if errors:
        raise errors[0]
    return seconds, got


def bare(engine, writers: int, each: int) -> tuple[float, list[int]]:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_counter"))
        conn.execute(text("CREATE TABLE bench_counter (id integer PRIMARY KEY, n integer NOT NULL)"))
        conn.execute(text("INSERT INTO bench_counter VALUES (1, 0)"))

    def work(_i):
        out = []
        with engine.connect() as conn:
            for _ in range(each):
                out.append(conn.execute(text("UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n")).scalar_one())
                conn.commit()
        return out

    return run_threads(writers, work)


def pamong(app, tenant, writers: int, each: int) -> tuple[float, list[int]]:
    from core.extensions import db
    from core.numbering import allocate
    from core.tenancy.scope import tenant_scope

    def work(_i):
        out = []
        with app.app_context(), tenant_scope(tenant):  # as a module's service runs
            for _ in range(each):
                out.append(allocate(tenant, ("bench",), "year").serial)
                db.session.commit()
            db.session.remove()
        return out

    return run_threads(writers, work)


def main(argv=None) -> int:
    args = parse_args(argv)
    # the owner's login, switching to the app's restricted role (SET ROLE), so RLS applies as in production
    os.environ.setdefault("PAMONG_DEMO", "1")
    url = scratch_postgres(args.database_url, suffix="_nbench")
    try:
        from sqlalchemy import create_engine

        from core import create_app, migrate
        from core.extensions import db
        from core.tenancy import service
        from core.tenancy.models import Tenant
        from core.tenancy.schema import parse_tenant

        pool = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": args.writers, "max_overflow": 4}}
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-not-for-production",
                          "INSTANCE_DIR": tempfile.mkdtemp(prefix="pamong-nbench-"), **pool})
        migrate.upgrade(app)
        with app.app_context():
            doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                                "domains": ["bench.example.test"]}, "bench")
            (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
            tenant_id = service.apply_doc(doc, "bench", app.extensions["pamong"]).id
            db.session.commit()
            tenant = db.session.get(Tenant, tenant_id)
            db.session.expunge(tenant)
        engine = create_engine(url, pool_size=args.writers, max_overflow=4)
        total = args.writers * args.each
        base_s, base_got = bare(engine, args.writers, args.each)
        our_s, our_got = pamong(app, tenant, args.writers, args.each)
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
        for label, got in (("bare", base_got), ("pamong", our_got)):
            if sorted(got) != list(range(1, total + 1)):
                print(f"error: {label} did not issue exactly 1..{total}", file=sys.stderr)
                return 1
        base_rate, our_rate = total / base_s, total / our_s
        print(f"Pamong numbering benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"PostgreSQL, {args.writers} writers x {args.each} numbers, one counter, one transaction per number")
        print(f"  {'bare UPDATE counter SET n = n + 1':<40} {base_rate:9.1f} allocations/s  ({base_s:6.2f} s)")
        print(f"  {'core.numbering.allocate + commit':<40} {our_rate:9.1f} allocations/s  ({our_s:6.2f} s)")
        print(f"  ratio pamong / bare: {our_rate / base_rate:.2f} (goal >= 0.5); both issued exactly 1..{total}")
        return 0
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_nbench")


if __name__ == "__main__":
    sys.exit(main())
