"""How Pamong carries Indonesia's 552 regional governments (``make bench``).

Onboards 552 synthetic tenants (38 provinces, 416 regencies, 98 cities) into a fresh SQLite
database (and, with ``--database-url``, a scratch PostgreSQL database made beside the one named and
dropped afterwards) through the same service path as ``pamong tenant apply``, then prints:

- seconds per tenant onboarded;
- resident memory (VmRSS) of one fresh app process serving requests, with 4 and with 552 tenants;
- requests per second of tenant home pages with 4 and with 552 tenants, and of a bare Flask app
  rendering a comparable page, all measured in this run over loopback, with the ratios.

Every server is a subprocess on 127.0.0.1 that stops by itself; every loop is bounded.
"""
from __future__ import annotations

import argparse
import html
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import synthetic  # noqa: E402
from load import Server, get, hammer, hammer_many, server_env  # noqa: E402

SECRET = "bench-secret-not-for-production"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", help="a PostgreSQL URL: a scratch database <name>_bench is made beside it")
    p.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL run")
    p.add_argument("--requests", type=int, default=2000, help="measured requests per server (default 2000)")
    p.add_argument("--concurrency", type=int, default=4, help="keep-alive connections (default 4)")
    p.add_argument("--clients", type=int, default=2,
                   help="client processes sharing the connections (default 2: one Python client caps a bare app)")
    p.add_argument("--max-seconds", type=float, default=60, help="time limit of each load run (default 60)")
    p.add_argument("--chunk", type=int, default=50, help="tenants per onboarding transaction (default 50)")
    p.add_argument("--modules", default="all", help="modules each tenant enables: all (installed), none, or a,b")
    args = p.parse_args(argv)
    if args.no_sqlite and not args.database_url:
        p.error("--no-sqlite needs --database-url")
    return args


@dataclass
class Served:
    rss_kib: int
    rate: float
    errors: int
    page_bytes: int
    seconds: float


@dataclass
class Run:
    backend: str
    modules: list[str]
    onboard: dict = field(default_factory=dict)  # label -> (tenants, seconds)
    served: dict = field(default_factory=dict)  # "bare" | 4 | 552 -> Served


# -- Onboarding -----------------------------------------------------------------------------------

