"""One transfer (posted at once, or a hold) with its accounts locked as briefly as the rules allow.

``service.transfer`` comes here; posts, voids, expiries and linked transfers take the general
path (``service._apply``). Same rules, same errors, same audit entry; the order differs so that the
transfer costs three statements and the commit (``bench/ledger.py``):

1. add the amounts to both balances in one ``UPDATE ... RETURNING`` that finds the two accounts by
   id or code and locks their rows in id order (``FOR NO KEY UPDATE``, as ``service._lock``), and
   check what it returns: the accounts' limits on their current balances, an account not found,
   one account on both sides. Any refusal takes the amounts back at once (the same UPDATE with the
   opposite sign, under the same locks): no rupiah moved, no row written;
2. insert the transfer (``ON CONFLICT DO NOTHING``: an id already used takes the amounts back, and
   is a replay answered with the first transfer, or ``id_reused``) and its audit entry, on
   PostgreSQL in one statement (a data-modifying CTE); the caller commits.

A refused transfer (a wallet without enough balance) therefore writes and takes back under the
locks, where an unlocked read first would cost every accepted transfer a statement more.
The locks are held for step 2 and the commit, as TPC-B holds its branch row for its history
insert and commit. No savepoint: a subtransaction's rows make every reader of them consult
``pg_subtrans``, which costs more under concurrency than the rare undo.

On SQLite the transaction is the only writer from its start (``core.locking.write_lock``).
"""
from __future__ import annotations

import json
from collections import namedtuple
from datetime import timedelta

from sqlalchemy import String, bindparam, case, cast, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import set_committed_value

from ..after_commit import after_commit
from ..audit import hooks as audit_hooks
from ..audit.models import AuditEntry
from ..audit.record import _plain, actor_fields
from ..extensions import db
from ..locking import write_lock
from ..tenancy.scope import send_scope, within_tenant
from .errors import LedgerError
from .models import Account, Transfer
from .rules import _check_limits, _check_static, _where

BALANCES = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
_ACC = Account.__table__
_TRF = Transfer.__table__
_AUD = AuditEntry.__table__
_TRANSFER_MANAGER = Transfer._sa_class_manager


def single(tenant_id: int, tenant, actor, leg, now):
    """Write ``leg`` (kind ``single`` or ``pending``); returns the ``Transfer`` (the first one on a replay)."""
    from flask_babel import gettext as _

    from .service import _existing, _ref

    _check_static([leg])
    with within_tenant(tenant):  # a module's request: its own scope already, not entered again
        session = db.session
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            write_lock(conn)
        refs = {"debit": _ref(tenant_id, leg.debit, _where(leg, "debit")),
                "credit": _ref(tenant_id, leg.credit, _where(leg, "credit"))}
        session.flush()  # the caller's pending rows first
        rows = _move(conn, tenant_id, leg, refs, 1)  # the locks are taken here
        debit, credit = _match(rows, refs["debit"]), _match(rows, refs["credit"])
        try:
            for side, found in (("debit", debit), ("credit", credit)):
                if found is None:
                    raise LedgerError("account_unknown", _("No such account."), _where(leg, side))
            if debit.id == credit.id:
                raise LedgerError("same_account", _("A transfer needs two different accounts."), _where(leg, "credit"))
            _check_limits(debit, [getattr(debit, f) for f in BALANCES], leg)
            _check_limits(credit, [getattr(credit, f) for f in BALANCES], leg)
        except LedgerError as refused:  # nothing may stay moved: the amounts are taken back, then refused
            if rows:
                _move(conn, tenant_id, leg, refs, -1)
            if refused.code != "account_unknown":  # a replay of a transfer made before is still one
                first = _existing([leg], *_known(leg, debit, credit), {})
                if first is not None:
                    return first[0]
            raise
        timeout_at = now + timedelta(seconds=leg.timeout) if leg.kind == "pending" and leg.timeout else None
        values = {"tenant_id": tenant_id, "key": leg.key, "kind": leg.kind, "debit_account_id": debit.id,
                  "credit_account_id": credit.id, "amount": leg.amount, "pending_id": None,
                  "timeout_at": timeout_at, "linked": leg.linked, "memo": leg.memo, "created_at": now}
        entry = _audit_values(tenant_id, actor, leg, debit.code, credit.code, now)
        transfer_id = _insert(conn, values, entry)
        if transfer_id is None:  # the id is taken: a replay, or another body under it (id_reused)
            _move(conn, tenant_id, leg, refs, -1)
            return _existing([leg], *_known(leg, debit, credit), {})[0]
        _show(session, rows)
        after_commit(session, audit_hooks.KIND, [tenant_id])  # the chain is sealed after the commit
        return _persistent(session, {**values, "id": transfer_id})


