"""How the permits module's lists hold up with 100,000 applications in one tenant (``make bench-permits``).

In a scratch database (PostgreSQL ``<name>_pbench`` made beside ``--database-url`` and dropped
afterwards unless ``--keep``; else a SQLite file in a temporary folder), migrated as ``pamong db
upgrade`` does, one tenant with the permits module gets ``--rows`` applications (default 100,000)
written in batches: every state, due dates spread around today, a tenth issued. Then, in this
process with Flask's test client (no network), each page is requested ``--requests`` times (bounded
by a deadline) and its median and 95th-percentile latency are printed against the bare baseline of
the same kind measured in the same run, before and after the pages (bench/bare_app.py: the layout
with a table of 25 rows, no database), as ratios:

- the office's queue (signed in as an officer through the real form): unfiltered, ``overdue=1``,
  ``stage=0``, a search by reference, a search by the applicant's name, and page 40;
- the public register: unfiltered, page 40, and a search by permit number.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bare_app import create_bare_app  # noqa: E402
from tenants import scratch_postgres  # noqa: E402

PASSWORD = "bench-password-not-for-production"
TYPES = [{
    "code": code, "name_id": name, "name_en": name, "legal_basis": "bench", "sla_days": 10, "fee": "fixed 100000",
    "requirements": [{"code": "alamat", "label_id": "Alamat", "label_en": "Address", "kind": "field"}],
    "stages": [{"label_id": "A", "label_en": "A", "role": "officer"},
               {"label_id": "B", "label_en": "B", "role": "admin"}],
} for code, name in (("PBG", "Persetujuan Bangunan Gedung"), ("REKLAME", "Izin Reklame"))]
STATES = ["submitted"] * 5 + ["returned", "awaiting_payment", "approved", "rejected", "issued"]
# names as varied as a city's: 40 given names by 40 family names (a name search matches about 1 in 1,600)
GIVEN = ("Andi Besse Daeng Rahmawati Sitti Muhammad Nurhayati Irfan Hasnah Ahmad Fatimah Rudi Yusuf Ilham Wahyuni "
         "Agus Dewi Hendra Syamsul Ratna Budi Kartini Arif Nur Hamzah Indah Taufik Asri Rizky Putri Fajar Mawar "
         "Lukman Sri Hasan Intan Bahar Rosmini Aswar Yanti").split()
FAMILY = ("Mappanyukki Tenri Naba Syam Daud Pallawa Lolo Makkulau Rauf Sanusi Baso Tahir Latif Ramli Amir Halim "
          "Jufri Saleh Karim Said Nasir Habib Taslim Rahman Basri Yunus Hamid Kadir Arsyad Mansyur Nur Syukur "
          "Hakim Samad Salam Bachtiar Anwar Mallarangeng Patunru Dg").split()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL (scratch <name>_pbench beside it); none: a SQLite file")
    p.add_argument("--rows", type=int, default=100_000, help="applications (default 100,000)")
    p.add_argument("--requests", type=int, default=40, help="requests per page (default 40)")
    p.add_argument("--deadline", type=float, default=60.0, help="seconds at most per page (default 60)")
    p.add_argument("--keep", action="store_true", help="keep the scratch PostgreSQL database")
    args = p.parse_args(argv)
    if not 1_000 <= args.rows <= 2_000_000:
        p.error("--rows: from 1000 to 2000000")
    if not 5 <= args.requests <= 10_000:
        p.error("--requests: from 5 to 10000")
    return args


def make_app(url: str):
    from core import create_app, migrate

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-not-for-production",
                      "INSTANCE_DIR": tempfile.mkdtemp(prefix="pamong-pbench-"), "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    migrate.upgrade(app)
    return app


def onboard(app):
    """The tenant, an officer and a citizen; returns (tenant, officer e-mail, citizen id)."""
    from core.auth import service as accounts
    from core.extensions import db
    from core.tenancy import service
    from core.tenancy.models import Tenant
    from core.tenancy.schema import parse_tenant

    with app.app_context():
        doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                            "domains": ["bench.example.test"], "agencies": [{"code": "DPM", "name": "DPMPTSP"}],
                            "modules": {"permits": {"enabled": True, "settings": {"types": TYPES}}}}, "bench")
        (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
        tenant = service.apply_doc(doc, "bench", app.extensions["pamong"])
        officer = accounts.create_user("officer@bench.test", password=PASSWORD)
        citizen = accounts.create_user("warga@bench.test", password=PASSWORD)
        accounts.grant_role(tenant, officer, "officer", "bench", agency="DPM")
        accounts.grant_role(tenant, citizen, "citizen", "bench")
        db.session.commit()
        return tenant.id, "officer@bench.test", citizen.id


def write_rows(app, tenant_id: int, citizen_id: int, rows: int) -> float:
    """``rows`` applications in batches; returns the seconds it took."""
    from core.extensions import db
    from core.tenancy.models import Tenant
    from core.tenancy.scope import tenant_scope
    from modules.permits.models import Application

    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    began = time.perf_counter()
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_scope(tenant):
            table = Application.__table__
            batch, serial, issued = [], 0, 0
            for i in range(rows):
                state = STATES[i % len(STATES)]
                code = TYPES[i % 2]["code"]
                submitted = now - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
                serial += 1
                row = {"tenant_id": tenant_id, "reference": f"REG/{code}/{submitted.year}/{serial:06d}",
                       "type_code": code, "status": state, "stage": i % 2, "applicant_id": citizen_id,
                       "applicant_name": f"{GIVEN[rng.randrange(40)]} {FAMILY[rng.randrange(40)]}",
                       "business_name": f"Usaha {FAMILY[rng.randrange(40)]} {i}" if i % 3 else "",
                       "nik": None, "nik_hash": "", "nib": None, "nib_hash": "", "phone": "", "fields": {},
                       "created_at": submitted, "updated_at": submitted, "submitted_at": submitted,
                       "due_at": None if state in ("returned", "issued", "rejected") else
                       now + timedelta(days=rng.randint(-20, 20)),
                       "fee_amount": 100_000, "permit_status": "", "fiktif_positif": False}
                if state == "issued":
                    issued += 1
                    row.update(permit_number=f"{code}/{issued:06d}/DPMPTSP", issued_at=submitted + timedelta(days=5),
                               permit_status="valid", decided_at=submitted + timedelta(days=5))
                batch.append(row)
                if len(batch) == 5_000:
                    db.session.execute(table.insert(), batch)
                    batch = []
            if batch:
                db.session.execute(table.insert(), batch)
            _write_words(db, tenant_id)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as the tables' owner: the app's role may not ANALYZE
            from core import migrate

            owner = migrate.owner_engine(app)
            with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE permits_applications")
                conn.exec_driver_sql("VACUUM ANALYZE permits_name_words")
            owner.dispose()
    return time.perf_counter() - began


def _write_words(db, tenant_id: int) -> None:
    """The name search's words of the rows written in bulk (what ``names.index`` writes for one)."""
    from modules.permits.models import Application, NameWord
    from modules.permits.names import APPLICANT, BUSINESS, words

    names = db.session.execute(db.select(Application.id, Application.applicant_name, Application.business_name))
    batch = []
    for app_id, applicant, business in names:
        batch += [{"tenant_id": tenant_id, "application_id": app_id, "kind": APPLICANT, "word": w}
                  for w in words(applicant)]
        batch += [{"tenant_id": tenant_id, "application_id": app_id, "kind": BUSINESS, "word": w}
                  for w in words(business)]
        if len(batch) >= 10_000:
            db.session.execute(NameWord.__table__.insert(), batch)
            batch = []
    if batch:
        db.session.execute(NameWord.__table__.insert(), batch)


