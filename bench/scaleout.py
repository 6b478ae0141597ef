"""The request path under gunicorn: pages flat in the tenant's data, and 1 against 2 workers
(``make bench-scaleout``; PostgreSQL and Redis).

In a scratch database made beside ``--database-url`` (``<name>_sbench``, dropped afterwards unless
``--keep``): onboards four synthetic tenants with the complaints module, writes ``--rows``
complaints with PostgreSQL's own ``generate_series`` (a tenth in the big city: 100,000 by default),
then onboards a fifth tenant with none. Then, each server a gunicorn process group
(``-k gthread``) on 127.0.0.1 with Redis as the rate limits' store:

1. **Flatness**: the tenant home page, anonymous, of the big city and of the empty tenant, and the
   big city's home signed in (an officer, through the real sign-in form), each against a bare Flask
   app (``bench/bare_capture.py``) rendering, through Jinja, the very page Pamong answered in this
   run, with the same server, load generator and connections;
2. **The floor**: ``bench/floor_app.py`` serving the captured signed-in page with only what the
   design card's libraries do per request (two SELECTs, Flask-Login, Flask-Babel, the CSRF token),
   and again with its two rows kept in memory, so the report shows how much of the bare rate a
   signed-in Pamong page can keep at best, with and without a statement per request;
3. **Scale-out**: the same pages, and Open311 ``requests.json?page_size=100`` (which reads the
   database on every request), with ``--workers`` 1 and then 2; the bare app the same way, so what
   the machine itself allows (the load generator shares its cores) is printed beside it.

The load generator is ``wrk`` (Debian's package; the Makefile installs it) with a Lua hook that prints
the 95th percentile; without it, ``--clients`` Python processes of keep-alive connections. The bare
app's own req/s is printed, so a generator that caps it shows. Every loop is bounded.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import complaints as cbench  # noqa: E402
from load import Gunicorn, Measured, load, server_env  # noqa: E402
from tenants import onboard, scratch_postgres  # noqa: E402

SECRET = "bench-secret-not-for-production"
CACHED = ", cache 1 s"  # label suffix: PAMONG_ANON_CACHE_SECONDS=1
FLOOR = "floor: libraries only, signed in"  # bench/floor_app.py
FLOOR_MEMORY = "floor: libraries only, rows from memory"  # the same, its two rows kept in the process


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL; the scratch database <name>_sbench is made beside it")
    p.add_argument("--redis-url", default=os.environ.get("PAMONG_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
                   help="Redis for the rate limits' store (default redis://127.0.0.1:6379/13)")
    p.add_argument("--rows", type=int, default=1_000_000,
                   help="complaints in all over four tenants (default 1,000,000: 100,000 in the big city)")
    p.add_argument("--days", type=int, default=730, help="the complaints are filed over this many days")
    p.add_argument("--seconds", type=float, default=10, help="load per measurement, seconds (default 10)")
    p.add_argument("--connections", type=int, default=8, help="keep-alive connections (default 8)")
    p.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (default 4)")
    p.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    p.add_argument("--clients", type=int, default=2, help="Python client processes when wrk is missing")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = p.parse_args(argv)
    if not args.database_url or not args.database_url.startswith(("postgresql://", "postgres://")):
        p.error("--database-url: give a postgresql:// URL (the rows are written by PostgreSQL)")
    try:
        args.workers = [int(w) for w in args.workers.split(",")]
    except ValueError:
        p.error("--workers: give numbers separated by commas, e.g. 1,2")
    if args.rows < 100 or args.seconds <= 0 or min(args.workers) < 1:
        p.error("--rows must be at least 100, --seconds and --workers positive")
    args.tenants = 4  # what bench/complaints.py's set-up reads
    return args


# -- Servers (Gunicorn: bench/load.py) ----------------------------------------------------------------------------------

def floor_cookie(port: int) -> str:
    """The session cookie ``bench/floor_app.py`` gives at ``/login``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    cookie = response.getheader("Set-Cookie") or ""
    if response.status != 200 or not cookie:
        raise RuntimeError(f"the floor app's /login answered {response.status} without a cookie")
    return cookie.split(";", 1)[0]


def fetch(port: int, path: str, headers: dict | None = None) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
    return body


def measure(port: int, path: str, headers: dict, args, tmp: Path) -> Measured:
    """``args.seconds`` of GETs of ``path`` (``load.load``: wrk, else Python client processes)."""
    return load(port, path, headers, args.seconds, args.connections, tmp, clients=args.clients)


