"""Double-entry transfers between a tenant's accounts (DESIGN §4: money is integer rupiah and moves
only as transfers on the core ledger).

The rules are TigerBeetle's (docs.tigerbeetle.com, "Transfers", "Two-phase transfers", "Linked
events"), kept in one database transaction:

- an amount is a positive ``int`` of rupiah, at most ``PAMONG_LEDGER_MAX_AMOUNT`` (default 10^12);
  ``bool``, ``float`` (even 100.0), ``Decimal`` and strings are refused;
- a transfer's ``key`` (1-64 of ``A-Z a-z 0-9 . _ : -``, first a letter or digit) is its id and its
  idempotency key: the same key with the same body returns the transfer first written; with another
  body it is refused (``id_reused``). A refused transfer writes nothing, so its key stays free;
- a hold (``pending=True``) reserves the amount; ``post`` ends it for at most the amount held,
  ``void`` releases it, and ``expire_pending`` voids holds past their ``timeout`` (seconds);
- ``linked`` writes several legs all or nothing (fee splits);
- ``debits_must_not_exceed_credits`` (a wallet: never below zero) counts pending debits too;
  ``balance_limit`` caps the balance in the account's own direction, pending included (e.g. Bank
  Indonesia's caps for e-money: Rp2,000,000 unregistered, Rp20,000,000 registered, PBI 20/6/PBI/2018).

Accounts are locked in id order (``SELECT ... ORDER BY id FOR NO KEY UPDATE`` on PostgreSQL, the write
transaction on SQLite, core/locking.py), so concurrent transfers neither deadlock nor lose an update;
balances change in the same transaction as the journal. Services flush and audit; the caller commits.
Every refusal is a ``LedgerError`` raised before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from ..audit import record as audit
from ..extensions import db
from ..locking import write_lock
from ..tenancy.scope import tenant_scope
from .errors import LedgerError
from .rules import _check_limits, _check_static, _where, check_amount, check_key  # noqa: F401 (check_amount: core.ledger)
from .models import KINDS, Account, Transfer

def _tid(tenant) -> int:
    return tenant if isinstance(tenant, int) else tenant.id


# -- accounts -----------------------------------------------------------------------------------

def open_account(tenant, actor, code: str, kind: str, *, debits_must_not_exceed_credits: bool | None = None,
                 credits_must_not_exceed_debits: bool = False, balance_limit: int | None = None) -> Account:
    """Open the account ``code`` of ``kind`` (one of ``KINDS``); a wallet by default may not be
    overdrawn. Opening it again with the same settings returns it; other settings: ``account_exists``."""
    check_key(code, "code")
    if kind not in KINDS:
        raise LedgerError("kind_invalid", _("Unknown account kind; use one of: %(kinds)s.", kinds=", ".join(KINDS)), "kind")
    if debits_must_not_exceed_credits is None:
        debits_must_not_exceed_credits = kind == "wallet"
    if debits_must_not_exceed_credits and credits_must_not_exceed_debits:
        raise LedgerError("kind_invalid", _("An account cannot limit both its debits and its credits."), "flags")
    if balance_limit is not None:
        try:
            check_amount(balance_limit, "balance_limit")
        except LedgerError as exc:
            raise LedgerError("limit_invalid", exc.message, "balance_limit") from None
    spec = dict(kind=kind, debits_must_not_exceed_credits=bool(debits_must_not_exceed_credits),
                credits_must_not_exceed_debits=bool(credits_must_not_exceed_debits), balance_limit=balance_limit)
    with tenant_scope(tenant):
        found = db.session.execute(select(Account).where(Account.code == code)).scalar_one_or_none()
        if found is not None:
            if any(getattr(found, k) != v for k, v in spec.items()):
                raise LedgerError("account_exists", _("An account with this code exists with other settings."), code)
            return found
        account = Account(code=code, **spec)
        db.session.add(account)
        db.session.flush()
        audit(tenant, actor, "ledger.account_open", "ledger_account", account.id, after={"code": code, **spec})
        return account


def get_account(tenant, code: str) -> Account:
    with tenant_scope(tenant):
        found = db.session.execute(select(Account).where(Account.code == code)).scalar_one_or_none()
    if found is None:
        raise LedgerError("account_unknown", _("No such account."), str(code))
    return found


# -- transfers ----------------------------------------------------------------------------------

@dataclass
class Leg:
    key: str
    kind: str  # single, pending, post, void, expire
    debit: object = None  # code, id or Account (single, pending)
    credit: object = None
    amount: int | None = None
    timeout: int | None = None  # seconds (pending)
    pending_key: str | None = None  # post, void
    memo: str = ""
    where: str = ""
    linked: str | None = None  # single, pending through ``transfer``: the key of its chain's first leg


def transfer(tenant, actor, key: str, debit, credit, amount: int, *, pending: bool = False,
             timeout: int | None = None, memo: str = "", linked: str | None = None) -> Transfer:
    """Move ``amount`` rupiah from ``debit`` to ``credit`` (codes, ids or ``Account`` rows of
    ``tenant``); with ``pending=True`` hold it (voided after ``timeout`` seconds if given).
    ``linked``: this transfer is a leg of a chain the caller writes leg by leg in one transaction,
    named by its first leg's key (as ``linked`` writes it); the caller's rollback when a leg is
    refused makes the chain all or nothing."""
    from .fast import single

    leg = Leg(key, "pending" if pending else "single", debit, credit, amount, timeout, memo=memo, linked=linked)
    return single(_tid(tenant), tenant, actor, leg, _now())  # the short-lock path (core/ledger/fast.py)


def post(tenant, actor, key: str, pending_key: str, amount: int | None = None, memo: str = "") -> Transfer:
    """End the hold ``pending_key`` by posting ``amount`` (default: all of it; never more)."""
    return _apply(tenant, actor, [Leg(key, "post", amount=amount, pending_key=pending_key, memo=memo)])[0]


def void(tenant, actor, key: str, pending_key: str, memo: str = "") -> Transfer:
    """End the hold ``pending_key`` without moving anything."""
    return _apply(tenant, actor, [Leg(key, "void", pending_key=pending_key, memo=memo)])[0]


def linked(tenant, actor, legs: list[dict]) -> list[Transfer]:
    """Several transfers all or nothing. Each leg is a dict with ``key``, ``debit``, ``credit``,
    ``amount`` and optionally ``pending``, ``timeout``, ``memo``; or ``key`` + ``post`` (the pending
    key) [+ ``amount``], or ``key`` + ``void``. A refusal names the leg (``legs[i]``)."""
    if not isinstance(legs, list) or not legs:
        raise LedgerError("key_invalid", _("A linked transfer needs at least one leg."), "legs")
    out = []
    for i, leg in enumerate(legs):
        where = f"legs[{i}]"
        if not isinstance(leg, dict):
            raise LedgerError("key_invalid", _("Each leg must be an object."), where)
        if "post" in leg:
            out.append(Leg(leg.get("key"), "post", amount=leg.get("amount"), pending_key=leg["post"],
                           memo=leg.get("memo", ""), where=where))
        elif "void" in leg:
            out.append(Leg(leg.get("key"), "void", pending_key=leg["void"], memo=leg.get("memo", ""), where=where))
        else:
            out.append(Leg(leg.get("key"), "pending" if leg.get("pending") else "single", leg.get("debit"),
                           leg.get("credit"), leg.get("amount"), leg.get("timeout"), memo=leg.get("memo", ""),
                           where=where))
    return _apply(tenant, actor, out)


def _ref(tenant_id: int, ref, where: str):
    """('id', n) or ('code', s) for an account reference of this tenant."""
    if hasattr(ref, "tenant_id") and hasattr(ref, "code"):
        if ref.tenant_id != tenant_id:
            raise LedgerError("cross_tenant", _("The account belongs to another tenant."), where)
        return ("id", ref.id)
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ("id", ref)
    if isinstance(ref, str) and ref:
        return ("code", ref)
    raise LedgerError("account_unknown", _("No such account."), where)


def _now(now=None) -> datetime:
    from ..clock import now as clock_now  # the core's one clock (frozen in tests), as the models' defaults

    return now or clock_now()


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def _apply(tenant, actor, legs: list[Leg], now=None) -> list[Transfer]:
    _check_static(legs)
    tid = _tid(tenant)
    now = _now(now)
    with tenant_scope(tenant):
        write_lock(db.session)
        # holds are immutable: read them before locking, to know which accounts to lock
        pend_keys = [leg.pending_key for leg in legs if leg.kind in ("post", "void", "expire")]
        pendings = {}
        if pend_keys:
            pendings = {t.key: t for t in db.session.execute(
                select(Transfer).where(Transfer.key.in_(pend_keys), Transfer.kind == "pending")).scalars()}
        refs = {}
        for leg in legs:
            if leg.kind in ("single", "pending"):
                refs[(id(leg), "debit")] = _ref(tid, leg.debit, _where(leg, "debit"))
                refs[(id(leg), "credit")] = _ref(tid, leg.credit, _where(leg, "credit"))
            else:
                p = pendings.get(leg.pending_key)
                if p is None:
                    raise LedgerError("pending_not_found", _("No pending transfer with this id."), _where(leg, "pending_id"))
                refs[(id(leg), "debit")] = ("id", p.debit_account_id)
                refs[(id(leg), "credit")] = ("id", p.credit_account_id)
        accounts = _lock(set(refs.values()))
        for (leg_id, side), ref in refs.items():
            if ref not in accounts:
                leg = next(x for x in legs if id(x) == leg_id)
                raise LedgerError("account_unknown", _("No such account."), _where(leg, side))
        # the same ids again: the first result (read after the locks, so a concurrent twin has committed).
        # One leg (the common case): found by its insert (ON CONFLICT DO NOTHING) or when refused,
        # which spares a round trip while the accounts are locked.
        single = len(legs) == 1
        if not single:
            found = _existing(legs, refs, accounts, pendings)
            if found is not None:
                return found
        try:
            rows, state = _plan(legs, refs, accounts, pendings, now)
        except LedgerError:
            found = _existing(legs, refs, accounts, pendings) if single else None
            if found is not None:
                return found
            raise
        if single:
            row = _insert_new(tid, rows[0])
            if row is None:
                return _existing(legs, refs, accounts, pendings)
            rows = [row]
        else:
            db.session.add_all(rows)
            db.session.flush()
        _write_balances(tid, accounts.values(), state)
        codes = {a.id: a.code for a in accounts.values()}
        for t in rows:
            audit(tenant, actor, f"ledger.{t.kind}", "ledger_transfer", t.id, after={
                "key": t.key, "debit": codes[t.debit_account_id], "credit": codes[t.credit_account_id],
                "amount": t.amount, "pending": pendings[_pkey(legs, t)].key if t.pending_id else None,
                "linked": t.linked, "memo": t.memo})
        return rows


def _existing(legs, refs, accounts, pendings):
    """The transfers already written under the legs' keys (all the same: a replay), else None;
    ``id_reused`` when one differs or only some exist."""
    existing = {t.key: t for t in db.session.execute(
        select(Transfer).where(Transfer.key.in_([leg.key for leg in legs]))).scalars()}
    if not existing:
        return None
    for leg in legs:
        t = existing.get(leg.key)
        if t is None or not _same(t, leg, refs, accounts, pendings):
            raise LedgerError("id_reused", _("This id was used for a different transfer."), _where(leg, "key"))
    return [existing[leg.key] for leg in legs]


def _insert_new(tenant_id: int, row: Transfer):
    """INSERT the transfer unless its key exists (then None), in one statement."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    fields = {c: getattr(row, c) for c in ("key", "kind", "debit_account_id", "credit_account_id", "amount",
                                            "pending_id", "timeout_at", "linked", "memo", "created_at")}
    stmt = (insert(Transfer).values(tenant_id=tenant_id, **fields)
            .on_conflict_do_nothing(index_elements=["tenant_id", "key"]).returning(Transfer))
    return db.session.execute(stmt).scalar_one_or_none()


