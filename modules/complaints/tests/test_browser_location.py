"""In Chromium on a 360 px phone, against the live server: a citizen files with "use my location"
(geolocation granted in the browser context), the coordinates, the district and the village fill
themselves (the tenant's boundaries), the village list follows the district, the pin shows on the
map (Leaflet served by the app), and because an open complaint of the same category is a few
metres away the citizen is offered to follow it instead of filing again."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from modules.complaints import services

from .conftest import SETTINGS
from .location_common import BOUNDARIES

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
EXISTING = (-5.1477, 119.4327)  # an open rubbish complaint in Panakkukang (PNK-PNK)
HERE = (-5.14775, 119.43275)  # where the citizen's phone says it is: about 7 m away


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_files_with_use_my_location_and_is_offered_the_nearby_complaint(
    app, browser, live_server, make_tenant, screenshot,
):
    tiles = f"{live_server.url}/no-tiles-here/{{z}}/{{x}}/{{y}}.png"  # the map works; its tiles are blank
    tenant = make_tenant({**SETTINGS, "boundaries": BOUNDARIES, "map_tile_url": tiles,
                          "map_attribution": "Peta uji"}, locales=["id", "en"])
    with app.app_context(), tenant_scope(tenant):
        existing, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di depan pasar", latitude=EXISTING[0],
            longitude=EXISTING[1], notify_by="none"), "portal")
        db.session.commit()
        number = existing.number
    base = f"{live_server.url}/t/{tenant.slug}"

    context = browser.new_context(locale="id-ID", viewport=PHONE, permissions=["geolocation"],
                                  geolocation={"latitude": HERE[0], "longitude": HERE[1], "accuracy": 12})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/complaints/new")
        villages = page.locator("select[name=village] option")
        expect(villages).to_have_count(3)  # none chosen: every village (and "not sure")
        expect(page.locator("#pick-map")).to_be_visible()  # the script showed the map
        expect(page.locator("button[name=step]")).to_have_count(2)
        expect(page.locator("button[name=step][value=district]")).to_be_hidden()  # the script filters live

        # the village list follows the chosen district, without a round trip
        page.locator("select[name=district]").select_option("MRS")
        expect(villages).to_have_count(2)
        expect(page.locator("select[name=village] option[value=MRS-BTN]")).to_have_count(1)

        page.locator("select[name=category]").select_option("SAMPAH")
        page.locator("textarea[name=description]").fill("Sampah menumpuk lagi di depan pasar, baunya menyengat.")
        page.locator("#use-location").click()
        expect(page.locator("input[name=latitude]")).to_have_value(f"{HERE[0]:.6f}")
        expect(page.locator("input[name=longitude]")).to_have_value(f"{HERE[1]:.6f}")
        expect(page.locator("select[name=district]")).to_have_value("PNK")  # from the boundaries
        expect(page.locator("select[name=village]")).to_have_value("PNK-PNK")
        expect(villages).to_have_count(2)
        expect(page.locator("#location-status")).to_contain_text("12 m")
        expect(page.locator("#pick-map .leaflet-marker-icon")).to_have_count(1)  # the pin, Leaflet's own icon
        assert fits_the_phone(page)
        screenshot("location-used", of=page)

        with page.expect_navigation():
            page.locator("main form button[type=submit]:not([name])").click()
        nearby = page.locator("#nearby")
        expect(nearby).to_be_visible()
        expect(nearby.locator("a", has_text=number).first).to_be_visible()
        # what the citizen gave is still there, to send anyway
        expect(page.locator("input[name=latitude]")).to_have_value(f"{HERE[0]:.6f}")
        expect(page.locator("select[name=village]")).to_have_value("PNK-PNK")
        assert fits_the_phone(page)
        screenshot("location-duplicate-offered", of=page)

        with page.expect_navigation():
            page.locator("main form button[type=submit]:not([name])").click()  # a different problem: file it
        assert "/complaints/filed/" in page.url, page.inner_text("main")[:1000]
    finally:
        context.close()
