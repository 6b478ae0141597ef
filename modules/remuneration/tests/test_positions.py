"""Positions from the core's organisation: an employee's position (jabatan) is a position of the
tenant file's ``positions``; the module's class is its own attribute mapped to core positions in
the settings (``position_classes``), checked where written; a run takes the class from there."""
from __future__ import annotations

from datetime import date

import pytest

from core.i18n import LOCALE_COOKIE
from core.kit import PamongError, ValidationError, db, tenant_scope

from ..models import Employee, Result
from ..services import history, import_employees, run_month
from .helpers import CEILINGS, MODULE, NIPS

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
                {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True},
                {"code": "ANALIS-DLH", "name": "Analis Lingkungan Hidup"}]},
            {"code": "PU", "name": "Dinas Pekerjaan Umum", "positions": [
                {"code": "KADIS-PU", "name": "Kepala Dinas Pekerjaan Umum", "head": True},
                {"code": "STAF-PU", "name": "Pengadministrasi Umum"}]}]
MAPPED = {"ceilings": CEILINGS, "position_classes": {"ANALIS-DLH": "JF-AHLI"}}


def people(*rows) -> bytes:
    return ("\n".join(["nip,name,agency,position_class,position"] + [",".join(r) for r in rows]) + "\n").encode()


def test_an_employee_takes_agency_and_class_from_the_core_position(app, create_tenant):
    from core.tenancy.service import change_module_settings

    tenant = create_tenant(modules={MODULE: MAPPED}, agencies=AGENCIES)
    with app.app_context(), tenant_scope(tenant):
        counts = import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "", "", "ANALIS-DLH"),
                                                         (NIPS[1], "Sitti Rahmawati", "", "PELAKSANA", "STAF-PU"),
                                                         (NIPS[2], "Muhammad Arfah", "DLH", "JF-AHLI", "")))
        db.session.commit()
        assert counts["added"] == 3
        rows = {e.name: (e.agency, e.position_class, e.position_code)
                for e in db.session.execute(db.select(Employee)).scalars()}
        assert rows == {"Andi Baso": ("DLH", "JF-AHLI", "ANALIS-DLH"), "Sitti Rahmawati": ("PU", "PELAKSANA", "STAF-PU"),
                        "Muhammad Arfah": ("DLH", "JF-AHLI", "")}
        andi = db.session.execute(db.select(Employee.id).where(Employee.name == "Andi Baso")).scalar_one()

        def ceilings():
            run = run_month(tenant, "test", 2026, 3)
            return {r.employee_id: (r.position_class, r.ceiling)
                    for r in db.session.execute(db.select(Result).where(Result.run_id == run.id)).scalars()}

        assert ceilings()[andi] == ("JF-AHLI", 10_000_000)
        # the class of the position changes in the settings: the next run of the open month follows it
        change_module_settings(tenant, MODULE, {"position_classes": {"ANALIS-DLH": "PELAKSANA"}}, "test",
                               app.extensions["pamong"])
        db.session.commit()
        assert ceilings()[andi] == ("PELAKSANA", 4_000_000)
        # a move to another position is kept in the history, like any change
        import_employees(tenant, "test", people((NIPS[0], "Andi Baso", "", "JF-AHLI", "KADIS-DLH")), "mutasi.csv")
        db.session.commit()
        assert ("position_code", "ANALIS-DLH", "KADIS-DLH") in {(c.field, c.before, c.after) for c in history(tenant, andi)}


@pytest.mark.parametrize("row, where", [
    ((NIPS[0], "Andi Baso", "", "JF-AHLI", "NO-SUCH"), "line 2: position"),              # not in the organisation
    ((NIPS[0], "Andi Baso", "PU", "", "ANALIS-DLH"), "line 2: agency"),                 # in another agency
    ((NIPS[0], "Andi Baso", "", "PELAKSANA", "ANALIS-DLH"), "line 2: position_class"),  # not the mapped class
    ((NIPS[0], "Andi Baso", "", "", "STAF-PU"), "line 2: position_class"),              # unmapped: a class is needed
    ((NIPS[0], "Andi Baso", "", "JF-AHLI", ""), "line 2: agency"),                      # no position: an agency is needed
])
def test_a_row_that_disagrees_with_the_organisation_is_refused(app, create_tenant, row, where):
    tenant = create_tenant(modules={MODULE: MAPPED}, agencies=AGENCIES)
    with app.app_context():
        with pytest.raises(ValidationError) as refused:
            import_employees(tenant, "test", people(row))
        assert refused.value.where == where


