"""City card payments over HTTP against a bare TPC-B-like payment endpoint, and operations with
faults that must lose no rupiah (issue 18).

In a scratch PostgreSQL database made beside ``--database-url`` (``<name>_scbench``, dropped
afterwards unless ``--keep``), two workloads for ``--seconds`` each, in the same run, taking turns
(``--rounds``, default 2: on a shared machine, other work then weighs on both alike):

- **smartcard**: ``POST /t/bench/api/v1/smartcard/payments`` as a terminal sends it (Bearer token of
  one of the registered terminals, a fresh ``Idempotency-Key`` and transfer id, a random card): the
  core's idempotency claim and stored answer, the card looked up, the linked double-entry transfer
  (wallet -> merchant, and a fee leg), the audit entries, under Row Level Security as the app role;
- **bare**: ``POST /pay`` of a plain Flask app (``bench/bare_pay.py``) on the same database server:
  pgbench's TPC-B-like five statements in one transaction (no idempotency, no audit, no RLS).

``--server gunicorn`` (the default; ``bench/smartcard_served.py``) serves each app as production
does: gunicorn sync workers (``--workers``, default 2, the cores of a small machine;
``bench/load.py``), both started, one loaded at a time, Pamong's app as
``core.wsgi`` makes it from the environment (its audit seals queued on Redis, ``--redis-url``),
loaded by ``wrk`` over ``--connections`` connections with a Lua script that makes each request
(a per-thread counter behind a random prefix: every id and key is new; a random card and terminal).
Only 2xx answers count: the others are counted and reported, and fail the run.
Each workload's CPU per answered request is split (``bench/cpu_split.py``: the app's workers,
PostgreSQL, Redis, wrk and the rest), and the ratio is printed as it would be if the card app cost
the bare app's CPU, and if the card's database work cost the bare one's: on a CPU-bound machine the
rate follows the sum, so these say which side bounds the goal.
``--server threads`` keeps the earlier mode: both apps in this process, ``--clients`` threads
calling them through Flask's test client (``bench/ledger.py``'s ``hammer``). It needs neither
gunicorn nor wrk, and shows what the interpreter's lock does to a payment that holds its hot rows
(the fees account, the merchant) while other threads run Python; it is not how the app is served.

Before the workloads, one thread in this process times the CPU of ``--cpu-payments`` payments of
each app through the test client (``time.process_time``: this process's Python, not the server's).
After them, the ledger must re-derive every balance from its journal with debits equal to credits,
the payments written must be those answered 2xx (plus at most one in flight per connection and
round), and
the bare tables must agree with their history.

Then ``--operations`` (default 5,000; the issue's figure is ``--operations 100000``) random
operations over ``--clients`` threads (``bench/smartcard_faults.py``): top-up, pay, hold, capture,
void, refund, each with an injected fault (the transaction rolled back before its commit and
retried, or its answer lost after the commit and retried with the same id); afterwards the ledger
must re-derive every balance from its journal, debits equal credits, no wallet is negative, and the
rupiah the model counted as accepted match what the wallets hold.

    .venv/bin/python bench/smartcard.py --database-url postgresql://postgres@127.0.0.1:5432/bench
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import bare_pay  # noqa: E402
import cpu_split  # noqa: E402
from ledger import hammer, make_app  # noqa: E402  (bench/ledger.py)
from load import Measured, gunicorn_missing  # noqa: E402
from smartcard_served import alternate, run_gunicorn  # noqa: E402
from tenants import scratch_postgres  # noqa: E402

SECRET = "bench-secret-not-for-production"
PAY_PATH = "/t/bench/api/v1/smartcard/payments"
MERCHANTS = [{"code": f"m{i}", "name": f"Merchant {i}", "kind": "merchant", "service": "market", "fee_bps": 30}
             for i in range(10)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"))
    p.add_argument("--server", choices=["gunicorn", "threads"], default="gunicorn",
                   help="gunicorn sync workers loaded by wrk (default), or threads in this process")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per app (default 2)")
    p.add_argument("--connections", type=int, default=8, help="wrk's connections (default 8)")
    p.add_argument("--redis-url", default=os.environ.get("PAMONG_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
                   help="Redis of the served app (its job queue; default redis://127.0.0.1:6379/12)")
    p.add_argument("--clients", type=int, default=8, help="threads of --server threads and of the fault run")
    p.add_argument("--seconds", type=float, default=10.0, help="per workload, split between the rounds (default 10)")
    p.add_argument("--rounds", type=int, default=2, help="the workloads run in turn this many times each (default 2)")
    p.add_argument("--cards", type=int, default=1000)
    p.add_argument("--cpu-payments", type=int, default=300, help="payments timed in one thread (0: none)")
    p.add_argument("--operations", type=int, default=5000)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--no-faults", action="store_true", help="skip the fault run")
    p.add_argument("--fault-seconds", type=float, default=0,
                   help="stop the fault run after this many seconds (0: run every operation); the check still runs")
    p.add_argument("--no-speed", action="store_true", help="skip the two timed workloads")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url (or PAMONG_BENCH_DATABASE_URL) is required")
    if args.server == "gunicorn" and not args.no_speed and (gunicorn_missing() or not shutil.which("wrk")):
        p.error("--server gunicorn needs gunicorn (pip install -e '.[serve]') and wrk (make wrk); or --server threads")
    return args


def number(i: int) -> str:
    return f"60329810{i:08d}"


def seed(app, cards: int):
    from core.auth.service import create_token
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.schema import parse_tenant
    from modules.smartcard import services

    with app.app_context():
        doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                            "parent": "", "domains": [], "agencies": [],
                            "modules": {"smartcard": {"enabled": True, "settings": {
                                "merchants": MERCHANTS, "unregistered_limit": 100_000_000, "registered_limit": 100_000_000}}}},
                           "bench")
        (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
        tenant = service.apply_doc(doc, "cli:bench", app.extensions["pamong"])
        db.session.commit()
        tokens = []
        for i in range(len(MERCHANTS)):
            token = create_token(tenant, f"terminal-{i}", ["smartcard:terminal"], "cli:bench")
            services.register_terminal(tenant, "cli:bench", f"T{i}", f"m{i}", f"terminal-{i}")
            tokens.append(token)
        for i in range(cards):
            services.issue_card(tenant, "cli:bench", number(i))
            services.top_up(tenant, "cli:bench", f"seed-{i}", number(i), 50_000_000)
        db.session.commit()
        _analyze(app)
        return tenant.id, tokens


def _analyze(app) -> None:
    """``VACUUM ANALYZE`` as the tables' owner (the app's role may not), as pgbench does after its set-up:
    a database in service has its statistics; without them the planner takes the freshly seeded
    tables for empty ones and the payment's statements scan the tenant's accounts."""
    from core import migrate

    owner = migrate.owner_engine(app)
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    owner.dispose()


def payment_statements(app, token) -> list[str]:
    """The round trips of one card payment on a warm process (one payment made first: the token is
    then known), in order: the SQL the engine sends (``before_cursor_execute``) and what goes to the driver
    directly (the Row Level Security setting, ``core.tenancy.scope._send_setting``; the ledger's
    short-lock statements, ``core.ledger.fast._on_driver``; the stored answer sent with the COMMIT,
    ``core.idempotency._store_and_commit_at_once``), BEGIN/COMMIT aside."""
    from sqlalchemy import event

    from core import idempotency
    from core.extensions import db
    from core.ledger import fast
    from core.tenancy import scope

    seen, patched = [], (fast._on_driver, idempotency._store_and_commit_at_once, scope._send_setting)
    original, store, setting = patched

    def counting(conn, key, stmt, params):
        seen.append(f"ledger fast path: {key[0] if isinstance(key, tuple) else key}")
        return original(conn, key, stmt, params)

    def storing(conn, params):
        seen.append("UPDATE idempotency_keys (the answer), sent with the COMMIT")
        return store(conn, params)

    def scoping(conn, wanted, with_next=False):
        seen.append("SELECT set_config('pamong.tenant_ids', ...) (Row Level Security)"
                    + (", sent with the next statement" if with_next else ""))
        return setting(conn, wanted, with_next)

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split())[:70])

    client = app.test_client()

    def pay():
        tid = uuid.uuid4().hex[:24]
        r = client.post(PAY_PATH, json={"id": tid, "card": number(0), "amount": 1_000},
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f'"{tid}"'})
        if r.status_code != 201:
            raise RuntimeError(f"{r.status_code} {r.get_data(as_text=True)[:200]}")

    pay()
    with app.app_context():
        engine = db.engine
    fast._on_driver, idempotency._store_and_commit_at_once, scope._send_setting = counting, storing, scoping
    event.listen(engine, "before_cursor_execute", record)
    try:
        pay()
    finally:
        event.remove(engine, "before_cursor_execute", record)
        fast._on_driver, idempotency._store_and_commit_at_once, scope._send_setting = patched
    return seen


def pay_body(cards: int) -> dict:
    tid = uuid.uuid4().hex[:24]
    return {"id": tid, "card": number(random.randrange(cards)), "amount": random.randint(1_000, 5_000)}


def run_threads(app, bare, args, tokens) -> tuple[Measured, Measured]:
    """Both workloads in this process: ``--clients`` threads through the test client."""
    import contextlib

    def workload(target, path, headers):
        @contextlib.contextmanager
        def setup():
            yield target.test_client(), headers()

        def step(state):
            client, sent = state
            body = pay_body(args.cards)
            r = client.post(path, json=body, headers={**sent, "Idempotency-Key": f'"{body["id"]}"'})
            if r.status_code != 201:
                raise RuntimeError(f"{r.status_code} {r.get_data(as_text=True)[:200]}")

        done, errors, secs = hammer(args.clients, args.seconds / args.rounds, setup, step)
        return Measured(done / secs, 0.0, 0.0, errors, done, errors)

    return alternate(args, lambda: workload(bare, "/pay", dict),
                     lambda: workload(app, PAY_PATH, lambda: {"Authorization": f"Bearer {random.choice(tokens)}"}))


def cpu_per_payment(app, bare, tokens, n: int, cards: int) -> tuple[float, float]:
    """Milliseconds of this process's CPU per payment, one thread, through the test client: (card, bare)."""
    out = []
    for target, path, headers in ((app, PAY_PATH, {"Authorization": f"Bearer {tokens[0]}"}), (bare, "/pay", {})):
        client = target.test_client()

        def one():
            body = pay_body(cards)
            r = client.post(path, json=body, headers={**headers, "Idempotency-Key": f'"{body["id"]}"'})
            if r.status_code != 201:
                raise RuntimeError(f"{r.status_code} {r.get_data(as_text=True)[:200]}")

        for _ in range(min(n, 50)):  # warm: statements built, caches filled, connections open
            one()
        began = time.process_time()
        for _ in range(n):
            one()
        out.append((time.process_time() - began) * 1000 / n)
    return out[0], out[1]


