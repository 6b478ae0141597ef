"""Idempotent POST endpoints, per draft-ietf-httpapi-idempotency-key-header (IETF HTTPAPI WG).

    @bp.route("/payments", methods=["POST"])
    @api_scope("payments:write")   # authentication first: the key belongs to the client
    @idempotent
    def create_payment(): ...

The client sends ``Idempotency-Key: "<unique string>"`` (a Structured Field string; a bare token is
accepted too; 1-255 visible ASCII characters). Keys are kept per tenant and client (the API token,
else the signed-in user, else the remote address) for ``PAMONG_IDEMPOTENCY_TTL`` seconds (default
86400, 24 hours); a periodic job purges expired keys.

- no key: 400 ``idempotency_key_missing`` (malformed: 400 ``idempotency_key_invalid``);
- the same key with another request (method, path or body differ): 422 ``idempotency_key_reused``;
- the same key while the first request is still running: 409 ``idempotency_key_in_flight``;
- the same key and request after it finished: the stored response, same status, type and body.

A view that raises, or answers 5xx, leaves no key behind, so the client may retry. The key is
claimed in its own committed transaction before the view runs (the request's tenant and token,
read before, stay loaded: they are not read again), and the response stored in another after it
(the view commits its own work). ``@idempotent(commit=True)``: the view leaves its work
uncommitted, and the response is stored in the same transaction, one commit for both (a payment
and the answer a retry gets are written together or not at all). On PostgreSQL that transaction
claims the key too (``_claim_here``): a transaction-level advisory lock on the key says "still
running" to a second request (409 at once, it does not wait), and the claim, the view's work and
the answer are one transaction and one commit; a crash or a 5xx rolls all of it back.
"""
from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta, timezone

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, UniqueConstraint, delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import BadRequest, Conflict, UnprocessableEntity

from .extensions import db
from .jobs import periodic
from .tenancy.scope import TenantOwned, tenant_scope, within_tenant

HEADER = "Idempotency-Key"
DEFAULT_TTL = 86400


class IdempotencyKey(TenantOwned, db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("tenant_id", "client", "key"),
        Index("ix_idempotency_keys_tenant_expires", "tenant_id", "expires_at"),
    )

    client: Mapped[str] = mapped_column(String(128))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    status: Mapped[str] = mapped_column(String(8))  # running, done
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_type: Mapped[str | None] = mapped_column(String(128))
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _refuse(exc_class, code: str, message: str):
    exc = exc_class()
    exc.pamong_code = code
    exc.pamong_message = message
    raise exc