def _plan(legs, refs, accounts, pendings, now):
    """The new balances and transfer rows of ``legs``, or the ``LedgerError`` of the first refusal."""
    state = {a.id: [a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending]
             for a in accounts.values()}
    rows = []
    ended = set()
    for leg in legs:
        debit, credit = accounts[refs[(id(leg), "debit")]], accounts[refs[(id(leg), "credit")]]
        if debit.id == credit.id:
            raise LedgerError("same_account", _("A transfer needs two different accounts."), _where(leg, "credit"))
        amount, pending_id, timeout_at = leg.amount, None, None
        if leg.kind in ("post", "void", "expire"):
            p = pendings[leg.pending_key]
            _check_open(p, leg, now, ended)
            ended.add(p.id)
            pending_id = p.id
            state[debit.id][2] -= p.amount
            state[credit.id][3] -= p.amount
            if leg.kind == "post":
                amount = p.amount if leg.amount is None else leg.amount
                if amount > p.amount:
                    raise LedgerError("post_exceeds_pending", _("A hold cannot be posted for more than it holds."),
                                      _where(leg, "amount"))
                state[debit.id][0] += amount
                state[credit.id][1] += amount
            else:
                amount = p.amount
        elif leg.kind == "pending":
            state[debit.id][2] += amount
            state[credit.id][3] += amount
            if leg.timeout:
                timeout_at = now + timedelta(seconds=leg.timeout)
        else:
            state[debit.id][0] += amount
            state[credit.id][1] += amount
        _check_limits(debit, state[debit.id], leg)
        _check_limits(credit, state[credit.id], leg)
        rows.append(Transfer(key=leg.key, kind=leg.kind, debit_account_id=debit.id, credit_account_id=credit.id,
                             amount=amount, pending_id=pending_id, timeout_at=timeout_at,
                             linked=legs[0].key if len(legs) > 1 else None, memo=leg.memo, created_at=now))
    return rows, state


