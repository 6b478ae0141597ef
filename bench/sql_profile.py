"""Where a page's time goes, in this process: the app served through its test client with every SQL
statement timed, then ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest one, run as the app's restricted
role with the tenant set, exactly as the request ran it (same statement, same parameters), and the
Python functions that took the most time of their own (cProfile)."""
from __future__ import annotations

import cProfile
import pstats
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event


@dataclass
class Profile:
    path: str
    status: int
    seconds: float
    statements: list = field(default_factory=list)  # [(seconds, statement, parameters)]
    plan: list[str] = field(default_factory=list)
    hot: list = field(default_factory=list)  # [(function, own ms per request, calls per request)]

    @property
    def sql_seconds(self) -> float:
        return sum(s for s, _, _ in self.statements)

    @property
    def slowest(self):
        # what EXPLAIN can show: a query (not the RLS setting, nor ``SET LOCAL plan_cache_mode``)
        real = [s for s in self.statements
                if s[1].lstrip().upper().startswith(("SELECT", "WITH")) and "set_config" not in s[1]]
        return max(real, key=lambda s: s[0]) if real else None


def profile(app, client, path: str, tenant_id: int, repeat: int = 3) -> Profile:
    """GET ``path`` ``repeat`` times (the last, warm, run is kept) and explain its slowest statement."""
    from core.extensions import db

    with app.app_context():
        engine = db.engine
    result = None
    for _ in range(repeat):
        seen: list = []

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_started"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            seen.append((time.perf_counter() - conn.info.pop("bench_started"), statement, parameters))

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            start = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - start
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        result = Profile(path, response.status_code, seconds, seen)
    if result.slowest is not None:
        result.plan = explain(app, result.slowest[1], result.slowest[2], tenant_id)
    result.hot = hot_functions(client, path, repeat)
    return result


def hot_functions(client, path: str, repeat: int, top: int = 6) -> list:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (prim calls, calls, own, cumulative, callers)}
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return [(f"{_short(file)}:{line}({name})", own * 1000 / repeat, calls / repeat)
            for (file, line, name), (_prim, calls, own, _cum, _callers) in ranked]


def _short(file: str) -> str:
    parts = Path(file).parts
    for anchor in ("site-packages", "core", "modules"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i + (anchor == "site-packages"):])
    return file


def explain(app, statement: str, parameters, tenant_id: int) -> list[str]:
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:  # the app's engine: already the restricted role
            conn.execute(text("SELECT set_config('pamong.tenant_ids', :ids, true)"), {"ids": str(tenant_id)})
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
            conn.rollback()
    return [r[0] for r in rows]


def summary(plan: list[str], lines: int) -> list[str]:
    """The first ``lines`` lines of a plan, and its planning and execution times."""
    head = plan[:lines]
    tail = [line for line in plan[lines:] if line.startswith(("Planning Time", "Execution Time"))]
    return head + (["  ..."] if len(plan) > lines + len(tail) else []) + tail
