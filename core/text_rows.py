"""Clean text already stored (a data migration's tool): every value ``core.text.clean`` would
change is rewritten in place, so rows stored before text was cleaned at intake stop breaking
answers (Open311 XML with U+FFFF, ...).

``clean_stored_text(bind, tables)`` reflects the named tables and rewrites their text columns
(``String``/``Text``) and JSON columns (every string inside), walking each table in primary-key
order in batches. Encrypted columns hold ASCII ciphertext, which cleaning leaves as it is. A
table with a ``tenant_id`` is walked tenant by tenant (``tenancy.backfill.each_tenant``): under
PostgreSQL's FORCEd Row Level Security the owner that migrates sees only the one tenant
``pamong.tenant_ids`` names (it once named every tenant at once, which shows no rows as soon as
there are two).
"""
from __future__ import annotations

import sqlalchemy as sa

from .tenancy.backfill import each_tenant
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
    existing = set(sa.inspect(bind).get_table_names())
    meta = sa.MetaData()
    meta.reflect(bind, only=[t for t in tables if t in existing])
    changed = 0
    for table in meta.sorted_tables:
        cleaners = {c.name: f for c in table.columns if (f := _cleaner(c)) is not None}
        key = list(table.primary_key.columns)
        if not (cleaners and key):
            continue
        if "tenant_id" in table.c:
            changed += each_tenant(bind, lambda tenant, table=table, key=key, cleaners=cleaners: _clean_table(
                bind, table, key, cleaners, table.c.tenant_id == tenant))
        else:
            changed += _clean_table(bind, table, key, cleaners)
    return changed


def _clean_table(bind, table, key, cleaners, of_tenant=sa.true()) -> int:
    columns = [table.c[name] for name in cleaners]
    changed, last = 0, None
    while True:
        query = sa.select(*key, *columns).where(of_tenant).order_by(*key).limit(BATCH)
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