def test_a_mapping_is_checked_where_it_is_written(app_ctx, create_tenant):
    with pytest.raises(PamongError) as unknown:
        create_tenant(modules={MODULE: {**MAPPED, "position_classes": {"NO-SUCH": "JF-AHLI"}}}, agencies=AGENCIES)
    assert f"modules.{MODULE}.settings.position_classes" in str(unknown.value) and "NO-SUCH" in str(unknown.value)
    with pytest.raises(PamongError) as no_ceiling:
        create_tenant(modules={MODULE: {**MAPPED, "position_classes": {"ANALIS-DLH": "JPT"}}}, agencies=AGENCIES)
    assert f"modules.{MODULE}.settings.position_classes.ANALIS-DLH" in str(no_ceiling.value)


def test_the_position_the_organisation_says_the_account_holds_comes_before_the_import_column(
        app, client, create_tenant, create_user, login):
    """Andi's account holds ANALIS-DLH in the organisation while his imported row says STAF-PU: the
    run takes ANALIS-DLH (agency DLH, class JF-AHLI from the mapping). Sitti's account holds nothing:
    her import column is the fallback. A Plt. (acting) holding is not one's position."""
    from core.kit import assign_holder, find_position

    tenant = create_tenant(modules={MODULE: {**MAPPED, "position_classes": {"ANALIS-DLH": "JF-AHLI",
                                                                            "STAF-PU": "PELAKSANA"}}},
                           agencies=AGENCIES, locales=["id", "en"])
    andi, sitti = create_user(tenant, role="officer", agency="DLH"), create_user(tenant, role="officer", agency="PU")
    admin = create_user(tenant, role="admin")
    with app.app_context(), tenant_scope(tenant):
        rows = ("nip,name,agency,position_class,email,position\n"
                f"{NIPS[0]},Andi Baso,,,{andi},STAF-PU\n{NIPS[1]},Sitti Rahmawati,,,{sitti},STAF-PU\n").encode()
        import_employees(tenant, "test", rows)
        assign_holder(tenant, find_position(tenant, "ANALIS-DLH"), andi, "test", start=date(2026, 1, 1))
        assign_holder(tenant, find_position(tenant, "KADIS-PU"), sitti, "test", acting=True,
                      start=date(2026, 1, 1))                                   # Plt. head: not her position
        db.session.commit()
        run = run_month(tenant, "test", 2026, 3)
        db.session.commit()
        placed = {e.name: e.id for e in db.session.execute(db.select(Employee)).scalars()}
        got = {r.employee_id: (r.agency, r.position_class, r.ceiling)
               for r in db.session.execute(db.select(Result).where(Result.run_id == run.id)).scalars()}
    assert got[placed["Andi Baso"]] == ("DLH", "JF-AHLI", 10_000_000)
    assert got[placed["Sitti Rahmawati"]] == ("PU", "PELAKSANA", 4_000_000)
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(f"/t/{tenant.slug}/{MODULE}/employees/{placed['Andi Baso']}").get_data(as_text=True)
    assert "Analis Lingkungan Hidup (ANALIS-DLH)" in page and "held by the account in the organisation" in page
    page = client.get(f"/t/{tenant.slug}/{MODULE}/employees/{placed['Sitti Rahmawati']}").get_data(as_text=True)
    assert "Pengadministrasi Umum (STAF-PU)" in page and "from the import" in page
    listed = client.get(f"/t/{tenant.slug}/{MODULE}/employees").get_data(as_text=True)
    andi_row = listed.split(">Andi Baso</a>")[1].split("</tr>")[0]     # the list places them as a run does
    assert 'data-label="Agency">DLH<' in andi_row and 'data-label="Position class">JF-AHLI<' in andi_row