BALANCES = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")


def _write_balances(tenant_id: int, accounts, state: dict) -> None:
    """Every changed balance in one UPDATE (one round trip while the rows are locked)."""
    changed = [a for a in {a.id: a for a in accounts}.values() if state[a.id] != [getattr(a, f) for f in BALANCES]]
    if not changed:
        return
    table = Account.__table__
    values = {f: case({a.id: state[a.id][i] for a in changed}, value=table.c.id) for i, f in enumerate(BALANCES)}
    db.session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.id.in_([a.id for a in changed]))
                       .values(**values))
    for a in changed:
        for i, f in enumerate(BALANCES):
            set_committed_value(a, f, state[a.id][i])


def _pkey(legs, t):
    return next(leg.pending_key for leg in legs if leg.key == t.key)


def _lock(refs: set) -> dict:
    """Lock the accounts named by ``refs`` in id order; {ref: Account} for those found."""
    ids = [v for k, v in refs if k == "id"]
    codes = [v for k, v in refs if k == "code"]
    stmt = select(Account).where(or_(Account.id.in_(ids), Account.code.in_(codes))).order_by(Account.id)
    if db.session.get_bind().dialect.name == "postgresql":  # NO KEY: a transfer's foreign-key check (KEY SHARE) passes
        stmt = stmt.with_for_update(key_share=True)
    found = {}
    for a in db.session.execute(stmt.execution_options(populate_existing=True)).scalars():
        found[("id", a.id)] = a
        found[("code", a.code)] = a
    return found


