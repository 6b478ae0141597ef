"""The module's ``check_settings`` names every problem of a settings document at once: a registered
limit under the unregistered one and a merchant code used twice come back together; nothing is saved."""
import pytest

from core.kit import Problems, change_module_settings, module_settings

from .helpers import SETTINGS

HERE = "modules.smartcard.settings"


def test_a_limit_too_low_and_a_code_used_twice_are_both_refused(app_ctx, sc_tenant):
    before = dict(module_settings(sc_tenant, "smartcard"))
    merchants = [*SETTINGS["merchants"], dict(SETTINGS["merchants"][0])]
    with pytest.raises(Problems) as refused:
        change_module_settings(sc_tenant, "smartcard", {"registered_limit": 1_000_000, "unregistered_limit": 2_000_000,
                                                        "merchants": merchants}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.registered_limit", "validation_error"),
        (f"{HERE}.merchants[{len(merchants) - 1}].code", "validation_error")]
    assert module_settings(sc_tenant, "smartcard") == before