def test_the_employee_page_says_where_the_position_and_the_class_come_from(app, client, create_tenant, create_user,
                                                                            login):
    """A held position the settings do not map keeps the record's class, said so (the demo's SEK-DLH with
    JF-AHLI); an employee without a position is told why, and that a run uses the record's agency and class."""
    from core.kit import assign_holder, find_position

    tenant = create_tenant(modules={MODULE: MAPPED}, agencies=AGENCIES, locales=["id", "en"])
    andi, admin = create_user(tenant, role="officer", agency="DLH"), create_user(tenant, role="admin")
    with app.app_context(), tenant_scope(tenant):
        import_employees(tenant, "test", (f"nip,name,agency,position_class,email\n{NIPS[0]},Andi Baso,DLH,JF-AHLI,{andi}\n"
                                          f"{NIPS[1]},Sitti Rahmawati,DLH,PELAKSANA,\n").encode())
        assign_holder(tenant, find_position(tenant, "KADIS-DLH"), andi, "test")
        db.session.commit()
        ids = {e.name: e.id for e in db.session.execute(db.select(Employee)).scalars()}
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(f"/t/{tenant.slug}/{MODULE}/employees/{ids['Andi Baso']}").get_data(as_text=True)
    cls = page.split('id="position-class">')[1].split("</dd>")[0]
    assert "JF-AHLI" in cls and "the settings give position KADIS-DLH no class" in cls
    page = client.get(f"/t/{tenant.slug}/{MODULE}/employees/{ids['Sitti Rahmawati']}").get_data(as_text=True)
    said = page.split('id="position">')[1].split("</dd>")[0]
    assert "none" in said and "no account is linked and the import gave no position" in said
    assert "the record's, used by a run" in page.split('id="position-class">')[1].split("</dd>")[0]


def test_each_month_takes_the_position_held_in_it(app, create_tenant, create_user, frozen_clock):
    """Andi's account holds ANALIS-DLH (JF-AHLI) until 31 October, then STAF-PU (PELAKSANA) from
    1 November (the organisation keeps the ended holding): October is computed with the first, November
    with the second, and computing October again after the move keeps it."""
    from datetime import datetime, timezone

    from core.kit import assign_holder, find_position
    from core.tenancy.positions import remove_holder

    frozen_clock.set(datetime(2026, 12, 15, 1, tzinfo=timezone.utc))
    tenant = create_tenant(modules={MODULE: {**MAPPED, "position_classes": {"ANALIS-DLH": "JF-AHLI",
                                                                            "STAF-PU": "PELAKSANA"}}},
                           agencies=AGENCIES)
    andi = create_user(tenant, role="officer", agency="DLH")
    with app.app_context(), tenant_scope(tenant):
        import_employees(tenant, "test", (f"nip,name,agency,position_class,email\n"
                                          f"{NIPS[0]},Andi Baso,DLH,JF-AHLI,{andi}\n").encode())
        analis = assign_holder(tenant, find_position(tenant, "ANALIS-DLH"), andi, "test", start=date(2025, 1, 1))
        remove_holder(tenant, analis, "test", last_day=date(2026, 10, 31))
        assign_holder(tenant, find_position(tenant, "STAF-PU"), andi, "test", start=date(2026, 11, 1))
        db.session.commit()

        def placed(month):
            run = run_month(tenant, "test", 2026, month)
            db.session.commit()
            return db.session.execute(db.select(Result.agency, Result.position_class, Result.ceiling)
                                      .where(Result.run_id == run.id)).one()

        assert tuple(placed(10)) == ("DLH", "JF-AHLI", 10_000_000)
        assert tuple(placed(11)) == ("PU", "PELAKSANA", 4_000_000)
        assert tuple(placed(10)) == ("DLH", "JF-AHLI", 10_000_000)  # October again, after the move
