"""The officer's card desk: issue, link, replace and close through the web forms, each audited, and
the form shown again (400) with its message beside the field on bad input, nothing written."""
import pytest

from core.audit import AuditEntry
from core.kit import db, ledger, tenant_scope

from .. import services
from ..models import Card, Holder
from .helpers import CARD, CARD2, NIK, SETTINGS, system

NIP = "198503302010011002"


@pytest.fixture
def desk(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    return tenant


def _actions(app, tenant, prefix="smartcard."):
    with app.app_context(), tenant_scope(tenant):
        return [a for a in db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id)).scalars()
                if a.startswith(prefix)]


def _card(app, tenant, number):
    with app.app_context():
        card = services.find_card(tenant, number)
        holder = services.holder_of(tenant, card)
        return card.status, card.replaced_by, holder and (holder.kind, holder.name, holder.registered)


def _money(app, tenant, number, amount):
    with app.app_context():
        services.top_up(tenant, system(tenant), f"bri-{number}", number, amount)
        db.session.commit()


def test_issue_with_a_citizen_then_find_it(app, client, desk):
    base = f"/t/{desk.slug}/smartcard"
    assert client.get(f"{base}/cards/new").status_code == 200
    done = client.post(f"{base}/cards/new", data={"card": "6032 9810 0000 0001", "kind": "citizen",
                                                  "name": "Daeng Ngai", "nik": NIK})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/cards/{CARD}")
    assert _card(app, desk, CARD) == ("active", None, ("citizen", "Daeng Ngai", True))
    assert "smartcard.holder.create" in _actions(app, desk) and "smartcard.card.issue" in _actions(app, desk)
    found = client.get(f"{base}/cards?number={CARD}")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/cards/{CARD}")
    assert CARD in client.get(f"{base}/cards").get_data(as_text=True)
    missing = client.get(f"{base}/cards?number=6032981099999999")
    assert missing.status_code == 400 and 'id="number-err"' in missing.get_data(as_text=True)


