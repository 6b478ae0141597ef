"""Property test (hypothesis stateful): random interleavings of every operation (holds voided by
the core's timeout job too), each with an injected failure (the process dies before its commit,
or right after it) and a retry with the same key. Whatever happens, no rupiah is created or lost
(each card holds exactly what the accepted operations say, debits equal credits, every balance
re-derives from the journal) and no wallet is ever negative."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, \
    run_state_machine_as_test

from core.kit import PamongError, db, ledger, utcnow

from .. import services
from .helpers import SETTINGS, system

tenant = None  # the current example's tenant (set by the machine's initialize)
CARDS = ["6032981000000101", "6032981000000102", "6032981000000103"]
MERCHANTS = ["pasar-terong", "parkir-losari", "bus-1"]
FAULTS = st.sampled_from(["none", "before_commit", "after_commit"])
AMOUNTS = st.one_of(st.integers(min_value=1, max_value=900_000), st.sampled_from([0, -1, 2.5, "100"]))


def machine_for(new_tenant):
    class CardLedger(RuleBasedStateMachine):
        @initialize()
        def cards(self):
            global tenant
            db.session.rollback()  # the last example's reads: the fixture writes from its own session
            tenant = new_tenant()  # a fresh tenant per example: each run replays the same way
            self.n = 0
            self.balance = dict.fromkeys(CARDS, 0)  # rupiah posted, by the model
            self.held = {}  # hold key -> (card, amount)
            self.payments = {}  # key -> (card, net amount refundable)
            self.actor = system(tenant)
            self.prefix = "s-"
            self.number = {c: c for c in CARDS}  # a card slot's current number (a replacement changes it)
            self.replacements = 0
            for number in CARDS:
                services.issue_card(tenant, self.actor, number)
            db.session.commit()

        def key(self):
            self.n += 1
            return f"{self.prefix}{self.n}"

        def do(self, fault, call, counted=False):
            """``call()`` under ``fault``; its result, or None when refused (nothing written).
            ``counted``: ``call()`` answers how many it changed (the expiry job): run again after
            its commit it changes nothing."""
            try:
                result = call()
            except PamongError:
                db.session.rollback()
                return None
            if fault == "before_commit":  # died before commit: nothing happened; the client retries
                db.session.rollback()
                result = call()
            if counted:
                db.session.commit()
                if fault == "after_commit":
                    assert call() == 0
                    db.session.commit()
                return result
            ids = [t.id for t in (result if isinstance(result, list) else [result])]
            db.session.commit()
            if fault == "after_commit":  # the answer was lost: the retry gets the same transfer
                again = call()
                assert [t.id for t in (again if isinstance(again, list) else [again])] == ids
                db.session.commit()
            return ids

        @rule(card=st.sampled_from(CARDS), amount=AMOUNTS, fault=FAULTS)
        def top_up(self, card, amount, fault):
            if self.do(fault, lambda k=self.key(): services.top_up(tenant, self.actor, k, self.number[card], amount)):
                self.balance[card] += amount

        @rule(card=st.sampled_from(CARDS), merchant=st.sampled_from(MERCHANTS), amount=AMOUNTS, fault=FAULTS)
        def pay(self, card, merchant, amount, fault):
            key = self.key()
            if self.do(fault, lambda: services.pay(tenant, self.actor, key, self.number[card], merchant, amount)):
                self.balance[card] -= amount
                self.payments[key] = card

        @rule(card=st.sampled_from(CARDS), merchant=st.sampled_from(MERCHANTS), amount=AMOUNTS, fault=FAULTS)
        def hold(self, card, merchant, amount, fault):
            key = self.key()
            if self.do(fault, lambda: services.hold(tenant, self.actor, key, self.number[card], merchant, amount)):
                self.held[key] = (card, amount)

        @precondition(lambda self: self.held)
        @rule(data=st.data(), fault=FAULTS, part=st.floats(min_value=0, max_value=1.2))
        def capture(self, data, fault, part):
            hold = data.draw(st.sampled_from(sorted(self.held)))
            card, amount = self.held[hold]
            fare = max(int(amount * part), 1)
            if self.do(fault, lambda k=self.key(): services.capture(tenant, self.actor, k, hold, fare)):
                self.balance[card] -= fare
                del self.held[hold]

        @precondition(lambda self: self.held)
        @rule(data=st.data(), fault=FAULTS)
        def void(self, data, fault):
            hold = data.draw(st.sampled_from(sorted(self.held)))
            if self.do(fault, lambda k=self.key(): services.void(tenant, self.actor, k, hold)):
                del self.held[hold]

        @precondition(lambda self: self.payments)
        @rule(data=st.data(), fault=FAULTS, amount=st.integers(min_value=1, max_value=900_000))
        def refund(self, data, fault, amount):
            payment = data.draw(st.sampled_from(sorted(self.payments)))
            card = self.payments[payment]
            if self.do(fault, lambda k=self.key(): services.refund(tenant, self.actor, k, payment, amount)):
                self.balance[card] += amount

        @rule(card=st.sampled_from(CARDS), merchant=st.sampled_from(MERCHANTS), fault=FAULTS,
              amount=st.integers(min_value=1, max_value=50_000))
        def timeouts_pass(self, card, merchant, fault, amount):
            """A gate holds an amount (topped up first) and nobody comes back: a day later the core's
            job voids every open hold (run again, it finds none)."""
            number, key = self.number[card], self.key()
            if self.do("none", lambda: services.top_up(tenant, self.actor, key, number, amount)):
                self.balance[card] += amount
                hold = self.key()
                if self.do("none", lambda: services.hold(tenant, self.actor, hold, number, merchant, amount)):
                    self.held[hold] = (card, amount)
            later = utcnow() + timedelta(days=1)
            expired = self.do(fault, lambda: ledger.expire_pending(tenant, now=later), counted=True)
            assert expired == len(self.held)
            self.held.clear()

        @rule(card=st.sampled_from(CARDS))
        def block_then_operate_then_unblock(self, card):
            """A blocked card refuses to pay or be topped up (blocking has no key: no retry)."""
            number = self.number[card]
            if self.do("none", lambda: services.block(tenant, self.actor, number)) is None:
                return  # closed or replaced: nothing to block
            assert self.do("none", lambda k=self.key(): services.top_up(tenant, self.actor, k, number, 1)) is None
            assert self.do("none", lambda k=self.key(): services.pay(tenant, self.actor, k, number, "bus-1", 1)) is None
            self.do("none", lambda: services.unblock(tenant, self.actor, number))

        @rule(card=st.sampled_from(CARDS), fault=st.sampled_from(["none", "before_commit"]))
        def replace(self, card, fault):
            """A new card for the slot; the balance moves with it (refused while a hold is open)."""
            self.replacements += 1
            new = f"60329820{self.replacements:08d}"
            if self.do(fault, lambda: services.replace(tenant, self.actor, self.number[card], new)):
                self.number[card] = new

        @rule(card=st.sampled_from(CARDS), fault=st.sampled_from(["none", "before_commit"]))
        def close(self, card, fault):
            """The card closes; its balance is paid out (refused while a hold is open)."""
            if self.do(fault, lambda: services.close(tenant, self.actor, self.number[card])):
                self.balance[card] = 0

        def teardown(self):
            db.session.rollback()

        @invariant()
        def no_rupiah_created_or_lost(self):
            for card in CARDS:
                got = services.balance(tenant, self.number[card])
                held = sum(a for c, a in self.held.values() if c == card)
                assert (got.balance, got.held) == (self.balance[card], held)
                assert got.available >= 0 and got.balance >= 0
            assert ledger.check([tenant]) == []

    return CardLedger


def test_random_operations_with_failures_and_retries(app_ctx, create_tenant):
    machine = machine_for(lambda: create_tenant(modules={"smartcard": SETTINGS}))
    machine.TestCase.settings = settings(max_examples=10, stateful_step_count=20, deadline=None,
                                         suppress_health_check=list(HealthCheck))
    run_state_machine_as_test(machine, settings=machine.TestCase.settings)
