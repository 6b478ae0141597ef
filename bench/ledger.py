"""Transfers per second on the core ledger against a bare TPC-B-like transaction (issue 13).

In a scratch PostgreSQL database made beside ``--database-url`` (``<name>_lbench``, dropped afterwards
unless ``--keep``), with ``--clients`` threads (default 16) for ``--seconds`` each, two cases that
touch the same rows in both workloads (the comparison is fair only then):

- **spread**: a random one of ``--accounts`` wallets debited, a random one of ``--merchants``
  (default 100) credited;
- **hot**: the same wallets, every transfer credited to ONE merchant (TPC-B's single branch).

Workloads, each run on both cases:

- **ledger**: ``core.ledger.transfer`` as a module calls it, in the app's session as the restricted
  app role under Row Level Security: a fresh transfer id (its idempotency key, checked), the wallet
  debited (never below zero) and the merchant credited, both balances updated with the rows locked
  in id order, the journal row, one audit entry (sealing is a background job in production:
  ``PAMONG_AUDIT_SEAL=manual`` here), commit;
- **bare**: pgbench's TPC-B-like script, five statements in one transaction on the owner's login:
  UPDATE the account (the wallet), SELECT it, UPDATE the teller (the merchant), UPDATE the branch
  (one per teller, so the merchant's hot row is the branch's too), INSERT history; the same account,
  teller and branch counts as the ledger's wallets and merchants.

Prints each rate and the ratio ledger / bare per case (the issue's goal: >= 0.6).

    .venv/bin/python bench/ledger.py --database-url postgresql://postgres@127.0.0.1:5432/bench
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bare_pay import BARE_DDL  # noqa: E402
from tenants import scratch_postgres  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL; the scratch database <name>_lbench is made beside it")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=10.0, help="per workload (default 10)")
    p.add_argument("--accounts", type=int, default=1000)
    p.add_argument("--merchants", type=int, default=100, help="accounts credited in the spread case (default 100)")
    p.add_argument("--cases", default="spread,hot", help="spread, hot or both (default)")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url (or PAMONG_BENCH_DATABASE_URL) is required")
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if not 1 <= args.clients <= 64 or args.seconds <= 0 or args.accounts < 2 or args.merchants < 1:
        p.error("--clients 1..64, --seconds > 0, --accounts >= 2")
    if not args.cases or set(args.cases) - {"spread", "hot"}:
        p.error("--cases: spread, hot or spread,hot")
    return args


def hammer(clients: int, seconds: float, setup, step) -> tuple[int, int, float]:
    """Run ``step(state)`` in ``clients`` threads for ``seconds``; (done, errors, elapsed)."""
    counts, errors = [0] * clients, [0] * clients
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def work(n):
        with setup() as state:
            start.wait()
            while not stop.is_set():
                try:
                    step(state)
                    counts[n] += 1
                except Exception as exc:  # noqa: BLE001 - counted, first one shown
                    if not errors[n]:
                        print(f"  client {n}: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
                    errors[n] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(counts), sum(errors), time.perf_counter() - began


# -- ledger -------------------------------------------------------------------------------------

def make_app(url: str, clients: int):
    from core import create_app, migrate
    from core.config import engine_options

    os.environ["PAMONG_DEMO"] = "1"  # the owner's login switches to the restricted app role (RLS on)
    options = {**engine_options(url), "pool_size": clients, "max_overflow": 4}
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-not-for-production",
                      "PAMONG_AUDIT_SEAL": "manual", "SQLALCHEMY_ENGINE_OPTIONS": options})
    migrate.upgrade(app)
    return app


def seed_ledger(app, accounts: int, merchants: int):
    from core import ledger
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.schema import parse_tenant
    from core.tenancy.scope import tenant_scope

    with app.app_context():
        doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                            "parent": "", "domains": [], "agencies": [], "modules": {}}, "bench")
        (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
        tenant = service.apply_doc(doc, "cli:bench", app.extensions["pamong"])
        db.session.commit()
        tenant_id = tenant.id
        with tenant_scope(tenant):
            ledger.open_account(tenant, "cli:bench", "bank", "settlement")
            for i in range(merchants):
                ledger.open_account(tenant, "cli:bench", f"m{i}", "merchant")
            for i in range(accounts):
                ledger.open_account(tenant, "cli:bench", f"w{i}", "wallet")
                ledger.transfer(tenant, "cli:bench", f"seed-{i}", "bank", f"w{i}", 10**9)
            db.session.commit()
    return tenant_id


def run_ledger(app, tenant_id: int, args, merchants: int):
    import contextlib

    from core import ledger
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope

    @contextlib.contextmanager
    def setup():
        with app.app_context():
            tenant = db.session.get(Tenant, tenant_id)
            db.session.expunge(tenant)
            with tenant_scope(tenant):
                yield tenant

    def step(tenant):
        try:
            ledger.transfer(tenant, "token:bench", uuid.uuid4().hex, f"w{random.randrange(args.accounts)}",
                            f"m{random.randrange(merchants)}",
                            random.randint(1, 5000))
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise

    return hammer(args.clients, args.seconds, setup, step)


# -- bare TPC-B-like (the tables: bench/bare_pay.py) -------------------------------------------

def make_bare(url: str, args):
    """The TPC-B-like tables: ``--accounts`` accounts, ``--merchants`` tellers, a branch per teller."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                           pool_size=args.clients, max_overflow=4)
    with engine.begin() as conn:
        for ddl in BARE_DDL:
            conn.execute(text(ddl))
        conn.execute(text("INSERT INTO tb_branches SELECT g, 0 FROM generate_series(1, :n) g"), {"n": args.merchants})
        conn.execute(text("INSERT INTO tb_tellers SELECT g, g, 0 FROM generate_series(1, :n) g"), {"n": args.merchants})
        conn.execute(text("INSERT INTO tb_accounts SELECT g, 1, 0 FROM generate_series(1, :n) g"), {"n": args.accounts})
        conn.execute(text("ANALYZE"))
    return engine


