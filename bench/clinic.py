"""Clinic queues under a day's load (modules/clinic), against a bare baseline, on PostgreSQL.

    .venv/bin/python bench/clinic.py --database-url postgresql://postgres@127.0.0.1:5432/pamong

In a scratch database made beside ``--database-url`` (``<name>_clbench``, dropped afterwards unless
``--keep``), migrated as ``pamong db upgrade`` does, with one tenant of ``--clinics`` puskesmas (50),
each with one poli. In the same run:

1. one busy clinic's day: ``--day-patients`` (1,100) bookings at one poli by ``--writers`` threads,
   one transaction each (``registration.book``: patient by NIK, medical record number, quota check,
   the day's gap-free queue number, estimate, audit);
2. ``--clinics`` clinics at once: ``--per-clinic`` bookings at each, the writers spread over them;
3. the patient's status check: ``GET /t/bench/clinic/status?code=...`` through the app (test client,
   in this process), ``--checks`` times with random booking codes; its p95.

Each is printed against a bare baseline measured the same way in the same run: (1, 2) a plain
``UPDATE counter ... RETURNING`` + ``INSERT`` + ``COMMIT`` per booking on a SQLAlchemy connection
(no ORM, no tenant scope, no Row Level Security, no identity hashing, no audit); (3) a bare Flask
app that selects the same row by code on a plain table and renders a small page. Every booking run
is checked: numbers 1..n per clinic without a gap.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from tenants import scratch_postgres  # noqa: E402

DAY = date(2026, 12, 1)  # a Tuesday; the clock is set to 07:00 WITA that day
NOW = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL; the scratch database <name>_clbench is made beside it")
    p.add_argument("--clinics", type=int, default=50, help="clinics of the tenant (default 50)")
    p.add_argument("--day-patients", type=int, default=1100, help="bookings at the busy clinic (default 1100)")
    p.add_argument("--per-clinic", type=int, default=40, help="bookings per clinic when all book at once (default 40)")
    p.add_argument("--writers", type=int, default=8, help="concurrent writers (default 8)")
    p.add_argument("--checks", type=int, default=400, help="status checks measured (default 400)")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    p.add_argument("--trace", action="store_true", help="print the SQL of one booking and one status check")
    p.add_argument("--profile", action="store_true", help="profile 50 more bookings in one thread (cProfile)")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url: give a postgresql:// URL (or set PAMONG_BENCH_DATABASE_URL)")
    if not (1 <= args.clinics <= 200 and 1 <= args.writers <= 64 and 1 <= args.day_patients <= 9000
            and 1 <= args.per_clinic <= 9000 and args.clinics * args.per_clinic <= 90000):
        p.error("--clinics 1..200, --writers 1..64, --day-patients and --per-clinic 1..9000")
    return args


def nik(i: int) -> str:
    """The i-th distinct valid NIK of Makassar (birth dates over 1980-1988, serials 0001-9999)."""
    year, serial = 80 + i // 9999, 1 + i % 9999
    return f"7371010101{year:02d}{serial:04d}"


def settings(clinics: int, quota: int) -> dict:
    return {"days_ahead": 7, "clinics": [{
        "code": f"PKM-{c:03d}", "name": f"Puskesmas {c}",
        "polis": [{"code": "UMUM", "name": "Poli Umum", "letter": "A", "service_minutes": 5,
                   "sessions": [{"days": [1, 2, 3, 4, 5, 6], "start": "07:30", "end": "14:00",
                                 "quota_jkn": quota, "quota_non_jkn": quota}]}]} for c in range(clinics)]}


def run_threads(writers: int, jobs: list, work) -> float:
    """``work(job)`` for every job, by ``writers`` threads taking jobs in turn; seconds taken."""
    lock, errors, queue = threading.Lock(), [], list(reversed(jobs))
    start = threading.Barrier(writers + 1)

    def body(i):
        try:
            start.wait()
            work(None, setup=True)
            while True:
                with lock:
                    if not queue:
                        break
                    job = queue.pop()
                work(job)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            work(None, teardown=True)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - began


def bare_bookings(engine, jobs: list, writers: int) -> float:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bare_visits, bare_counters"))
        conn.execute(text("CREATE TABLE bare_counters (clinic text PRIMARY KEY, n integer NOT NULL)"))
        conn.execute(text("CREATE TABLE bare_visits (id serial PRIMARY KEY, clinic text, nik text, serial integer,"
                          " code text UNIQUE)"))
        conn.execute(text("INSERT INTO bare_counters SELECT DISTINCT c, 0 FROM unnest(CAST(:cs AS text[])) c"),
                     {"cs": sorted({c for c, _ in jobs})})
    local = threading.local()

    def work(job, setup=False, teardown=False):
        if setup:
            local.conn = engine.connect()
            return
        if teardown:
            local.conn.close()
            return
        clinic, i = job
        conn = local.conn
        n = conn.execute(text("UPDATE bare_counters SET n = n + 1 WHERE clinic = :c RETURNING n"), {"c": clinic}).scalar()
        conn.execute(text("INSERT INTO bare_visits (clinic, nik, serial, code) VALUES (:c, :nik, :n, :code)"),
                     {"c": clinic, "nik": nik(i), "n": n, "code": f"B{i:09d}"})
        conn.commit()

    return run_threads(writers, jobs, work)


def pamong_bookings(app, tenant, jobs: list, writers: int) -> float:
    from core.extensions import db
    from core.tenancy.scope import tenant_scope
    from modules.clinic.registration import Request, book

    local = threading.local()

    def work(job, setup=False, teardown=False):
        if setup:
            local.ctx = app.app_context()
            local.ctx.push()
            return
        if teardown:
            db.session.remove()
            local.ctx.pop()
            return
        clinic, i = job
        with tenant_scope(tenant):
            book(tenant, None, Request(clinic=clinic, poli="UMUM", day=DAY, nik=nik(i), jkn=bool(i % 2),
                                       channel="bench"), now=NOW)
            db.session.commit()

    return run_threads(writers, jobs, work)


def check_gap_free(app, tenant) -> None:
    from sqlalchemy import func, select

    from core.extensions import db
    from core.tenancy.scope import tenant_scope
    from modules.clinic.models import Visit

    with app.app_context(), tenant_scope(tenant):
        rows = db.session.execute(select(Visit.clinic, func.count(), func.max(Visit.serial),
                                         func.count(func.distinct(Visit.serial))).group_by(Visit.clinic)).all()
    for clinic, count, top, distinct in rows:
        if not count == top == distinct:
            sys.exit(f"error: {clinic}: {count} bookings but numbers up to {top} ({distinct} distinct)")


class StatementCounter:
    """Counts the SQL statements the app's engine is sent (every thread), ``BEGIN`` and ``COMMIT``
    included as the driver sends them; ``trace`` keeps the text of the statements while on."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count, self.trace, self.lock = 0, None, threading.Lock()
        event.listen(engine, "before_cursor_execute", self._seen)
        event.listen(engine, "commit", self._commit)

    def _seen(self, conn, cursor, statement, *args):
        with self.lock:
            self.count += 1
            if self.trace is not None:
                self.trace.append(" ".join(statement.split())[:160])

    def _commit(self, conn):
        with self.lock:
            self.count += 1  # the COMMIT the driver sends
            if self.trace is not None:
                self.trace.append("COMMIT")

    def take(self) -> int:
        with self.lock:
            count, self.count = self.count, 0
        return count


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def status_checks(app, tenant, checks: int) -> list[float]:
    from sqlalchemy import select

    from core.extensions import db
    from core.tenancy.scope import tenant_scope
    from modules.clinic.models import Visit

    with app.app_context(), tenant_scope(tenant):
        codes = list(db.session.execute(select(Visit.booking_code)).scalars())
    client = app.test_client()
    timings = []
    for code in random.Random(7).choices(codes, k=checks):
        began = time.perf_counter()
        response = client.get(f"/t/bench/clinic/status?code={code}")
        timings.append(time.perf_counter() - began)
        if response.status_code != 200:
            sys.exit(f"error: status check answered {response.status_code}")
    return timings


