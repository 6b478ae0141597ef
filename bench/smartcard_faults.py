"""The city card benchmark's fault run (``bench/smartcard.py``): random operations over threads in
the benchmark's own process, each with an injected fault (the transaction rolled back before its
commit and retried, or its answer lost after the commit and retried with the same id); what the
model counted as accepted must match what the wallets hold, and the ledger must check clean."""
from __future__ import annotations

import random
import threading


def run_faults(app, tenant_id: int, args, number) -> dict:
    """``--operations`` random operations with injected faults (cards ``number(i)``); the model's count
    of accepted rupiah."""
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


def wallets(app, tenant_id: int) -> int:
    from core import ledger
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope

    with app.app_context(), tenant_scope(db.session.get(Tenant, tenant_id)):
        return sum(a.credits_posted - a.debits_posted for a in db.session.execute(
            db.select(ledger.Account).where(ledger.Account.kind == "wallet")).scalars())
