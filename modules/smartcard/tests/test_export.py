"""The auditor's export re-derives every balance (issue 18, "every balance can be re-derived from
it"): after every kind of card operation (top-up, pay with its fee leg, hold then capture, hold then
void, a hold expired by the core's job, an open hold, refund, QRIS, replace, close), the CSV read
back row by row gives each account's four ledger balances, and the Beancount file, loaded by
Beancount itself without an error, gives each account's posted balance."""
import csv
import io
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from beancount import loader
from beancount.core import data

from core.kit import db, ledger, tenant_scope

from .. import services
from .helpers import CARD, CARD2, NIK, system

CARD3 = "6032981000000003"


def _everything(app, tenant):
    with app.app_context():
        actor = system(tenant)
        holder = services.create_holder(tenant, actor, "Daeng Ngai", nik=NIK)
        services.issue_card(tenant, actor, CARD, holder)
        services.issue_card(tenant, actor, CARD2)
        services.top_up(tenant, actor, "bri-1", CARD, 100_000)
        services.top_up(tenant, actor, "bri-2", CARD2, 40_000)
        services.pay(tenant, actor, "pay-1", CARD, "pasar-terong", 20_000)  # 1 % fee: a linked leg
        services.hold(tenant, actor, "gate-1", CARD, "parkir-losari", 10_000)
        services.capture(tenant, actor, "gate-1-out", "gate-1", 4_000)
        services.hold(tenant, actor, "gate-2", CARD, "parkir-losari", 6_000)
        services.void(tenant, actor, "gate-2-void", "gate-2")
        services.hold(tenant, actor, "bus-late", CARD2, "bus-1", 3_000, timeout=60)
        services.refund(tenant, actor, "refund-1", "pay-1", 2_000)
        services.qris_paid(tenant, actor, "q-1", "pasar-terong", 15_000)
        db.session.commit()
        assert ledger.expire_pending(tenant, now=datetime.now(timezone.utc) + timedelta(seconds=61)) == 1
        db.session.commit()
        services.hold(tenant, actor, "bus-open", CARD, "bus-1", 8_000)  # still open when exported
        services.replace(tenant, actor, CARD2, CARD3)
        services.close(tenant, actor, CARD3, "moved away")
        db.session.commit()
        with tenant_scope(tenant):
            accounts = db.session.execute(db.select(ledger.Account)).scalars().all()
            return {a.code: (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
                    for a in accounts}


def _from_csv(text: str) -> dict:
    """Each account's (debits posted, credits posted, debits pending, credits pending) from the
    journal's rows alone."""
    rows = list(csv.DictReader(io.StringIO(text)))
    holds = {r["key"]: r for r in rows if r["kind"] == "pending"}
    out = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        amount = int(r["amount"])
        if r["kind"] in ("single", "post"):
            out[r["debit"]][0] += amount
            out[r["credit"]][1] += amount
        if r["kind"] == "pending":
            out[r["debit"]][2] += amount
            out[r["credit"]][3] += amount
        if r["kind"] in ("post", "void", "expire"):  # the hold it names is over: its reservation goes
            held = holds[r["pending"]]
            out[held["debit"]][2] -= int(held["amount"])
            out[held["credit"]][3] -= int(held["amount"])
    return {code: tuple(v) for code, v in out.items()}


def _from_beancount(text: str) -> dict:
    """Each account's posted balance (debits - credits, by ledger code) from the Beancount file."""
    entries, errors, _options = loader.load_string(text)
    assert not errors, [e.message for e in errors]
    codes = {e.account: e.meta["code"] for e in entries if isinstance(e, data.Open)}
    out = defaultdict(int)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                assert posting.units.currency == "IDR"
                out[codes[posting.account]] += int(posting.units.number)
    return dict(out)


def test_the_export_re_derives_every_balance(app, client, sc_tenant, create_user, login):
    books = _everything(app, sc_tenant)
    assert books[f"card.{CARD3}"][:2] == (40_000, 40_000)  # its balance moved in on replacing, paid out on closing
    assert books[f"card.{CARD}"][2] == 8_000  # the open hold
    login(client, create_user(sc_tenant, role="auditor"), sc_tenant)
    exported = client.get(f"/t/{sc_tenant.slug}/smartcard/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    derived = _from_csv(exported.get_data(as_text=True))
    assert derived == {code: b for code, b in books.items() if any(b)}
    bean = client.get(f"/t/{sc_tenant.slug}/smartcard/export.beancount").get_data(as_text=True)
    posted = _from_beancount(bean)
    assert posted == {code: b[0] - b[1] for code, b in books.items() if b[0] or b[1]}
    assert sum(posted.values()) == 0  # every debit has its credit
    # the derivation can fail: one rupiah less in one row is seen
    rows = exported.get_data(as_text=True).splitlines()
    i = next(n for n, r in enumerate(rows) if ",gate-1-out," in r)
    rows[i] = rows[i].replace(",4000,", ",3999,")
    assert _from_csv("\n".join(rows) + "\n") != derived
