"""The short-lock path of one transfer (core/ledger/fast.py): a limit broken on the balances the
locked UPDATE returned is refused, the amounts taken back, nothing written and the caller's
transaction still usable; accounts the caller holds show the new balances."""
import pytest
from sqlalchemy.exc import ProgrammingError

from core import ledger
from core.audit import AuditEntry
from core.extensions import db
from core.ledger import LedgerError, fast
from core.tenancy.scope import tenant_scope
from tests.test_ledger import ACTOR, books, snapshot  # noqa: F401  (books: the fixture)


def audit_count(tenant):
    with tenant_scope(tenant):
        return db.session.execute(db.select(db.func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action.startswith("ledger."))).scalar()


def test_a_limit_broken_is_refused_under_the_lock(books):
    """The check on what the locked UPDATE returned refuses, the amounts are taken back and no
    transfer row or audit entry is written; the caller's earlier write stays."""
    tenant = books
    before, audits = snapshot(tenant), audit_count(tenant)
    with tenant_scope(tenant):
        ledger.open_account(tenant, ACTOR, "merchant.lain", "merchant")  # the caller's own earlier write
        with pytest.raises(LedgerError) as exc:
            ledger.transfer(tenant, ACTOR, "too-much", "wallet.budi", "merchant.toko", 100_001)
        assert exc.value.code == "exceeds_credits" and exc.value.where == "amount"
        ledger.transfer(tenant, ACTOR, "fits", "wallet.budi", "merchant.toko", 100_000)  # still usable
        db.session.commit()
    balances, count = snapshot(tenant)
    assert count == before[1] + 1
    assert balances["wallet.budi"] == (before[0]["wallet.budi"][0] + 100_000,) + before[0]["wallet.budi"][1:]
    assert "merchant.lain" in balances  # written before the refusal: kept
    assert audit_count(tenant) == audits + 2  # the account opened and the transfer that fitted
    with tenant_scope(tenant):
        assert ledger.get_account(tenant, "wallet.budi").debits_posted == 100_000
        assert db.session.execute(db.select(ledger.Transfer.key).where(ledger.Transfer.key == "too-much")).first() is None
        assert ledger.check([tenant]) == []


def test_a_balance_limit_broken_under_the_lock_is_refused(books):
    tenant = books
    before = snapshot(tenant)
    with tenant_scope(tenant), pytest.raises(LedgerError) as exc:
        ledger.transfer(tenant, ACTOR, "over-cap", "bank", "wallet.budi", 1_900_001)
    assert exc.value.code == "exceeds_limit"
    db.session.commit()
    assert snapshot(tenant) == before


def test_accounts_held_by_the_caller_show_the_new_balances(books):
    tenant = books
    with tenant_scope(tenant):
        wallet = ledger.get_account(tenant, "wallet.sari")
        t = ledger.transfer(tenant, ACTOR, "to-sari", "bank", wallet, 2_500, pending=True, timeout=60)
        assert wallet.credits_pending == 2_500 and t.kind == "pending" and t.timeout_at is not None
        assert t.id and db.session.get(ledger.Transfer, t.id) is t
        db.session.commit()
        again = ledger.transfer(tenant, ACTOR, "to-sari", "bank", "wallet.sari", 2_500, pending=True, timeout=60)
        assert again.id == t.id  # the same id and body: the first transfer
        with pytest.raises(LedgerError) as exc:
            ledger.transfer(tenant, ACTOR, "to-sari", "bank", "wallet.sari", 2_501, pending=True, timeout=60)
        assert exc.value.code == "id_reused"
        db.session.rollback()


def test_an_unknown_account_is_named_and_nothing_is_written(books):
    tenant = books
    before = snapshot(tenant)
    for debit, credit, where in (("nope", "wallet.sari", "debit"), ("bank", 10**9, "credit")):
        with tenant_scope(tenant), pytest.raises(LedgerError) as exc:
            ledger.transfer(tenant, ACTOR, f"x-{where}", debit, credit, 10)
        assert (exc.value.code, exc.value.where) == ("account_unknown", where)
    db.session.commit()
    assert snapshot(tenant) == before


