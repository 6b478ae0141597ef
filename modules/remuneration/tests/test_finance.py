"""Closing a month and signing its summaries belong to the finance agency (BPKAD): with the settings'
``finance_positions``, the holders of those positions close, and the administrator who computes
does not (``finance.py``); without them, the ``remuneration.close`` permission as before."""
from __future__ import annotations

import pytest

from core.i18n import LOCALE_COOKIE
from core.kit import Actor, User, assign_holder, db, find_position, tenant_scope

from ..finance import FinanceOnly
from ..models import Run
from ..services import close_month, import_employees, run_month
from .helpers import CEILINGS, MODULE, NIPS, employees_csv

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup"},
            {"code": "BPKAD", "name": "Badan Pengelolaan Keuangan dan Aset Daerah", "positions": [
                {"code": "KABAN-BPKAD", "name": "Kepala BPKAD", "head": True},
                {"code": "KABID-PERBEN", "name": "Kepala Bidang Perbendaharaan"}]}]


def office(app, create_tenant, create_user, positions=("KABID-PERBEN",)):
    tenant = create_tenant(modules={MODULE: {"ceilings": CEILINGS, "finance_positions": list(positions)}},
                           agencies=AGENCIES, locales=["id", "en"])
    admin = create_user(tenant, role="admin")
    treasurer = create_user(tenant, role="officer", agency="BPKAD")
    clerk = create_user(tenant, role="officer", agency="BPKAD")       # same agency, not the position
    with app.app_context():
        assign_holder(tenant, find_position(tenant, "KABID-PERBEN"), treasurer, "test")
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "")))
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    return tenant, admin, treasurer, clerk


def actor(tenant, email):
    with tenant_scope(tenant):
        return Actor.for_user(db.session.execute(db.select(User).where(User.email == email)).scalar_one(), tenant)


def test_the_holder_of_the_finance_position_closes_and_the_computing_admin_does_not(
        app, client, create_tenant, create_user, login, audit_entries):
    tenant, admin, treasurer, clerk = office(app, create_tenant, create_user)
    base = f"/t/{tenant.slug}/{MODULE}"
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(f"{base}/runs/2026/3").get_data(as_text=True)
    assert f'action="{base}/runs/2026/3/close"' not in page          # no close button for BKPSDM
    assert "until the holder of Kepala Bidang Perbendaharaan closes it" in page   # the configured position
    assert client.post(f"{base}/runs/2026/3/close", data={"confirm": "y"}).status_code == 403
    with app.app_context():
        with pytest.raises(FinanceOnly) as refused:
            close_month(tenant, actor(tenant, admin), 2026, 3)
        assert refused.value.code == "finance_only"
        db.session.rollback()
        with pytest.raises(FinanceOnly):
            close_month(tenant, actor(tenant, clerk), 2026, 3)   # BPKAD, but not the position
        db.session.rollback()
    login(client, treasurer, tenant)
    assert client.get(f"{base}/employees").status_code == 403        # finance does not read every employee
    page = client.get(f"{base}/runs/2026/3").get_data(as_text=True)
    assert f'action="{base}/runs/2026/3/close"' in page
    assert client.get(f"{base}/runs/2026/3/payroll.csv").status_code == 200
    page = client.get(f"{base}/runs/2026/3").get_data(as_text=True)   # Andi has no attendance in March
    assert "1 of 1 employees have no attendance record and no leave or duty travel in March 2026." in page
    refused = client.post(f"{base}/runs/2026/3/close", data={"confirm": "y"})          # not confirmed: not closed
    assert refused.status_code == 400 and "although employees have no data" in refused.get_data(as_text=True)
    assert client.post(f"{base}/runs/2026/3/close", data={"confirm": "y", "force": "y"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Run.status)).scalar_one() == "closed"
    [entry] = audit_entries(tenant, "remuneration.close")
    assert entry["actor"] == treasurer and entry["summary"]["after"]["position"] == "KABID-PERBEN"


