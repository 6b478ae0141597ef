"""The module's ``check_settings`` names every problem of a settings document at once: a closed day
that is no date and a practitioner's bad e-mail come back together, and the check of the bookings
still to be served (which reads the days) is skipped, not crashed; nothing is saved."""
import copy

import pytest

from core.kit import Problems, change_module_settings, module_settings

from .fixtures import SETTINGS

HERE = "modules.clinic.settings"


def test_a_day_that_is_no_date_and_a_bad_email_are_both_refused(app_ctx, create_tenant):
    tenant = create_tenant(modules={"clinic": SETTINGS})
    before = copy.deepcopy(module_settings(tenant, "clinic"))
    clinics = copy.deepcopy(SETTINGS["clinics"])
    clinics[0]["closed_days"] = ["2026-02-30"]
    clinics[0]["practitioners"][0]["email"] = "dokter"
    with pytest.raises(Problems) as refused:
        change_module_settings(tenant, "clinic", {"clinics": clinics}, "test")
    assert [(p.where, p.code) for p in refused.value.problems] == [
        (f"{HERE}.clinics[0].closed_days", "validation_error"),
        (f"{HERE}.clinics[0].practitioners[0].email", "validation_error")]
    assert module_settings(tenant, "clinic") == before
