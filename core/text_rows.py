"""Clean text already stored (a data migration's tool): every value ``core.text.clean`` would
change is rewritten in place, so rows stored before text was cleaned at intake stop breaking
answers (Open311 XML with U+FFFF, ...).

``clean_stored_text(bind, tables)`` reflects the named tables and rewrites their text columns
(``String``/``Text``) and JSON columns (every string inside), walking each table in primary-key
order in batches. Encrypted columns hold ASCII ciphertext, which cleaning leaves as it is. On
PostgreSQL the transaction is given every tenant (``pamong.tenant_ids``), so Row Level Security
(FORCEd, owner included) lets the migration see every tenant's rows.
"""
from __future__ import annotations

import sqlalchemy as sa

from .text import clean, clean_data

BATCH = 500


def _cleaner(column):
    if isinstance(column.type, sa.JSON):
        return lambda value: clean_data(value, max_depth=1000)
    if isinstance(column.type, sa.String):  # Text, VARCHAR, CHAR
        return lambda value: clean(value) if isinstance(value, str) else value
    return None


def clean_stored_text(bind, tables: list[str]) -> int:
    """Rewrite the values of ``tables`` (names; those that do not exist are skipped) that are not
    clean. Returns how many rows changed."""
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(
            "SELECT set_config('pamong.tenant_ids', coalesce((SELECT string_agg(id::text, ',') FROM tenants), ''), true)"
        ))
    existing = set(sa.inspect(bind).get_table_names())
    meta = sa.MetaData()
    meta.reflect(bind, only=[t for t in tables if t in existing])
    changed = 0
    for table in meta.sorted_tables:
        cleaners = {c.name: f for c in table.columns if (f := _cleaner(c)) is not None}
        key = list(table.primary_key.columns)
        if cleaners and key:
            changed += _clean_table(bind, table, key, cleaners)
    return changed


def _clean_table(bind, table, key, cleaners) -> int:
    columns = [table.c[name] for name in cleaners]
    changed, last = 0, None
    while True:
        query = sa.select(*key, *columns).order_by(*key).limit(BATCH)
        if last is not None:
            query = query.where(sa.tuple_(*key) > sa.tuple_(*last))
        rows = bind.execute(query).all()
        if not rows:
            return changed
        for row in rows:
            ids, values = row[:len(key)], row[len(key):]
            update = {}
            for column, value in zip(columns, values):
                if value is None:
                    continue
                new = cleaners[column.name](value)
                if new != value:
                    update[column.name] = new
            if update:
                bind.execute(table.update().where(*(k == v for k, v in zip(key, ids))).values(**update))
                changed += 1
        last = rows[-1][:len(key)]
