"""One transfer (posted at once, or a hold) with its accounts locked as briefly as the rules allow.

``service.transfer`` comes here; posts, voids, expiries and linked transfers take the general
path (``service._apply``). Same rules, same errors, same audit entry; the order differs so that the
accounts' rows are locked only for the last statement and the commit (``bench/ledger.py``):

1. read the two accounts without a lock (codes or ids to rows; unknown, same or another tenant's
   account, and a limit already broken on that snapshot are refused here, nothing written);
2. add the amounts to both balances in one ``UPDATE ... RETURNING`` that locks the two rows in id
   order (``FOR NO KEY UPDATE``, as ``service._lock``), and check the limits on the balances it
   returns, which are the current ones: a limit broken by a transfer committed since step 1 takes
   the amounts back at once (the same UPDATE with the opposite sign, under the same locks) and is
   refused as in step 1: no rupiah moved, no row written;
3. insert the transfer (``ON CONFLICT DO NOTHING``: an id already used takes the amounts back, and
   is a replay answered with the first transfer, or ``id_reused``) and its audit entry, on
   PostgreSQL in one statement (a data-modifying CTE); the caller commits.

The locks are held for step 3 and the commit, as TPC-B holds its branch row for its history
insert and commit. No savepoint: a subtransaction's rows make every reader of them consult
``pg_subtrans``, which costs more under concurrency than the rare undo.

On SQLite the transaction is the only writer from its start (``core.locking.write_lock``).
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import String, bindparam, case, cast, insert, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import set_committed_value

from ..after_commit import after_commit
from ..audit import hooks as audit_hooks
from ..audit.models import AuditEntry
from ..audit.record import _plain, actor_fields
from ..extensions import db
from ..locking import write_lock
from ..tenancy.scope import tenant_scope
from .errors import LedgerError
from .models import Account, Transfer
from .rules import _check_limits, _check_static, _where

BALANCES = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
_ACC = Account.__table__
_TRF = Transfer.__table__
_AUD = AuditEntry.__table__


def single(tenant_id: int, tenant, actor, leg, now):
    """Write ``leg`` (kind ``single`` or ``pending``); returns the ``Transfer`` (the first one on a replay)."""
    from flask_babel import gettext as _

    from .service import _existing, _ref

    _check_static([leg])
    with tenant_scope(tenant):
        session = db.session
        write_lock(session)
        refs = {"debit": _ref(tenant_id, leg.debit, _where(leg, "debit")),
                "credit": _ref(tenant_id, leg.credit, _where(leg, "credit"))}
        rows = _read(tenant_id, refs)
        found = {side: _match(rows, ref) for side, ref in refs.items()}
        for side in ("debit", "credit"):
            if found[side] is None:
                raise LedgerError("account_unknown", _("No such account."), _where(leg, side))
        debit, credit = found["debit"], found["credit"]
        accounts = {("id", debit.id): debit, ("id", credit.id): credit}
        by_leg = {(id(leg), "debit"): ("id", debit.id), (id(leg), "credit"): ("id", credit.id)}
        try:
            if debit.id == credit.id:
                raise LedgerError("same_account", _("A transfer needs two different accounts."), _where(leg, "credit"))
            _check_sides(leg, debit, credit, lambda row: [getattr(row, f) for f in BALANCES])
        except LedgerError:  # refused on what is committed: a replay of a transfer made before is still one
            first = _existing([leg], by_leg, accounts, {})
            if first is not None:
                return first[0]
            raise
        session.flush()  # the caller's pending rows first
        timeout_at = now + timedelta(seconds=leg.timeout) if leg.kind == "pending" and leg.timeout else None
        values = {"tenant_id": tenant_id, "key": leg.key, "kind": leg.kind, "debit_account_id": debit.id,
                  "credit_account_id": credit.id, "amount": leg.amount, "pending_id": None,
                  "timeout_at": timeout_at, "linked": None, "memo": leg.memo, "created_at": now}
        rows = _move(session, tenant_id, leg, debit, credit, 1)  # the locks are taken here
        try:
            _check_limits(debit, [getattr(rows[debit.id], f) for f in BALANCES], leg)
            _check_limits(credit, [getattr(rows[credit.id], f) for f in BALANCES], leg)
        except LedgerError:  # broken by a transfer committed since the read: undone, refused
            _move(session, tenant_id, leg, debit, credit, -1)
            first = _existing([leg], by_leg, accounts, {})
            if first is not None:
                return first[0]
            raise
        entry = _audit_values(tenant_id, actor, leg, debit.code, credit.code, now)
        transfer_id = _insert(session, values, entry)
        if transfer_id is None:  # the id is taken: a replay, or another body under it (id_reused)
            _move(session, tenant_id, leg, debit, credit, -1)
            return _existing([leg], by_leg, accounts, {})[0]
        _show(session, rows.values())
        after_commit(session, audit_hooks.KIND, [tenant_id])  # the chain is sealed after the commit
        return _persistent(session, {**values, "id": transfer_id})


def _read(tenant_id: int, refs: dict):
    """The two accounts, by code or id, without a lock. On PostgreSQL one equality per account and
    ``tenant_id + 0`` (see ``_move_statement``): each is found by its unique index, not by reading
    every account of the tenant."""
    conn = db.session.connection()
    cols = [_ACC.c.id, _ACC.c.code, _ACC.c.kind, _ACC.c.debits_must_not_exceed_credits,
            _ACC.c.credits_must_not_exceed_debits, _ACC.c.balance_limit, *(getattr(_ACC.c, f) for f in BALANCES)]
    each = [(_ACC.c.id if kind == "id" else _ACC.c.code) == value for kind, value in refs.values()]
    tenant = _ACC.c.tenant_id + 0 if conn.dialect.name == "postgresql" else _ACC.c.tenant_id
    return conn.execute(select(*cols).where(tenant == tenant_id, or_(*each))).all()


def _match(rows, ref):
    kind, value = ref
    return next((r for r in rows if (r.id if kind == "id" else r.code) == value), None)


def _deltas(leg) -> tuple[int, int, int, int]:
    """(debit's debits_posted, debits_pending, credit's credits_posted, credits_pending) added."""
    if leg.kind == "pending":
        return 0, leg.amount, 0, leg.amount
    return leg.amount, 0, leg.amount, 0


def _check_sides(leg, debit, credit, balances) -> None:
    dp, dpend, cp, cpend = _deltas(leg)
    d, c = balances(debit), balances(credit)
    _check_limits(debit, [d[0] + dp, d[1], d[2] + dpend, d[3]], leg)
    _check_limits(credit, [c[0], c[1] + cp, c[2], c[3] + cpend], leg)


def _audit_values(tenant_id: int, actor, leg, debit_code: str, credit_code: str, now) -> dict:
    """The row ``core.audit.record`` writes for this transfer (``ledger.<kind>``), as values."""
    actor_id, label = actor_fields(actor)
    summary = {"after": _plain({"key": leg.key, "debit": debit_code, "credit": credit_code, "amount": leg.amount,
                                "pending": None, "linked": None, "memo": leg.memo})}
    return {"tenant_id": tenant_id, "occurred_at": now, "actor_id": actor_id, "actor": label[:254],
            "action": f"ledger.{leg.kind}", "object_type": "ledger_transfer", "summary": summary}


def _insert(session, values: dict, entry: dict):
    """Insert the transfer unless its key exists, and its audit entry; the new id, or None."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = _STATEMENTS.get("insert")
        if stmt is None:  # built once: only bound parameters change
            new = (pg_insert(_TRF).values({k: bindparam(f"t_{k}", type_=_TRF.c[k].type) for k in values})
                   .on_conflict_do_nothing(index_elements=["tenant_id", "key"]).returning(_TRF.c.id)
                   .cte("new_transfer"))
            cols = list(entry) + ["object_id"]
            source = select(*(cast(bindparam(f"a_{k}", type_=_AUD.c[k].type), _AUD.c[k].type) for k in entry),
                            cast(new.c.id, String)).select_from(new)
            stmt = _STATEMENTS["insert"] = insert(_AUD).from_select(cols, source).returning(_AUD.c.object_id).add_cte(new)
        params = {f"t_{k}": v for k, v in values.items()} | {f"a_{k}": v for k, v in entry.items()}
        got = session.connection().execute(stmt, params).scalar_one_or_none()
        return None if got is None else int(got)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    got = session.connection().execute(sqlite_insert(_TRF).values(**values)
                          .on_conflict_do_nothing(index_elements=["tenant_id", "key"]).returning(_TRF.c.id)
                          ).scalar_one_or_none()
    if got is not None:
        session.connection().execute(insert(_AUD).values(**entry, object_id=str(got)))
    return got


