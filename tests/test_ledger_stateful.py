"""Hypothesis stateful test of the core ledger (issue 13): random interleavings of transfers,
holds, posts, voids, timeouts and retries with the same ids, with failures injected between steps
(work rolled back before its commit), against a model. After every step: the database's balances
are the model's, no rupiah is created or lost, no flagged account is overdrawn, debits = credits,
and ``ledger check`` finds nothing."""
import itertools
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from core import ledger
from core.extensions import db
from core.ledger import LedgerError
from core.tenancy.scope import tenant_scope

ACTOR = "test:stateful"
ACCOUNTS = {  # code: (kind, options)
    "bank": ("settlement", {}),
    "w1": ("wallet", {}),
    "w2": ("wallet", {"balance_limit": 5_000}),
    "m": ("merchant", {}),
    "loan": ("settlement", {"credits_must_not_exceed_debits": True}),
}
codes = st.sampled_from(sorted(ACCOUNTS))
amounts = st.one_of(st.integers(-2, 4_000), st.sampled_from([0, 1.5, 100.0, True, 10**12 + 1]))
keys = st.sampled_from([f"k{i}" for i in range(10)])
_runs = itertools.count()


class Model:
    def __init__(self):
        self.bal = {c: [0, 0, 0, 0] for c in ACCOUNTS}  # dp, cp, dpend, cpend
        self.bodies = {}  # key: body
        self.holds = {}  # key: [debit, credit, amount, state]

    def limits(self, bal, code):
        kind, opts = ACCOUNTS[code]
        dp, cp, dpend, cpend = bal[code]
        dmnec = kind == "wallet"
        if dmnec and dp + dpend > cp:
            return "exceeds_credits"
        if opts.get("credits_must_not_exceed_debits") and cp + cpend > dp:
            return "exceeds_debits"
        limit = opts.get("balance_limit")
        if limit is not None and (cp + cpend - dp if dmnec else dp + dpend - cp) > limit:
            return "exceeds_limit"
        return None


def amount_error(amount):
    if isinstance(amount, bool) or not isinstance(amount, int):
        return "amount_not_integer"
    if amount <= 0:
        return "amount_not_positive"
    if amount > 10**12:
        return "amount_too_large"
    return None