def _known(leg, debit, credit) -> tuple[dict, dict]:
    """``service._existing``'s view of the two accounts: (references by leg, accounts by reference)."""
    accounts = {("id", debit.id): debit, ("id", credit.id): credit}
    return {(id(leg), "debit"): ("id", debit.id), (id(leg), "credit"): ("id", credit.id)}, accounts


def _match(rows, ref):
    kind, value = ref
    return next((r for r in rows if (r.id if kind == "id" else r.code) == value), None)


def _deltas(leg) -> tuple[int, int, int, int]:
    """(debit's debits_posted, debits_pending, credit's credits_posted, credits_pending) added."""
    if leg.kind == "pending":
        return 0, leg.amount, 0, leg.amount
    return leg.amount, 0, leg.amount, 0


def _audit_values(tenant_id: int, actor, leg, debit_code: str, credit_code: str, now) -> dict:
    """The row ``core.audit.record`` writes for this transfer (``ledger.<kind>``), as values."""
    actor_id, label = actor_fields(actor)
    summary = {"after": _plain({"key": leg.key, "debit": debit_code, "credit": credit_code, "amount": leg.amount,
                                "pending": None, "linked": leg.linked, "memo": leg.memo})}
    return {"tenant_id": tenant_id, "occurred_at": now, "actor_id": actor_id, "actor": label[:254],
            "action": f"ledger.{leg.kind}", "object_type": "ledger_transfer", "summary": summary}


def _json(value) -> str:
    """``value`` as the JSON column stores it (SQLAlchemy's default serialiser: ``json.dumps``)."""
    return json.dumps(value)


def _insert(conn, values: dict, entry: dict):
    """Insert the transfer unless its key exists, and its audit entry; the new id, or None."""
    dialect = conn.dialect.name
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
        params["a_summary"] = _json(params["a_summary"])  # the JSON column's own bind step, done here
        got = _on_driver(conn, "insert", stmt, params)
        return None if not got else int(got[0][0])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    got = conn.execute(sqlite_insert(_TRF).values(**values)
                          .on_conflict_do_nothing(index_elements=["tenant_id", "key"]).returning(_TRF.c.id)
                          ).scalar_one_or_none()
    if got is not None:
        conn.execute(insert(_AUD).values(**entry, object_id=str(got)))
    return got


def _move(conn, tenant_id: int, leg, refs: dict, sign: int) -> list:
    """Add (``sign`` 1) or take back (-1) the amounts on the balances of the accounts ``refs`` name
    (``{"debit": (kind, value), "credit": ...}``, kind ``id`` or ``code``), the rows locked in id
    order; the accounts found, each with its limits and its balances as they are now. An account
    not found is simply not among them; one named on both sides gets both amounts."""
    dp, dpend, cp, cpend = (sign * d for d in _deltas(leg))
    (kind_d, value_d), (kind_c, value_c) = refs["debit"], refs["credit"]
    stmt = _move_statement(conn.dialect.name, kind_d, kind_c)
    params = {"the_tenant": tenant_id, "ref_d": value_d, "ref_c": value_c, "dp": dp, "dpend": dpend, "cp": cp,
              "cpend": cpend}
    if conn.dialect.name != "postgresql":
        return conn.execute(stmt, params).all()
    return [_Moved(*row) for row in _on_driver(conn, ("move", kind_d, kind_c), stmt, params)]


_STATEMENTS: dict = {}
_RETURNED = ("id", "code", "debits_must_not_exceed_credits", "credits_must_not_exceed_debits", "balance_limit",
             *BALANCES)
_Moved = namedtuple("_Moved", _RETURNED)
_COMPILED: dict = {}


