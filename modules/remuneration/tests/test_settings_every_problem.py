"""The module's ``check_settings`` names every problem of a settings document at once: a second
ceiling for a class and year and a position mapped to a class without a ceiling come back together,
each under ``modules.remuneration.settings``; nothing is saved."""
import pytest

from core.kit import Problems, change_module_settings, module_settings

from .helpers import CEILINGS, MODULE

HERE = f"modules.{MODULE}.settings"
POSITIONS = [{"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
    {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True}]}]


def test_a_second_ceiling_and_a_class_without_one_are_both_refused(app_ctx, create_tenant):
    tenant = create_tenant(modules={MODULE: {"ceilings": CEILINGS}}, agencies=POSITIONS)
    before = dict(module_settings(tenant, MODULE))
    with pytest.raises(Problems) as refused:
        change_module_settings(tenant, MODULE, {"ceilings": CEILINGS + CEILINGS[:1],
                                                "position_classes": {"KADIS-DLH": "NOPE"}}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.ceilings[{len(CEILINGS)}]", "validation_error"), (f"{HERE}.position_classes.KADIS-DLH", "validation_error")]
    assert module_settings(tenant, MODULE) == before
