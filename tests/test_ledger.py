"""The core ledger (issue 13.2): every bad input of the issue refused with a stable code and no
rupiah moved; holds, linked legs, idempotent ids, the audit trail, ``pamong ledger check/export``."""
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from cli import cli
from core import ledger
from core.extensions import db
from core.ledger import LedgerError
from core.tenancy.scope import tenant_scope

ACTOR = "test:ledger"


@pytest.fixture
def books(app_ctx, create_tenant):
    """A tenant with a settlement account holding 1,000,000 and a wallet holding 100,000."""
    tenant = create_tenant()
    with tenant_scope(tenant):
        ledger.open_account(tenant, ACTOR, "bank", "settlement")
        ledger.open_account(tenant, ACTOR, "wallet.budi", "wallet", balance_limit=2_000_000)
        ledger.open_account(tenant, ACTOR, "wallet.sari", "wallet")
        ledger.open_account(tenant, ACTOR, "merchant.toko", "merchant")
        ledger.open_account(tenant, ACTOR, "fees", "fees")
        ledger.transfer(tenant, ACTOR, "seed-budi", "bank", "wallet.budi", 100_000)
        db.session.commit()
    return tenant


def snapshot(tenant):
    with tenant_scope(tenant):
        db.session.expire_all()
        accounts = db.session.execute(db.select(ledger.Account).order_by(ledger.Account.id)).scalars().all()
        count = db.session.execute(db.select(db.func.count()).select_from(ledger.Transfer)).scalar()
        return {a.code: tuple(a.balances().values())[2:] for a in accounts}, count


def refused(tenant, code, fn, *args, **kw):
    before = snapshot(tenant)
    with tenant_scope(tenant), pytest.raises(LedgerError) as exc:
        fn(tenant, ACTOR, *args, **kw)
    assert exc.value.code == code, exc.value
    db.session.commit()  # nothing was written: committing changes nothing
    assert snapshot(tenant) == before
    return exc.value


@pytest.mark.parametrize("amount, code", [
    (-5, "amount_not_positive"), (0, "amount_not_positive"), (1.5, "amount_not_integer"),
    (100.0, "amount_not_integer"), (Decimal("10"), "amount_not_integer"), ("100", "amount_not_integer"),
    (True, "amount_not_integer"), (None, "amount_not_integer"), (10**12 + 1, "amount_too_large"),
])
def test_bad_amounts_are_refused(books, amount, code):
    err = refused(books, code, ledger.transfer, "t1", "wallet.budi", "merchant.toko", amount)
    assert err.where == "amount" and err.status == 422


def test_the_maximum_is_configurable(app, books):
    app.config["PAMONG_LEDGER_MAX_AMOUNT"] = 50_000
    try:
        refused(books, "amount_too_large", ledger.transfer, "t1", "wallet.budi", "merchant.toko", 50_001)
    finally:
        del app.config["PAMONG_LEDGER_MAX_AMOUNT"]


def test_unknown_account(books):
    err = refused(books, "account_unknown", ledger.transfer, "t1", "wallet.budi", "nobody", 10)
    assert err.where == "credit" and err.status == 404
    refused(books, "account_unknown", ledger.transfer, "t1", 999_999, "merchant.toko", 10)


def test_a_wallet_is_never_overdrawn(books):
    refused(books, "exceeds_credits", ledger.transfer, "t1", "wallet.budi", "merchant.toko", 100_001)
    refused(books, "exceeds_credits", ledger.transfer, "t1", "wallet.sari", "merchant.toko", 1)
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "t1", "wallet.budi", "merchant.toko", 100_000)
        db.session.commit()
    assert snapshot(books)[0]["wallet.budi"] == (100_000, 100_000, 0, 0)


def test_holds_count_against_the_wallet(books):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 60_000, pending=True)
        db.session.commit()
    refused(books, "exceeds_credits", ledger.transfer, "t2", "wallet.budi", "merchant.toko", 40_001)