def _on_driver(conn, key, stmt, params: dict) -> list[tuple]:
    """Run ``stmt`` (built once) on PostgreSQL straight through the driver, in ``conn``'s transaction:
    its SQL compiled once, its parameters passed as they are (every one is already what psycopg
    sends: ints, text, aware datetimes, JSON text). Half of a transfer's time in Python was
    SQLAlchemy's work around two statements that never change (``bench/ledger.py``).

    What the engine's events would do is done here: Row Level Security's setting goes first
    (``tenancy.scope.send_scope``), and a driver error is raised as SQLAlchemy's own
    (``DBAPIError`` and its kinds), so a failed transaction is handled as any other."""
    import psycopg

    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = stmt.compile(dialect=conn.dialect)
    full = compiled.construct_params(params)
    send_scope(conn)
    try:
        return conn.connection.dbapi_connection.execute(compiled.string, full).fetchall()
    except psycopg.Error as exc:
        raise DBAPIError.instance(compiled.string, full, exc, psycopg.Error,
                                  dialect=conn.dialect, ismulti=False) from exc


def _named(table, kind: str, name: str):
    """``table``'s row named by the bound parameter ``name``: its id or its code."""
    return (table.c.id if kind == "id" else table.c.code) == bindparam(name)


def _move_statement(dialect: str, kind_d: str, kind_c: str):
    """The balances' UPDATE for accounts named by id or code, built once per dialect and kinds of
    reference (only bound parameters change)."""
    key = ("move", dialect, kind_d, kind_c)
    if key in _STATEMENTS:
        return _STATEMENTS[key]
    is_debit, is_credit = _named(_ACC, kind_d, "ref_d"), _named(_ACC, kind_c, "ref_c")
    changes = {
        "debits_posted": _ACC.c.debits_posted + case((is_debit, bindparam("dp")), else_=0),
        "debits_pending": _ACC.c.debits_pending + case((is_debit, bindparam("dpend")), else_=0),
        "credits_posted": _ACC.c.credits_posted + case((is_credit, bindparam("cp")), else_=0),
        "credits_pending": _ACC.c.credits_pending + case((is_credit, bindparam("cpend")), else_=0),
    }
    stmt = update(_ACC).values(**changes)
    tenant = bindparam("the_tenant")
    if dialect == "postgresql":
        # ``tenant_id + 0``: the same filter, but not an index condition. Beside Row Level Security's
        # own ``tenant_id = ANY(...)`` a plain ``tenant_id = :t`` makes the planner scan every row of
        # the tenant and filter the accounts (both estimated at one row); this way the id or code
        # is the index condition and the UPDATE reads two rows, while it holds the locks.
        # The locking SELECT is a MATERIALIZED CTE, run once: as a subquery, a plan made on stale
        # statistics (a tenant's accounts taken for one row) joined it in a nested loop and ran it,
        # locks and all, once per account of the tenant (bench/smartcard.py before its ANALYZE).
        locked = _ACC.alias("locked")
        order = (select(locked.c.id).where(locked.c.tenant_id + 0 == tenant,
                                           or_(_named(locked, kind_d, "ref_d"), _named(locked, kind_c, "ref_c")))
                 .order_by(locked.c.id).with_for_update(key_share=True).cte("in_order").prefix_with("MATERIALIZED"))
        stmt = stmt.where(_ACC.c.tenant_id + 0 == tenant, _ACC.c.id == order.c.id)
    else:
        stmt = stmt.where(_ACC.c.tenant_id == tenant, or_(is_debit, is_credit))
    _STATEMENTS[key] = stmt.returning(*(_ACC.c[f] for f in _RETURNED))
    return _STATEMENTS[key]


def _show(session, rows) -> None:
    """An Account the caller holds in the session shows the new balances."""
    for row in rows:
        held = session.identity_map.get(identity_key(Account, row.id))
        if held is not None:
            for f in BALANCES:
                set_committed_value(held, f, getattr(row, f))


def _persistent(session, values: dict) -> Transfer:
    """The written transfer as a row of the session, without reading it back."""
    row = _TRANSFER_MANAGER.new_instance()  # as the ORM builds a loaded row: no __init__ events
    row.__dict__.update(values)
    make_transient_to_detached(row)
    # a row of a rolled-back transaction stays in the session under its id, and SQLite hands that
    # id out again (no AUTOINCREMENT): the new row replaces the stale one
    stale = session.identity_map.get(identity_key(Transfer, values["id"]))
    if stale is not None:
        session.expunge(stale)
    session.add(row)
    return row