def _key() -> str:
    raw = request.headers.get(HEADER)
    if raw is None or not raw.strip():
        _refuse(BadRequest, "idempotency_key_missing", _("This request needs an Idempotency-Key header."))
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= 255 or any(not 0x20 <= ord(c) <= 0x7E for c in value) or '"' in value:
        _refuse(BadRequest, "idempotency_key_invalid",
                _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."))
    return value


def _client() -> str:
    token = getattr(g, "api_token", None)
    if token is not None:
        return f"token:{token.id}"
    try:
        from flask_login import current_user

        if current_user.is_authenticated:
            return f"user:{current_user.id}"
    except Exception:  # noqa: BLE001 - no login manager on this route
        pass
    return f"addr:{request.remote_addr or '-'}"


def _fingerprint() -> str:
    h = hashlib.sha256()
    h.update(request.method.encode() + b"\n" + request.path.encode() + b"\n")
    h.update(request.get_data(cache=True))
    return h.hexdigest()


def _ttl(ttl) -> int:
    return int(ttl if ttl is not None else current_app.config.get("PAMONG_IDEMPOTENCY_TTL", DEFAULT_TTL))


def _find(client: str, key: str):
    return db.session.execute(select(IdempotencyKey).where(
        IdempotencyKey.client == client, IdempotencyKey.key == key)).scalar_one_or_none()


def _commit_keeping_loaded() -> None:
    """Commit, leaving the session's rows loaded (the request's tenant and API token are not read
    again for the view: nothing of theirs changed in this transaction)."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _claim(tenant, client: str, key: str, fingerprint: str, ttl: int):
    """Claim the key (committed at once); None if claimed, else the row that holds it."""
    for _attempt in range(2):
        now = datetime.now(timezone.utc)
        with tenant_scope(tenant):
            db.session.add(IdempotencyKey(client=client, key=key, fingerprint=fingerprint, status="running",
                                          created_at=now, expires_at=now + timedelta(seconds=ttl)))
            try:
                _commit_keeping_loaded()
                return None
            except IntegrityError:
                db.session.rollback()
            row = _find(client, key)
            if row is None:
                continue  # purged meanwhile
            expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
            if expires > now:
                return row
            db.session.delete(row)  # expired: the key is free again
            db.session.commit()
    return _find(client, key)


# one statement: the key's advisory lock (held until the transaction ends; not waited for) and, when
# it was free, the claim (nothing when the key's row exists). Returns (lock taken, new row's id).
_CLAIM_HERE = text("""
WITH lock AS (SELECT pg_try_advisory_xact_lock(:lock) AS taken),
claimed AS (INSERT INTO idempotency_keys (tenant_id, client, key, fingerprint, status, created_at, expires_at)
            SELECT :tenant, :client, :key, :fingerprint, 'running', :now, :expires FROM lock WHERE taken
            ON CONFLICT (tenant_id, client, key) DO NOTHING RETURNING id)
SELECT taken, (SELECT id FROM claimed) FROM lock""")


def _lock_number(tenant, client: str, key: str) -> int:
    """The key's advisory lock: a signed 64-bit digest of tenant, client and key (PostgreSQL's
    one-bigint advisory locks, a key space apart from ``core.locking``'s two-int4 ones)."""
    digest = hashlib.blake2b(f"{tenant}\n{client}\n{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _claim_here(tenant, client: str, key: str, fingerprint: str, ttl: int):
    """PostgreSQL, ``commit=True``: claim the key in the transaction the view then writes in
    (nothing committed). None if claimed; else the row that holds it, or a stand-in with status
    ``running`` when another transaction holds the key right now (its row not yet committed)."""
    for _attempt in range(2):
        now = datetime.now(timezone.utc)
        with within_tenant(tenant):
            taken, claimed = db.session.execute(_CLAIM_HERE, {
                "lock": _lock_number(tenant, client, key), "tenant": tenant, "client": client, "key": key,
                "fingerprint": fingerprint, "now": now, "expires": now + timedelta(seconds=ttl)}).one()
            if claimed is not None:
                return None
            row = _find(client, key)
            if not taken:  # another request with the key is in its transaction: 409, unless finished by now
                return row if row is not None and row.status == "done" else IdempotencyKey(
                    fingerprint=row.fingerprint if row is not None else fingerprint, status="running")
            if row is None:
                continue  # purged meanwhile
            expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
            if expires > now:
                return row
            db.session.delete(row)  # expired: the key is free again (still under its lock)
            db.session.flush()
    return _find(client, key)


def _store_alone(tenant, client: str, key: str, fingerprint: str, ttl: int, response) -> None:
    """``_claim_here``'s claim was rolled back with the view's work (an answer of 400 or more):
    the answer is kept on its own (unless a retry has claimed the key meanwhile)."""
    db.session.rollback()
    now = datetime.now(timezone.utc)
    with tenant_scope(tenant):
        db.session.execute(text(
            "INSERT INTO idempotency_keys (tenant_id, client, key, fingerprint, status, response_status, "
            "response_type, response_body, created_at, expires_at) VALUES (:tenant, :client, :key, :fingerprint, "
            "'done', :status, :type, :body, :now, :expires) ON CONFLICT (tenant_id, client, key) DO NOTHING"), {
            "tenant": tenant, "client": client, "key": key, "fingerprint": fingerprint,
            "status": response.status_code, "type": response.content_type, "body": response.get_data(),
            "now": now, "expires": now + timedelta(seconds=ttl)})
        db.session.commit()


def _release(tenant, client: str, key: str) -> None:
    db.session.rollback()
    with tenant_scope(tenant):
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.client == client, IdempotencyKey.key == key,
                                                        IdempotencyKey.status == "running"))
        db.session.commit()


