"""``pamong db upgrade``: the core, then every installed module in ``requires`` order, to head.

Migrations run as the database owner (``PAMONG_DATABASE_OWNER_URL``, else the app's URL; a plain
engine, no restricted role); on PostgreSQL the app's role (its own LOGIN role in production, see
``core.config.database_roles``), its grants and the Row Level Security policies are (re)applied
afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from .config import ROOT
from .errors import PamongError
from .extensions import db

ENV_DIR = ROOT / "core" / "migrations"


@dataclass
class Unit:
    name: str
    versions: Path
    package: str  # models defined under this package belong to the unit

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.name}"


def units(manager) -> list[Unit]:
    found = [Unit("core", ENV_DIR / "versions", "core")]
    for name, spec in manager.modules.items():
        versions = spec.migrations_dir / "versions"
        if versions.is_dir():
            package = spec.plugin.__name__ if hasattr(spec.plugin, "__file__") else spec.plugin.__module__
            found.append(Unit(name, versions, package))
    return found


def unit_tables(unit: Unit) -> set[str]:
    tables = set()
    for mapper in db.Model.registry.mappers:
        module = mapper.class_.__module__
        if module == unit.package or module.startswith(unit.package + "."):
            tables.add(mapper.local_table.name)
    return tables


def owner_engine(app):
    """The owner's login: ``PAMONG_DATABASE_OWNER_URL``, else the app's URL (demo, SQLite)."""
    return create_engine(app.config.get("PAMONG_DATABASE_OWNER_URI") or app.config["SQLALCHEMY_DATABASE_URI"],
                         poolclass=None)


def set_up_roles(app, conn) -> None:
    """PostgreSQL, as the owner: the app's role (a LOGIN role of its own in production, the demo's
    NOLOGIN role the owner switches to otherwise), its grants and the RLS policies."""
    from sqlalchemy.engine import make_url

    from .rls import apply_policies, ensure_app_role, ensure_login_role

    role = app.config["PAMONG_DB_APP_ROLE"]
    if app.config.get("PAMONG_DATABASE_OWNER_URI"):
        app_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        if app_url.username and app_url.username != role:
            raise PamongError(
                f"PAMONG_DB_APP_ROLE is '{role}' but PAMONG_DATABASE_URL logs in as '{app_url.username}'",
                where="PAMONG_DB_APP_ROLE", code="db_role_mismatch",
            )
        ensure_login_role(conn, role, app_url.password)
    else:
        ensure_app_role(conn, role)
    apply_policies(conn, role)


def _config(unit: Unit, connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ENV_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(unit.versions))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s")
    cfg.attributes.update(
        connection=connection, metadata=db.metadata, version_table=unit.version_table,
        unit_tables=unit_tables(unit),
    )
    return cfg


def upgrade(app, progress=lambda unit: None) -> list[str]:
    """Take every unit to head; returns the unit names. Raises PamongError if unreachable."""
    manager = app.extensions["pamong"]
    _check_app_url(app)
    engine = owner_engine(app)
    try:
        with engine.begin() as conn:
            for unit in units(manager):
                command.upgrade(_config(unit, conn), "heads")
                progress(unit)
            if conn.dialect.name == "postgresql":
                set_up_roles(app, conn)
    except OperationalError as exc:
        raise PamongError(f"cannot reach the database: {exc.orig}", where=_owner_setting(app), code="db_unreachable") from None
    except ProgrammingError as exc:  # e.g. the app's restricted login given where the owner's is needed
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        first = str(exc.orig).splitlines()[0]
        hint = "" if app.config.get("PAMONG_DATABASE_OWNER_URI") else " (set PAMONG_DATABASE_OWNER_URL to the owner's login)"
        raise PamongError(f"this login cannot migrate: {first}{hint}", where=_owner_setting(app), code="db_not_owner") from None
    finally:
        engine.dispose()
    return [u.name for u in units(manager)]


def _check_app_url(app) -> None:
    """With an owner URL the app's own URL must be a PostgreSQL login too (README: Running it for
    real); otherwise the app would serve the default SQLite file while the owner migrated PostgreSQL,
    and the login role would be made from a URL without a user or password. ``PamongError``."""
    owner = app.config.get("PAMONG_DATABASE_OWNER_URI")
    if owner and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise PamongError(
            "PAMONG_DATABASE_OWNER_URL is set, so this must be the app's own PostgreSQL login "
            "(e.g. postgresql://pamong_app:...@host/pamong); it is not set or not PostgreSQL",
            where="PAMONG_DATABASE_URL", code="db_app_url_missing",
        )


def _owner_setting(app) -> str:
    return "PAMONG_DATABASE_OWNER_URL" if app.config.get("PAMONG_DATABASE_OWNER_URI") else "PAMONG_DATABASE_URL"


def current(app) -> dict[str, tuple[str | None, str | None]]:
    """{unit: (applied revision, head revision)}"""
    manager = app.extensions["pamong"]
    engine = owner_engine(app)
    out = {}
    try:
        with engine.connect() as conn:
            for unit in units(manager):
                ctx = MigrationContext.configure(conn, opts={"version_table": unit.version_table})
                script = ScriptDirectory.from_config(_config(unit, conn))
                out[unit.name] = (ctx.get_current_revision(), script.get_current_head())
    finally:
        engine.dispose()
    return out


def revision(app, unit_name: str, message: str) -> None:
    """Autogenerate a revision for one unit (developers: ``pamong db revision UNIT -m ...``)."""
    manager = app.extensions["pamong"]
    unit = next((u for u in units(manager) if u.name == unit_name), None)
    if unit is None:
        raise PamongError(f"no migration unit '{unit_name}' (a module needs a migrations/versions folder)", where="UNIT")
    engine = owner_engine(app)
    try:
        with engine.begin() as conn:
            cfg = _config(unit, conn)
            script = ScriptDirectory.from_config(cfg)
            first = script.get_current_head() is None
            command.revision(
                cfg, message=message, autogenerate=True, head="base" if first else "head",
                branch_label=unit.name if first else None, version_path=str(unit.versions),
            )
    finally:
        engine.dispose()