def test_without_finance_positions_the_close_permission_decides(app, create_tenant, create_user):
    tenant, admin, treasurer, _ = office(app, create_tenant, create_user, positions=())
    with app.app_context():
        with pytest.raises(FinanceOnly):
            close_month(tenant, actor(tenant, treasurer), 2026, 3)  # an officer lacks remuneration.close
        db.session.rollback()
        assert close_month(tenant, actor(tenant, admin), 2026, 3).status == "closed"
        db.session.commit()


def test_the_summary_is_signed_by_the_finance_position_held_and_refused_to_the_admin(app, create_tenant, create_user):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from cli import cli

    from ..services import get_run
    from ..summary import issue_summary

    tenant, admin, treasurer, _ = office(app, create_tenant, create_user)
    assert CliRunner().invoke(cli, ["documents", "init-signer", tenant.slug],
                              obj=ScriptInfo(create_app=lambda: app)).exit_code == 0
    with app.app_context():
        close_month(tenant, actor(tenant, treasurer), 2026, 3)
        db.session.commit()
        with tenant_scope(tenant):
            with pytest.raises(FinanceOnly):
                issue_summary(tenant, actor(tenant, admin), get_run(tenant, 2026, 3), "DLH")
            db.session.rollback()
            doc = issue_summary(tenant, actor(tenant, treasurer), get_run(tenant, 2026, 3), "DLH")
            assert doc.signer_position == "Kepala Bidang Perbendaharaan"
            db.session.commit()


def test_without_finance_positions_the_open_month_names_no_agency(app, client, create_tenant, create_user, login):
    """Re-trial of issue 16: without ``finance_positions`` the open month said "ditutup oleh BPKAD",
    an agency the tenant may not have or may not have named; now "the finance office", translated."""
    tenant = create_tenant(modules={MODULE: {"ceilings": CEILINGS}}, locales=["id", "en"])
    admin = create_user(tenant, role="admin")
    with app.app_context():
        import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "")))
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    login(client, admin, tenant)
    page = client.get(f"/t/{tenant.slug}/{MODULE}/runs/2026/3").get_data(as_text=True)
    assert "sampai ditutup oleh bagian keuangan" in page and "BPKAD" not in page
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(f"/t/{tenant.slug}/{MODULE}/runs/2026/3").get_data(as_text=True)
    assert "until the finance office closes it" in page and "BPKAD" not in page


def test_without_finance_positions_the_summary_is_signed_for_the_finance_office(app, create_tenant, create_user):
    """Re-trial of issue 16: the summary's signature block named "Kepala BKPSDM" (the personnel
    agency, which computes) while closing and signing are the finance office's; without
    ``finance_positions`` whoever holds ``remuneration.close`` signs for "the finance office", in
    the reader's language as the month's page says it."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo
    from flask_babel import force_locale

    from cli import cli

    from ..services import get_run
    from ..summary import issue_summary, signer_of

    tenant, admin, treasurer, _ = office(app, create_tenant, create_user, positions=())
    assert CliRunner().invoke(cli, ["documents", "init-signer", tenant.slug],
                              obj=ScriptInfo(create_app=lambda: app)).exit_code == 0
    with app.app_context():
        close_month(tenant, actor(tenant, admin), 2026, 3)
        db.session.commit()
        with tenant_scope(tenant):
            with pytest.raises(FinanceOnly):   # an officer of BPKAD lacks remuneration.close
                issue_summary(tenant, actor(tenant, treasurer), get_run(tenant, 2026, 3), "DLH")
            db.session.rollback()
            with force_locale("id"):
                doc = issue_summary(tenant, actor(tenant, admin), get_run(tenant, 2026, 3), "DLH")
            assert doc.signer_position == "Bagian Keuangan" and "BKPSDM" not in doc.signer_position
            with force_locale("en"):
                assert signer_of(tenant, None) == "Finance office"
                again = issue_summary(tenant, actor(tenant, admin), get_run(tenant, 2026, 3), "DLH")
            assert again.id == doc.id                       # once per agency and month (trial t16)
            db.session.commit()
