"""Languages and time: Indonesian by default, the user's switch, the tenant's zone and rupiah."""
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from core.i18n import local_datetime, rupiah


def test_indonesian_is_the_default_and_english_is_a_switch(client, create_tenant):
    tenant = create_tenant()
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert '<html lang="id">' in page and ">Masuk</a>" in page and "Ganti bahasa" in page
    switched = client.post(f"/t/{tenant.slug}/lang", data={"locale": "en", "next": "/"})
    assert switched.status_code == 302 and switched.headers["Location"] == f"/t/{tenant.slug}/"
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert '<html lang="en">' in page and ">Sign in</a>" in page


def test_tenant_default_locale_and_allowed_locales(client, create_tenant):
    english_first = create_tenant(locales=["en", "id"])
    only_id = create_tenant(locales=["id"])
    assert '<html lang="en">' in client.get(f"/t/{english_first.slug}/").get_data(as_text=True)
    client.post(f"/t/{only_id.slug}/lang", data={"locale": "en", "next": "/"})
    assert '<html lang="id">' in client.get(f"/t/{only_id.slug}/").get_data(as_text=True)


def test_switch_refuses_an_offsite_next(client, create_tenant):
    tenant = create_tenant()
    response = client.post(f"/t/{tenant.slug}/lang", data={"locale": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == f"/t/{tenant.slug}/"


@pytest.mark.parametrize("zone, expected", [
    ("Asia/Jakarta", "07.30"), ("Asia/Makassar", "08.30"), ("Asia/Jayapura", "09.30"),
])
def test_times_are_shown_in_the_tenants_zone(app, create_tenant, zone, expected):
    from flask import g

    tenant = create_tenant(timezone=zone)
    moment = datetime(2026, 1, 5, 0, 30, tzinfo=timezone.utc)
    with app.test_request_context(f"/t/{tenant.slug}/"):
        g.tenant = tenant
        with force_locale("id"):
            assert expected in local_datetime(moment, "short")


def test_rupiah_is_integer_and_localised(app):
    with app.test_request_context("/"):
        with force_locale("id"):
            assert rupiah(1250000) == "Rp 1.250.000"
        with force_locale("en"):
            assert rupiah(1250000) == "Rp 1,250,000"  # not CLDR's "IDR 1,250,000"
            assert rupiah(-25000) == "-Rp 25,000" and rupiah(0) == "Rp 0"
        with force_locale("id"):
            assert rupiah(-25000) == "-Rp 25.000"
        for not_money in (12.5, True, "1000"):
            with pytest.raises(TypeError):
                rupiah(not_money)


def test_a_signed_in_choice_follows_the_person(app, create_tenant, create_user, login):
    tenant = create_tenant()
    email = create_user(tenant, "citizen")
    first = app.test_client()
    login(first, email, tenant)
    first.post(f"/t/{tenant.slug}/lang", data={"locale": "en", "next": "/"})
    other_device = app.test_client()
    assert '<html lang="id">' in other_device.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    login(other_device, email, tenant)
    assert '<html lang="en">' in other_device.get(f"/t/{tenant.slug}/").get_data(as_text=True)


def test_form_messages_of_wtforms_itself_follow_the_page_language(client, create_tenant):
    """WTForms ships no Indonesian catalogue: its messages come from the core's (core/form_messages.py)."""
    tenant = create_tenant(locales=["id", "en"])
    page = client.post(f"/t/{tenant.slug}/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Kolom ini wajib diisi." in page and "This field is required." not in page
    client.get(f"/t/{tenant.slug}/lang?locale=en&next=/")
    page = client.post(f"/t/{tenant.slug}/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." in page