def _store(tenant, client: str, key: str, response, *, with_view: bool = False) -> None:
    """Keep the response under the claimed key (one UPDATE, the row not read first); ``with_view``:
    in the view's own transaction, committed with its work (else that is rolled back first:
    whatever the view left uncommitted is not ours to commit)."""
    if not with_view:
        db.session.rollback()
    params = {"tenant": tenant, "client": client, "key": key, "status": response.status_code,
              "type": response.content_type, "body": response.get_data()}
    with within_tenant(tenant):
        conn = db.session.connection()
        if with_view and conn.dialect.name == "postgresql":
            _store_and_commit_at_once(conn, params)
        else:
            conn.execute(_STORE, params)
        db.session.commit()


def _store_and_commit_at_once(conn, params: dict) -> None:
    """PostgreSQL: the answer's UPDATE and the COMMIT in one round trip (psycopg's pipeline mode).
    The view's work holds its rows' locks until the commit (a merchant's balance, the fees
    account: rows every payment writes), and a round trip fewer under them is what lets the next
    payment in sooner. The session is flushed first; its own commit after this has nothing left to
    send (the driver skips a COMMIT outside a transaction) but runs its after-commit hooks."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    from .tenancy.scope import send_scope

    db.session.flush()
    send_scope(conn)
    compiled = _COMPILED.get(conn.dialect)
    if compiled is None:
        compiled = _COMPILED[conn.dialect] = _STORE.compile(dialect=conn.dialect)
    driver = conn.connection.dbapi_connection
    try:
        with driver.pipeline():
            driver.execute(compiled.string, compiled.construct_params(params))
            driver.commit()
    except psycopg.Error as exc:
        raise DBAPIError.instance(compiled.string, params, exc, psycopg.Error, dialect=conn.dialect) from exc


_COMPILED: dict = {}


# a plain statement: the ORM's bulk UPDATE built and ran it in four times the time, per request
_STORE = text("UPDATE idempotency_keys SET status = 'done', response_status = :status, response_type = :type, "
              "response_body = :body WHERE tenant_id = :tenant AND client = :client AND key = :key "
              "AND status = 'running'")


def _replay(row):
    return current_app.response_class(row.response_body, status=row.response_status, content_type=row.response_type)


def idempotent(view=None, *, ttl: int | None = None, commit: bool = False):
    """Make a POST view idempotent per tenant, client and ``Idempotency-Key`` (see the module's
    docstring). ``@idempotent`` or ``@idempotent(ttl=3600)``; put it below the authentication
    decorator. The route must have a tenant (``g.tenant``). ``commit=True``: the view does not
    commit; a response below 400 is stored and committed with the view's work in one transaction
    (an answer of 400 or more: the view's work is rolled back, the answer stored alone)."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            tenant = getattr(g, "tenant", None)
            if tenant is None:
                raise RuntimeError("@idempotent needs a tenant's route")
            tenant = tenant.id  # its id: the tenant row is not read again after a commit
            key, client, fingerprint, seconds = _key(), _client(), _fingerprint(), _ttl(ttl)
            here = commit and db.session.get_bind().dialect.name == "postgresql"
            row = (_claim_here if here else _claim)(tenant, client, key, fingerprint, seconds)
            if row is not None:
                if row.fingerprint != fingerprint:
                    _refuse(UnprocessableEntity, "idempotency_key_reused",
                            _("This Idempotency-Key was used for a different request."))
                if row.status != "done":
                    _refuse(Conflict, "idempotency_key_in_flight",
                            _("A request with this Idempotency-Key is still being processed."))
                return _replay(row)
            release = db.session.rollback if here else functools.partial(_release, tenant, client, key)
            try:
                response = current_app.make_response(fn(*args, **kwargs))
            except BaseException:
                release()
                raise
            if response.status_code >= 500:
                release()
            elif here and response.status_code >= 400:
                _store_alone(tenant, client, key, fingerprint, seconds, response)
            else:
                _store(tenant, client, key, response, with_view=commit and response.status_code < 400)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def purge_expired(now=None) -> int:
    """Delete expired keys of every tenant; returns how many."""
    from .tenancy.models import Tenant

    now = now or datetime.now(timezone.utc)
    total = 0
    for tenant in db.session.execute(select(Tenant).order_by(Tenant.id)).scalars().all():
        with tenant_scope(tenant):
            total += db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now)).rowcount or 0
        db.session.commit()
    return total


@periodic({"minute": "*/15"})
def idempotency_purge_sweep() -> int:
    return purge_expired()