def test_balance_limit(books):
    refused(books, "exceeds_limit", ledger.transfer, "t1", "bank", "wallet.budi", 1_900_001)
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "t1", "bank", "wallet.budi", 1_900_000)


def test_credits_must_not_exceed_debits(books):
    with tenant_scope(books):
        ledger.open_account(books, ACTOR, "loan", "settlement", credits_must_not_exceed_debits=True)
    refused(books, "exceeds_debits", ledger.transfer, "t1", "bank", "loan", 1)


def test_a_transfer_between_two_tenants_is_impossible(books, create_tenant):
    other = create_tenant()
    with tenant_scope(other):
        theirs = ledger.open_account(other, ACTOR, "wallet.x", "wallet")
        db.session.commit()
        their_id, _ = theirs.id, theirs.code
        db.session.expunge(theirs)
    err = refused(books, "cross_tenant", ledger.transfer, "t1", "bank", theirs, 10)
    assert err.where == "credit"
    refused(books, "account_unknown", ledger.transfer, "t1", "bank", their_id, 10)  # not visible by id
    # and the database refuses it too (composite foreign keys)
    mine = snapshot(books)
    with tenant_scope(books):
        bank = ledger.get_account(books, "bank")
        with pytest.raises(IntegrityError):
            db.session.execute(text(
                "INSERT INTO ledger_transfers (tenant_id, key, kind, debit_account_id, credit_account_id, amount,"
                " memo, created_at) VALUES (:t, 'x', 'single', :d, :c, 10, '', :now)"),
                {"t": books.id, "d": bank.id, "c": their_id, "now": datetime.now(timezone.utc)})
    db.session.rollback()
    assert snapshot(books) == mine


def test_same_id_same_body_returns_the_first_result_other_body_is_refused(books, audit_entries):
    with tenant_scope(books):
        first = ledger.transfer(books, ACTOR, "pay-1", "wallet.budi", "merchant.toko", 1_000)
        db.session.commit()
        first_id = first.id
        again = ledger.transfer(books, ACTOR, "pay-1", "wallet.budi", "merchant.toko", 1_000)
        assert again.id == first_id
        db.session.commit()
    err = refused(books, "id_reused", ledger.transfer, "pay-1", "wallet.budi", "merchant.toko", 1_001)
    assert err.status == 409
    refused(books, "id_reused", ledger.transfer, "pay-1", "wallet.budi", "fees", 1_000)
    assert snapshot(books)[0]["merchant.toko"] == (0, 1_000, 0, 0)
    entries = [e for e in audit_entries(books, "ledger.single") if e["summary"]["after"]["key"] == "pay-1"]
    assert len(entries) == 1 and entries[0]["summary"]["after"]["amount"] == 1_000


def test_bad_ids(books):
    for key in ("", "a" * 65, "has space", "-lead", 7, None):
        refused(books, "key_invalid", ledger.transfer, key, "wallet.budi", "merchant.toko", 1)


def test_hold_post_for_less(books):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 30_000, pending=True)
        db.session.commit()
        assert snapshot(books)[0]["wallet.budi"] == (0, 100_000, 30_000, 0)
        ledger.post(books, ACTOR, "p1", "h1", 25_000)
        db.session.commit()
    assert snapshot(books)[0]["wallet.budi"] == (25_000, 100_000, 0, 0)
    assert snapshot(books)[0]["merchant.toko"] == (0, 25_000, 0, 0)


def test_pending_posted_twice_after_void_or_for_more(books):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 30_000, pending=True)
        ledger.transfer(books, ACTOR, "h2", "wallet.budi", "merchant.toko", 10_000, pending=True)
        db.session.commit()
    refused(books, "post_exceeds_pending", ledger.post, "p1", "h1", 30_001)
    with tenant_scope(books):
        ledger.post(books, ACTOR, "p1", "h1")
        ledger.void(books, ACTOR, "v2", "h2")
        db.session.commit()
    assert refused(books, "pending_already_posted", ledger.post, "p1b", "h1").status == 409
    refused(books, "pending_already_posted", ledger.void, "v1", "h1")
    refused(books, "pending_already_voided", ledger.post, "p2", "h2")
    refused(books, "pending_not_found", ledger.post, "p3", "nope")
    refused(books, "pending_not_found", ledger.post, "p3", "seed-budi")  # not a hold
    # the post itself again: its first result
    with tenant_scope(books):
        assert ledger.post(books, ACTOR, "p1", "h1").amount == 30_000


