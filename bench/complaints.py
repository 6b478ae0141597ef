"""How the complaints module's lists hold up with many rows (``make bench-complaints``; PostgreSQL).

In a scratch database made beside ``--database-url`` (``<name>_cbench``, dropped afterwards unless
``--keep``): onboards ``--tenants`` synthetic tenants (bench/synthetic.py, with the complaints module
and nine categories over six agencies), writes ``--rows`` complaints with PostgreSQL's own
``generate_series`` (bench/complaint_rows.py: a tenth in one city, the rest spread over the others),
runs ``VACUUM ANALYZE``, then serves the real app and a bare Flask app (bench/bare_app.py: the same
kind of HTML table and Open311-shaped JSON, no database) each on 127.0.0.1 with the same server
(``--server``: gunicorn by default, as in production, ``--concurrency`` sync workers, a connection per request;
or werkzeug's threaded server in one process), and measures requests per second and the
95th-percentile latency of:

- the officer's queue (signed in as an officer of DLH, through the real sign-in form), with filters,
  keyword search (issue 20.2), district and date range, assignee, a deep page;
- the public list (the transparency page: figures and the newest complaints), in the big tenant
  and in a small one;
- Open311 ``GET requests.json`` with filters, with the default page size (1000) and ``page_size=100``;

and prints each against the bare baseline of the same kind in the same run, as ratios, then the
goals of issues 11 and 20.2 (p95 <= 50 ms) for the keyword search, the filtered queue and the Open311
list of 100 per page, each group's worst endpoint beside its bare page. Then each page is run once
more in this process with its SQL timed, and the slowest statement is explained. ``--keep`` then
``--reuse`` measures again without writing the rows again (``--only`` picks endpoints).
Every loop is bounded by a request count and a deadline.
"""
from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import complaint_rows  # noqa: E402
import complaints_report  # noqa: E402
import sql_profile  # noqa: E402
import synthetic  # noqa: E402
from load import SERVERS, gunicorn_missing, hammer, serve, server_env  # noqa: E402
from tenants import onboard, scratch_postgres  # noqa: E402

SECRET = "bench-secret-not-for-production"
PASSWORD = "bench-password-not-for-production"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL; the scratch database <name>_cbench is made beside it "
                        "(default: $PAMONG_BENCH_DATABASE_URL)")
    p.add_argument("--rows", type=int, default=1_000_000, help="complaints in all (default 1,000,000; "
                   "a tenth in the big tenant)")
    p.add_argument("--tenants", type=int, default=552, help="tenants (default 552; 4 to 552)")
    p.add_argument("--days", type=int, default=730, help="the complaints are filed over this many days")
    p.add_argument("--requests", type=int, default=300, help="measured requests per endpoint (default 300)")
    p.add_argument("--max-seconds", type=float, default=20, help="time limit per endpoint (default 20)")
    p.add_argument("--concurrency", type=int, default=2, help="keep-alive connections (default 2)")
    p.add_argument("--server", choices=SERVERS, default="gunicorn",
                   help="gunicorn (default: --concurrency sync workers, a connection per request, each to a free worker; "
                        "make bench-complaints installs it) or werkzeug (its threaded server, one process)")
    p.add_argument("--explain-lines", type=int, default=12, help="plan lines shown per endpoint")
    p.add_argument("--keep", action="store_true", help="keep the scratch database (to look at it)")
    p.add_argument("--reuse", action="store_true",
                   help="use the scratch database a run with --keep left (same --tenants), migrated to head "
                        "(the RLS policies re-applied), instead of writing the rows again; implies --keep")
    p.add_argument("--only", default="", help="measure only the endpoints whose name contains this text "
                   "(the bare baselines are always measured)")
    args = p.parse_args(argv)
    if args.reuse:
        args.keep = True
    if not args.database_url or not args.database_url.startswith(("postgresql://", "postgres://")):
        p.error("--database-url: give a postgresql:// URL (the rows are written by PostgreSQL)")
    if not 4 <= args.tenants <= 552 or args.rows < 100:
        p.error("--tenants must be 4..552 and --rows at least 100")
    if args.concurrency < 1:
        p.error("--concurrency must be at least 1")
    if args.server == "gunicorn" and gunicorn_missing():
        p.error("--server gunicorn: gunicorn is not installed; make bench-complaints installs it "
                "(pip install -e '.[serve]'), or give --server werkzeug")
    return args


