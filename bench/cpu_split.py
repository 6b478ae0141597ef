"""Where a served workload's CPU goes (``bench/smartcard.py``): the whole machine's busy time
(``/proc/stat``) and each process's user + system time (``/proc/<pid>/stat``), grouped as the
gunicorn workers (the app under load: the other one idles), PostgreSQL's processes, Redis, and the
rest (wrk, the kernel's share, anything else running), in milliseconds per answered request.

A process that ends during the workload takes its time with it, so the rest is the machine's
busy time less the groups seen, not a sum of processes. Linux only: elsewhere ``snapshot()`` is
None and nothing is split. On a shared machine the rest includes the other work.
"""
from __future__ import annotations

import os
from pathlib import Path

GROUPS = ("app", "postgres", "redis")


def _group(comm: str, cmdline: str) -> str | None:
    if "gunicorn" in cmdline:
        return "app"
    if comm.startswith("postgres") or cmdline.startswith("postgres"):
        return "postgres"
    if comm.startswith("redis"):
        return "redis"
    return None


def snapshot() -> dict | None:
    """``{"busy": seconds, (pid, group): seconds, ...}`` now, or None without ``/proc``."""
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    # cpu  user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
    times = [int(x) for x in (proc / "stat").read_text().split("\n", 1)[0].split()[1:]]
    out: dict = {"busy": (sum(times) - times[3] - times[4]) / tick}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        group = _group(stat[stat.index("(") + 1:stat.rindex(")")], cmdline)
        if group:
            fields = stat[stat.rindex(")") + 2:].split()
            out[(entry.name, group)] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


def split(before: dict | None, after: dict | None, requests: int) -> dict | None:
    """Milliseconds of CPU per request between two snapshots: ``all`` (the machine's busy time),
    each of ``GROUPS``, and ``rest`` (all less the groups); None when not measured."""
    if before is None or after is None or requests <= 0:
        return None
    per = {g: 0.0 for g in GROUPS}
    for key, seconds in after.items():
        if key != "busy":
            per[key[1]] += seconds - before.get(key, 0.0)
    per["all"] = after["busy"] - before["busy"]
    per["rest"] = max(0.0, per["all"] - sum(per[g] for g in GROUPS))
    return {k: v * 1000 / requests for k, v in per.items()}


def combine(parts: list[tuple[dict | None, int]]) -> dict | None:
    """The per-request split of several turns (each ``(split, requests)``), weighted by requests."""
    measured = [(s, n) for s, n in parts if s is not None and n > 0]
    total = sum(n for _, n in measured)
    if not measured or total == 0:
        return None
    return {k: sum(s[k] * n for s, n in measured) / total for k in measured[0][0]}


def line(label: str, cpu: dict | None) -> str:
    if cpu is None:
        return f"  CPU per answered request, {label}: not measured (no /proc)"
    return (f"  CPU per answered request, {label}: {cpu['all']:.2f} ms (app {cpu['app']:.2f}, "
            f"PostgreSQL {cpu['postgres']:.2f}, Redis {cpu['redis']:.2f}, wrk and the rest {cpu['rest']:.2f})")
