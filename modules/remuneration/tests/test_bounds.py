"""Every adjustment is bounded (re-trial of 2 Dec 2026): a correction keeps the corrected month's TPP
between 0 and its ceiling (``bounds.py``), refused on the page, the CLI and the service; a recovery the
paying month cannot take is one visible ``unrecovered`` line, so the lines add up to the TPP."""
from __future__ import annotations

import pytest

from core.i18n import LOCALE_COOKIE
from core.kit import ValidationError, db, tenant_scope

from ..models import Adjustment, Employee, Objection, Result, Run
from ..objections import resolve_step
from ..runs import run_month
from .helpers import MODULE, NIPS, SETTINGS, three_employees
from .test_commands import pamong
from .test_objection_flow import decide, objected
from .test_objections import setup, user


def _month_result(employee_id, month):
    return db.session.execute(db.select(Result).join(Run, Run.id == Result.run_id)
                              .where(Run.month == month, Result.employee_id == employee_id)).scalar_one()


@pytest.mark.parametrize("amount", ["999999999999999", "12345678901234567890", "-12345678901234567890"])
def test_an_upheld_objection_beyond_the_ceiling_is_refused_on_the_page(app, client, create_tenant, create_user, login,
                                                                        frozen_clock, amount):
    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    base = f"/t/{tenant.slug}/{MODULE}"
    client.set_cookie(LOCALE_COOKIE, "en")
    login(client, kabid, tenant)
    decide(client, tenant, objection_id, 0, "Benar.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    page = client.post(f"{base}/objections/{objection_id}/decide", follow_redirects=True,
                       data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": amount})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "keeps its TPP between Rp 0 and its ceiling" in text
    assert 'name="amount"' in text                                            # the form again
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Objection, objection_id).status == "open"
        assert db.session.execute(db.select(Adjustment)).scalars().all() == []


def test_a_correction_keeps_the_month_between_zero_and_its_ceiling(app_ctx, create_tenant, create_user, frozen_clock):
    from ..services import add_adjustment, close_month

    tenant, employee = setup(create_tenant, frozen_clock)
    employee_id = employee.id
    with tenant_scope(tenant):
        march = _month_result(employee_id, 3)
        paid, ceiling = march.tpp, march.ceiling
    close_month(tenant, "test", 2026, 3)
    db.session.commit()
    for amount in (ceiling - paid + 1, -paid - 1, 10 ** 19):
        with pytest.raises(ValidationError) as refused:
            add_adjustment(tenant, "test", employee_id, (2026, 3), (2026, 4), amount, "x")
        assert refused.value.code == "adjustment_out_of_bounds" and refused.value.where == "amount"
        db.session.rollback()
    add_adjustment(tenant, "test", employee_id, (2026, 3), (2026, 4), ceiling - paid, "the rest of the ceiling")
    db.session.commit()
    with pytest.raises(ValidationError):             # corrections add up: the month is at its ceiling now
        add_adjustment(tenant, "test", employee_id, (2026, 3), (2026, 5), 1, "x")
    db.session.rollback()


def test_a_recovery_the_month_cannot_take_is_a_visible_line_and_the_lines_add_up(app_ctx, create_tenant, frozen_clock):
    tenant, employee = setup(create_tenant, frozen_clock)
    employee_id = employee.id
    with tenant_scope(tenant):
        computed = _month_result(employee_id, 3).tpp
        db.session.add(Adjustment(employee_id=employee_id, year=2026, month=3, source_year=2026, source_month=2,
                                  amount=-(computed + 5_000), reason="lebih bayar"))
        db.session.commit()
    run_month(tenant, "test", 2026, 3)
    db.session.commit()
    with tenant_scope(tenant):
        result = _month_result(employee_id, 3)
        assert result.tpp == 0 == sum(line["amount"] for line in result.lines)
        assert result.lines[-1] == {"code": "unrecovered", "detail": "", "count": 1, "bp": 0, "amount": 5_000}


def test_the_command_line_refuses_an_unbounded_adjustment_in_one_line(app, create_tenant, tmp_path):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    assert pamong(app, "run", tenant.slug, "2026-03", "--force").exit_code == 0
    assert pamong(app, "close", tenant.slug, "2026-03", "--force").exit_code == 0
    for amount in ("999999999999999", "12345678901234567890"):
        bad = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", amount, "alasan")
        assert bad.exit_code == 2 and bad.output.startswith("error: amount:"), bad.output
        assert len(bad.output.strip().splitlines()) == 1 and "Traceback" not in bad.output


def test_a_tenant_paying_no_tpp_is_not_run_and_a_bad_month_is_echoed_as_given(app, create_tenant):
    unpaid = create_tenant(modules={MODULE: {**SETTINGS, "ceilings": [], "position_classes": {}}})
    refused = pamong(app, "run", unpaid.slug, "2026-03")
    assert refused.exit_code == 2 and refused.output.strip().splitlines() == [
        "error: ceilings: This tenant pays no TPP (no ceilings in its settings): there is nothing to run."], refused.output
    with app.app_context(), tenant_scope(unpaid):
        assert db.session.execute(db.select(db.func.count(Run.id))).scalar() == 0
    paying = create_tenant(modules={MODULE: SETTINGS})
    for value in ("1999-01", "2026-13"):
        bad = pamong(app, "run", paying.slug, value)
        assert bad.exit_code == 2 and bad.output.strip() == f"error: month: {value} is not a month (YYYY-MM, from 2000 to 2100)"


def test_the_lists_name_the_month_and_its_agency_and_an_upheld_month_is_labelled_and_not_objected_again(
        app, client, create_tenant, create_user, login, frozen_clock):
    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    base = f"/t/{tenant.slug}/{MODULE}"
    with app.app_context(), tenant_scope(tenant):     # the record moved since: the month's agency is shown
        db.session.execute(db.update(Employee).values(agency="PINDAH"))
        db.session.commit()
    client.set_cookie(LOCALE_COOKIE, "en")
    login(client, kabid, tenant)
    listed = client.get(f"{base}/objections").get_data(as_text=True)
    # the month in words in the reader's language (re-trial of issue 16: "2026-03" as stored)
    assert "Objects to the TPP of March 2026: Rp" in listed and "· DLH ·" in listed and "PINDAH" not in listed
    assert "2026-03" not in listed.split("<main")[1]
    client.set_cookie(LOCALE_COOKIE, "id")
    assert "atas TPP Maret 2026: Rp" in client.get(f"{base}/objections").get_data(as_text=True)
    client.set_cookie(LOCALE_COOKIE, "en")
    exported = client.get(f"{base}/objections.csv").get_data(as_text=True)
    assert "month" in exported.splitlines()[0] and "2026-03" in exported and "PINDAH" not in exported
    decide(client, tenant, objection_id, 0, "Benar.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    client.post(f"{base}/objections/{objection_id}/decide",
                data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": "75000"})
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"{base}/?month=2026-03").get_data(as_text=True)
    assert "Correction of this month" in own and "Correction of an earlier month" not in own
    assert 'name="reason"' not in own                                   # upheld: no form again
