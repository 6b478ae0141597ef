"""Official documents (issue 13.1): seconds to render, sign and register one letter, and letters
per minute on one core (``make bench-documents``).

One process, one thread, a fresh SQLite database and instance folder in a temporary directory:
each letter goes through ``core.kit.documents.issue`` exactly as a module calls it (render with
WeasyPrint, QR with segno, PAdES B-B with pyHanko and the local test CA, storage, register row,
audit entry, commit). Prints the median and the 90th percentile of the whole step and of its parts
(render, sign), then letters per minute = 60 / mean seconds. Bounded by ``--letters`` and
``--max-seconds``.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--letters", type=int, default=30, help="letters measured (default 30)")
    p.add_argument("--warmup", type=int, default=2, help="letters issued first and not measured (default 2)")
    p.add_argument("--max-seconds", type=float, default=120, help="stop measuring after this (default 120)")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    except (AttributeError, OSError):
        pass
    with tempfile.TemporaryDirectory(prefix="pamong-docbench-") as tmp:
        run(Path(tmp), args)


def run(tmp: Path, args) -> None:
    from core import create_app, migrate
    from core.documents import render as render_mod, service
    from core.documents.certs import ensure_tenant_cert
    from core.extensions import db
    from core.kit import documents
    from core.tenancy import service as tenancy
    from core.tenancy.schema import parse_tenant

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": "bench-secret",
                      "INSTANCE_DIR": str(tmp / "instance"), "PAMONG_TENANTS_DIR": str(tmp)})
    migrate.upgrade(app)
    with app.app_context():
        doc = parse_tenant({"slug": "kota-bench", "name": "Kota Bench", "kind": "city", "timezone": "Asia/Makassar",
                            "extra": {"address": "Jl. Jenderal Sudirman No. 1", "documents": {"signer_name": "Bench"}}},
                           "bench")
        (_, doc), = tenancy.check_batch([("bench", doc)], app.extensions["pamong"])
        tenant = tenancy.apply_doc(doc, "bench", app.extensions["pamong"])
        db.session.commit()
        ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        signer = service.signer_for(tenant)

        parts = {"render": [], "sign": []}
        real_pdf, real_sign = render_mod.html_to_pdf, signer.sign

        def timed_pdf(html):
            t = time.perf_counter()
            try:
                return real_pdf(html)
            finally:
                parts["render"].append(time.perf_counter() - t)

        def timed_sign(pdf, **kw):
            t = time.perf_counter()
            try:
                return real_sign(pdf, **kw)
            finally:
                parts["sign"].append(time.perf_counter() - t)

        render_mod.html_to_pdf = timed_pdf
        signer.sign = timed_sign
        totals = []
        deadline = time.monotonic() + args.max_seconds
        for i in range(args.warmup + args.letters):
            t = time.perf_counter()
            documents.issue(tenant, "letter", f"{i + 1}/BENCH/2026", "Undangan rapat koordinasi",
                            "documents/sample.html", {"note": "Rapat koordinasi layanan publik. " * 20},
                            "Kepala Dinas", "bench", signer=signer)
            db.session.commit()
            if i >= args.warmup:
                totals.append(time.perf_counter() - t)
            if time.monotonic() > deadline:
                break
        for key in parts:
            parts[key] = parts[key][args.warmup:]

    def q(values, pct):
        return statistics.quantiles(values, n=10)[8] if pct == 90 and len(values) >= 10 else max(values)

    print(f"pamong documents bench: {len(totals)} letters, one core, SQLite, {platform.python_implementation()} "
          f"{platform.python_version()}")
    print(f"  render+sign+register: median {statistics.median(totals):.3f} s, p90 {q(totals, 90):.3f} s")
    for key, values in parts.items():
        print(f"    {key:6}: median {statistics.median(values):.3f} s")
    print(f"  letters per minute on one core: {60 / statistics.mean(totals):.1f}")


if __name__ == "__main__":
    main()