# -- The run --------------------------------------------------------------------------------------

def set_up(app, url: str, args) -> tuple[dict, dict, dict]:
    """Four tenants with rows (bench/complaints.py's set-up) and a fifth with none."""
    big, small, _onboard_s, rows_s = cbench.set_up(app, url, args)
    empty = cbench.tenant_docs(5)[0][4]
    onboard(app, [empty])
    print(f"{big['total']:,} complaints written in {rows_s:.1f} s; big city {big['slug']}: {big['rows']:,}; "
          f"empty tenant {empty['slug']}", flush=True)
    return big, small, empty


def pages(big: dict, empty: dict) -> list[tuple[str, str, bool]]:
    """(label, path, signed in)."""
    return [
        ("home, anonymous, 100k complaints", f"/t/{big['slug']}/", False),
        ("home, anonymous, no complaints", f"/t/{empty['slug']}/", False),
        ("home, signed in, 100k complaints", f"/t/{big['slug']}/", True),
        ("Open311 page_size=100", f"/t/{big['slug']}/open311/v2/requests.json?page_size=100", False),
    ]


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        sys.exit("error: gunicorn is not installed: make bench-scaleout installs it (pip install gunicorn)")
    tmp = Path(tempfile.mkdtemp(prefix="pamong-sbench-"))
    os.environ.update(PAMONG_INSTANCE=str(tmp), PAMONG_SECRET_KEY=SECRET)  # before the core is imported
    url = scratch_postgres(args.database_url, suffix="_sbench")
    results: dict[tuple[str, int], Measured] = {}
    try:
        from core import create_app, migrate
        from core.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_DIR": str(tmp),
                          "PAMONG_DEMO": True})
        migrate.upgrade(app)
        print(f"scratch database {url.rsplit('/', 1)[-1]}: writing {args.rows:,} complaints", flush=True)
        big, _small, empty = set_up(app, url, args)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        env = server_env(PAMONG_DEMO=1, PAMONG_DATABASE_URL=url, PAMONG_INSTANCE=tmp, PAMONG_SECRET_KEY=SECRET,
                         PAMONG_INSECURE_COOKIES=1, PAMONG_REDIS_URL=args.redis_url,
                         PAMONG_LOGIN_RATE="1000 per minute", PYTHONPATH=str(ROOT))
        listed = pages(big, empty)
        captured, cookie = {}, ""
        with Gunicorn("core.wsgi:app", env, 1, args.threads, ROOT) as server:
            cookie = cbench.sign_in(server.port, big["slug"], f"officer@{big['slug']}.bench.test")
            for label, path, signed in listed:
                captured[f"{'signed' if signed else 'anon'}:{path}"] = fetch(
                    server.port, path, {"Cookie": cookie} if signed else {}).decode()
        keys = {key: f"/{i}" for i, key in enumerate(captured)}  # the bare app serves each capture here
        bare_pages = {keys[key]: page for key, page in captured.items()}
        (tmp / "captured.json").write_text(json.dumps(bare_pages), encoding="utf-8")
        bare_env = {**env, "PAMONG_BENCH_CAPTURED": str(tmp / "captured.json"), "PYTHONPATH": str(HERE)}
        for workers in args.workers:
            print(f"-- {workers} worker(s)", flush=True)
            with Gunicorn("bare_capture:app", bare_env, workers, args.threads, HERE) as bare:
                for label, path, signed in listed:
                    key = f"{'signed' if signed else 'anon'}:{path}"
                    fetch(bare.port, keys[key])
                    results[("bare " + label, workers)] = m = measure(bare.port, keys[key], {}, args, tmp)
                    print(f"  bare   {label:<36} {m.rate:8.1f} req/s  p95 {m.p95 * 1000:7.1f} ms", flush=True)
            signed_key = f"signed:{listed[2][1]}"
            floor_env = {**bare_env, "PAMONG_BENCH_USER": f"officer@{big['slug']}.bench.test"}
            with Gunicorn("floor_app:app", floor_env, workers, args.threads, HERE) as floor:
                headers = {"Cookie": floor_cookie(floor.port)}
                path = f"/t/{big['slug']}{keys[signed_key]}"
                fetch(floor.port, path, headers)
                for name, prefix in ((FLOOR, "/t/"), (FLOOR_MEMORY, "/m/")):
                    at = prefix + path.removeprefix("/t/")
                    fetch(floor.port, at, headers)
                    results[(name, workers)] = m = measure(floor.port, at, headers, args, tmp)
                    print(f"  {name:<43} {m.rate:8.1f} req/s  p95 {m.p95 * 1000:7.1f} ms", flush=True)
            with Gunicorn("core.wsgi:app", env, workers, args.threads, ROOT) as server:
                cookie = cbench.sign_in(server.port, big["slug"], f"officer@{big['slug']}.bench.test")
                for label, path, signed in listed:
                    headers = {"Cookie": cookie} if signed else {}
                    fetch(server.port, path, headers)
                    results[(label, workers)] = m = measure(server.port, path, headers, args, tmp)
                    print(f"  pamong {label:<36} {m.rate:8.1f} req/s  p95 {m.p95 * 1000:7.1f} ms", flush=True)
            with Gunicorn("core.wsgi:app", {**env, "PAMONG_ANON_CACHE_SECONDS": "1"}, workers, args.threads,
                          ROOT) as server:  # the optional in-app cache of anonymous pages (core/public_cache.py)
                for label, path, signed in listed[:2]:
                    fetch(server.port, path)
                    results[(label + CACHED, workers)] = m = measure(server.port, path, {}, args, tmp)
                    print(f"  pamong {label + CACHED:<36} {m.rate:8.1f} req/s  p95 {m.p95 * 1000:7.1f} ms",
                          flush=True)
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_sbench")
        shutil.rmtree(tmp, ignore_errors=True)
    report(args, listed, results)
    return 1 if any(m.errors for m in results.values()) else 0


