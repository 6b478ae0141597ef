"""The city card benchmark's timed workloads served as production serves them (``bench/smartcard.py``):
both apps under gunicorn sync workers, loaded by wrk with a Lua hook that makes each request; and
the turns the two workloads take in either mode."""
from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import cpu_split
from load import Gunicorn, Measured, load, server_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def alternate(args, bare, card) -> tuple[Measured, Measured]:
    """``bare()`` and ``card()`` in turn, ``--rounds`` times each (``args.seconds`` split between the
    rounds): a machine whose other work comes and goes weighs on both alike. Their sums."""
    parts = [(bare(), card()) for _ in range(args.rounds)]
    return tuple(_sum([p[i] for p in parts]) for i in (0, 1))


def _sum(parts: list[Measured]) -> Measured:
    done = sum(p.done for p in parts)
    seconds = sum(p.done / p.rate if p.rate else 0.0 for p in parts)
    return Measured(done / seconds if seconds else 0.0, sum(p.p50 for p in parts) / len(parts),
                    max(p.p95 for p in parts), sum(p.errors for p in parts), done, sum(p.non_2xx for p in parts),
                    cpu_split.combine([(p.cpu, p.done) for p in parts]))


def _split(measure) -> Measured:
    """``measure()``, with the CPU the machine spent meanwhile per answered request (``cpu_split``)."""
    before = cpu_split.snapshot()
    result = measure()
    result.cpu = cpu_split.split(before, cpu_split.snapshot(), result.done)
    return result


# wrk's request hook: a new id and key per request (``thread_number`` from load.WRK_SCRIPT's setup)
PAY_LUA = """
local path, cards, run = "%(path)s", %(cards)d, "%(run)s"
local tokens = {%(tokens)s}
local counter = 0
function init(args)
  math.randomseed(tonumber(run, 16) + thread_number)
  prefix = run .. thread_number .. "-"
  non_2xx = 0
end
function request()
  counter = counter + 1
  local id = prefix .. counter
  local body = string.format('{"id":"%%s","card":"60329810%%08d","amount":%%d}', id, math.random(0, cards - 1),
                             math.random(1000, 5000))
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["Idempotency-Key"] = '"' .. id .. '"',
                                   ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]}, body)
end
function response(status, headers, body)
  if status < 200 or status > 299 then non_2xx = non_2xx + 1 end
end
"""


def pay_lua(path: str, tokens: list[str], cards: int) -> str:
    return PAY_LUA % {"path": path, "cards": cards, "run": secrets.token_hex(3),
                      "tokens": ", ".join(f'"{t}"' for t in tokens)}


def run_gunicorn(url: str, args, tokens, pay_path: str, secret: str) -> tuple[Measured, Measured]:
    """Both apps under gunicorn (sync workers, both started, one loaded at a time), loaded by wrk."""
    tmp = Path(tempfile.mkdtemp(prefix="pamong-scbench-"))
    try:
        env = server_env(PAMONG_DEMO=1, PAMONG_DATABASE_URL=url, PAMONG_INSTANCE=tmp, PAMONG_SECRET_KEY=secret,
                         PAMONG_REDIS_URL=args.redis_url)
        seconds = args.seconds / args.rounds
        with Gunicorn("bare_pay:create_app()", {**env, "PAMONG_BENCH_BARE_URL": url, "PYTHONPATH": str(HERE)},
                      args.workers, 1, HERE, "sync") as bare, \
                Gunicorn("core.wsgi:app", {**env, "PYTHONPATH": str(ROOT)}, args.workers, 1, ROOT, "sync") as card:
            b, s = alternate(args, lambda: _split(lambda: load(bare.port, "/pay", {}, seconds, args.connections, tmp,
                                                               lua=pay_lua("/pay", tokens, args.cards))),
                             lambda: _split(lambda: load(card.port, pay_path, {}, seconds, args.connections, tmp,
                                                         lua=pay_lua(pay_path, tokens, args.cards))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _drop_queue(args.redis_url)
    return b, s


def _drop_queue(redis_url: str) -> None:
    """The seal tasks the served app queued (no worker runs here): dropped with the scratch database."""
    try:
        import redis

        redis.Redis.from_url(redis_url).delete("huey.redis.pamong")
    except Exception as exc:  # noqa: BLE001 - a leftover queue is no reason to fail the run
        print(f"  (the job queue on {redis_url} was not emptied: {exc})", file=sys.stderr)
