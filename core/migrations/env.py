"""Alembic environment shared by the core and every module.

Each migration unit (the core, each module) has its own ``versions`` folder and its own version
table (``alembic_version_<unit>``), so removing a module leaves no revision Alembic cannot locate.
``core/migrate.py`` passes the connection, the unit's tables and the version table in.
"""
from alembic import context

from core.tenancy.keys import sqlite_shape

config = context.config
connection = config.attributes["connection"]
metadata = config.attributes["metadata"]
unit_tables = config.attributes.get("unit_tables")


def include_object(obj, name, type_, reflected, compare_to):
    if sqlite_shape(connection.dialect.name, obj, name, type_, reflected):
        return False  # SQLite's form of the tenant keys (core/tenancy/keys.py)
    if type_ == "table" and unit_tables is not None:
        return name in unit_tables
    table = getattr(obj, "table", None)
    if table is not None and unit_tables is not None:
        return table.name in unit_tables
    return True


context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=config.attributes["version_table"],
    include_object=include_object,
    render_as_batch=True,
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