def _move(session, tenant_id: int, leg, debit, credit, sign: int) -> dict:
    """Add (``sign`` 1) or take back (-1) the amounts on both balances, the rows locked in id
    order; the balances as they are now, by account id."""
    dp, dpend, cp, cpend = (sign * d for d in _deltas(leg))
    rows = {r.id: r for r in session.connection().execute(_move_statement(session.get_bind().dialect.name), {
        "the_tenant": tenant_id, "debit_id": debit.id, "credit_id": credit.id, "dp": dp, "dpend": dpend, "cp": cp,
        "cpend": cpend})}
    return rows


_STATEMENTS: dict = {}


def _move_statement(dialect: str):
    """The balances' UPDATE, built once per dialect (only bound parameters change)."""
    if dialect in _STATEMENTS:
        return _STATEMENTS[dialect]
    is_debit, is_credit = _ACC.c.id == bindparam("debit_id"), _ACC.c.id == bindparam("credit_id")
    changes = {
        "debits_posted": _ACC.c.debits_posted + case((is_debit, bindparam("dp")), else_=0),
        "debits_pending": _ACC.c.debits_pending + case((is_debit, bindparam("dpend")), else_=0),
        "credits_posted": _ACC.c.credits_posted + case((is_credit, bindparam("cp")), else_=0),
        "credits_pending": _ACC.c.credits_pending + case((is_credit, bindparam("cpend")), else_=0),
    }
    stmt = update(_ACC).values(**changes)
    tenant = bindparam("the_tenant")
    both = _ACC.c.id.in_([bindparam("debit_id"), bindparam("credit_id")])
    if dialect == "postgresql":
        # ``tenant_id + 0``: the same filter, but not an index condition. Beside Row Level Security's
        # own ``tenant_id = ANY(...)`` a plain ``tenant_id = :t`` makes the planner scan every row of
        # the tenant and filter the ids (both estimated at one row); this way the ids are the index
        # condition and the UPDATE reads two rows, while it holds the locks.
        locked = _ACC.alias("locked")
        order = (select(locked.c.id).where(locked.c.tenant_id + 0 == tenant,
                                           locked.c.id.in_([bindparam("debit_id"), bindparam("credit_id")]))
                 .order_by(locked.c.id).with_for_update(key_share=True).subquery("in_order"))
        stmt = stmt.where(_ACC.c.tenant_id + 0 == tenant, both, _ACC.c.id == order.c.id)  # `both`: not every row joined
    else:
        stmt = stmt.where(_ACC.c.tenant_id == tenant, both)
    _STATEMENTS[dialect] = stmt.returning(_ACC.c.id, *(getattr(_ACC.c, f) for f in BALANCES))
    return _STATEMENTS[dialect]


def _show(session, rows) -> None:
    """An Account the caller holds in the session shows the new balances."""
    for row in rows:
        held = session.identity_map.get(identity_key(Account, row.id))
        if held is not None:
            for f in BALANCES:
                set_committed_value(held, f, getattr(row, f))


def _persistent(session, values: dict) -> Transfer:
    """The written transfer as a row of the session, without reading it back."""
    row = Transfer(**values)
    make_transient_to_detached(row)
    # a row of a rolled-back transaction stays in the session under its id, and SQLite hands that
    # id out again (no AUTOINCREMENT): the new row replaces the stale one
    stale = session.identity_map.get(identity_key(Transfer, values["id"]))
    if stale is not None:
        session.expunge(stale)
    session.add(row)
    return row
