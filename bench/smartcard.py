"""City card payments over HTTP against a bare TPC-B-like payment endpoint, and operations with
faults that must lose no rupiah (issue 18).

In a scratch PostgreSQL database made beside ``--database-url`` (``<name>_scbench``, dropped
afterwards unless ``--keep``), with ``--clients`` threads for ``--seconds`` each:

- **smartcard**: ``POST /t/bench/api/v1/smartcard/payments`` as a terminal sends it (Bearer token of
  a registered terminal, a fresh ``Idempotency-Key`` and transfer id): the core's idempotency
  claim and stored answer, the card looked up, the linked double-entry transfer (wallet -> merchant,
  and a fee leg), the audit entries, under Row Level Security as the app role;
- **bare**: ``POST /pay`` of a plain Flask app in the same process on the same server: pgbench's
  TPC-B-like five statements in one transaction (no idempotency, no audit, no RLS).

Then ``--operations`` (default 5,000; the issue's figure is ``--operations 100000``) random
operations over ``--clients`` threads: top-up, pay, hold, capture, void, refund, each with an
injected fault (the transaction rolled back before its commit and retried, or its answer lost after
the commit and retried with the same id); afterwards the ledger must re-derive every balance from
its journal, debits equal credits, no wallet is negative, and the rupiah the model counted as
accepted match what the wallets hold.

    .venv/bin/python bench/smartcard.py --database-url postgresql://postgres@127.0.0.1:5432/bench
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import threading
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from ledger import hammer, make_app  # noqa: E402  (bench/ledger.py)
from tenants import scratch_postgres  # noqa: E402

MERCHANTS = [{"code": f"m{i}", "name": f"Merchant {i}", "kind": "merchant", "service": "market", "fee_bps": 30}
             for i in range(10)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"))
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--cards", type=int, default=1000)
    p.add_argument("--operations", type=int, default=5000)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--no-faults", action="store_true", help="skip the fault run")
    p.add_argument("--fault-seconds", type=float, default=0,
                   help="stop the fault run after this many seconds (0: run every operation); the check still runs")
    p.add_argument("--no-speed", action="store_true", help="skip the two timed workloads")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url (or PAMONG_BENCH_DATABASE_URL) is required")
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


def run_smartcard(app, args, tokens):
    import contextlib

    @contextlib.contextmanager
    def setup():
        yield app.test_client(), random.choice(tokens)

    def step(state):
        client, token = state
        tid = uuid.uuid4().hex[:24]
        r = client.post("/t/bench/api/v1/smartcard/payments", json={
            "id": tid, "card": number(random.randrange(args.cards)), "amount": random.randint(1_000, 5_000)},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f'"{tid}"'})
        if r.status_code != 201:
            raise RuntimeError(f"{r.status_code} {r.get_data(as_text=True)[:200]}")

    return hammer(args.clients, args.seconds, setup, step)


def payment_statements(app, token) -> list[str]:
    """The SQL one card payment sends (``core.testing.sql_statements``, and what goes to the driver
    directly: the ledger's short-lock statements, ``core.ledger.fast._on_driver``, and the stored
    answer sent with the COMMIT, ``core.idempotency._store_and_commit_at_once``), BEGIN/COMMIT aside."""
    from core import idempotency
    from core.ledger import fast
    from core.testing import sql_statements

    driver, original, store = [], fast._on_driver, idempotency._store_and_commit_at_once

    def counting(conn, key, stmt, params):
        driver.append(f"ledger fast path: {key[0] if isinstance(key, tuple) else key}")
        return original(conn, key, stmt, params)

    def storing(conn, params):
        driver.append("UPDATE idempotency_keys (the answer), sent with the COMMIT")
        return store(conn, params)

    client, tid = app.test_client(), uuid.uuid4().hex[:24]
    fast._on_driver, idempotency._store_and_commit_at_once = counting, storing
    try:
        with sql_statements(app) as seen:
            r = client.post("/t/bench/api/v1/smartcard/payments", json={"id": tid, "card": number(0), "amount": 1_000},
                            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f'"{tid}"'})
    finally:
        fast._on_driver, idempotency._store_and_commit_at_once = original, store
    if r.status_code != 201:
        raise RuntimeError(f"{r.status_code} {r.get_data(as_text=True)[:200]}")
    return [" ".join(s.split())[:70] for s in seen] + driver


def bare_app(url: str, args):
    import flask
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=args.clients,
                           max_overflow=4)
    with engine.begin() as conn:
        for ddl in ("CREATE TABLE tb_branches (bid int PRIMARY KEY, bbalance bigint NOT NULL)",
                    "CREATE TABLE tb_tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance bigint NOT NULL)",
                    "CREATE TABLE tb_accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance bigint NOT NULL)",
                    "CREATE TABLE tb_history (tid int, bid int, aid int, delta bigint, mtime timestamptz)"):
            conn.execute(text(ddl))
        conn.execute(text("INSERT INTO tb_branches VALUES (1, 0)"))
        conn.execute(text("INSERT INTO tb_tellers SELECT g, 1, 0 FROM generate_series(1, 10) g"))
        conn.execute(text("INSERT INTO tb_accounts SELECT g, 1, 0 FROM generate_series(1, :n) g"), {"n": args.cards})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE tb_branches, tb_tellers, tb_accounts, tb_history"))
    script = [text("UPDATE tb_accounts SET abalance = abalance - :d WHERE aid = :a"),
              text("SELECT abalance FROM tb_accounts WHERE aid = :a"),
              text("UPDATE tb_tellers SET tbalance = tbalance + :d WHERE tid = :t"),
              text("UPDATE tb_branches SET bbalance = bbalance + :d WHERE bid = 1"),
              text("INSERT INTO tb_history (tid, bid, aid, delta, mtime) VALUES (:t, 1, :a, :d, CURRENT_TIMESTAMP)")]
    bare = flask.Flask("bare")

    @bare.post("/pay")
    def pay():
        body = flask.request.get_json()
        p = {"a": int(body["card"][-8:]) + 1, "t": random.randint(1, 10), "d": int(body["amount"])}
        with engine.begin() as conn:
            for stmt in script:
                conn.execute(stmt, p)
        return flask.jsonify(id=body["id"]), 201

    return bare, engine


def run_bare(bare, args):
    import contextlib

    @contextlib.contextmanager
    def setup():
        yield bare.test_client()

    def step(client):
        tid = uuid.uuid4().hex[:24]
        r = client.post("/pay", json={"id": tid, "card": number(random.randrange(args.cards)),
                                      "amount": random.randint(1_000, 5_000)})
        if r.status_code != 201:
            raise RuntimeError(str(r.status_code))

    return hammer(args.clients, args.seconds, setup, step)


def run_faults(app, tenant_id: int, args) -> dict:
    """``--operations`` random operations with injected faults; the model's count of accepted rupiah."""
    from core import ledger
    from core.errors import PamongError
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope
    from modules.smartcard import services

    lock = threading.Lock()
    import time

    model = {"topped_up": 0, "refunded": 0, "paid": 0, "captured": 0, "done": 0, "refused": 0, "faults": 0, "ran": 0}
    stop_at = time.monotonic() + args.fault_seconds if args.fault_seconds else None
    todo = iter(range(args.operations))
    cards = min(args.cards, 200)  # a small set of cards: operations collide on the same wallets

    def work(n):
        rng = random.Random(n)
        holds, payments = [], []
        with app.app_context():
            tenant = db.session.get(Tenant, tenant_id)
            db.session.expunge(tenant)
            with tenant_scope(tenant):
                while True:
                    with lock:
                        i = None if stop_at and time.monotonic() > stop_at else next(todo, None)
                        model["ran"] += i is not None
                    if i is None:
                        return
                    card, key, amount = number(rng.randrange(cards)), f"f{n}-{i}", rng.randint(1, 50_000)
                    op = rng.choice(["topup", "pay", "pay", "hold", "end", "refund"])
                    if op == "topup":
                        call, effect = (lambda: services.top_up(tenant, "cli:bench", key, card, amount)), ("topped_up", amount)
                    elif op == "pay":
                        call, effect = (lambda: services.pay(tenant, "cli:bench", key, card, "m1", amount)), ("paid", amount)
                    elif op == "hold":
                        call, effect = (lambda: services.hold(tenant, "cli:bench", key, card, "m2", amount)), None
                    elif op == "end" and holds:
                        hold, held = holds.pop(rng.randrange(len(holds)))
                        fare = rng.randint(1, held)
                        if rng.random() < 0.5:
                            call, effect = (lambda: services.capture(tenant, "cli:bench", key, hold, fare)), ("captured", fare)
                        else:
                            call, effect = (lambda: services.void(tenant, "cli:bench", key, hold)), None
                    elif op == "refund" and payments:
                        paid = payments[rng.randrange(len(payments))]
                        amount = rng.randint(1, 5_000)
                        call, effect = (lambda: services.refund(tenant, "cli:bench", key, paid, amount)), ("refunded", amount)
                    else:
                        continue
                    fault = rng.choice(["none", "before_commit", "after_commit"])
                    try:
                        call()
                        if fault == "before_commit":
                            db.session.rollback()
                            call()
                        db.session.commit()
                        if fault == "after_commit":
                            call()
                            db.session.commit()
                    except PamongError:
                        db.session.rollback()
                        with lock:
                            model["refused"] += 1
                        continue
                    except Exception:
                        db.session.rollback()
                        raise
                    with lock:
                        model["done"] += 1
                        model["faults"] += fault != "none"
                        if effect:
                            model[effect[0]] += effect[1]
                    if op == "hold":
                        holds.append((key, amount))
                    if op == "pay":
                        payments.append(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_scope(tenant):
            wallets = db.session.execute(db.select(ledger.Account).where(ledger.Account.kind == "wallet")).scalars().all()
            model["wallets"] = sum(a.credits_posted - a.debits_posted for a in wallets)
            model["negative"] = sum(1 for a in wallets if a.credits_posted < a.debits_posted + a.debits_pending)
        model["problems"] = ledger.check([tenant])
    return model


def _wallets(app, tenant_id: int) -> int:
    from core import ledger
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope

    with app.app_context(), tenant_scope(db.session.get(Tenant, tenant_id)):
        return sum(a.credits_posted - a.debits_posted for a in db.session.execute(
            db.select(ledger.Account).where(ledger.Account.kind == "wallet")).scalars())


def main(argv=None) -> int:
    import time

    args = parse_args(argv)
    url = scratch_postgres(args.database_url, suffix="_scbench")
    b = s = m = None
    try:
        app = make_app(url, args.clients)
        tenant_id, tokens = seed(app, args.cards)
        statements = payment_statements(app, tokens[0])
        if not args.no_speed:
            bare, engine = bare_app(url, args)
            b = run_bare(bare, args)
            s = run_smartcard(app, args, tokens)
            engine.dispose()
        if not args.no_faults:
            before = _wallets(app, tenant_id)
            began = time.perf_counter()
            m = run_faults(app, tenant_id, args)
            m["seconds"] = time.perf_counter() - began
        with app.app_context():
            from core.extensions import db
            db.engine.dispose()
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_scbench")
    print(f"\nPamong city card benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL, "
          f"{args.clients} clients, {args.seconds:g} s per workload, {args.cards} cards; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"  one card payment: {len(statements)} statements and 1 commit (bare: 5 and 1):")
    for line in statements:
        print(f"    {line}")
    ok = True
    if b and s:
        print(f"  {'workload':<52} {'done':>7} {'errors':>6} {'per s':>8}")
        for label, (done, errors, secs) in (("bare TPC-B-like POST /pay (5 statements)", b),
                                            ("smartcard POST /payments (idempotent, linked, audit)", s)):
            print(f"  {label:<52} {done:7d} {errors:6d} {done / secs:8.1f}")
        ratio = (s[0] / s[2]) / (b[0] / b[2])
        print(f"  ratio smartcard / bare: {ratio:.2f} (goal >= 0.6)")
        ok = not s[1] and not b[1]
    if m:
        expected = before + m["topped_up"] + m["refunded"] - m["paid"] - m["captured"]
        lost = expected - m["wallets"]
        print(f"  faults run: {m['ran']} of {args.operations} operations drawn in {m['seconds']:.0f} s over {args.clients} threads, "
              f"{m['done']} accepted ({m['faults']} after an injected fault, retried), {m['refused']} refused")
        print(f"  wallets hold Rp{m['wallets']:,}; the accepted operations say Rp{expected:,}: {lost} rupiah lost; "
              f"{m['negative']} wallet(s) negative; ledger check: {'ok' if not m['problems'] else m['problems'][:3]}")
        ok = ok and not lost and not m["negative"] and not m["problems"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
