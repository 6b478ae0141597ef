"""init, demo, serve and worker: set up a deployment and run it."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..audit import seal_all
from ..errors import PamongError
from ..extensions import db
from .common import actor, fail, manager

DEMO_PASSWORD = "pamong-demo"


@click.command("init", help="Create or upgrade the database (and PostgreSQL's restricted app role).")
@click.option("--operator", help="also create this deployment operator (password from stdin)")
@with_appcontext
def init(operator):
    import sys

    from ..auth import service as accounts
    from .db import run_upgrade

    try:
        run_upgrade(current_app)
        _local_signers(current_app)
        if operator and accounts.find_user(operator) is None:
            password = sys.stdin.readline().rstrip("\n")
            accounts.create_user(operator, password=password, operator=True)
            db.session.commit()
    except PamongError as exc:
        db.session.rollback()
        fail(str(exc))
    click.echo("database ready")


# display names of the demo's accounts (letters read "signed by <name>"): invented, one per role
# and tenant (a given name and a family name, ``demo_name``: trial of e-office, the same staf@ and
# officer@ in every city), and a second officer of the first agency, "staf@", who drafts letters
# (the e-office demo: the drafter may not also give the paraf, so the secretary "officer@" verifies
# what staf@ drafts)
DEMO_NAMES = {"given": ("Rina", "Budi", "Siti", "Andi", "Dewi", "Agus", "Fitri", "Joko", "Maya", "Rizki", "Indah",
                        "Hendra", "Nur", "Yudi", "Ayu", "Teguh", "Wulan", "Arif", "Putri", "Fajar", "Lina", "Bayu"),
              "family": ("Wijaya", "Santoso", "Pratama", "Saputra", "Hidayat", "Kurniawan", "Nugroho", "Setiawan",
                         "Gunawan", "Permana", "Hakim", "Siregar", "Nasution", "Lubis", "Tanjung", "Halim",
                         "Syahputra", "Firmansyah", "Ramadhan")}
DEMO_ROLES = ("admin", "auditor", "citizen", "officer", "staff")  # the core's demo accounts, per tenant
DEMO_LOGINS = {"citizen": "warga", "staff": "staf"}  # the address's local part where it is not the key


def demo_name(key: str, slug: str) -> str:
    """The display name of the demo account ``key`` (one of ``DEMO_ROLES``) of the tenant ``slug``:
    "<given> <family>" from ``DEMO_NAMES``, the same for a slug on every run (CRC-32 of
    "<slug>:<key>", not Python's salted ``hash``), so each city's staf@ and officer@ are people of
    their own. Two roles of one tenant never share a given name (the next one is taken)."""
    from zlib import crc32

    given, family = DEMO_NAMES["given"], DEMO_NAMES["family"]
    taken = set()
    for role in DEMO_ROLES[:DEMO_ROLES.index(key) + 1]:
        seed = crc32(f"{slug}:{role}".encode())
        first = seed % len(given)
        while given[first] in taken:
            first = (first + 1) % len(given)
        taken.add(given[first])
    return f"{given[first]} {family[seed // len(given) % len(family)]}"


def demo_accounts(tenants) -> list[tuple[str, str, str, str]]:
    """One account per role and tenant, and the accounts the tenant's enabled modules' demos ask
    for (hook ``demo_accounts``: their officials), with the demo password; returns
    (email, role, tenant, note) (note: what a module's account is for, "" for the core's)."""
    from ..auth import service as accounts
    from ..auth.official import update_official_identity
    from ..tenancy.models import OrgUnit
    from ..tenancy.scope import tenant_scope

    made = []

    def ensure(email, name, operator=False):
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(email, name=name, password=DEMO_PASSWORD, operator=operator)
        elif not user.name:
            user.name = name  # a demo database made before the accounts had names
        return user

    ensure("operator@pamong.test", "Operator Pamong", operator=True)
    made.append(("operator@pamong.test", "operator", "*", ""))
    for tenant in tenants:
        with tenant_scope(tenant):
            agency = db.session.execute(
                db.select(OrgUnit.code).where(OrgUnit.kind == "agency").order_by(OrgUnit.id)
            ).scalars().first()
        people = [("admin", "admin", None), ("auditor", "auditor", None), ("citizen", "citizen", None)]
        if agency:
            people += [("officer", "officer", agency), ("staff", "officer", agency)]
        for key, role, unit in people:
            email = f"{DEMO_LOGINS.get(key, key)}@{tenant.slug}.test"
            accounts.grant_role(tenant, ensure(email, demo_name(key, tenant.slug)), role, actor(), agency=unit)
            made.append((email, role, tenant.slug, ""))
        for rows in manager().collect(tenant, "demo_accounts", app=current_app._get_current_object(), tenant=tenant):
            for row in rows:
                email = f"{row['login']}@{tenant.slug}.test"
                listed = next((n for n, line in enumerate(made) if line[0] == email), None)
                if listed is not None:  # an account made already (the core's officer@): its note added to its line
                    line = made[listed]
                    made[listed] = line[:3] + ("; ".join(n for n in (line[3], row.get("note") or "") if n),)
                    continue
                user = ensure(email, row["name"])
                role = row.get("role") or "officer"
                accounts.grant_role(tenant, user, role, actor(), agency=row.get("agency"))
                titles = (row.get("title_front"), row.get("title_back"))
                if any(titles) and not (user.title_front or user.title_back):  # checked and audited as the admin's page
                    update_official_identity(user, user.nip, user.rank, actor(), tenant, titles=titles)
                made.append((email, role, tenant.slug, row.get("note") or ""))
    return made


def run_demo(app, tenants_dir: str) -> tuple[list, list]:
    from ..tenancy import service
    from ..tenancy.schema import load_tenant_file
    from ..tenancy.scope import tenant_scope
    from .db import run_upgrade
    from .tenant import apply_docs, tenant_files

    run_upgrade(app)
    # the files' [[accounts.people]] name demo accounts, made only once their tenants exist (and
    # `tenant apply` refuses a person who is not a member, person_not_member): the tenants first
    # without their people, then the accounts, then the people, checked as `tenant apply` checks them
    docs = [(str(f), load_tenant_file(f)) for f in tenant_files([tenants_dir])]
    without = [(w, d.model_copy(update={"accounts": d.accounts.model_copy(update={"people": []})})) for w, d in docs]
    tenants = apply_docs(without, actor(), progress=True)
    _local_signers(app, tenants)
    accounts = demo_accounts(tenants)
    by_slug = {t.slug: t for t in tenants}
    for where, doc in docs:
        service.check_people(doc, where)
        with tenant_scope(by_slug[doc.slug]):
            service.apply_people(by_slug[doc.slug], doc, actor())
    db.session.commit()
    for tenant in tenants:
        for name in manager().modules:
            if name in _enabled(tenant):
                manager().call_module(name, "seed_demo", app=app, tenant=tenant)
        db.session.commit()
    seal_all()  # the chain is sealed before the demo starts serving
    _deliver_seed_messages(app)
    return tenants, accounts


def _local_signers(app, tenants=None) -> None:
    """The local signer's test CA and each tenant's signing certificate under instance/signing/
    (core/documents/certs.py), made when missing: every tenant known when ``tenants`` is None."""
    from ..documents.certs import ensure_ca, ensure_tenant_cert
    from ..tenancy.models import Tenant

    ensure_ca(app.config["INSTANCE_DIR"])
    if tenants is None:
        tenants = db.session.execute(db.select(Tenant)).scalars().all()
    for tenant in tenants:
        ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)


def _deliver_seed_messages(app) -> int:
    """Deliver the messages the demo data queued, without printing them: the terminal then shows
    only the messages sent while someone tries the demo (core/notify/providers.py)."""
    from ..notify.delivery import deliver, due_messages

    app.config["PAMONG_CONSOLE_ECHO"] = False
    sent, seen = 0, set()
    try:
        while batch := [key for key in due_messages() if key not in seen]:
            for tenant_id, message_id in batch:
                seen.add((tenant_id, message_id))
                sent += deliver(tenant_id, message_id) is not None
    finally:
        app.config.pop("PAMONG_CONSOLE_ECHO", None)
    return sent


def _enabled(tenant):
    from ..tenancy.service import enabled_modules

    return enabled_modules(tenant)


@click.command("demo", help="Set up the demo (SQLite by default) and serve it.")
@click.option("--no-serve", is_flag=True, help="set up only")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def demo(no_serve, host, port):
    app = current_app._get_current_object()
    if not no_serve:
        _check_port(host, port)  # before anything is set up or printed
    app.config["PAMONG_DEMO"] = True  # the demo may log in as the owner and SET ROLE (core/rls.py)
    # links in messages open on this server (core/links.py), unless the environment names an address
    if not os.environ.get("PAMONG_PUBLIC_URL"):
        app.config["PAMONG_PUBLIC_URL"] = f"http://{host}:{port}"
        if not no_serve:  # noted for the CLI beside it (core.config.demo_public_url)
            from ..config import DEMO_PUBLIC_URL_FILE

            Path(app.config["INSTANCE_DIR"], DEMO_PUBLIC_URL_FILE).write_text(app.config["PAMONG_PUBLIC_URL"] + "\n")
    try:
        tenants, accounts = run_demo(app, app.config["PAMONG_TENANTS_DIR"])
    except PamongError as exc:
        db.session.rollback()
        fail(str(exc))
    base = f"http://{host}:{port}"
    click.echo("\nTenants:")
    for t in tenants:
        hosts = " ".join(f"http://{d.host}:{port}/" for d in t.domains)
        click.echo(f"  {t.name:28} {base}/t/{t.slug}/   {hosts}")
    click.echo(f"\nDemo log-ins (password for all: {DEMO_PASSWORD}):")
    for email, role, slug, note in accounts:
        click.echo(f"  {email:32} {role:9} {slug}" + (f"  {note}" if note else ""))
    click.echo("\nSMS and e-mail are not sent: each one appears here, recipient masked.")
    if not no_serve:
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
        serve_app(app, host, port)


def _check_port(host: str, port: int) -> None:
    """One line naming --port and exit 2 when the server could not listen there (core/demo_port.py)."""
    from ..demo_port import PortError, check_port

    try:
        check_port(port, host, where="--port")
    except PortError as exc:
        fail(str(exc))


def serve_app(app, host: str, port: int) -> None:
    from ..jobs import start_in_process_worker
    from ..rls import check_login

    try:
        check_login(app)  # refuse to serve with a login that could bypass RLS (one line, exit 2)
    except PamongError as exc:
        fail(str(exc))

    consumer = None
    if not os.environ.get("PAMONG_REDIS_URL"):
        consumer = start_in_process_worker()
    from werkzeug.serving import run_simple

    click.echo(f"\nServing on http://{host}:{port}/ (Ctrl+C stops)")
    try:
        # not app.run(): inside Flask's CLI it declines to block (FLASK_RUN_FROM_CLI)
        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


@click.command("serve", help="Serve with Flask's server (production: gunicorn 'core.wsgi:app').")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host, port):
    _check_port(host, port)
    serve_app(current_app._get_current_object(), host, port)


@click.command("worker", help="Run the background worker (deliveries, audit sealing, escalations).")
@click.option("--workers", default=2, type=int)
def worker(workers):
    from ..jobs import _app, huey
    from ..rls import check_login

    try:
        check_login(_app())
    except PamongError as exc:
        fail(str(exc))

    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()