def timed(client, path: str, count: int, deadline: float) -> list[float]:
    out, stop = [], time.perf_counter() + deadline
    client.get(path)  # warm: templates compiled, caches filled
    for _ in range(count):
        began = time.perf_counter()
        response = client.get(path)
        out.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, response.status_code)
        if time.perf_counter() > stop:
            break
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PAMONG_DEMO", "1")
    scratch = scratch_postgres(args.database_url, suffix="_pbench") if args.database_url else None
    url = scratch or f"sqlite:///{tempfile.mkdtemp(prefix='pamong-pbench-')}/bench.db"
    try:
        app = make_app(url)
        tenant_id, officer, citizen_id = onboard(app)
        seconds = write_rows(app, tenant_id, citizen_id, args.rows)
        client = app.test_client()
        assert client.post("/t/bench/login", data={"email": officer, "password": PASSWORD}).status_code == 302
        public = app.test_client()
        bare = create_bare_app().test_client()
        pages = [
            ("queue", client, "/t/bench/permits/queue"),
            ("queue overdue", client, "/t/bench/permits/queue?overdue=1"),
            ("queue stage 0", client, "/t/bench/permits/queue?stage=0"),
            ("queue search ref", client, "/t/bench/permits/queue?q=REG/PBG/2025/000421"),
            ("queue search name", client, "/t/bench/permits/queue?q=Besse%20Tenri"),
            ("queue page 40", client, "/t/bench/permits/queue?page=40"),
            ("register", public, "/t/bench/permits/register"),
            ("register page 40", public, "/t/bench/permits/register?page=40"),
            ("register search", public, "/t/bench/permits/register?q=PBG/000042/DPMPTSP"),
        ]
        # the bare baseline before and after the pages, so a machine busier at one end shows as a
        # difference between the two (the shared 2-core machine); ratios use both together
        before = timed(bare, "/t/bench/rows.html?n=25", args.requests, args.deadline)
        measured = [(name, timed(who, path, args.requests, args.deadline)) for name, who, path in pages]
        after = timed(bare, "/t/bench/rows.html?n=25", args.requests, args.deadline)
        baseline = before + after
        base_median, base_p95 = statistics.median(baseline), p95(baseline)
        print(f"permits bench: {args.rows:,} applications in one tenant ({'PostgreSQL' if scratch else 'SQLite'}), "
              f"written in {seconds:.1f} s; Python {platform.python_version()}")
        print(f"{'page':20} {'median ms':>10} {'p95 ms':>8} {'× bare median':>14} {'× bare p95':>11}")
        print(f"{'bare (25-row table)':20} {base_median * 1000:10.2f} {base_p95 * 1000:8.2f} {1:14.1f} {1:11.1f}"
              f"   (before {statistics.median(before) * 1000:.2f}, after {statistics.median(after) * 1000:.2f} ms)")
        for name, got in measured:
            print(f"{name:20} {statistics.median(got) * 1000:10.2f} {p95(got) * 1000:8.2f} "
                  f"{statistics.median(got) / base_median:14.1f} {p95(got) / base_p95:11.1f}")
    finally:
        if scratch and not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_pbench")
    return 0


if __name__ == "__main__":
    sys.exit(main())