def counts(app, tenant_id: int, url: str) -> tuple[int, int]:
    """(card payments in the journal, bare payments in the history)."""
    from core import ledger
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope

    with app.app_context(), tenant_scope(db.session.get(Tenant, tenant_id)):
        paid = db.session.execute(db.select(db.func.count()).select_from(ledger.Transfer).where(
            ledger.Transfer.memo.like("pay %"), ~ledger.Transfer.key.like("%.fee"))).scalar_one()
        db.session.rollback()
    return paid, bare_pay.totals(url)["payments"]


def check(app, tenant_id: int, url: str) -> tuple[list, dict]:
    from core import ledger
    from core.extensions import db
    from core.tenancy.models import Tenant

    with app.app_context():
        problems = ledger.check([db.session.get(Tenant, tenant_id)])
    return problems, bare_pay.totals(url)


def main(argv=None) -> int:
    from smartcard_faults import run_faults, wallets

    args = parse_args(argv)
    url = scratch_postgres(args.database_url, suffix="_scbench")
    b = s = m = cpu = None
    try:
        app = make_app(url, args.clients)
        tenant_id, tokens = seed(app, args.cards)
        bare_pay.create_tables(url, args.cards)
        bare = bare_pay.create_app(url, args.clients)
        statements = payment_statements(app, tokens[0])
        if args.cpu_payments:
            cpu = cpu_per_payment(app, bare, tokens, args.cpu_payments, args.cards)
        if not args.no_speed:
            before = counts(app, tenant_id, url)
            load_before = os.getloadavg()
            b, s = (run_gunicorn(url, args, tokens, PAY_PATH, SECRET) if args.server == "gunicorn"
                    else run_threads(app, bare, args, tokens))
            after = counts(app, tenant_id, url)
            problems, totals = check(app, tenant_id, url)
        bare.extensions["bare_engine"].dispose()
        if not args.no_faults:
            held = wallets(app, tenant_id)
            began = time.perf_counter()
            m = run_faults(app, tenant_id, args, number)
            m["seconds"] = time.perf_counter() - began
        with app.app_context():
            from core.extensions import db
            db.engine.dispose()
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_scbench")
    served = (f"gunicorn sync x{args.workers} workers per app, wrk {args.connections} connections"
              if args.server == "gunicorn" else f"{args.clients} threads in one process")
    print(f"\nPamong city card benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL, "
          f"{served}, {args.seconds:g} s per workload in {args.rounds} turns, {args.cards} cards; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    trips = sum(1 for line in statements if not line.endswith("sent with the next statement"))
    print(f"  one card payment: {trips} round trips, the last with the commit (bare: 5 and the commit):")
    for line in statements:
        print(f"    {line}")
    if cpu:
        print(f"  CPU per payment, one thread in this process (test client, {args.cpu_payments} payments): "
              f"smartcard {cpu[0]:.2f} ms, bare {cpu[1]:.2f} ms")
    ok = True
    if b and s:
        print(f"  load average before the workloads: {' '.join(f'{x:.1f}' for x in load_before)}")
        print(f"  {'workload':<52} {'2xx':>7} {'other':>6} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7}")
        for label, r in (("bare TPC-B-like POST /pay (5 statements)", b),
                         ("smartcard POST /payments (idempotent, linked, audit)", s)):
            times = f"{r.p50 * 1000:7.1f} {r.p95 * 1000:7.1f}" if args.server == "gunicorn" else f"{'-':>7} {'-':>7}"
            print(f"  {label:<52} {r.done:7d} {r.errors:6d} {r.rate:8.1f} {times}")
        print(f"  ratio smartcard / bare: {s.rate / b.rate:.2f} (goal >= 0.6)")
        if b.cpu and s.cpu:
            print(cpu_split.line("bare", b.cpu))
            print(cpu_split.line("smartcard", s.cpu))
            for what, other in (("the card app cost the bare app's CPU", ("app",)),
                                ("the card's PostgreSQL and Redis cost the bare ones'", ("postgres", "redis"))):
                cost = sum(b.cpu[k] if k in other else s.cpu[k] for k in ("app", *cpu_split.GROUPS[1:], "rest"))
                print(f"  ratio if {what} (the rest as measured; the machine CPU-bound): "
                      f"{b.cpu['all'] / cost:.2f}")
        paid, history = after[0] - before[0], after[1] - before[1]
        slack = args.connections * args.rounds if args.server == "gunicorn" else 0
        written = s.done <= paid <= s.done + slack and b.done <= history <= b.done + slack
        balanced = totals["history"] == totals["accounts"] == totals["tellers"] == totals["branch"]
        print(f"  written: {paid} card payments for {s.done} answers 2xx, {history} bare for {b.done}; "
              f"ledger check: {'ok' if not problems else problems[:3]}; bare sums "
              f"{'agree' if balanced else f'DIFFER {totals}'}")
        ok = not s.errors and not b.errors and written and not problems and balanced
    if m:
        expected = held + m["topped_up"] + m["refunded"] - m["paid"] - m["captured"]
        lost = expected - m["wallets"]
        print(f"  faults run: {m['ran']} of {args.operations} operations drawn in {m['seconds']:.0f} s over {args.clients} threads, "
              f"{m['done']} accepted ({m['faults']} after an injected fault, retried), {m['refused']} refused")
        print(f"  wallets hold Rp{m['wallets']:,}; the accepted operations say Rp{expected:,}: {lost} rupiah lost; "
              f"{m['negative']} wallet(s) negative; ledger check: {'ok' if not m['problems'] else m['problems'][:3]}")
        ok = ok and not lost and not m["negative"] and not m["problems"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
