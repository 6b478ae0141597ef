"""In Chromium, against the live server (CSRF on): a citizen files a complaint with a photo through
the real form, an officer of the agency it was routed to works it from the queue to "resolved", and
the citizen's tracking page shows the outcome and the timeline; every step reached the filer."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from core.kit import db, tenant_scope
from core.testing import PASSWORD, unique

from .conftest import audit_actions

pytestmark = pytest.mark.browser

WORKFLOW = [  # (status the officer picks, note for the citizen)
    ("verified", ""),
    ("assigned", ""),
    ("in_progress", "Truk sampah dijadwalkan besok pagi."),
    ("resolved", "Tumpukan sampah sudah diangkut dan lokasi dibersihkan."),
]
PHONE = {"width": 360, "height": 740}


def fits_the_phone(page) -> bool:
    """Nothing on the page is wider than a small phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def photo_jpeg() -> bytes:
    """A small real JPEG: a grey street with a red heap on it."""
    image = Image.new("RGB", (160, 120), (120, 120, 120))
    ImageDraw.Draw(image).ellipse((50, 50, 110, 100), fill=(190, 40, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name=step])").click()
    expect(page.locator("nav li.right")).to_contain_text(email)


def outbox_rows(tenant, number: str) -> list[tuple[str, str, str, str]]:
    """(channel, recipient, status, body) of the complaint's messages, oldest first."""
    from core.notify import OutboxMessage

    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.ref == f"complaints:{number}").order_by(OutboxMessage.id)
        ).scalars()
        return [(m.channel, m.recipient, m.status, m.body) for m in rows]


def file_complaint(page, base: str, screenshot) -> tuple[str, str]:
    """The citizen's part, anonymous: returns (tracking number, access code)."""
    page.goto(f"{base}/complaints/")
    with page.expect_navigation():
        page.locator(f"main a[href='{urlsplit(base).path}/complaints/new']").click()
    assert page.url == f"{base}/complaints/new"
    page.locator("select[name=category]").select_option("SAMPAH")
    page.locator("textarea[name=description]").fill("Sampah menumpuk di depan pasar sejak tiga hari, baunya menyengat.")
    page.locator("select[name=district]").select_option("MRS")
    page.locator("select[name=village]").select_option("MRS-BTN")
    page.locator("input[name=address]").fill("Jl. Rajawali depan Pasar Bontorannu")
    page.locator("input[name=photos]").set_input_files(
        files=[{"name": "sampah.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg()}]
    )
    page.locator("input[name=name]").fill("Daeng Rahman")
    page.locator("input[name=phone]").fill("0812-3456-7891")
    page.locator("input[name=notify_by][value=sms]").check()
    assert fits_the_phone(page)
    screenshot("complaint-form-filled")
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name=step])").click()
    assert "/complaints/filed/" in page.url, page.inner_text("body")[:1000]
    number = page.locator("#tracking-number").inner_text().strip()
    access = page.locator("#access-code").inner_text().strip()
    assert number and access
    screenshot("complaint-filed")
    return number, access