@dataclass
class Endpoint:
    name: str
    path: str
    baseline: str  # the bare page it is compared with
    officer: bool = False  # sent with the officer's session cookie
    expect: str = ""  # text a correct page contains (HTML) / "list" (JSON)


@dataclass
class Measured:
    endpoint: Endpoint
    rate: float
    p50: float
    p95: float
    errors: int
    done: int
    page_bytes: int
    items: int | None = None


# -- Set-up -----------------------------------------------------------------------------------------

def tenant_docs(count: int) -> tuple[list[dict], dict, dict]:
    """``count`` synthetic tenants with the complaints module; the big tenant (a city) and a small one."""
    docs = synthetic.tenant_docs(["complaints"])
    four = synthetic.first_four(docs)
    docs = four + [d for d in docs if d not in four][: count - len(four)]
    for d in docs:
        d["agencies"] = d["agencies"] + complaint_rows.EXTRA_AGENCIES
        d["modules"]["complaints"]["settings"] = {"categories": complaint_rows.category_settings()}
    big = next(d for d in docs if d["kind"] == "city")
    small = next(d for d in docs if d is not big)
    return docs, big, small


def set_up(app, url: str, args) -> tuple[dict, dict, float, float]:
    """Onboard the tenants, make the officer, write the rows; returns (big, small, onboard s, rows s)."""
    from sqlalchemy import create_engine, text

    from core.auth import service as accounts
    from core.config import normalise_db_url
    from core.crypto import encrypt
    from core.extensions import db
    from core.kit import keyed_hash, normalise_phone
    from core.tenancy.models import Tenant

    docs, big, small = tenant_docs(args.tenants)
    started = time.perf_counter()
    for i in range(0, len(docs), 50):
        onboard(app, docs[i:i + 50])
    onboard_seconds = time.perf_counter() - started
    with app.app_context():
        tenant = db.session.execute(db.select(Tenant).where(Tenant.slug == big["slug"])).scalar_one()
        user = accounts.create_user(f"officer@{big['slug']}.bench.test", password=PASSWORD)
        accounts.grant_role(tenant, user, "officer", "cli:bench", agency="DLH")
        db.session.commit()
        filers = [(encrypt(f"Warga Sintetis {i}"), encrypt(normalise_phone(f"0812{i:08d}")),
                   keyed_hash(normalise_phone(f"0812{i:08d}"))) for i in range(complaint_rows.FILER_POOL)]
    owner = create_engine(normalise_db_url(url))  # the owner: bypasses RLS to write every tenant's rows
    try:
        with owner.connect() as conn:
            ids = dict(conn.execute(text("SELECT slug, id FROM tenants")).all())
            units = conn.execute(text("SELECT tenant_id, kind, code, id, parent_id FROM org_units")).all()
        tenants = []
        for d in docs:
            tid = ids[d["slug"]]
            mine = [u for u in units if u.tenant_id == tid]
            agencies = {u.code: u.id for u in mine if u.kind == "agency"}
            places = [(u.parent_id, u.id) for u in mine if u.kind == "village"]
            prefix = d["slug"].upper()
            tenants.append((tid, prefix, agencies, places, d["timezone"]))
        big_row = next(t for t in tenants if t[0] == ids[big["slug"]])
        from modules.complaints.models import Complaint

        rows_seconds = complaint_rows.generate(owner, Complaint.__table__, tenants, big_row, filers, args.rows,
                                               args.days)
        words_seconds = complaint_rows.fill_words(owner)  # the keyword search's word index (words.py)
        print(f"word index written in {words_seconds:.1f} s", flush=True)
        rows_seconds += words_seconds
        with owner.connect() as conn:
            counts = dict(conn.execute(text(
                "SELECT tenant_id, count(*) FROM complaints WHERE tenant_id IN (:b, :s) GROUP BY tenant_id"
            ), {"b": ids[big["slug"]], "s": ids[small["slug"]]}).all())
            total = conn.execute(text("SELECT count(*) FROM complaints")).scalar()
    finally:
        owner.dispose()
    with app.app_context():  # the rows were written around the ORM: count them into the public figures
        from modules.complaints import summary

        for one in db.session.execute(db.select(Tenant).where(Tenant.slug.in_([big["slug"], small["slug"]]))).scalars():
            summary.rebuild(one)
        db.session.commit()
    big.update(id=ids[big["slug"]], rows=counts.get(ids[big["slug"]], 0), total=total, days=args.days)
    small.update(id=ids[small["slug"]], rows=counts.get(ids[small["slug"]], 0))
    return big, small, onboard_seconds, rows_seconds