def bare_checks(engine, checks: int) -> list[float]:
    from flask import Flask, render_template_string, request
    from sqlalchemy import text

    bare = Flask("bare")
    page = ("<!doctype html><html><head><title>Antrean</title></head><body><main><h1>Nomor antrean</h1>"
            "<p class=number>A-{{ row.serial }}</p><p>{{ row.clinic }}</p></main></body></html>")

    @bare.route("/status")
    def status():
        with engine.connect() as conn:
            row = conn.execute(text("SELECT clinic, serial FROM bare_visits WHERE code = :c"),
                               {"c": request.args["code"]}).one()
        return render_template_string(page, row=row)

    with engine.connect() as conn:
        codes = list(conn.execute(text("SELECT code FROM bare_visits")).scalars())
    client = bare.test_client()
    timings = []
    for code in random.Random(7).choices(codes, k=checks):
        began = time.perf_counter()
        assert client.get(f"/status?code={code}").status_code == 200
        timings.append(time.perf_counter() - began)
    return timings


def trace(app, tenant, counter, args) -> None:
    """Print the statements of one more booking (at the busy clinic) and one status check."""
    from core.extensions import db
    from core.tenancy.scope import tenant_scope
    from modules.clinic.registration import Request, book

    counter.trace = []
    with app.app_context(), tenant_scope(tenant):
        visit, _ = book(tenant, None, Request(clinic="PKM-000", poli="UMUM", day=DAY, nik=nik(89_000), channel="bench"),
                        now=NOW)
        code = visit.booking_code
        db.session.commit()
    booking, counter.trace = counter.trace, []
    app.test_client().get(f"/t/bench/clinic/status?code={code}")
    check, counter.trace = counter.trace, None
    for title, lines in (("one booking", booking), ("one status check", check)):
        print(f"-- {title}: {len(lines)} statements")
        for line in lines:
            print("   ", line)


