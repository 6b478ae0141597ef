"""In Chromium on a 360 px phone, against the live server (CSRF on, CSP on): a holder signs in and
reads the balance and statement of her card; an officer blocks a lost card through the real form;
the public page shows the chart; the takings, a merchant's days, the card desk and the terminals
are read on the same phone. No page scrolls sideways."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.kit import User, db
from core.testing import PASSWORD

from .. import services
from .helpers import CARD, NIK, SETTINGS, system

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _cells_fit(page) -> list[float]:
    """The right edges of the tables' cells past the phone's screen (none: nothing to scroll to)."""
    rights = page.eval_on_selector_all("main td", "els => els.map(e => e.getBoundingClientRect().right)")
    return [r for r in rights if r > PHONE["width"]]


def test_a_holder_reads_her_card_and_an_officer_blocks_it(app, page, live_server, create_tenant, create_user):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    citizen, admin = create_user(tenant, role="citizen"), create_user(tenant, role="admin")
    with app.app_context():
        user_id = db.session.execute(db.select(User.id).where(User.email == citizen)).scalar_one()
        actor = system(tenant)
        holder = services.create_holder(tenant, actor, "Daeng Ngai", nik=NIK, user_id=user_id)
        services.issue_card(tenant, actor, CARD, holder)
        services.top_up(tenant, actor, "bri-1", CARD, 150_000)
        services.pay(tenant, actor, "pay-1", CARD, "pasar-terong", 12_500)
        db.session.commit()
    page.set_viewport_size(PHONE)
    base = f"{live_server.url}/t/{tenant.slug}"
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/smartcard/")
    expect(page.locator("svg.chart")).to_be_visible()
    assert _fits(page)
    heights = page.eval_on_selector_all("svg.chart text", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 10, heights  # the scale, months and legend readable on the phone
    _sign_in(page, base, citizen)
    page.goto(f"{base}/smartcard/card")
    expect(page.locator(f"#balance-{CARD}")).to_contain_text("137.500")
    assert _fits(page)
    assert page.locator("main td").count() >= 4 and not _cells_fit(page)  # every cell, "Saldo" too, on the screen
    page.context.clear_cookies()
    _sign_in(page, base, admin)
    page.goto(f"{base}/smartcard/cards/{CARD}")
    page.locator("input[name=reason]").fill("Hilang di pasar")
    with page.expect_navigation():
        page.locator("main form[action$='/block'] input[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Diblokir" if page.locator("html").get_attribute("lang") == "id"
                                                 else "Blocked")
    assert _fits(page)
    for path in ("/smartcard/takings", "/smartcard/merchants/pasar-terong", "/smartcard/cards",
                 "/smartcard/terminals"):  # what the city's staff read on a phone too
        page.goto(f"{base}{path}")
        expect(page.locator("main h1")).to_be_visible()
        assert _fits(page) and not _cells_fit(page), path
    assert not [e for e in errors if "Content Security Policy" in e]
    with app.app_context():
        assert services.find_card(tenant, CARD).status == "blocked"
    labelled = page.eval_on_selector_all("label[for]", "els => els.map(e => document.querySelectorAll('#' + e.htmlFor).length)")
    assert labelled and set(labelled) == {1}  # each label of the card page's forms names one field of its own
