"""The bare TPC-B-like payment endpoint the city card is compared with (``bench/smartcard.py``):
``POST /pay {"id", "card", "amount"}`` runs pgbench's five statements in one transaction on the
owner's login (no idempotency, no audit, no Row Level Security) and answers 201 ``{"id"}``.

``create_tables(url, cards)`` makes its tables (one branch row: every payment updates it, as every
card payment updates the fees account); ``create_app(url, pool)`` is the app, in the benchmark's
process (its threads) or, with no arguments, under gunicorn (``bare_pay:create_app()``, the URL in
``PAMONG_BENCH_BARE_URL``).
"""
from __future__ import annotations

import os
import random

BARE_DDL = [
    "CREATE TABLE tb_branches (bid int PRIMARY KEY, bbalance bigint NOT NULL)",
    "CREATE TABLE tb_tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance bigint NOT NULL)",
    "CREATE TABLE tb_accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance bigint NOT NULL)",
    "CREATE TABLE tb_history (tid int, bid int, aid int, delta bigint, mtime timestamptz)",
]
TELLERS = 10  # as many as the card benchmark's merchants


def _engine(url: str, pool: int):
    from sqlalchemy import create_engine

    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=pool, max_overflow=4)


def create_tables(url: str, cards: int) -> None:
    """The tables, ``cards`` accounts, ``TELLERS`` tellers and one branch, analysed."""
    from sqlalchemy import text

    engine = _engine(url, 1)
    try:
        with engine.begin() as conn:
            for ddl in BARE_DDL:
                conn.execute(text(ddl))
            conn.execute(text("INSERT INTO tb_branches VALUES (1, 0)"))
            conn.execute(text("INSERT INTO tb_tellers SELECT g, 1, 0 FROM generate_series(1, :n) g"), {"n": TELLERS})
            conn.execute(text("INSERT INTO tb_accounts SELECT g, 1, 0 FROM generate_series(1, :n) g"), {"n": cards})
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE tb_branches, tb_tellers, tb_accounts, tb_history"))
    finally:
        engine.dispose()


def create_app(url: str | None = None, pool: int = 1):
    """The Flask app (its engine in ``app.extensions["bare_engine"]``)."""
    import flask
    from sqlalchemy import text

    engine = _engine(url or os.environ["PAMONG_BENCH_BARE_URL"], pool)
    script = [text("UPDATE tb_accounts SET abalance = abalance - :d WHERE aid = :a"),
              text("SELECT abalance FROM tb_accounts WHERE aid = :a"),
              text("UPDATE tb_tellers SET tbalance = tbalance + :d WHERE tid = :t"),
              text("UPDATE tb_branches SET bbalance = bbalance + :d WHERE bid = 1"),
              text("INSERT INTO tb_history (tid, bid, aid, delta, mtime) VALUES (:t, 1, :a, :d, CURRENT_TIMESTAMP)")]
    app = flask.Flask("bare")
    app.extensions["bare_engine"] = engine

    @app.post("/pay")
    def pay():
        body = flask.request.get_json()
        p = {"a": int(body["card"][-8:]) + 1, "t": random.randint(1, TELLERS), "d": int(body["amount"])}
        with engine.begin() as conn:
            for stmt in script:
                conn.execute(stmt, p)
        return flask.jsonify(id=body["id"]), 201

    return app


def totals(url: str) -> dict:
    """What the bare payments wrote: history rows, and the sums that must agree (every payment's
    amount taken from an account and added to its teller and the branch)."""
    from sqlalchemy import text

    engine = _engine(url, 1)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT (SELECT count(*) FROM tb_history), (SELECT coalesce(sum(delta), 0) FROM tb_history), "
                "(SELECT -sum(abalance) FROM tb_accounts), (SELECT sum(tbalance) FROM tb_tellers), "
                "(SELECT sum(bbalance) FROM tb_branches)")).one()
    finally:
        engine.dispose()
    return {"payments": row[0], "history": row[1], "accounts": row[2], "tellers": row[3], "branch": row[4]}
