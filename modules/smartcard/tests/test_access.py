"""Access cards through the core's interface (core.kit.access_cards), as another module would ask."""
from core.kit import access_cards, db

from .. import services
from .helpers import CARD, CARD2, NIK, system


def test_services_check_a_card_and_its_holders_entitlements(app_ctx, sc_tenant, create_tenant):
    actor = system(sc_tenant)
    holder = services.create_holder(sc_tenant, actor, "Andi", nik=NIK, entitlements=["library", "pool"])
    services.issue_card(sc_tenant, actor, CARD, holder)
    services.issue_card(sc_tenant, actor, CARD2)
    db.session.commit()
    assert access_cards.check(sc_tenant, "6032 9810 0000 0001", "library").allowed
    verdict = access_cards.check(sc_tenant, CARD, "bus")
    assert (verdict.allowed, verdict.reason, verdict.holder_kind) == (False, "not_entitled", "citizen")
    assert access_cards.check(sc_tenant, CARD2, "library").reason == "not_entitled"  # no holder: no rights
    assert access_cards.check(sc_tenant, "6032981099999999", "library").reason == "unknown"
    assert access_cards.check(sc_tenant, "", "library").reason == "unknown"
    services.block(sc_tenant, actor, CARD, "hilang")
    db.session.commit()
    assert access_cards.check(sc_tenant, CARD, "library").reason == "blocked"
    services.set_entitlements(sc_tenant, actor, holder, ["library", "bus"])
    services.unblock(sc_tenant, actor, CARD)
    db.session.commit()
    assert access_cards.check(sc_tenant, CARD, "bus").allowed


def test_a_tenant_without_the_module_knows_no_card(app_ctx, sc_tenant, create_tenant):
    services.issue_card(sc_tenant, system(sc_tenant), CARD)
    db.session.commit()
    plain = create_tenant()
    assert access_cards.check(plain, CARD, "library").reason == "unknown"
    other = create_tenant(modules={"smartcard": {}})
    assert access_cards.check(other, CARD, "library").reason == "unknown"
