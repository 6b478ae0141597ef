"""Concurrent signings of e-office letters in one unit (issue 14.3), on PostgreSQL, against a bare
counter increment measured in the same run.

    .venv/bin/python bench/eoffice.py --database-url postgresql://postgres@127.0.0.1:5432/pamong [--letters 1000]

In a scratch database ``<name>_ebench`` beside ``--database-url`` (dropped afterwards unless
``--keep``), migrated as ``pamong db upgrade`` does, with one tenant that enables ``eoffice``, one
agency and its head position: ``--letters`` letters (1000) of one classification are drafted and
sent to review (outside the timing), then ``--writers`` threads (8) sign them all at once as
``modules.eoffice.review.sign`` does, in two transactions per letter: the number's (approval,
number from the core counter; committed at once, so the counter row is locked only for it), then
the signature's (PDF rendered, PAdES signature with the local test CA, register, filing). The baseline:
as many ``UPDATE bench_counter SET n = n + 1 RETURNING n`` + COMMIT from the same threads.

Prints signings per second, increments per second and their ratio, how long the number's
transaction held the counter (median, p95) against a bare increment's, and checks that the
letters' serials are exactly 1..letters (gap-free, unique) and that nothing failed. On a small
machine the whole signing is bound by rendering and signing the PDF (CPU), not by the counter.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from numbering import bare  # noqa: E402
from tenants import scratch_postgres  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("PAMONG_BENCH_DATABASE_URL"),
                   help="a PostgreSQL URL (default: $PAMONG_BENCH_DATABASE_URL)")
    p.add_argument("--letters", type=int, default=1000, help="letters signed (default 1000)")
    p.add_argument("--writers", type=int, default=8, help="concurrent signers (default 8)")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url: give a postgresql:// URL (or set PAMONG_BENCH_DATABASE_URL)")
    if not 1 <= args.writers <= 64:
        p.error("--writers: from 1 to 64")
    if not 1 <= args.letters <= 100_000:
        p.error("--letters: from 1 to 100000")
    return args


def setup(app, letters: int):
    """The tenant, the head's e-mail and the ids of ``letters`` letters awaiting the signature."""
    from core.auth import service as accounts
    from core.documents.certs import ensure_ca, ensure_tenant_cert
    from core.kit import Actor, assign_holder, db, find_position, tenant_scope
    from core.tenancy import service
    from core.tenancy.models import Tenant
    from core.tenancy.schema import parse_tenant
    from modules.eoffice.drafting import Draft, save_draft, submit

    with app.app_context():
        doc = parse_tenant({"slug": "bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                            "domains": ["bench.example.test"], "agencies": [
                                {"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
                                    {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True}]},
                                {"code": "PU", "name": "Dinas Pekerjaan Umum"}],
                            "modules": {"eoffice": {"enabled": True, "settings": {}}}}, "bench")
        (_, doc), = service.check_batch([("bench", doc)], app.extensions["pamong"])
        tenant = service.apply_doc(doc, "bench", app.extensions["pamong"])
        head, drafter = "kadis@bench.test", "staf@bench.test"
        for email in (head, drafter):
            accounts.grant_role(tenant, accounts.create_user(email, password="bench-password-1"), "officer", "bench",
                                agency="DLH")
        assign_holder(tenant, find_position(tenant, "KADIS-DLH"), head, "bench")
        db.session.commit()
        ensure_ca(app.config["INSTANCE_DIR"])
        ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        ids = []
        with tenant_scope(tenant):
            from core.kit import User

            actor = Actor.for_user(db.session.execute(db.select(User).where(User.email == drafter)).scalar_one(), tenant)
            for n in range(letters):
                letter = save_draft(tenant, actor, Draft(
                    letter_type="SB", classification="000.1.6", subject=f"Undangan rapat {n + 1}",
                    body="<p>Dengan hormat, kami mengundang Bapak/Ibu.</p>", unit="DLH", to_units=["PU"],
                    signer="KADIS-DLH"))
                submit(tenant, actor, letter.id)
                db.session.commit()
                ids.append(letter.id)
        tenant = db.session.get(Tenant, tenant.id)
        list(tenant.domains)  # loaded now: the signing threads read them (the QR's address) on a detached tenant
        db.session.expunge(tenant)
    return tenant, head, ids


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PAMONG_DEMO", "1")
    url = scratch_postgres(args.database_url, suffix="_ebench")
    try:
        from sqlalchemy import create_engine

        from core import create_app, migrate
        from core.extensions import db
        from modules.eoffice.concurrency import sign_concurrently

        pool = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": args.writers, "max_overflow": 4}}
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-not-for-production",
                          "INSTANCE_DIR": tempfile.mkdtemp(prefix="pamong-ebench-"), **pool})
        migrate.upgrade(app)
        prepared = time.perf_counter()
        tenant, head, ids = setup(app, args.letters)
        prepared = time.perf_counter() - prepared
        engine = create_engine(url, pool_size=args.writers, max_overflow=4)
        each = -(-args.letters // args.writers)
        base_s, base_got = bare(engine, args.writers, each)
        began, timings = time.perf_counter(), []
        results = sign_concurrently(app, tenant, head, ids, 0, threads=args.writers, timings=timings)
        our_s = time.perf_counter() - began
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
        failed = [r for r in results if r[2]]
        serials = sorted(int(number.split("/")[1]) for _, number, _ in results if number)
        if failed or serials != list(range(1, args.letters + 1)):
            print(f"error: {len(failed)} signings failed ({failed[:3]}); serials 1..{args.letters} "
                  f"{'exact' if serials == list(range(1, args.letters + 1)) else 'NOT exact'}", file=sys.stderr)
            return 1
        if sorted(base_got) != list(range(1, len(base_got) + 1)):
            print("error: the bare counter did not issue exactly 1..n", file=sys.stderr)
            return 1
        base_rate, our_rate = len(base_got) / base_s, args.letters / our_s
        print(f"Pamong e-office signing benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"PostgreSQL, {args.writers} signers, {args.letters} letters of one unit and classification "
              f"(prepared in {prepared:.1f} s, not timed)")
        print(f"  {'bare UPDATE counter SET n = n + 1':<44} {base_rate:9.1f} /s  ({len(base_got)} in {base_s:6.2f} s)")
        print(f"  {'eoffice sign (number, PDF, PAdES, register)':<44} {our_rate:9.1f} /s  ({args.letters} in {our_s:6.2f} s)")
        print(f"  ratio signing / bare increment: {our_rate / base_rate:.4f}; serials exactly 1..{args.letters}, "
              f"no signing failed")
        hold = sorted(t for t, _ in timings)
        rest = sorted(t for _, t in timings)
        bare_ms = 1000 * base_s * args.writers / len(base_got)  # one increment's transaction, as each writer saw it
        print(f"  the number's transaction (counter row locked): median {1000 * hold[len(hold) // 2]:.1f} ms, "
              f"p95 {1000 * hold[int(len(hold) * 0.95)]:.1f} ms (a bare increment: {bare_ms:.1f} ms); "
              f"render + PAdES + register after it: median {1000 * rest[len(rest) // 2]:.0f} ms")
        print(f"  numbers taken per second if only the number's transaction counted: "
              f"{args.writers / (sum(hold) / len(hold)):.1f} /s ({args.writers / (sum(hold) / len(hold)) / base_rate:.3f} of bare)")
        return 0
    finally:
        if not args.keep:
            scratch_postgres(args.database_url, drop=True, suffix="_ebench")


if __name__ == "__main__":
    sys.exit(main())
