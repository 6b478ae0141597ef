"""The module's ``check_settings`` names every problem of a settings document at once (the core's
``Problems``): a type code used twice and a document requirement without its file types come back
together; nothing is saved."""
import copy

import pytest

from core.kit import Problems, change_module_settings, module_settings

from .conftest import PBG, SKU

HERE = "modules.permits.settings"


def test_a_code_used_twice_and_a_document_without_file_types_are_both_refused(app_ctx, tenant):
    before = copy.deepcopy(module_settings(tenant, "permits"))
    again = copy.deepcopy(SKU)
    again["code"] = "PBG"
    pbg = copy.deepcopy(PBG)
    del pbg["requirements"][2]["accepted"]
    with pytest.raises(Problems) as refused:
        change_module_settings(tenant, "permits", {"types": [pbg, again]}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.types[0].requirements[2].accepted", "validation_error"), (f"{HERE}.types[1].code", "duplicate")]
    assert module_settings(tenant, "permits") == before