def pick_modules(manager, wanted: str) -> tuple[list[str], list[str]]:
    """The modules every tenant enables, and those skipped (settings need values, or requires)."""
    from core.errors import PamongError
    from core.settings import validate_settings

    if wanted == "none":
        return [], []
    names = list(manager.modules) if wanted == "all" else [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = [n for n in names if manager.get(n) is None]
    if unknown:
        sys.exit(f"error: --modules: unknown module '{unknown[0]}' (installed: {', '.join(manager.modules) or 'none'})")
    ok, skipped = [], []
    for name in names:
        try:
            validate_settings(manager.get(name).schema, {}, f"modules.{name}.settings")
            ok.append(name)
        except PamongError:
            skipped.append(name)
    changed = True
    while changed:  # a module whose requirement was skipped is skipped too
        changed = False
        for name in list(ok):
            if any(r not in ok for r in manager.get(name).requires):
                ok.remove(name)
                skipped.append(name)
                changed = True
    return ok, skipped


def onboard(app, docs: list[dict]) -> float:
    """Validate and apply ``docs`` in one transaction, as ``pamong tenant apply`` does; seconds."""
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.schema import parse_tenant

    manager = app.extensions["pamong"]
    with app.app_context():
        start = time.perf_counter()
        parsed = [(f"bench/{d['slug']}.toml", parse_tenant(d, f"bench/{d['slug']}.toml")) for d in docs]
        for _where, doc in service.check_batch(parsed, manager):
            service.apply_doc(doc, "cli:bench", manager)
            db.session.flush()
        db.session.commit()
        return time.perf_counter() - start


# -- Serving --------------------------------------------------------------------------------------

def targets(docs: list[dict]) -> list[tuple[str, str | None]]:
    """Each tenant's home page, by path prefix and by its own host, interleaved."""
    out = []
    for d in docs:
        out += [(f"/t/{d['slug']}/", None), ("/", synthetic.domain(d["slug"]))]
    return out


def serve_and_measure(kind: str, env: dict, docs: list[dict], args) -> Served:
    with Server(kind, env) as server:
        size = 0
        for path, host in targets(docs):  # warm-up: every tenant once each way, and a check
            status, body = get(server.port, path, host)
            if status != 200:
                raise RuntimeError(f"{kind}: GET {path} (Host {host}) answered {status}")
            if kind == "pamong":
                name = next(d["name"] for d in docs if path == f"/t/{d['slug']}/" or host == synthetic.domain(d["slug"]))
                if f"<h1>{html.escape(name)}</h1>" not in body.decode():
                    raise RuntimeError(f"{kind}: GET {path} (Host {host}) is not {name}'s home page")
            size = len(body)
        hammer(server.port, targets(docs), min(200, args.requests), args.concurrency, args.max_seconds)
        result = hammer_many(server.port, targets(docs), args.requests, args.concurrency, args.max_seconds,
                             processes=args.clients)
        return Served(server.rss_kib(), result.rate, result.errors, size, result.seconds)


# -- One backend ----------------------------------------------------------------------------------

def run_backend(backend: str, url: str, instance: Path, args) -> Run:
    from core import create_app, migrate
    from core.extensions import db

    instance.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_DIR": str(instance),
                      "PAMONG_DEMO": True})  # a scratch database: the owner may SET ROLE
    try:
        migrate.upgrade(app)
        modules, skipped = pick_modules(app.extensions["pamong"], args.modules)
        if skipped:
            print(f"[{backend}] not enabled (their settings need values, or a requirement does): {', '.join(skipped)}")
        run = Run(backend, modules)
        docs = synthetic.tenant_docs(modules)
        four = synthetic.first_four(docs)
        rest = [d for d in docs if d not in four]
        env = server_env(PAMONG_DEMO=1, PAMONG_DATABASE_URL=url, PAMONG_INSTANCE=instance, PAMONG_SECRET_KEY=SECRET,
                         PAMONG_INSECURE_COOKIES=1)

        run.onboard["first 4"] = (4, onboard(app, four))
        print(f"[{backend}] onboarded 4 tenants in {run.onboard['first 4'][1]:.2f}s; measuring", flush=True)
        run.served["bare"] = serve_and_measure("bare", env, docs, args)
        run.served[4] = serve_and_measure("pamong", env, four, args)

        chunks = [rest[i:i + args.chunk] for i in range(0, len(rest), args.chunk)]
        times = []
        for n, chunk in enumerate(chunks, 1):
            times.append(onboard(app, chunk))
            if sys.stdout.isatty():
                print(f"[{backend}] onboarded {4 + sum(map(len, chunks[:n]))}/{len(docs)} tenants", end="\r", flush=True)
        print(f"[{backend}] onboarded {len(docs)} tenants in {run.onboard['first 4'][1] + sum(times):.1f}s; measuring")
        run.onboard[f"first {len(chunks[0])} after"] = (len(chunks[0]), times[0])
        run.onboard[f"last {len(chunks[-1])}"] = (len(chunks[-1]), times[-1])
        run.onboard[f"all {len(docs)}"] = (len(docs), run.onboard["first 4"][1] + sum(times))
        run.served[len(docs)] = serve_and_measure("pamong", env, docs, args)
        return run
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def scratch_postgres(url: str, drop: bool = False, suffix: str = "_bench") -> str:
    """Make (or drop) ``<database><suffix>`` on the server of ``url``; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from core.config import normalise_db_url

    base = make_url(normalise_db_url(url))
    if not base.drivername.startswith("postgresql"):
        sys.exit("error: --database-url: give a postgresql:// URL")
    name = f"{base.database}{suffix}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:  # no server, no such database, no right to create one: one line
        reason = str(exc.orig or exc).strip().splitlines()[0].rsplit("FATAL:", 1)[-1].strip()
        print(f"error: --database-url: {make_url(url).render_as_string(hide_password=True)}: {reason}",
              file=sys.stderr)
        sys.exit(2)
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


# -- Report ---------------------------------------------------------------------------------------

def report(runs: list[Run], args) -> None:
    print()
    print(f"Pamong tenants benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"werkzeug threaded server (HTTP/1.1 keep-alive), {args.requests} requests per server, "
          f"{args.concurrency} connections from {args.clients} client processes, loopback")
    print("tenants with data (100,000 complaints in one) and gunicorn with 1 and 2 workers: bench/scaleout.py")
    print(f"each tenant: {len(synthetic.AGENCIES)} agencies, {synthetic.DISTRICTS} districts x "
          f"{synthetic.VILLAGES} villages; home pages hit round-robin over the tenants, by path and by host")
    for run in runs:
        print(f"\n== {run.backend}  (modules enabled per tenant: {', '.join(run.modules) or 'none'})")
        print("onboarding (check_batch + apply_doc + commit, as `pamong tenant apply`):")
        for label, (n, seconds) in run.onboard.items():
            print(f"  {label:>16}: {n:4d} tenants in {seconds:7.2f} s = {seconds / n:6.3f} s/tenant")
        print(f"  {'server':<14} {'tenants':>7} {'RSS MiB':>8} {'req/s':>8} {'page B':>7} {'errors':>6} {'secs':>6}")
        for key, s in run.served.items():
            label, tenants = ("bare Flask", "-") if key == "bare" else ("pamong", str(key))
            print(f"  {label:<14} {tenants:>7} {s.rss_kib / 1024:8.1f} {s.rate:8.1f} {s.page_bytes:7d} {s.errors:6d} {s.seconds:6.1f}")
        bare, few, many = run.served["bare"], run.served[4], run.served[max(k for k in run.served if k != "bare")]
        print("ratios:")
        print(f"  req/s  pamong/bare with 4 tenants   {few.rate / bare.rate:6.3f}")
        print(f"  req/s  pamong/bare with 552 tenants {many.rate / bare.rate:6.3f}")
        print(f"  req/s  552 tenants / 4 tenants      {many.rate / few.rate:6.3f}")
        print(f"  RSS    552 tenants / 4 tenants      {many.rss_kib / few.rss_kib:6.3f}")
        print(f"  RSS    pamong (4 tenants) / bare    {few.rss_kib / bare.rss_kib:6.3f}")
        errors = sum(s.errors for s in run.served.values())
        if errors:
            print(f"  WARNING: {errors} request(s) did not answer 200")


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pamong-bench-"))
    # before the core is imported: its job queue (Huey on SQLite) lives in the instance folder
    os.environ.update(PAMONG_INSTANCE=str(tmp), PAMONG_SECRET_KEY=SECRET)
    runs = []
    try:
        if not args.no_sqlite:
            runs.append(run_backend("sqlite", f"sqlite:///{tmp / 'sqlite' / 'pamong.db'}", tmp / "sqlite", args))
        if args.database_url:
            url = scratch_postgres(args.database_url)
            try:
                runs.append(run_backend("postgresql", url, tmp / "postgresql", args))
            finally:
                scratch_postgres(args.database_url, drop=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(runs, args)
    return 1 if any(s.errors for r in runs for s in r.served.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
