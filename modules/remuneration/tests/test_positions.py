"""Positions from the core's organisation: an employee's position (jabatan) is a position of the
tenant file's ``positions``; the module's class is its own attribute mapped to core positions in
the settings (``position_classes``), checked where written; a run takes the class from there."""
from __future__ import annotations

import pytest

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
