"""Money (issue 15.4): the retribution collected per type and month, read from the core ledger,
reconciles with the paid applications, and both equal an independent sum of the fees the formulas
give, over random areas, payment months and unpaid invoices (Hypothesis). A payment recorded twice
(the counter and the provider's callback) is counted once."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.kit import db, tenant_scope

from .. import payments
from .conftest import AGENCIES, REKLAME, SETTINGS, invoice, pay

ZONE = ZoneInfo("Asia/Makassar")
START = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
KIOS = {**REKLAME, "code": "KIOS", "name_id": "Izin Kios", "name_en": "Kiosk permit",
        "fee": "table luas_m2 10:50000 50:200000 *:400000"}


def fee_of(code: str, area: int) -> int:
    """The two formulas, written out independently of fees.py."""
    if code == "REK":
        return max(100_000, 15_000 * area)
    return 50_000 if area <= 10 else 200_000 if area <= 50 else 400_000


@pytest.fixture
def shop(make_tenant, create_user, app):
    tenant = make_tenant({**SETTINGS, "types": [REKLAME, KIOS]})
    return tenant, create_user(tenant, "citizen"), create_user(tenant, "officer", agency="DPM")


APPLICATIONS = st.lists(st.tuples(st.sampled_from(["REK", "KIOS"]), st.integers(1, 120),
                                  st.integers(0, 24 * 80), st.booleans()), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(applications=APPLICATIONS)
def test_collected_reconciles_with_the_paid_applications(app_ctx, shop, actor, frozen_clock, applications):
    tenant, citizen_email, officer_email = shop
    citizen, officer = actor(citizen_email), actor(officer_email)
    expected = defaultdict(int, payments.collected(tenant))   # earlier examples' payments stay
    for code, area, hours, paid in applications:
        at = START + timedelta(hours=hours)
        frozen_clock.set(at)
        application, pay_code = invoice(tenant, citizen, officer, code, area)
        with tenant_scope(tenant):
            assert application.fee_amount == fee_of(code, area)
        if paid:
            payments.record_payment(tenant, officer, pay_code, fee_of(code, area), "counter")
            payments.record_payment(tenant, officer, pay_code, fee_of(code, area), "counter")  # again: once
            with pytest.raises(payments.AlreadyPaid):   # another payment of it: refused, recorded nowhere
                payments.record_payment(tenant, officer, pay_code, fee_of(code, area), "callback")
            expected[(code, at.astimezone(ZONE).strftime("%Y-%m"))] += fee_of(code, area)
    db.session.commit()
    assert payments.collected(tenant) == dict(expected)
    assert payments.billed(tenant) == dict(expected)
    assert payments.reconcile(tenant) == {}


def test_a_difference_is_named_by_type_and_month(app_ctx, shop, actor, frozen_clock):
    tenant, citizen_email, officer_email = shop
    citizen, officer = actor(citizen_email), actor(officer_email)
    frozen_clock.set(START)
    application = pay(tenant, citizen, officer, "REK", 10, 150_000)
    with tenant_scope(tenant):
        application.fee_amount = 140_000   # a row changed behind the module's back
        db.session.flush()
    assert payments.reconcile(tenant) == {("REK", "2026-01"): (150_000, 140_000)}
