import sys

import click
from flask.cli import with_appcontext

from ..auth import service as accounts
from ..auth.models import ROLES
from ..errors import ValidationError
from ..tenancy.service import require_tenant
from .common import actor, emit_json, manager, transaction


@click.group("user", help="People who sign in.")
def user_group():
    pass


@user_group.command("add", help="Create a user (or reuse one) and give them a role in a tenant.")
@click.argument("email")
@click.option("--tenant", "slug", help="the tenant of the role")
@click.option("--role", type=click.Choice(ROLES), help="citizen, officer, admin or auditor")
@click.option("--agency", help="agency code (officers)")
@click.option("--name", default="")
@click.option("--operator", is_flag=True, help="a deployment operator (all tenants)")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.option("--invite/--no-invite", default=True,
              help="send someone without a password a link to set one (default: yes)")
@click.option("--invite-sms", "invite_phone", metavar="PHONE", help="send the invitation by SMS to PHONE, not e-mail")
@with_appcontext
@transaction
def add(email, slug, role, agency, name, operator, password_stdin, invite, invite_phone):
    if not operator and not (slug and role):
        raise ValidationError("give --tenant and --role (or --operator)", where="--tenant")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    user = accounts.find_user(email)
    if user is None:
        user = accounts.create_user(email, name=name, password=password, operator=operator)
    elif password is not None:
        accounts.change_password(user, password, actor())  # ends the person's sessions, audited
    if slug:
        tenant = require_tenant(slug, where="--tenant")
        accounts.grant_role(tenant, user, role, actor(), agency=agency)
        if invite and not user.password_hash:  # issue 19.1: a link to set the password, through the outbox
            from ..auth.invitations import invite as send_invitation

            message = send_invitation(tenant, user, actor(), phone=invite_phone, trusted=True)
            click.echo(f"invitation to set a password queued by {message.channel}")
    click.echo(f"user {user.email}" + (f" is {role} of {slug}" if slug else " is a deployment operator"))


@user_group.command("revoke", help="Withdraw ROLE from EMAIL in a tenant (never from its last admin).")
@click.argument("email")
@click.option("--tenant", "slug", required=True, help="the tenant of the role")
@click.option("--role", required=True, type=click.Choice(ROLES), help="citizen, officer, admin or auditor")
@with_appcontext
@transaction
def revoke_role(email, slug, role):
    tenant = require_tenant(slug, where="--tenant")
    user = accounts.find_user(email)
    if user is None:
        raise ValidationError(f"no user '{email.strip().lower()}'", where="EMAIL", code="not_found")
    if not accounts.revoke_role(tenant, user, role, actor()):  # the last admin: refused, exit 2
        raise ValidationError(f"{user.email} is not {role} of {slug}", where="--role", code="not_found")
    click.echo(f"user {user.email} is no longer {role} of {slug}")


@user_group.command("password", help="Set EMAIL's password from standard input; ends all their sessions.")
@click.argument("email")
@with_appcontext
@transaction
def password(email):
    user = accounts.find_user(email)
    if user is None:
        raise ValidationError(f"no user '{email.strip().lower()}'", where="EMAIL", code="not_found")
    accounts.change_password(user, sys.stdin.readline().rstrip("\n"), actor())
    click.echo(f"user {user.email} has a new password and is signed out everywhere")


@user_group.command("signout-all", help="End every session and remember cookie of EMAIL, on every device.")
@click.argument("email")
@click.option("--tenant", "slug", help="audit it in this tenant only (default: every tenant where EMAIL has a role)")
@with_appcontext
@transaction
def signout_all(email, slug):
    user = accounts.find_user(email)
    if user is None:
        raise ValidationError(f"no user '{email.strip().lower()}'", where="EMAIL", code="not_found")
    accounts.sign_out_everywhere(user, actor(), require_tenant(slug, where="--tenant") if slug else None)
    click.echo(f"user {user.email} is signed out everywhere")


@click.group("role", help="Which permissions each role has, per tenant.")
def role_group():
    pass