def reuse(app, url: str, args) -> tuple[dict, dict]:
    """The big and small tenants of a scratch database a previous run kept (``--reuse``)."""
    from sqlalchemy import create_engine, text

    from core.config import normalise_db_url

    _docs, big, small = tenant_docs(args.tenants)
    owner = create_engine(normalise_db_url(url))
    try:
        with owner.connect() as conn:
            ids = dict(conn.execute(text("SELECT slug, id FROM tenants")).all())
            if big["slug"] not in ids or small["slug"] not in ids:
                raise SystemExit(f"error: --reuse: {url.rsplit('/', 1)[-1]} was not made with --tenants {args.tenants}")
            counts = dict(conn.execute(text("SELECT tenant_id, count(*) FROM complaints GROUP BY tenant_id")).all())
            first = conn.execute(text("SELECT min(created_at) FROM complaints")).scalar()
    finally:
        owner.dispose()
    days = max(1, (datetime.now(timezone.utc) - first).days) if first else args.days
    big.update(id=ids[big["slug"]], rows=counts.get(ids[big["slug"]], 0), total=sum(counts.values()), days=days)
    small.update(id=ids[small["slug"]], rows=counts.get(ids[small["slug"]], 0))
    return big, small


def endpoints(big: dict, small: dict) -> list[Endpoint]:
    b, s = f"/t/{big['slug']}", f"/t/{small['slug']}"
    zone = timezone(timedelta(hours=8))
    year_ago = datetime.now(zone).replace(microsecond=0) - timedelta(days=365)
    window = urlencode({"start_date": (year_ago - timedelta(days=30)).isoformat(), "end_date": year_ago.isoformat(),
                        "status": "closed", "service_code": "JALAN", "page_size": 100})
    o311 = "/open311/v2/requests.json"
    deep = max(1, min(50, big["rows"] * 90 // big["days"] // 200))  # half-way into the 90-day window, at most 50
    return [
        Endpoint("officer queue: open, own agency", f"{b}/complaints/queue", "html", True, 'id="queue"'),
        Endpoint("officer queue: all statuses, category", f"{b}/complaints/queue?status=all&category=SAMPAH",
                 "html", True, 'id="queue"'),
        Endpoint("officer queue: overdue only", f"{b}/complaints/queue?overdue=1", "html", True, 'id="queue"'),
        # issue 20.2: keyword search and the filters an officer combines, counted and paged
        Endpoint("officer queue: keyword 'sampah' (every status)", f"{b}/complaints/queue?q=sampah", "html", True,
                 'id="queue"'),
        Endpoint("officer queue: keyword 'truk sampah', open", f"{b}/complaints/queue?q=truk+sampah&status=open",
                 "html", True, 'id="queue"'),
        # word start (words.py): a prefix, and a word no complaint has (the list ends at once)
        Endpoint("officer queue: keyword 'samp' (a word's start)", f"{b}/complaints/queue?q=samp&status=all",
                 "html", True, 'id="queue"'),
        Endpoint("officer queue: keyword 'kambing' (no match)", f"{b}/complaints/queue?q=kambing&status=all",
                 "html", True, 'id="queue-empty"'),
        Endpoint("officer queue: district, 90 days, newest first", f"{b}/complaints/queue?" + urlencode({
            "status": "all", "district": "K01", "filed_from": (year_ago + timedelta(days=275)).date().isoformat(),
            "sort": "-filed"}), "html", True, 'id="queue"'),
        Endpoint("officer queue: unassigned, category, page 10", f"{b}/complaints/queue?assignee=none&category=SAMPAH"
                 "&status=all&page=10", "html", True, 'id="queue"'),
        Endpoint("public list (transparency page)", f"{b}/complaints/transparency", "html", False, 'id="public-list"'),
        Endpoint("public list, page 40", f"{b}/complaints/transparency?page=40", "html", False, 'id="public-list"'),
        Endpoint("public list, small tenant", f"{s}/complaints/transparency", "html", False, 'id="public-list"'),
        Endpoint("Open311 requests (90 days, 1000/page)", f"{b}{o311}", "json1000", False, "list"),
        Endpoint("Open311 status=open&service_code (1000)", f"{b}{o311}?status=open&service_code=SAMPAH",
                 "json1000", False, "list"),
        Endpoint("Open311 page_size=100", f"{b}{o311}?page_size=100", "json100", False, "list"),
        Endpoint(f"Open311 page_size=100&page={deep}", f"{b}{o311}?page_size=100&page={deep}", "json100", False,
                 "list"),
        Endpoint("Open311 30 days a year ago, closed, code", f"{b}{o311}?{window}", "json100", False, "list"),
        Endpoint("Open311 page_size=100, small tenant", f"{s}{o311}?page_size=100", "json100", False, "list"),
    ]


GOAL_MS = 50.0
GOALS = [
    ("queue keyword search", lambda ep: ep.officer and "keyword" in ep.name),
    ("filtered queue", lambda ep: ep.officer and "keyword" not in ep.name),
    ("Open311 list, 100 per page", lambda ep: ep.baseline == "json100" and "small tenant" not in ep.name),
]

BASELINES = {
    "html": Endpoint("bare Flask: HTML table of 50 rows", "/t/bare/rows.html?n=50", "html", expect='id="queue"'),
    "json100": Endpoint("bare Flask: JSON, 100 requests", "/t/bare/rows.json?n=100", "json100", expect="list"),
    "json1000": Endpoint("bare Flask: JSON, 1000 requests", "/t/bare/rows.json?n=1000", "json1000", expect="list"),
}


# -- Serving ----------------------------------------------------------------------------------------

def sign_in(port: int, slug: str, email: str) -> str:
    """The officer signs in through the real form (CSRF token and all); returns the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/t/{slug}/login")
        response = conn.getresponse()
        page = response.read().decode()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1))
        cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
        conn.request("POST", f"/t/{slug}/login", body=urlencode(
            {"csrf_token": token, "email": email, "password": PASSWORD}),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        if response.status != 302:
            raise RuntimeError(f"signing in as {email} answered {response.status}")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return "; ".join(f"{k}={m.value}" for k, m in jar.items())
    finally:
        conn.close()


def check(port: int, ep: Endpoint, headers: dict) -> tuple[int, int | None]:
    """One request that must succeed with the right content; returns (bytes, items in a JSON list)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", ep.path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {ep.path} answered {response.status}: {body[:300]!r}")
    if ep.expect == "list":
        data = json.loads(body)
        if not isinstance(data, list):
            raise RuntimeError(f"GET {ep.path} is not a JSON list")
        return len(body), len(data)
    if ep.expect not in body.decode():
        raise RuntimeError(f"GET {ep.path} lacks {ep.expect!r}")
    return len(body), None


def measure(port: int, ep: Endpoint, headers: dict, args) -> Measured:
    size, items = check(port, ep, headers)
    warm = hammer(port, [(ep.path, None)], min(10, args.requests), args.concurrency, args.max_seconds / 4, headers)
    result = hammer(port, [(ep.path, None)], args.requests, args.concurrency, args.max_seconds, headers)
    print(f"  {ep.name:<44} {result.rate:8.1f} req/s  p95 {result.p95 * 1000:8.1f} ms  ({result.done} requests)",
          flush=True)
    return Measured(ep, result.rate, result.percentile(50), result.p95, warm.errors + result.errors, result.done,
                    size, items)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pamong-cbench-"))
    os.environ.update(PAMONG_INSTANCE=str(tmp), PAMONG_SECRET_KEY=SECRET)  # before the core is imported
    if args.reuse:
        from sqlalchemy.engine import make_url

        from core.config import normalise_db_url

        base = make_url(normalise_db_url(args.database_url))
        url = base.set(database=f"{base.database}_cbench").render_as_string(hide_password=False)
    else:
        url = scratch_postgres(args.database_url, suffix="_cbench")
    try:
        from core import create_app, migrate
        from core.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_DIR": str(tmp),
                          "WTF_CSRF_ENABLED": False, "PAMONG_LOGIN_RATE": "1000 per minute",
                          "PAMONG_DEMO": True})  # a scratch database: the owner may SET ROLE
        migrate.upgrade(app)
        if args.reuse:
            big, small = reuse(app, url, args)
            onboard_s = rows_s = 0.0
            print(f"scratch database {url.rsplit('/', 1)[-1]} reused: {big['total']:,} rows; measuring", flush=True)
        else:
            print(f"scratch database {url.rsplit('/', 1)[-1]}: onboarding {args.tenants} tenants, "
                  f"then writing {args.rows:,} complaints", flush=True)
            big, small, onboard_s, rows_s = set_up(app, url, args)
            print(f"onboarded in {onboard_s:.1f} s; {big['total']:,} rows in {rows_s:.1f} s; measuring", flush=True)
        chosen = [ep for ep in endpoints(big, small) if args.only.lower() in ep.name.lower()]
        env = server_env(PAMONG_DEMO=1, PAMONG_DATABASE_URL=url, PAMONG_INSTANCE=tmp, PAMONG_SECRET_KEY=SECRET,
                         PAMONG_INSECURE_COOKIES=1)
        # sync workers, a connection per request: each request goes to a worker that is free (with
        # gthread workers of one thread, both keep-alive connections could land on one worker, which
        # served them in turn: the latency of two requests, measured as one; runs differed 2x)
        workers = {"server": args.server, "workers": args.concurrency, "threads": 1, "worker_class": "sync"}
        with serve("bare", env, **workers) as server:
            bare = {key: measure(server.port, ep, {}, args) for key, ep in BASELINES.items()}
        email = f"officer@{big['slug']}.bench.test"
        with serve("pamong", env, **workers) as server:
            officer = {"Cookie": sign_in(server.port, big["slug"], email)}
            rows = [measure(server.port, ep, officer if ep.officer else {}, args) for ep in chosen]
        signed_in, anonymous = app.test_client(), app.test_client()
        assert signed_in.post(f"/t/{big['slug']}/login", data={"email": email, "password": PASSWORD}).status_code == 302
        profiles = []
        for ep in chosen:
            tenant_id = small["id"] if f"/t/{small['slug']}/" in ep.path else big["id"]
            client = signed_in if ep.officer else anonymous
            profiles.append((ep.name, sql_profile.profile(app, client, ep.path, tenant_id)))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_cbench")
        shutil.rmtree(tmp, ignore_errors=True)
    complaints_report.report(args, big, small, onboard_s, rows_s, bare, rows, profiles, GOALS, GOAL_MS)
    return 1 if any(m.errors for m in list(bare.values()) + rows) else 0


if __name__ == "__main__":
    sys.exit(main())
