"""Concurrent transfers on the same accounts (issue 13): no deadlock, no lost update, one transfer
per id. 16 threads on PostgreSQL (rows locked in id order), 4 on SQLite (the write transaction)."""
import threading

from core import ledger
from core.extensions import db
from core.tenancy.scope import tenant_scope

ACTOR = "test:concurrency"


def test_concurrent_transfers_neither_deadlock_nor_lose_an_update(app, create_tenant):
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    threads_n, per_thread = (16, 12) if postgres else (4, 10)
    tenant = create_tenant()
    with app.app_context(), tenant_scope(tenant):
        ledger.open_account(tenant, ACTOR, "bank", "settlement")
        for code in ("w1", "w2"):
            ledger.open_account(tenant, ACTOR, code, "wallet")
            ledger.transfer(tenant, ACTOR, f"seed-{code}", "bank", code, 1_000_000)
        ledger.open_account(tenant, ACTOR, "m", "merchant")
        db.session.commit()
    errors, done = [], []
    start = threading.Barrier(threads_n)

    def work(n):
        try:
            start.wait(30)
            with app.app_context(), tenant_scope(tenant):
                for i in range(per_thread):
                    # opposite directions on the same pair: a deadlock if locks were taken out of order
                    a, b = ("w1", "w2") if (n + i) % 2 else ("w2", "w1")
                    ledger.transfer(tenant, ACTOR, f"t{n}-{i}", a, b, 7)
                    ledger.linked(tenant, ACTOR, [{"key": f"buy{n}-{i}", "debit": a, "credit": "m", "amount": 100},
                                                  {"key": f"buy{n}-{i}.fee", "debit": a, "credit": "bank", "amount": 3}])
                    # the same id from every thread: written once, the others get the first result
                    t = ledger.transfer(tenant, ACTOR, f"shared-{i}", "bank", "m", 11)
                    db.session.commit()
                    done.append((n, i, t.key))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    assert errors == []
    assert len(done) == threads_n * per_thread
    with app.app_context(), tenant_scope(tenant):
        bal = {a.code: a for a in db.session.execute(db.select(ledger.Account)).scalars()}
        total = threads_n * per_thread
        assert bal["m"].credits_posted == 100 * total + 11 * per_thread
        assert bal["w1"].debits_posted + bal["w2"].debits_posted == 110 * total
        assert bal["w1"].credits_posted + bal["w2"].credits_posted == 2_000_000 + 7 * total
        count = db.session.execute(db.select(db.func.count()).select_from(ledger.Transfer)).scalar()
        assert count == 2 + 3 * total + per_thread  # seeds, legs, the shared ids once
        db.session.rollback()
        assert ledger.check([tenant]) == []