def test_timeouts_void_holds(books):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 30_000, pending=True, timeout=60)
        db.session.commit()
    later = datetime.now(timezone.utc) + timedelta(seconds=61)
    assert ledger.expire_pending(books, now=later) == 1
    db.session.commit()
    assert snapshot(books)[0]["wallet.budi"] == (0, 100_000, 0, 0)
    refused(books, "pending_expired", ledger.post, "p1", "h1")
    assert ledger.expire_pending(books, now=later) == 0
    refused(books, "timeout_invalid", ledger.transfer, "h2", "wallet.budi", "merchant.toko", 1, pending=True, timeout=0)
    # past TigerBeetle's u32 of seconds: refused, not an overflow when the lapse date is computed
    for timeout in (2**32, 10**12):
        refused(books, "timeout_invalid", ledger.transfer, "h2", "wallet.budi", "merchant.toko", 1, pending=True,
                timeout=timeout)


def test_an_expired_hold_is_refused_before_the_job_runs(books):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 30_000, pending=True, timeout=1)
        db.session.commit()
    from core.ledger import service

    with tenant_scope(books), pytest.raises(LedgerError) as exc:
        service._apply(books, ACTOR, [service.Leg("p1", "post", pending_key="h1")],
                       now=datetime.now(timezone.utc) + timedelta(seconds=2))
    assert exc.value.code == "pending_expired"


def test_linked_legs_all_or_nothing(books, audit_entries):
    legs = [{"key": "buy-1", "debit": "wallet.budi", "credit": "merchant.toko", "amount": 9_000},
            {"key": "buy-1.fee", "debit": "wallet.budi", "credit": "fees", "amount": 1_000}]
    bad = [dict(legs[0]), {**legs[1], "amount": 91_001}]
    err = refused(books, "exceeds_credits", ledger.linked, bad)
    assert err.where == "legs[1].amount"
    refused(books, "amount_not_positive", ledger.linked, [legs[0], {**legs[1], "amount": -1}])
    with tenant_scope(books):
        rows = ledger.linked(books, ACTOR, legs)
        db.session.commit()
        assert [r.linked for r in rows] == ["buy-1", "buy-1"]
    assert snapshot(books)[0]["wallet.budi"] == (10_000, 100_000, 0, 0)
    assert {e["summary"]["after"]["key"] for e in audit_entries(books, "ledger.single")} >= {"buy-1", "buy-1.fee"}