def run_bare(engine, args, merchants: int):
    import contextlib

    from sqlalchemy import text

    script = [text("UPDATE tb_accounts SET abalance = abalance + :d WHERE aid = :a"),
              text("SELECT abalance FROM tb_accounts WHERE aid = :a"),
              text("UPDATE tb_tellers SET tbalance = tbalance + :d WHERE tid = :t"),
              text("UPDATE tb_branches SET bbalance = bbalance + :d WHERE bid = :t"),
              text("INSERT INTO tb_history (tid, bid, aid, delta, mtime) VALUES (:t, :t, :a, :d, CURRENT_TIMESTAMP)")]

    @contextlib.contextmanager
    def setup():
        with engine.connect() as conn:
            yield conn

    def step(conn):
        p = {"a": random.randint(1, args.accounts), "t": random.randint(1, merchants), "d": random.randint(-5000, 5000)}
        with conn.begin():
            for stmt in script:
                conn.execute(stmt, p)

    return hammer(args.clients, args.seconds, setup, step)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = scratch_postgres(args.database_url, suffix="_lbench")
    results = {}
    try:
        app = make_app(url, args.clients)
        tenant_id = seed_ledger(app, args.accounts, args.merchants)
        engine = make_bare(url, args)
        try:
            for case in args.cases:
                merchants = args.merchants if case == "spread" else 1
                results[case] = (run_bare(engine, args, merchants), run_ledger(app, tenant_id, args, merchants))
        finally:
            engine.dispose()
        from core import ledger
        from core.extensions import db
        from core.tenancy.models import Tenant

        with app.app_context():
            problems = ledger.check([db.session.get(Tenant, tenant_id)])
            db.engine.dispose()
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_lbench")
    print(f"\nPamong ledger benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL, "
          f"{args.clients} concurrent clients, {args.seconds:g} s per workload, {args.accounts} wallets")
    print(f"  {'case':<28} {'workload':<44} {'done':>7} {'errors':>6} {'per s':>8}")
    failed = bool(problems)
    for case, (bare, led) in results.items():
        label = f"spread ({args.merchants} credited)" if case == "spread" else "hot (1 account credited)"
        for name, (done, errors, secs) in (("bare TPC-B-like (5 statements)", bare),
                                           ("ledger.transfer (id + double entry + audit)", led)):
            print(f"  {label:<28} {name:<44} {done:7d} {errors:6d} {done / secs:8.1f}")
            failed = failed or bool(errors)
        ratio = led[0] / led[2] / (bare[0] / bare[2])
        print(f"  {label:<28} ratio ledger / bare: {ratio:.2f} (goal >= 0.6)")
    print(f"  ledger check after the run: {'ok' if not problems else problems[:3]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