def test_a_transfer_rolled_back_leaves_no_stale_row_for_the_next_one(books):
    """SQLite gives a rolled-back row's id to the next insert: the session must then hold the new
    transfer under that id, not refuse it because the rolled-back one is still remembered."""
    tenant = books
    with tenant_scope(tenant):
        undone = ledger.transfer(tenant, ACTOR, "undone", "bank", "wallet.sari", 1_000)
        undone_id = undone.id
        db.session.rollback()
        kept = ledger.transfer(tenant, ACTOR, "kept", "bank", "wallet.sari", 2_000)
        db.session.commit()
        assert kept.key == "kept" and kept.amount == 2_000
        if db.engine.dialect.name == "sqlite":
            assert kept.id == undone_id  # the very case: the id came round again
        stored = db.session.execute(db.select(ledger.Transfer.key).where(ledger.Transfer.id == kept.id)).scalar_one()
    assert stored == "kept"


def test_on_postgresql_the_driver_path_sends_the_rls_setting_first(books):
    """The transfer's statements skip SQLAlchemy's execution (core/ledger/fast.py ``_on_driver``),
    but not Row Level Security: the setting goes before them, as the engine's event would send it.
    As the first statement of a transaction the transfer still finds its accounts, and another
    tenant's account stays unknown to it."""
    tenant = books
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite takes SQLAlchemy's own path and has no RLS")
    db.session.commit()
    with tenant_scope(tenant):
        t = ledger.transfer(tenant, ACTOR, "first-statement", "bank", "wallet.sari", 700)
        setting = db.session.execute(db.text("SELECT current_setting('pamong.tenant_ids', true)")).scalar()
        assert setting == str(tenant.id) and t.amount == 700
        db.session.commit()


def test_on_postgresql_a_driver_error_is_sqlalchemys_own(books, monkeypatch):
    """A statement the database refuses is raised as SQLAlchemy's ``DBAPIError`` kind, so the
    request's failed-transaction handling (core/failed_transaction.py) treats it as any other;
    nothing was moved."""
    tenant = books
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite takes SQLAlchemy's own path")
    before = snapshot(tenant)
    broken = db.text("SELECT * FROM no_such_ledger_table").compile(dialect=db.engine.dialect)
    monkeypatch.setitem(fast._COMPILED, ("move", "code", "code"), broken)
    with tenant_scope(tenant), pytest.raises(ProgrammingError) as exc:
        ledger.transfer(tenant, ACTOR, "refused-by-db", "bank", "wallet.sari", 700)
    assert "no_such_ledger_table" in str(exc.value)
    db.session.rollback()
    assert snapshot(tenant) == before


def test_on_postgresql_the_accounts_are_locked_by_one_scan_whatever_the_statistics(books):
    """The locking SELECT runs once (a MATERIALIZED CTE), also when the planner takes the tenant's
    accounts for a single row (a table not analysed since it filled up): as a joined subquery it
    ran once per account of the tenant, locks and all, and a payment took milliseconds per 100 cards."""
    from core.tenancy.scope import send_scope

    tenant = books
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite takes SQLAlchemy's own path")
    with tenant_scope(tenant):
        for i in range(60):
            ledger.open_account(tenant, ACTOR, f"wallet.extra{i}", "wallet")
        db.session.commit()
        conn = db.session.connection()
        stmt = fast._move_statement("postgresql", "code", "code")
        compiled = stmt.compile(dialect=conn.dialect)
        params = compiled.construct_params({"the_tenant": tenant.id, "ref_d": "bank", "ref_c": "wallet.sari",
                                            "dp": 5, "dpend": 0, "cp": 5, "cpend": 0})
        send_scope(conn)
        (plan,), = conn.connection.dbapi_connection.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + compiled.string, params).fetchall()
        db.session.rollback()

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)
    lock_rows = [n for n in nodes(plan[0]["Plan"]) if n["Node Type"] == "LockRows"]
    assert lock_rows and all(n["Actual Loops"] == 1 for n in lock_rows), plan
    assert sum(n["Actual Rows"] for n in lock_rows) == 2
