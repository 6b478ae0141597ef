"""The TPP monthly run at a city's scale: 18,000 employees (Makassar's civil service) with 22 working
days of attendance each (two punches a day, ~792,000 rows), on SQLite in a scratch folder, or on
PostgreSQL with ``--database-url`` (an EMPTY scratch database: the bench migrates it and adds a tenant).

    .venv/bin/python bench/remuneration.py [--employees 18000] [--days 22] \
        [--database-url postgresql://postgres@127.0.0.1:5432/bench_re2]

Twice in the same run, on the same rows:

- bare: one plain SQL query for the month's punches, grouped in Python, a minimal TPP per employee
  (lateness bands over the discipline part, nothing else) and one ``executemany`` INSERT of the
  results: the floor of what any implementation must do;
- pamong: ``modules.remuneration.runs.run_month`` as the CLI runs it (the ORM, the tenant scope,
  the rule set from the tenant's settings, the working calendar, excuses, activities, sanctions,
  one breakdown per employee, the audit entry), then a second run of the same month (idempotent:
  the results are replaced), measured for peak Python memory with ``tracemalloc``.

Prints seconds per run of each, their ratio (pamong / bare; goal <= 5), employees per second and
peak memory (MiB). One CPU core.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

CLASSES = [("JPT", 18_000_000), ("ADMINISTRATOR", 11_000_000), ("JF-AHLI", 8_500_000), ("PELAKSANA", 4_500_000)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--employees", type=int, default=18_000, help="employees (default 18000)")
    p.add_argument("--days", type=int, default=22, help="working days with attendance (default 22)")
    p.add_argument("--database-url", default="",
                   help="an empty scratch database (postgresql://...); default a SQLite file in a temporary folder")
    args = p.parse_args(argv)
    if not 1 <= args.employees <= 200_000:
        p.error("--employees: from 1 to 200000")
    if not 1 <= args.days <= 23:
        p.error("--days: from 1 to 23")
    return args


def nip(i: int) -> str:
    """A valid NIP: born 1980-01-01 + i % 9000 days, appointed 2005-01..2016-12, sex, serial."""
    born = date(1980, 1, 1) + timedelta(days=i % 9000)
    year, month = 2005 + (i // 7) % 12, 1 + i % 12
    return f"{born:%Y%m%d}{year}{month:02d}{1 + i % 2}{1 + i % 999:03d}"


def month_with(cal, days: int) -> tuple[int, int, list[date]]:
    for month in range(1, 13):
        first = date(2026, month, 1)
        working = [first + timedelta(days=i) for i in range(31)
                   if (first + timedelta(days=i)).month == month and cal.is_working_day(first + timedelta(days=i))]
        if len(working) >= days:
            return 2026, month, working[:days]
    raise SystemExit("no month of 2026 has that many working days")


def setup(tmp: Path, args):
    from core import create_app, migrate
    from core.extensions import db
    from core.kit import calendar_of, tenant_scope
    from core.tenancy import service as tenancy
    from core.tenancy.schema import parse_tenant
    from modules.remuneration.models import Employee, Punch

    app = create_app({"DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": "bench-secret",
                      "PAMONG_DEMO": bool(args.database_url),  # a scratch database: the owner may SET ROLE
                      "INSTANCE_DIR": str(tmp / "instance"), "PAMONG_TENANTS_DIR": str(tmp)})
    migrate.upgrade(app)
    ctx = app.app_context()
    ctx.push()
    ceilings = [{"position_class": c, "year": 2026, "amount": a} for c, a in CLASSES]
    doc = parse_tenant({"slug": "kota-bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                        "agencies": [{"code": f"OPD{i}", "name": f"Dinas {i}"} for i in range(40)],
                        "modules": {"remuneration": {"enabled": True, "settings": {"ceilings": ceilings}}}}, "bench")
    (_, doc), = tenancy.check_batch([("bench", doc)], app.extensions["pamong"])
    tenant = tenancy.apply_doc(doc, "bench", app.extensions["pamong"])
    db.session.commit()
    year, month, days = month_with(calendar_of(tenant), args.days)
    zone = ZoneInfo(tenant.timezone)
    started = time.perf_counter()
    with tenant_scope(tenant):
        people = [Employee(nip=nip(i), name=f"Pegawai {i}", agency=f"OPD{i % 40}", position_class=CLASSES[i % 4][0])
                  for i in range(args.employees)]
        db.session.add_all(people)
        db.session.flush()
        ids = [p.id for p in people]
        db.session.expunge_all()
        rows = []
        for n, employee_id in enumerate(ids):
            for d, day in enumerate(days):
                late = (n * 7 + d * 13) % 120 - 30          # -30..89 minutes: some on time, every band
                arrive = datetime.combine(day, dtime(7, 30), tzinfo=zone) + timedelta(minutes=late)
                leave = datetime.combine(day, dtime(16, 5), tzinfo=zone)
                rows.append({"tenant_id": tenant.id, "employee_id": employee_id, "at": arrive.astimezone(timezone.utc),
                             "kind": "in", "source": "bench"})
                rows.append({"tenant_id": tenant.id, "employee_id": employee_id, "at": leave.astimezone(timezone.utc),
                             "kind": "out", "source": "bench"})
        db.session.execute(db.insert(Punch), rows)
    db.session.commit()
    print(f"setup: {args.employees} employees, {len(rows)} punches in {year}-{month:02d} "
          f"({time.perf_counter() - started:.1f} s)")
    return app, tenant, year, month, days


def bare(tenant, year: int, month: int, days: list[date]) -> float:
    """Plain SQL and a minimal TPP: the floor of the work."""
    from sqlalchemy import text

    from core.extensions import db

    zone = ZoneInfo(tenant.timezone)
    start = datetime.combine(days[0], dtime(0), tzinfo=zone).astimezone(timezone.utc)
    end = datetime.combine(days[-1] + timedelta(days=1), dtime(0), tzinfo=zone).astimezone(timezone.utc)
    began = time.perf_counter()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # Row Level Security: this transaction reads the tenant
            conn.execute(text("SELECT set_config('pamong.tenant_ids', :t, true)"), {"t": str(tenant.id)})
        conn.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS bench_results (employee_id INTEGER, tpp INTEGER)"))
        conn.execute(text("DELETE FROM bench_results"))
        ceilings = dict(conn.execute(text("SELECT id, position_class FROM remuneration_employees")).all())
        assert len(ceilings) == len(set(ceilings)) and ceilings, "the bare run sees no employees (RLS?)"
        amounts = dict(CLASSES)
        first_in: dict[tuple, datetime] = {}
        for employee_id, at, kind in conn.execute(text(
                "SELECT employee_id, at, kind FROM remuneration_punches WHERE tenant_id = :t AND at >= :a AND at < :b"),
                {"t": tenant.id, "a": start, "b": end}):
            at = datetime.fromisoformat(at) if isinstance(at, str) else at
            key = (employee_id, at.date())
            if kind == "in" and (key not in first_in or at < first_in[key]):
                first_in[key] = at
        late_bp: dict[int, int] = {}
        for (employee_id, _), at in first_in.items():
            local = at.replace(tzinfo=timezone.utc).astimezone(zone) if at.tzinfo is None else at.astimezone(zone)
            minutes = (local.hour * 60 + local.minute) - (7 * 60 + 30)
            bp = 0 if minutes <= 0 else 50 if minutes <= 30 else 100 if minutes <= 60 else 125 if minutes <= 90 else 150
            late_bp[employee_id] = late_bp.get(employee_id, 0) + bp
        results = []
        for employee_id, cls in ceilings.items():
            ceiling = amounts[cls]
            part = ceiling - ceiling * 60 // 100
            results.append({"e": employee_id, "t": ceiling - part * min(late_bp.get(employee_id, 0), 10_000) // 10_000})
        conn.execute(text("INSERT INTO bench_results (employee_id, tpp) VALUES (:e, :t)"), results)
    return time.perf_counter() - began


def pamong(tenant, year: int, month: int) -> float:
    from core.extensions import db
    from modules.remuneration.runs import run_month

    began = time.perf_counter()
    run_month(tenant, "bench", year, month)
    db.session.commit()
    return time.perf_counter() - began


def db_backend() -> str:
    from core.extensions import db

    return db.engine.url.get_backend_name()


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    except (AttributeError, OSError):
        pass
    print("load average at start (1, 5, 15 min): %.1f %.1f %.1f on %d cores" % (*os.getloadavg(), os.cpu_count()))
    with tempfile.TemporaryDirectory(prefix="pamong-tppbench-") as tmp:
        app, tenant, year, month, days = setup(Path(tmp), args)
        print(f"database: {db_backend()}")
        base = bare(tenant, year, month, days)
        ours = pamong(tenant, year, month)
        tracemalloc.start()
        again = pamong(tenant, year, month)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"bare:   {base:7.2f} s per run ({args.employees / base:,.0f} employees/s)")
        print(f"pamong: {ours:7.2f} s per run ({args.employees / ours:,.0f} employees/s); "
              f"run again (traced): {again:.2f} s, peak Python memory {peak:.0f} MiB")
        print(f"ratio pamong / bare: {ours / base:.1f} (goal <= 5)")
        print("load average at the end (1, 5, 15 min): %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