def test_ledger_check_and_export(app, books, tmp_path):
    with tenant_scope(books):
        ledger.transfer(books, ACTOR, "h1", "wallet.budi", "merchant.toko", 30_000, pending=True)
        ledger.transfer(books, ACTOR, "t1", "wallet.budi", "merchant.toko", 5_000, memo='kopi "susu"')
        ledger.post(books, ACTOR, "p1", "h1", 20_000)
        db.session.commit()
    runner = CliRunner()
    obj = ScriptInfo(create_app=lambda: app)
    result = runner.invoke(cli, ["ledger", "check", books.slug], obj=obj)
    # says what it checked: 5 accounts, 4 transfers (seed, hold, single, post) of one tenant
    assert result.exit_code == 0 and result.output.strip() == "ok: 5 accounts, 4 transfers of 1 tenants", result.output
    result = runner.invoke(cli, ["ledger", "check", "no-such-tenant"], obj=obj)
    assert result.exit_code == 2
    csv_out = runner.invoke(cli, ["ledger", "export", books.slug, "--format", "csv"], obj=obj)
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[0].startswith("id,key,kind")
    assert len(csv_out.output.splitlines()) == 1 + 4
    out = runner.invoke(cli, ["ledger", "export", books.slug, "--format", "beancount"], obj=obj)
    assert out.exit_code == 0
    path = tmp_path / "books.beancount"
    path.write_text(out.output)
    bean_check = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))
    done = subprocess.run([bean_check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr + out.output
    # a broken one is caught by bean-check too (the test can fail)
    path.write_text(out.output.replace("  -20000 IDR", "  -19999 IDR"))
    assert subprocess.run([bean_check, str(path)], capture_output=True).returncode != 0

    # a balance changed behind the ledger's back: one line per problem, exit 1
    with tenant_scope(books):
        db.session.execute(text("UPDATE ledger_accounts SET credits_posted = credits_posted + 1 "
                                "WHERE code = 'merchant.toko' AND tenant_id = :t"), {"t": books.id})
        db.session.commit()
    result = runner.invoke(cli, ["ledger", "check", books.slug], obj=obj)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{books.slug}: account merchant.toko: credits_posted is 25001, the journal says 25000" in lines
    assert any("posted debits" in line for line in lines)


def test_transfers_are_immutable_in_the_database(books):
    from sqlalchemy.exc import DBAPIError

    before = snapshot(books)
    with tenant_scope(books), pytest.raises(DBAPIError, match="immutable"):
        db.session.execute(text("UPDATE ledger_transfers SET amount = 1 WHERE key = 'seed-budi' AND tenant_id = :t"),
                           {"t": books.id})
    db.session.rollback()
    assert snapshot(books) == before


def test_export_roots_and_local_dates(app, books, tmp_path, monkeypatch):
    """Issue 13 trial: money owed to others is a liability (merchants, service points, wallets),
    fees income, the bank an asset, one root per kind; entries dated by the tenant's local date and
    the CSV's times carry the tenant's offset (Asia/Makassar, +08:00)."""
    with tenant_scope(books):
        ledger.open_account(books, ACTOR, "loket.1", "service_point")
        ledger.open_account(books, ACTOR, "merchant.warung", "merchant")
        # 05:29 WITA on 1 December 2026 is 21:29 UTC on 30 November
        monkeypatch.setattr("core.ledger.service._now",
                            lambda now=None: datetime(2026, 11, 30, 21, 29, tzinfo=timezone.utc))
        ledger.transfer(books, ACTOR, "pay-1", "wallet.budi", "merchant.toko", 7_000)
        monkeypatch.undo()
        ledger.transfer(books, ACTOR, "pay-2", "wallet.budi", "loket.1", 3_000)
        ledger.transfer(books, ACTOR, "fee-1", "merchant.toko", "fees", 500)
        db.session.commit()
    runner = CliRunner()
    obj = ScriptInfo(create_app=lambda: app)
    out = runner.invoke(cli, ["ledger", "export", books.slug, "--format", "beancount"], obj=obj).output
    opened = {line.split()[2] for line in out.splitlines() if " open " in line}
    roots = {name.rsplit(":", 1)[0] for name in opened}
    assert roots == {"Assets:Settlement", "Liabilities:Wallet", "Liabilities:Merchant", "Liabilities:ServicePoint",
                     "Income:Fees"}, opened
    assert sum(name.startswith("Liabilities:Merchant:") for name in opened) == 2  # both merchants, one root
    entry = out[:out.index('key: "pay-1"')].rsplit("\n", 2)[-2]
    assert entry.startswith("2026-12-01 * "), entry
    path = tmp_path / "books.beancount"
    path.write_text(out)
    bean_check = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))
    done = subprocess.run([bean_check, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr + out
    rows = runner.invoke(cli, ["ledger", "export", books.slug, "--format", "csv"], obj=obj).output.splitlines()
    pay = next(r for r in rows if ",pay-1," in r)
    assert ",2026-12-01T05:29:00+08:00," in pay, pay
    assert all("+08:00" in r for r in rows[1:]), rows
