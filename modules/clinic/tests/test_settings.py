"""The clinic settings are refused where they are written when the schema or the module's own
checks fail, naming the key; nothing is applied then."""
import copy

import pytest

from core.kit import PamongError

from .fixtures import SETTINGS


def broken(change):
    doc = copy.deepcopy(SETTINGS)
    change(doc)
    return doc


@pytest.mark.parametrize("change, where", [
    (lambda d: d["clinics"].append(copy.deepcopy(d["clinics"][0])), "clinics[2].code"),
    (lambda d: d["clinics"][0]["polis"][1].update(letter="A"), "clinics[0].polis[1]"),
    (lambda d: d["clinics"][0]["polis"][0]["sessions"][0].update(start="13:00"), "clinics[0].polis[0].sessions[0]"),
    (lambda d: d["clinics"][0].update(closed_days=["2026-02-30"]), "clinics[0].closed_days"),
    (lambda d: d["clinics"][0]["practitioners"][0].update(polis=["MATA"]), "clinics[0].practitioners[0].polis"),
    (lambda d: d["clinics"][0]["practitioners"][0].update(email="dokter"), "clinics[0].practitioners[0].email"),
])
def test_bad_settings_are_refused_naming_the_key(app_ctx, create_tenant, change, where):
    with pytest.raises(PamongError) as caught:
        create_tenant(modules={"clinic": broken(change)})
    assert where in str(caught.value)


def test_the_schema_refuses_a_bad_letter_and_unknown_keys(app_ctx, create_tenant):
    with pytest.raises(PamongError):
        create_tenant(modules={"clinic": broken(lambda d: d["clinics"][0]["polis"][0].update(letter="a1"))})
    with pytest.raises(PamongError):
        create_tenant(modules={"clinic": {**SETTINGS, "colour": "red"}})


def test_clinics_read_in_a_transaction_rolled_back_are_not_kept(app, create_tenant):
    """The clinics parsed after a settings change that is then rolled back are not kept under the
    version it read: the next change reuses that number (core config_cache.may_keep)."""
    from core.kit import db
    from core.tenancy import service

    from ..settings import clinics

    tenant = create_tenant(modules={"clinic": SETTINGS})
    manager = app.extensions["pamong"]

    def renamed(name):
        doc = copy.deepcopy(SETTINGS)
        doc["clinics"][0]["name"] = name
        return doc["clinics"]

    with app.app_context():
        first = clinics(tenant)[0].name
        row = db.session.get(type(tenant), tenant.id)
        service.change_module_settings(row, "clinic", {"clinics": renamed("Dibatalkan")}, "test", manager)
        assert clinics(row)[0].name == "Dibatalkan"  # read in the transaction
        rolled_back = row.config_version
        db.session.rollback()
    with app.app_context():
        row = db.session.get(type(tenant), tenant.id)
        service.change_module_settings(row, "clinic", {"clinics": renamed("Disimpan")}, "test", manager)
        db.session.commit()
        assert row.config_version == rolled_back  # the number is reused
        assert clinics(row)[0].name == "Disimpan" != first