@role_group.command("grant", help="Grant PERMISSION to ROLE in tenant SLUG.")
@click.argument("slug")
@click.argument("role")
@click.argument("permission")
@with_appcontext
@transaction
def grant(slug, role, permission):
    accounts.set_role_permission(require_tenant(slug), role, permission, True, actor(), manager().all_permissions())
    click.echo(f"{role} of {slug} may now: {permission}")


@role_group.command("revoke", help="Withdraw PERMISSION from ROLE in tenant SLUG.")
@click.argument("slug")
@click.argument("role")
@click.argument("permission")
@with_appcontext
@transaction
def revoke(slug, role, permission):
    accounts.set_role_permission(require_tenant(slug), role, permission, False, actor(), manager().all_permissions())
    click.echo(f"{role} of {slug} may no longer: {permission}")


@role_group.command("list", help="Every declared permission and the roles that have it in SLUG.")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def list_(slug, as_json):
    from ..auth.models import RolePermission
    from ..extensions import db
    from ..tenancy.scope import tenant_scope

    tenant = require_tenant(slug)
    with tenant_scope(tenant):
        grants = db.session.execute(db.select(RolePermission.permission, RolePermission.role)).all()
    by_perm: dict[str, list[str]] = {}
    for perm, role in grants:
        by_perm.setdefault(perm, []).append(role)
    rows = {name: sorted(by_perm.get(name, [])) for name in sorted(manager().all_permissions())}
    if as_json:
        emit_json(rows)
        return
    for name, roles in rows.items():
        click.echo(f"{name:32} {', '.join(roles) or '-'}")


@click.group("token", help="API tokens per tenant.")
def token_group():
    pass


@token_group.command("create", help="Create an API token for SLUG and print it (shown once).")
@click.argument("slug")
@click.option("--scope", "scopes", multiple=True, required=True,
              help="e.g. complaints:write (repeatable; 'pamong token scopes' lists them)")
@click.option("--name", default=None, help="a name to recognise the token by")
@with_appcontext
@transaction
def create(slug, scopes, name):
    import secrets

    tenant = require_tenant(slug)
    token = accounts.create_token(tenant, name or f"token-{secrets.token_hex(3)}", list(scopes), actor())
    click.echo(token)


@token_group.command("scopes", help="The scopes a token may carry: declared by the core and the installed modules.")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@with_appcontext
def scopes_(as_json):
    from ..api.scopes import known_scopes

    rows = {name: {"module": s.get("module", ""), "description": str(s.get("description", ""))}
            for name, s in sorted(known_scopes().items())}
    if as_json:
        emit_json(rows)
        return
    for name, row in rows.items():
        click.echo(f"{name:28} {row['module']:14} {row['description']}")


@token_group.command("revoke", help="Revoke the API token NAME of tenant SLUG (refused from now on).")
@click.argument("slug")
@click.argument("name")
@with_appcontext
@transaction
def revoke_token(slug, name):
    accounts.revoke_token(require_tenant(slug), name, actor())
    click.echo(f"token {name} of {slug} is revoked")


def _token_row(token) -> dict:
    from datetime import timezone

    def iso(value):  # UTC, with its offset (SQLite hands back naive datetimes)
        return value.replace(tzinfo=value.tzinfo or timezone.utc).isoformat() if value is not None else None

    return {"name": token.name, "prefix": token.prefix, "scopes": list(token.scopes),
            "created_at": iso(token.created_at), "revoked_at": iso(token.revoked_at),
            "active": token.revoked_at is None}


@token_group.command("list", help="The API tokens of tenant SLUG (names, prefixes and scopes; never the token).")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@with_appcontext
def list_tokens(slug, as_json):
    from ..errors import PamongError
    from .common import fail

    try:
        rows = [_token_row(t) for t in accounts.list_tokens(require_tenant(slug))]
    except PamongError as exc:
        fail(str(exc))
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        state = "active" if row["active"] else f"revoked {row['revoked_at'][:19]}"
        click.echo(f"{row['name']:24} {row['prefix']:14} {','.join(row['scopes']):32} {state}")