def make_machine(app, tenant):
    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def books(self):
            self.ctx = app.app_context()
            self.ctx.push()
            self.run = f"r{next(_runs)}."
            self.model = Model()
            with tenant_scope(tenant):
                for code, (kind, opts) in ACCOUNTS.items():
                    ledger.open_account(tenant, ACTOR, self.run + code, kind, **opts)
                db.session.commit()

        def teardown(self):
            if hasattr(self, "ctx"):
                db.session.rollback()
                self.ctx.pop()

        def k(self, key):
            return self.run + key

        def attempt(self, expected_error, fn, *args, **kw):
            """Run ``fn``; it must fail with ``expected_error`` (nothing written) or succeed."""
            with tenant_scope(tenant):
                try:
                    result = fn(tenant, ACTOR, *args, **kw)
                except LedgerError as exc:
                    db.session.rollback()
                    assert exc.code == expected_error, (exc.code, expected_error, str(exc))
                    return None
                assert expected_error is None, f"accepted, the model expected {expected_error}"
                db.session.commit()
                return result

        def predict_move(self, key, body, effects):
            """The error (or None) and the new balances of a transfer with ``effects`` [(code, index, delta)]."""
            if key in self.model.bodies:
                return (None if self.model.bodies[key] == body else "id_reused"), None
            bal = {c: list(v) for c, v in self.model.bal.items()}
            for code, index, delta in effects:
                bal[code][index] += delta
            for code in dict.fromkeys(c for c, _, _ in effects):  # the debit side first, as the ledger
                problem = self.model.limits(bal, code)
                if problem:
                    return problem, None
            return None, bal

        @rule(key=keys, debit=codes, credit=codes, amount=amounts, pending=st.booleans(), timeout=st.booleans())
        def transfer(self, key, debit, credit, amount, pending, timeout):
            error = amount_error(amount)
            bal = None
            body = ("pending" if pending else "single", debit, credit, amount, 3600 if pending and timeout else None)
            if error is None:
                if self.k(key) not in self.model.bodies and debit == credit:
                    error = "same_account"
                else:
                    i = 2 if pending else 0
                    error, bal = self.predict_move(self.k(key), body, [(debit, i, amount), (credit, i + 1, amount)])
            self.attempt(error, ledger.transfer, self.k(key), self.run + debit, self.run + credit, amount,
                         pending=pending, timeout=3600 if pending and timeout else None)
            if error is None and bal is not None:
                self.model.bal = bal
                self.model.bodies[self.k(key)] = body
                if pending:
                    self.model.holds[self.k(key)] = [debit, credit, amount, "open", timeout]

        def end_hold(self, key, hold, kind, amount=None):
            hk = self.k(hold)
            error = amount_error(amount) if amount is not None else None
            h = self.model.holds.get(hk)
            if error is None and h is None:
                error = "pending_not_found"
            bal = None
            if error is None:
                debit, credit, held, state, _ = h
                posted = held if amount is None else amount
                body = (kind, hk, posted if kind == "post" else None)
                if self.k(key) in self.model.bodies:
                    error = None if self.model.bodies[self.k(key)] == body else "id_reused"
                elif state != "open":
                    error = {"post": "pending_already_posted", "void": "pending_already_voided",
                             "expire": "pending_expired"}[state]
                elif kind == "post" and posted > held:
                    error = "post_exceeds_pending"
                else:
                    effects = [(debit, 2, -held), (credit, 3, -held)]
                    if kind == "post":
                        effects += [(debit, 0, posted), (credit, 1, posted)]
                    error, bal = self.predict_move(self.k(key), body, effects)
            fn = ledger.post if kind == "post" else ledger.void
            args = (self.k(key), hk) + ((amount,) if kind == "post" else ())
            self.attempt(error, fn, *args)
            if error is None and bal is not None:
                self.model.bal = bal
                self.model.bodies[self.k(key)] = body
                h[3] = kind

        @rule(key=keys, hold=keys, amount=st.one_of(st.none(), amounts))
        def post(self, key, hold, amount):
            self.end_hold(key, hold, "post", amount)

        @rule(key=keys, hold=keys)
        def void(self, key, hold):
            self.end_hold(key, hold, "void")

        @rule()
        def timeouts(self):
            later = datetime.now(timezone.utc) + timedelta(hours=2)
            with tenant_scope(tenant):
                ledger.expire_pending(tenant, now=later)
                db.session.commit()
            for h in self.model.holds.values():
                if h[3] == "open" and h[4]:
                    h[3] = "expire"
                    self.model.bal[h[0]][2] -= h[2]
                    self.model.bal[h[1]][3] -= h[2]

        @rule(key=keys, debit=codes, credit=codes, amount=st.integers(1, 4_000), pending=st.booleans())
        def crash_before_commit(self, key, debit, credit, amount, pending):
            """A failure after the ledger wrote, before the commit: rolled back, nothing moved."""
            with tenant_scope(tenant):
                try:
                    ledger.transfer(tenant, ACTOR, self.k(key), self.run + debit, self.run + credit, amount,
                                    pending=pending)
                    db.session.flush()
                    raise RuntimeError("injected failure before commit")
                except (RuntimeError, LedgerError):
                    db.session.rollback()

        @invariant()
        def books_balance(self):
            if not hasattr(self, "model"):
                return
            with tenant_scope(tenant):
                db.session.expire_all()
                rows = db.session.execute(db.select(ledger.Account).where(
                    ledger.Account.code.startswith(self.run))).scalars().all()
                stored = {a.code[len(self.run):]: [a.debits_posted, a.credits_posted, a.debits_pending,
                                                    a.credits_pending] for a in rows}
            assert stored == self.model.bal
            assert sum(v[0] for v in stored.values()) == sum(v[1] for v in stored.values())  # debits = credits
            assert sum(v[2] for v in stored.values()) == sum(v[3] for v in stored.values())
            for code in ("w1", "w2"):
                dp, cp, dpend, _ = stored[code]
                assert cp - dp - dpend >= 0, f"wallet {code} overdrawn"
            db.session.rollback()
            assert ledger.check([tenant]) == []

    return LedgerMachine


def test_random_interleavings_keep_the_books(app, create_tenant):
    tenant = create_tenant()
    run_state_machine_as_test(make_machine(app, tenant), settings=settings(
        max_examples=15, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
