"""The module's ``check_settings`` names every problem of a settings document at once: one
position named for two roles and an emblem that is no file come back together; nothing is saved."""
import pytest

from core.kit import Problems, change_module_settings, module_settings

HERE = "modules.eoffice.settings"


def test_a_position_named_twice_and_a_bad_emblem_are_both_refused(app_ctx, make_tenant):
    tenant, _ = make_tenant()
    before = dict(module_settings(tenant, "eoffice"))
    with pytest.raises(Problems) as refused:
        change_module_settings(tenant, "eoffice", {"kepala_daerah_position": "KADIS-DLH",
                                                   "wakil_kepala_daerah_position": "KADIS-DLH",
                                                   "kop_emblem_agency": "lambang/tidak-ada.png"}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.wakil_kepala_daerah_position", "same_position"), (f"{HERE}.kop_emblem_agency", "bad_emblem")]
    assert module_settings(tenant, "eoffice") == before
