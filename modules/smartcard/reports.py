"""What the card's ledger shows: a holder's statement, a merchant's takings by day, an agency's
totals, the public totals per service and month. All read from the core ledger's journal (the
balances there are re-derivable from it: ``pamong ledger check``); amounts are integer rupiah, days
and months on the tenant's local calendar."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from core.kit import db, ledger, local_date, tenant_scope

from .models import QRIS_SETTLEMENT, account_code
from .settings_access import settings


@dataclass
class Line:
    at: datetime
    kind: str  # single, pending, post, void, expire
    what: str  # topup, pay, fee, hold, capture, void, refund, replace, close, qris, ...
    amount: int  # signed rupiah that moved the posted balance: + in, - out (0 for a hold and its release)
    other: str  # the other account's code
    held: int = 0  # an open hold: the rupiah it reserves (reduces the available balance, not the posted one)
    balance: int = 0  # the posted balance after this line


def _transfers(tenant, account_id: int, limit: int | None = None):
    T = ledger.Transfer
    with tenant_scope(tenant):
        query = db.select(T).where((T.debit_account_id == account_id) | (T.credit_account_id == account_id)) \
            .order_by(T.id.desc())
        if limit:
            query = query.limit(limit)
        return db.session.execute(query).scalars().all()


def _codes(tenant) -> dict[int, str]:
    with tenant_scope(tenant):
        return dict(db.session.execute(db.select(ledger.Account.id, ledger.Account.code)).all())


def statement(tenant, wallet_code: str, limit: int = 50) -> list[Line]:
    """The newest ``limit`` movements of a wallet (a card), newest first, that reconcile with its
    posted balance: each line's ``amount`` is what it moved the posted balance by, ``balance`` the
    posted balance after it. A posted transfer (a top-up, a payment, a hold's capture) is one line;
    a hold still open is a line with its ``held`` rupiah and no amount; a hold that ended is not
    listed itself (its capture is, or its release with no amount)."""
    account = ledger.get_account(tenant, wallet_code)
    codes = _codes(tenant)
    transfers = _transfers(tenant, account.id, limit)
    ended = {t.pending_id for t in transfers if t.pending_id is not None}  # an end is newer than its hold
    lines = []
    for t in transfers:
        if t.kind == "pending" and t.id in ended:
            continue
        out = t.debit_account_id == account.id
        signed = -t.amount if out else t.amount
        amount = signed if t.kind in ("single", "post") else 0
        held = signed if t.kind == "pending" else 0
        # a payment's fee leg (``<key>.fee``, ``operations.pay``) is its own line, named as the fee
        what = "fee" if t.key.endswith(".fee") else (t.memo or t.kind).split(" ")[0]
        lines.append(Line(t.created_at, t.kind, what, amount,
                          codes.get(t.credit_account_id if out else t.debit_account_id, ""), held))
    running = account.credits_posted - account.debits_posted
    for line in lines:  # newest first: walk the posted balance back
        line.balance = running
        running -= line.amount
    return lines


def _net(tenant, account_id: int, leave_out: int | None = None):
    """(local date, net rupiah) of each posted movement of a merchant account (but those from the
    account ``leave_out``)."""
    for t in _transfers(tenant, account_id):
        if t.kind in ("single", "post") and (leave_out is None or t.debit_account_id != leave_out):
            yield local_date(tenant, _aware(t.created_at)), (t.amount if t.credit_account_id == account_id
                                                            else -t.amount)


def _aware(value: datetime) -> datetime:
    from datetime import timezone

    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def takings_by_day(tenant, merchant: str) -> list[tuple[date, int]]:
    """[(local date, net rupiah)] of a merchant or service point, newest day first (refunds netted)."""
    try:
        account = ledger.get_account(tenant, account_code(merchant))
    except ledger.LedgerError:
        return []
    days: dict = defaultdict(int)
    for day, amount in _net(tenant, account.id):
        days[day] += amount
    return sorted(days.items(), reverse=True)


def _merchant_totals(tenant, only=None, leave_out: int | None = None):
    """{merchant code: [(local date, net)]} for every merchant of the settings (those of ``only``,
    a set of codes, when given; without the movements from the account ``leave_out``)."""
    codes = _codes_to_ids(tenant)
    out = {}
    for m in settings(tenant)["merchants"]:
        if only is not None and m["code"] not in only:
            continue
        aid = codes.get(account_code(m["code"]))
        out[m["code"]] = list(_net(tenant, aid, leave_out)) if aid else []
    return out


def _codes_to_ids(tenant) -> dict[str, int]:
    return {v: k for k, v in _codes(tenant).items()}


def agency_totals(tenant, only=None) -> list[tuple[str, int, int]]:
    """[(agency code, service points, net rupiah)] of the service points each agency runs, and
    (last, agency code "") of the merchants and service points that name no agency, so the rows add
    up to every merchant's takings; ``only`` (a set of merchant codes): of those merchants alone."""
    merchants = {m["code"]: m for m in settings(tenant)["merchants"]}
    totals: dict = defaultdict(lambda: [0, 0])
    for code, moves in _merchant_totals(tenant, only).items():
        agency = merchants[code].get("agency") or ""  # "": a merchant or service point of no agency
        totals[agency][0] += 1
        totals[agency][1] += sum(a for _, a in moves)
    return sorted(((a, n, total) for a, (n, total) in totals.items()), key=lambda row: (row[0] == "", row[0]))


def public_totals(tenant) -> tuple[list[str], dict[str, list[int]]]:
    """(months "YYYY-MM" oldest first, {service: [net rupiah per month]}) paid by card to every
    merchant: a QRIS payment (from any bank's app, through the QRIS settlement account) is the
    merchant's takings but no card's, and is left out."""
    merchants = {m["code"]: m for m in settings(tenant)["merchants"]}
    qris = _codes_to_ids(tenant).get(QRIS_SETTLEMENT)
    cells: dict = defaultdict(int)
    for code, moves in _merchant_totals(tenant, leave_out=qris).items():
        for day, amount in moves:
            cells[(merchants[code]["service"], day.strftime("%Y-%m"))] += amount
    months = sorted({m for _, m in cells})
    services = sorted({s for s, _ in cells})
    return months, {s: [cells.get((s, m), 0) for m in months] for s in services}