def report(args, listed, results) -> None:
    one, many = args.workers[0], args.workers[-1]
    print()
    print(f"Pamong scale-out benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, PostgreSQL + "
          f"Redis, gunicorn gthread x{args.threads} threads, {args.connections} connections for {args.seconds:g} s, "
          f"load by {'wrk' if shutil.which('wrk') else f'{args.clients} Python client processes'} on the same machine")
    print(f"  {'page':<46} {'workers':>7} {'req/s':>8} {'bare':>8} {'ratio':>6} {'p95 ms':>7} {'errors':>6}")
    rows = [label for label, _p, _s in listed] + [label + CACHED for label, _p, _s in listed[:2]]
    for workers in args.workers:
        for label in rows:
            m, b = results[(label, workers)], results[("bare " + label.removesuffix(CACHED), workers)]
            print(f"  {label:<46} {workers:>7} {m.rate:8.1f} {b.rate:8.1f} {m.rate / b.rate:6.3f} "
                  f"{m.p95 * 1000:7.1f} {m.errors:6d}")
    print("goals (issue 11):")
    anon, none_ = results[(listed[0][0], one)], results[(listed[1][0], one)]
    signed = results[(listed[2][0], one)]
    print(f"  anonymous home / bare                     {anon.rate / results[('bare ' + listed[0][0], one)].rate:6.3f}"
          "  (goal >= 0.70)")
    cached = results[(listed[0][0] + CACHED, one)]
    print(f"  anonymous home, in-app cache 1 s / bare    {cached.rate / results[('bare ' + listed[0][0], one)].rate:6.3f}"
          "  (goal >= 0.70)")
    print(f"  signed-in home / bare                     {signed.rate / results[('bare ' + listed[2][0], one)].rate:6.3f}"
          "  (goal >= 0.35)")
    floor = results[(FLOOR, one)]
    print(f"  floor (libraries only) signed in / bare    {floor.rate / results[('bare ' + listed[2][0], one)].rate:6.3f}"
          f"  (pamong / floor {signed.rate / floor.rate:5.3f}: what Pamong's own work keeps)")
    memory = results[(FLOOR_MEMORY, one)]
    print(f"  floor, rows from memory, signed in / bare  {memory.rate / results[('bare ' + listed[2][0], one)].rate:6.3f}"
          "  (no statement per request)")
    print(f"  time per home page, 100k complaints / none {none_.rate / anon.rate:6.3f}  (goal <= 1.2)")
    if many != one:
        for label in rows:
            m1, m2 = results[(label, one)], results[(label, many)]
            base = "bare " + label.removesuffix(CACHED)
            b1, b2 = results[(base, one)], results[(base, many)]
            print(f"  {many} workers / {one}: {label:<46} pamong {m2.rate / m1.rate:5.2f}  bare {b2.rate / b1.rate:5.2f}"
                  "  (goal >= 1.6)")
    errors = sum(m.errors for m in results.values())
    if errors:
        print(f"  WARNING: {errors} request(s) did not answer 2xx")


if __name__ == "__main__":
    sys.exit(main())