def _same(t: Transfer, leg: Leg, refs, accounts, pendings) -> bool:
    debit, credit = accounts[refs[(id(leg), "debit")]], accounts[refs[(id(leg), "credit")]]
    if (t.kind, t.debit_account_id, t.credit_account_id, t.memo) != (leg.kind, debit.id, credit.id, leg.memo):
        return False
    if leg.kind in ("single", "pending"):
        timeout = None
        if t.timeout_at is not None:
            timeout = round((_aware(t.timeout_at) - _aware(t.created_at)).total_seconds())
        return t.amount == leg.amount and timeout == leg.timeout
    p = pendings[leg.pending_key]
    if t.pending_id != p.id:
        return False
    return leg.kind != "post" or t.amount == (p.amount if leg.amount is None else leg.amount)


def _check_open(p: Transfer, leg: Leg, now: datetime, ended: set) -> None:
    if p.id in ended:
        raise LedgerError("pending_already_posted", _("This hold has already been posted."), _where(leg, "pending_id"))
    done = db.session.execute(select(Transfer.kind).where(Transfer.pending_id == p.id)).scalar_one_or_none()
    if done == "post":
        raise LedgerError("pending_already_posted", _("This hold has already been posted."), _where(leg, "pending_id"))
    if done == "void":
        raise LedgerError("pending_already_voided", _("This hold has been voided."), _where(leg, "pending_id"))
    if done == "expire" or (leg.kind != "expire" and p.timeout_at is not None and _aware(p.timeout_at) <= now):
        raise LedgerError("pending_expired", _("This hold has expired."), _where(leg, "pending_id"))


def expire_pending(tenant, now=None, actor="system:ledger") -> int:
    """Void every hold of ``tenant`` whose timeout has passed (key ``expire.<hold id>``); the
    caller commits. Returns how many."""
    now = _now(now)
    with tenant_scope(tenant):
        resolved = select(Transfer.pending_id).where(Transfer.pending_id.is_not(None))
        due = db.session.execute(select(Transfer.key, Transfer.id).where(
            Transfer.kind == "pending", Transfer.timeout_at <= now, Transfer.id.not_in(resolved))
            .order_by(Transfer.id)).all()
        count = 0
        for key, pid in due:
            try:
                _apply(tenant, actor, [Leg(f"expire.{pid}", "expire", pending_key=key)], now=now)
                count += 1
            except LedgerError as exc:
                if exc.code not in ("pending_already_posted", "pending_already_voided", "pending_expired"):
                    raise
        return count
