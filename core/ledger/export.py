"""A tenant's journal as Beancount (``bean-check`` accepts it) or CSV.

Beancount (beancount.github.io/docs/beancount_language_syntax): each account opens under a root by
its kind, one root per kind (``ROOTS``): what the tenant holds is an asset (settlement: the bank
account money comes in through); what it owes others is a liability (a wallet is owed to its
holder, a merchant's and a service point's takings are owed to them until settled); what it earns
is income (fees, revenue). Each posted transfer is a balanced transaction in IDR, the debit leg
positive (so an amount owed to a merchant is a negative balance under ``Liabilities``, as
Beancount writes credits). Holds that are not posted move nothing and are left out; a post appears
at its own date for the amount posted. Dates are the tenant's local dates (a transfer at 05:29 WITA
on 1 December is dated 1 December); the CSV's ``created_at`` is ISO 8601 with the tenant's offset.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..extensions import db
from ..i18n import local_iso
from ..tenancy.scope import tenant_scope
from .models import Account, Transfer

ROOTS = {"wallet": "Liabilities:Wallet", "merchant": "Liabilities:Merchant",
         "service_point": "Liabilities:ServicePoint", "settlement": "Assets:Settlement", "fees": "Income:Fees",
         "revenue": "Income:Revenue"}
CSV_FIELDS = ["id", "key", "kind", "created_at", "debit", "credit", "amount", "pending", "linked", "memo"]


def _read(tenant):
    with tenant_scope(tenant):
        accounts = db.session.execute(select(Account).order_by(Account.id)).scalars().all()
        transfers = db.session.execute(select(Transfer).order_by(Transfer.id)).scalars().all()
    return accounts, transfers


def _name(account: Account) -> str:
    part = re.sub(r"[^A-Za-z0-9-]", "-", account.code)
    part = part[0].upper() + part[1:]
    if not part[0].isalnum():
        part = "X" + part
    return f"{ROOTS.get(account.kind, 'Assets:Other')}:{part}-{account.id}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _local(value, zone: str) -> datetime:
    """``value`` (UTC; naive read back as UTC) in the tenant's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(zone))


def beancount(tenant) -> str:
    accounts, transfers = _read(tenant)
    names = {a.id: _name(a) for a in accounts}
    first = min([_local(a.created_at, tenant.timezone) for a in accounts]
                + [_local(t.created_at, tenant.timezone) for t in transfers], default=None)
    out = [f"; Pamong ledger of {tenant.slug} (dates in {tenant.timezone})", 'option "operating_currency" "IDR"', ""]
    for a in accounts:
        out.append(f"{first.date().isoformat()} open {names[a.id]} IDR")
        out.append(f"  code: {_quote(a.code)}")
    out.append("")
    for t in transfers:
        if t.kind not in ("single", "post"):
            continue
        out.append(f"{_local(t.created_at, tenant.timezone).date().isoformat()} * {_quote(t.memo or t.kind)}")
        out.append(f"  key: {_quote(t.key)}")
        out.append(f"  {names[t.debit_account_id]}  {t.amount} IDR")
        out.append(f"  {names[t.credit_account_id]}  -{t.amount} IDR")
        out.append("")
    return "\n".join(out) + "\n"


def csv_text(tenant) -> str:
    accounts, transfers = _read(tenant)
    codes = {a.id: a.code for a in accounts}
    keys = {t.id: t.key for t in transfers}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for t in transfers:
        writer.writerow({"id": t.id, "key": t.key, "kind": t.kind, "created_at": local_iso(t.created_at, tenant.timezone),
                         "debit": codes[t.debit_account_id], "credit": codes[t.credit_account_id], "amount": t.amount,
                         "pending": keys.get(t.pending_id, ""), "linked": t.linked or "", "memo": t.memo})
    return buf.getvalue()
