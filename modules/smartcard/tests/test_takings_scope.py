"""Takings by agency: an officer sees only the service points of their own agency (another's
merchant page is 403); admins and auditors see every merchant and agency."""
import pytest

from core.kit import db

from .. import services
from .helpers import CARD, MERCHANTS, system

AGENCIES = [{"code": "DLH", "name": "Dinas Lingkungan Hidup"}, {"code": "DISHUB", "name": "Dinas Perhubungan"}]
SCOPED = [dict(MERCHANTS[0]), dict(MERCHANTS[1], agency="DISHUB"), dict(MERCHANTS[2], agency="DLH")]


@pytest.fixture
def city(app, create_tenant):
    tenant = create_tenant(agencies=AGENCIES, modules={"smartcard": {"merchants": SCOPED}})
    with app.app_context():
        actor = system(tenant)
        services.issue_card(tenant, actor, CARD)
        services.top_up(tenant, actor, "bri-1", CARD, 100_000)
        services.pay(tenant, actor, "p1", CARD, "pasar-terong", 11_000)  # no agency (fee 1%: 10,890)
        services.pay(tenant, actor, "p2", CARD, "parkir-losari", 7_000)  # DISHUB
        services.pay(tenant, actor, "p3", CARD, "bus-1", 4_000)  # DLH
        db.session.commit()
    return tenant


def test_an_officer_sees_only_the_takings_of_their_agency(client, city, create_user, login):
    login(client, create_user(city, role="officer", agency="DLH"), city)
    base = f"/t/{city.slug}/smartcard"
    html = client.get(f"{base}/takings").get_data(as_text=True)
    assert 'id="scope"' in html and "Bus Kota Koridor 1" in html and "4.000" in html
    assert "Parkir Pantai Losari" not in html and "7.000" not in html
    assert "Pasar Terong" not in html and "10.890" not in html and "DISHUB" not in html
    assert client.get(f"{base}/merchants/bus-1").status_code == 200
    assert client.get(f"{base}/merchants/parkir-losari").status_code == 403
    assert client.get(f"{base}/merchants/pasar-terong").status_code == 403  # a merchant of no agency
    assert client.get(f"{base}/merchants/nope").status_code == 404


def test_an_officer_of_the_other_agency_sees_the_other_half(client, city, create_user, login):
    login(client, create_user(city, role="officer", agency="DISHUB"), city)
    base = f"/t/{city.slug}/smartcard"
    html = client.get(f"{base}/takings").get_data(as_text=True)
    assert "Parkir Pantai Losari" in html and "7.000" in html and "Bus Kota Koridor 1" not in html
    assert client.get(f"{base}/merchants/bus-1").status_code == 403


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_see_every_agency(client, city, create_user, login, role):
    login(client, create_user(city, role=role), city)
    base = f"/t/{city.slug}/smartcard"
    html = client.get(f"{base}/takings").get_data(as_text=True)
    assert 'id="scope"' not in html
    for text in ("Bus Kota Koridor 1", "Parkir Pantai Losari", "Pasar Terong", "4.000", "7.000", "10.890"):
        assert text in html
    for code in ("bus-1", "parkir-losari", "pasar-terong"):
        assert client.get(f"{base}/merchants/{code}").status_code == 200


def test_a_citizen_sees_no_takings(client, city, create_user, login):
    login(client, create_user(city, role="citizen"), city)
    assert client.get(f"/t/{city.slug}/smartcard/takings").status_code == 403
    assert client.get(f"/t/{city.slug}/smartcard/merchants/bus-1").status_code == 403


@pytest.mark.parametrize("lang, said, wrong", [
    ("en", "No merchant or service point belongs to your agency.", "with this code"),
    ("id", "Tidak ada pedagang atau titik layanan milik perangkat daerah Anda.", "dengan kode ini")])
def test_an_officer_of_an_agency_with_no_service_point_is_told_so(client, app, create_tenant, create_user, login,
                                                                   lang, said, wrong):
    """The empty takings say what is true (no service point of the officer's agency), not "no
    merchant with this code" (trial finding 19)."""
    tenant = create_tenant(agencies=AGENCIES + [{"code": "DISDIK", "name": "Dinas Pendidikan"}],
                           modules={"smartcard": {"merchants": SCOPED}})
    login(client, create_user(tenant, role="officer", agency="DISDIK"), tenant)
    html = client.get(f"/t/{tenant.slug}/smartcard/takings", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert html.count(said) == 2 and wrong not in html