def profile(app, tenant) -> None:
    """cProfile of 50 more bookings at the busy clinic in this thread: the 30 costliest calls."""
    import cProfile
    import pstats

    jobs = [("PKM-000", 89_100 + i) for i in range(50)]
    profiler = cProfile.Profile()
    from core.extensions import db
    from core.tenancy.scope import tenant_scope
    from modules.clinic.registration import Request, book

    with app.app_context():
        profiler.enable()
        for clinic, i in jobs:
            with tenant_scope(tenant):
                book(tenant, None, Request(clinic=clinic, poli="UMUM", day=DAY, nik=nik(i), channel="bench"), now=NOW)
                db.session.commit()
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PAMONG_DEMO", "1")
    url = scratch_postgres(args.database_url, suffix="_clbench")
    try:
        from sqlalchemy import create_engine

        from core import create_app, migrate
        from core.extensions import db
        from core.tenancy import service
        from core.tenancy.models import Tenant
        from core.tenancy.schema import parse_tenant

        pool = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": args.writers + 2, "max_overflow": 4}}
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-not-for-production",
                          "INSTANCE_DIR": tempfile.mkdtemp(prefix="pamong-clbench-"), **pool})
        migrate.upgrade(app)
        quota = max(args.day_patients, args.per_clinic) + 100  # room for --trace and --profile
        with app.app_context():
            doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                                "domains": ["bench.example.test"], "modules": {"clinic": {
                                    "enabled": True, "settings": settings(args.clinics, quota)}}}, "bench")
            (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
            tenant_id = service.apply_doc(doc, "bench", app.extensions["pamong"]).id
            db.session.commit()
            tenant = db.session.get(Tenant, tenant_id)
            db.session.expunge(tenant)
        engine = create_engine(url, pool_size=args.writers + 2, max_overflow=4)
        with app.app_context():
            ours_sql = StatementCounter(db.engine)
        bare_sql = StatementCounter(engine)
        one_day = [("PKM-000", i) for i in range(args.day_patients)]
        spread = [(f"PKM-{c:03d}", args.day_patients + k * args.clinics + c)
                  for k in range(args.per_clinic) for c in range(args.clinics)]
        results = []
        for label, jobs in (("one clinic's day", one_day), (f"{args.clinics} clinics at once", spread)):
            bare_sql.take()
            base_s = bare_bookings(engine, jobs, args.writers)
            base_n = (bare_sql.take() - 5) / len(jobs)  # less the table set-up
            ours_sql.take()
            ours_s = pamong_bookings(app, tenant, jobs, args.writers)
            results.append((label, len(jobs), len(jobs) / base_s, len(jobs) / ours_s, base_n,
                            ours_sql.take() / len(jobs)))
        check_gap_free(app, tenant)
        bare_sql.take()
        base_p95 = p95(bare_checks(engine, args.checks))
        base_check_n = (bare_sql.take() - 1) / args.checks  # less the codes' read
        ours_sql.take()
        ours_p95 = p95(status_checks(app, tenant, args.checks))
        ours_check_n = (ours_sql.take() - 1) / args.checks
        if args.trace:
            trace(app, tenant, ours_sql, args)
        if args.profile:
            profile(app, tenant)
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
        print(f"Pamong clinic benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL, "
              f"{args.writers} writers, one transaction per booking")
        for label, count, base_rate, our_rate, base_n, our_n in results:
            print(f"  {label:<22} {count:6d} bookings: bare {base_rate:8.1f}/s  clinic {our_rate:8.1f}/s  "
                  f"ratio {our_rate / base_rate:.2f}   SQL per booking: bare {base_n:.1f}, clinic {our_n:.1f}")
        print(f"  status check p95 over {args.checks}: bare {base_p95:6.1f} ms  clinic {ours_p95:6.1f} ms  "
              f"ratio {ours_p95 / base_p95:.2f}   SQL per check: bare {base_check_n:.1f}, clinic {ours_check_n:.1f}")
        print("  every clinic's numbers 1..n without a gap (SQL counts: statements sent and COMMITs)")
        return 0
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_clbench")


if __name__ == "__main__":
    sys.exit(main())