def work_to_resolved(officer, base: str, number: str, screenshot) -> None:
    """The officer's part: find the complaint in the queue and move it step by step."""
    officer.goto(f"{base}/complaints/queue")
    row = officer.locator("#queue tbody tr", has=officer.locator("a.number", has_text=number))
    expect(row).to_have_count(1)
    expect(row.locator("span.status")).to_have_class("status status-submitted")
    screenshot("officer-queue")
    with officer.expect_navigation():
        row.locator("a.number").click()
    assert officer.url == f"{base}/complaints/track/{number}"
    # the officer sees the citizen's contact and the photo (served, decoded by the browser)
    expect(officer.locator("#filer")).to_contain_text("Daeng Rahman")
    photo = officer.locator("ul.photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    officer.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [160, 120]
    for status, note in WORKFLOW:
        form = officer.locator("#status-form")
        form.locator("select[name=status]").select_option(status)
        if note:
            form.locator("textarea[name=note]").fill(note)
        with officer.expect_navigation():
            form.locator("button[type=submit]").click()
        assert officer.url == f"{base}/complaints/track/{number}"
        expect(officer.locator("p.flash")).to_be_visible()
        expect(officer.locator("#status")).to_have_class(f"status status-{status}")
        if status == "in_progress":
            screenshot("officer-working")
    expect(officer.locator("#status-form select[name=status] option")).to_have_count(1)  # only "close" is left
    screenshot("officer-resolved")
    officer.goto(f"{base}/complaints/queue")  # no longer open: gone from the default queue
    expect(officer.locator("#queue a.number", has_text=number)).to_have_count(0)


def test_citizen_files_with_a_photo_and_the_officer_resolves_it(
    app, page, browser, live_server, tenant, create_user, screenshot,
):
    from core.notify import SENT, console_messages

    officer_email = create_user(tenant, "officer", agency="DLH", email=f"{unique('dlh')}@example.test")
    other_officer = create_user(tenant, "officer", agency="PU", email=f"{unique('pu')}@example.test")
    base = f"{live_server.url}/t/{tenant.slug}"

    page.set_viewport_size(PHONE)  # the citizen uses a phone; the officer a desk computer
    number, _access = file_complaint(page, base, screenshot)
    assert number.startswith(f"{tenant.slug.upper()}-")

    # an officer of another agency does not see it in the queue
    context = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    try:
        officer = context.new_page()
        sign_in(officer, base, other_officer)
        officer.goto(f"{base}/complaints/queue")
        expect(officer.locator("a.number", has_text=number)).to_have_count(0)
        officer.locator("nav form.inline button").click()  # sign out
        officer.wait_for_load_state()

        sign_in(officer, base, officer_email)
        work_to_resolved(officer, base, number, lambda name: screenshot(name, of=officer))
    finally:
        context.close()

    # the citizen (anonymous, own browser) follows the tracking number
    page.goto(f"{base}/complaints/")
    page.locator("input[name=number]").fill(number.lower())
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name=step])").click()
    assert page.url == f"{base}/complaints/track/{number}"
    expect(page.locator("#status")).to_have_class("status status-resolved")
    expect(page.locator("main")).to_contain_text(WORKFLOW[-1][1])
    expect(page.locator("#agency")).to_have_text("Dinas Lingkungan Hidup")
    events = page.locator("#timeline > li")
    expect(events).to_have_count(5)
    assert [c.split()[0] for c in events.evaluate_all("els => els.map(e => e.className)")] == [
        "event-filed", "event-status", "event-status", "event-status", "event-status"]
    expect(events.nth(3)).to_contain_text(WORKFLOW[2][1])
    expect(events.nth(4)).to_contain_text(WORKFLOW[3][1])
    stranger = page.context.browser.new_context().new_page()  # the filing session sees its own; others:
    stranger.goto(page.url)
    expect(stranger.locator("#filer")).to_have_count(0)  # the public page carries no personal data
    expect(stranger.locator("main")).not_to_contain_text("Daeng Rahman")
    expect(stranger.locator("ul.photos")).to_have_count(0)
    stranger.context.close()
    expect(page.locator("#reopen-form")).to_be_visible()  # within reopen_days the filer may reopen
    assert fits_the_phone(page)
    screenshot("citizen-tracking-resolved")

    # the steps the tenant tells (by default received, verified, resolved: not assigned nor in progress,
    # issue 20.5) were told to the filer by SMS, through the outbox, and delivered (console provider)
    with app.app_context():
        rows = outbox_rows(tenant, number)
        assert [(channel, to, status) for channel, to, status, _ in rows] == [("sms", "+6281234567891", SENT)] * 3
        assert number in rows[0][3] and "/complaints/track/" in rows[0][3]
        assert WORKFLOW[-1][1] in rows[-1][3]
        assert audit_actions(tenant, number) == [
            "complaints.file", "complaints.verified", "complaints.assigned", "complaints.in_progress",
            "complaints.resolved",
        ]
    delivered = [m for m in console_messages("sms") if m.tenant_id == tenant.id and m.ref == f"complaints:{number}"]
    assert [m.body for m in delivered] == [body for *_, body in rows]