@pytest.mark.parametrize("data, fields", [
    ({"card": "12345", "kind": "none"}, ["card"]),
    ({"card": "", "kind": "none"}, ["card"]),
    ({"card": CARD, "kind": "citizen", "name": "Daeng", "nik": "123"}, ["nik"]),
    ({"card": CARD, "kind": "citizen", "name": "Daeng", "nik": ""}, ["nik"]),
    ({"card": CARD, "kind": "citizen", "name": "", "nik": NIK}, ["name"]),
    ({"card": CARD, "kind": "employee", "name": "Andi", "nip": ""}, ["nip"]),
    ({"card": CARD, "kind": "pirate"}, ["kind"]),
    # both problems named at once (trial finding: only the NIK's was), and a good holder not kept
    ({"card": "12", "kind": "citizen", "name": "Daeng", "nik": "123"}, ["card", "nik"]),
    ({"card": "12", "kind": "citizen", "name": "Daeng", "nik": NIK}, ["card"]),
])
def test_issue_refuses_bad_input_on_its_field(app, client, desk, data, fields):
    page = client.post(f"/t/{desk.slug}/smartcard/cards/new", data=data, headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="error-summary"' in html
    for field in fields:
        assert f'id="{field}-err"' in html or f'id="{field}-0"' in html and 'class="error"' in html, field
    assert ("A card number is 16 digits." in html) == ("card" in fields and data["card"] != "")
    with app.app_context(), tenant_scope(desk):
        assert db.session.execute(db.select(Card)).first() is None
        assert db.session.execute(db.select(Holder)).first() is None
    assert _actions(app, desk) == []


def test_a_taken_number_is_refused_beside_the_number(app, client, desk):
    with app.app_context():
        services.issue_card(desk, system(desk), CARD)
        db.session.commit()
    page = client.post(f"/t/{desk.slug}/smartcard/cards/new", data={"card": CARD, "kind": "none"})
    assert page.status_code == 400 and 'id="card-err"' in page.get_data(as_text=True)


def test_link_to_a_citizen_reuses_the_holder_of_the_same_nik(app, client, desk):
    with app.app_context():
        holder = services.create_holder(desk, system(desk), "Daeng Ngai", nik=NIK)
        first = holder.id
        services.issue_card(desk, system(desk), CARD, holder)
        services.issue_card(desk, system(desk), CARD2)
        db.session.commit()
    done = client.post(f"/t/{desk.slug}/smartcard/cards/{CARD2}/link",
                       data={"kind": "citizen", "name": "Another spelling", "nik": NIK})
    assert done.status_code == 302
    with app.app_context():
        assert services.find_card(desk, CARD2).holder_id == first
    assert "smartcard.card.link" in _actions(app, desk)


def test_link_to_an_employee_registers_the_card(app, client, desk):
    with app.app_context():
        services.issue_card(desk, system(desk), CARD)
        db.session.commit()
    done = client.post(f"/t/{desk.slug}/smartcard/cards/{CARD}/link",
                       data={"kind": "employee", "name": "Andi Pegawai", "nip": NIP})
    assert done.status_code == 302
    assert _card(app, desk, CARD) == ("active", None, ("employee", "Andi Pegawai", True))


def test_link_with_a_bad_nik_shows_the_card_page_again(app, client, desk):
    with app.app_context():
        services.issue_card(desk, system(desk), CARD)
        db.session.commit()
    page = client.post(f"/t/{desk.slug}/smartcard/cards/{CARD}/link",
                       data={"kind": "citizen", "name": "Daeng", "nik": "9971014101900001"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="nik-err"' in html and CARD[12:] in html
    assert _card(app, desk, CARD)[2] is None and "smartcard.card.link" not in _actions(app, desk)


def test_replace_moves_the_balance_on_the_ledger(app, client, desk):
    with app.app_context():
        holder = services.create_holder(desk, system(desk), "Daeng Ngai", nik=NIK)
        services.issue_card(desk, system(desk), CARD, holder)
        db.session.commit()
    _money(app, desk, CARD, 75_000)
    done = client.post(f"/t/{desk.slug}/smartcard/cards/{CARD}/replace", data={"new_number": CARD2})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/cards/{CARD2}")
    assert _card(app, desk, CARD)[:2] == ("replaced", CARD2)
    assert _card(app, desk, CARD2) == ("active", None, ("citizen", "Daeng Ngai", True))
    with app.app_context():
        assert services.balance(desk, CARD2).balance == 75_000 and services.balance(desk, CARD).balance == 0
        with tenant_scope(desk):
            moved = db.session.execute(db.select(ledger.Transfer).where(
                ledger.Transfer.key == f"replace.{CARD}")).scalar_one()
        assert moved.amount == 75_000
        assert ledger.check([desk]) == []
    assert "smartcard.card.replaced" in _actions(app, desk)
    again = client.post(f"/t/{desk.slug}/smartcard/cards/{CARD}/replace", data={"new_number": "6032981000000003"})
    assert again.status_code == 400  # the old card is replaced: refused on its page
    with app.app_context():
        with pytest.raises(services.CardError):
            services.find_card(desk, "6032981000000003")


def test_replace_refuses_a_taken_or_malformed_number_and_an_open_hold(app, client, desk):
    with app.app_context():
        services.issue_card(desk, system(desk), CARD)
        services.issue_card(desk, system(desk), CARD2)
        db.session.commit()
    _money(app, desk, CARD, 10_000)
    url = f"/t/{desk.slug}/smartcard/cards/{CARD}/replace"
    for number in (CARD2, "60329810", ""):
        page = client.post(url, data={"new_number": number})
        assert page.status_code == 400 and 'id="new_number-err"' in page.get_data(as_text=True)
    with app.app_context():
        services.hold(desk, system(desk), "gate-1", CARD, "parkir-losari", 5_000)
        db.session.commit()
    page = client.post(url, data={"new_number": "6032981000000003"}, headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "A hold is still open" in page.get_data(as_text=True)
    assert _card(app, desk, CARD)[:2] == ("active", None)
    with app.app_context():
        with pytest.raises(services.CardError):
            services.find_card(desk, "6032981000000003")  # the new card was not left half issued


def test_close_needs_the_tick_and_pays_the_balance_out(app, client, desk):
    with app.app_context():
        services.issue_card(desk, system(desk), CARD)
        db.session.commit()
    _money(app, desk, CARD, 30_000)
    url = f"/t/{desk.slug}/smartcard/cards/{CARD}/close"
    page = client.post(url, data={"close_reason": "pindah kota"})
    assert page.status_code == 400 and 'id="confirm-err"' in page.get_data(as_text=True)
    assert _card(app, desk, CARD)[0] == "active"
    done = client.post(url, data={"close_reason": "pindah kota", "confirm": "y"})
    assert done.status_code == 302 and _card(app, desk, CARD)[0] == "closed"
    with app.app_context():
        assert services.balance(desk, CARD).balance == 0
        assert ledger.check([desk]) == []
    assert "smartcard.card.closed" in _actions(app, desk)


def test_the_desk_needs_the_manage_permission(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    with app.app_context():
        services.issue_card(tenant, system(tenant), CARD)
        db.session.commit()
    login(client, create_user(tenant, role="citizen"), tenant)
    base = f"/t/{tenant.slug}/smartcard"
    assert client.get(f"{base}/cards").status_code == 403
    assert client.post(f"{base}/cards/new", data={"card": CARD2, "kind": "none"}).status_code == 403
    for action in ("link", "replace", "close", "block"):
        assert client.post(f"{base}/cards/{CARD}/{action}", data={"new_number": CARD2, "confirm": "y",
                                                                  "kind": "citizen", "nik": NIK,
                                                                  "name": "X"}).status_code == 403
    assert _card(app, tenant, CARD) == ("active", None, None)
