"""What the module's tests share: settings with ceilings, a few valid NIPs, files in the import formats."""
from __future__ import annotations

MODULE = "remuneration"
CEILINGS = [{"position_class": "JF-AHLI", "year": 2026, "amount": 10_000_000},
            {"position_class": "PELAKSANA", "year": 2026, "amount": 4_000_000}]
SETTINGS = {"ceilings": CEILINGS}
NIPS = ["198503122010011001", "199007242015032002", "197812052005011003"]


def employees_csv(*rows) -> bytes:
    lines = ["nip,name,agency,position_class,email"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def three_employees() -> bytes:
    return employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "andi@example.test"),
                         (NIPS[1], "Sitti Rahmawati", "DLH", "PELAKSANA", ""),
                         (NIPS[2], "Muhammad Arfah", "DLH", "JF-AHLI", ""))


def attendance_csv(*rows) -> bytes:
    return ("\n".join(["nip,timestamp,kind"] + [",".join(r) for r in rows]) + "\n").encode()


def closed_month(app, create_tenant, settings=SETTINGS, **tenant):
    """A tenant whose March 2026 is computed and closed, with a signer; the tenant."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli
    from core.kit import db

    from ..services import close_month, import_employees, run_month

    tenant = create_tenant(modules={MODULE: settings}, locales=["id", "en"], **tenant)
    assert CliRunner().invoke(cli, ["documents", "init-signer", tenant.slug],
                              obj=ScriptInfo(create_app=lambda: app)).exit_code == 0
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 3)
        close_month(tenant, "test", 2026, 3)
        db.session.commit()
    return tenant
