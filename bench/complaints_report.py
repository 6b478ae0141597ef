"""The report of ``bench/complaints.py``: what it measured, beside the bare baselines, as ratios."""
from __future__ import annotations

import os
import platform

import sql_profile


def _server(args) -> str:
    if getattr(args, "server", "werkzeug") == "gunicorn":
        return f"gunicorn -k sync, {args.concurrency} worker(s), a connection per request"
    return "werkzeug threaded server (HTTP/1.1 keep-alive)"


def report(args, big, small, onboard_s, rows_s, bare: dict, rows: list, profiles: list, goals: list,
           goal_ms: float) -> None:
    """The run's table (each endpoint against the bare page of its kind), the goals' verdicts and
    where each page's time went (``sql_profile.Profile``)."""
    print()
    print(f"Pamong complaints benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL, "
          f"{_server(args)}, up to {args.requests} requests or "
          f"{args.max_seconds:g} s per endpoint, {args.concurrency} connections, loopback")
    print(f"data: {big['total']:,} complaints over {args.tenants} tenants, filed over {args.days} days; "
          f"big tenant {big['slug']}: {big['rows']:,}; small tenant {small['slug']}: {small['rows']:,}")
    if args.reuse:
        print("set-up: a scratch database kept by an earlier run (--reuse), migrated to head")
    else:
        print(f"set-up: {args.tenants} tenants onboarded in {onboard_s:.1f} s; rows written + VACUUM ANALYZE in "
              f"{rows_s:.1f} s")
    print("baseline: a bare Flask app, no database, same server, same client, same run")
    head = f"  {'endpoint':<44} {'items':>5} {'KiB':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'rps/bare':>8} {'p95/bare':>8}"
    print(head)
    for m in list(bare.values()) + rows:
        base = bare[m.endpoint.baseline]
        items = "" if m.items is None else str(m.items)
        print(f"  {m.endpoint.name:<44} {items:>5} {m.page_bytes / 1024:6.1f} {m.rate:8.1f} {m.p50 * 1000:8.1f} "
              f"{m.p95 * 1000:8.1f} {m.rate / base.rate:8.3f} {m.p95 / base.p95 if base.p95 else 0:8.2f}")
    errors = sum(m.errors for m in list(bare.values()) + rows)
    if errors:
        print(f"  WARNING: {errors} request(s) did not answer 200")
    print(f"\ngoals (issue 11, issue 20.2): p95 <= {goal_ms:g} ms at {big['rows']:,} complaints in the tenant, "
          f"{big['total']:,} in all; the worst endpoint of each group, beside the bare page of its kind:")
    for group, test in goals:
        members = [m for m in rows if test(m.endpoint)]
        if not members:
            continue
        worst = max(members, key=lambda m: m.p95)
        base = bare[worst.endpoint.baseline]
        verdict = "met" if worst.p95 * 1000 <= goal_ms else "NOT met"
        print(f"  {group:<28} p95 {worst.p95 * 1000:7.1f} ms ({worst.endpoint.name}); bare {base.p95 * 1000:6.1f} ms; "
              f"{verdict}")
    print("\nwhere the time goes (one warm request in this process; SQL timed at the driver; the slowest "
          "statement explained as the app role with the tenant set):")
    for name, p in profiles:
        slow = p.slowest
        print(f"\n- {name}: {p.seconds * 1000:.1f} ms in all, {len(p.statements)} statements, "
              f"SQL {p.sql_seconds * 1000:.1f} ms; slowest {slow[0] * 1000 if slow else 0:.1f} ms:")
        if slow:
            print("    " + " ".join(slow[1].split())[:400])
            for line in sql_profile.summary(p.plan, args.explain_lines):
                print("    | " + line)
        print("  most own time (cProfile, per request): " + "; ".join(
            f"{name} {ms:.1f} ms/{calls:.0f} calls" for name, ms, calls in p.hot))
