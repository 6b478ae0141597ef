"""The pages: public totals with a chart, a holder's card on a phone, takings, the export."""
from babel.dates import format_date

from core.kit import db, ledger

from .. import reports, services
from .helpers import CARD, NIK, SETTINGS, system


def _seed(app, tenant, user_id=None):
    with app.app_context():
        actor = system(tenant)
        holder = services.create_holder(tenant, actor, "Daeng Ngai", nik=NIK, user_id=user_id)
        services.issue_card(tenant, actor, CARD, holder)
        services.top_up(tenant, actor, "bri-1", CARD, 100_000)
        services.pay(tenant, actor, "pay-1", CARD, "pasar-terong", 20_000)
        services.hold(tenant, actor, "gate-1", CARD, "parkir-losari", 5_000)
        services.capture(tenant, actor, "gate-1-out", "gate-1", 3_000)
        db.session.commit()


def _user_id(app, email):
    from core.kit import User
    with app.app_context():
        return db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()


def test_the_public_page_shows_totals_per_service_and_month(app, client, create_tenant):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    page = client.get(f"/t/{tenant.slug}/smartcard/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and 'id="totals"' in html
    assert "19.800" in html and "3.000" in html  # the market's net of its fee; the parking fare
    assert "<script" not in html and "style=" not in html


def test_a_payments_fee_is_its_own_line_named_as_a_fee(app, create_tenant):
    """The market's 1 % fee leg of the 20,000 payment (trial finding: a second "Payment" line)."""
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    with app.app_context():
        card = services.find_card(tenant, CARD)
        lines = reports.statement(tenant, card.wallet_code)
    assert sorted((line.what, line.amount) for line in lines if line.what in ("pay", "fee")) == \
        [("fee", -200), ("pay", -19_800)]


def test_a_qris_payment_is_the_merchants_takings_but_not_paid_by_card(app, client, create_tenant):
    """QRIS is paid from any bank's app: the public page of card payments leaves it out, the
    merchant's takings count it (trial finding: the market's card total grew by a QRIS payment)."""
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    with app.app_context():
        services.qris_paid(tenant, system(tenant), "q-1", "pasar-terong", 15_000)
        db.session.commit()
        _, series = reports.public_totals(tenant)
        takings = reports.takings_by_day(tenant, "pasar-terong")
    assert sum(series["market"]) == 19_800  # the card payment, net of its fee
    assert sum(amount for _, amount in takings) == 19_800 + 15_000
    html = client.get(f"/t/{tenant.slug}/smartcard/").get_data(as_text=True)
    assert "19.800" in html and "34.800" not in html


def test_the_public_page_names_months_and_says_it_plainly_in_each_language(app, client, create_tenant):
    """Months as the reader's language writes them ("Des 2026" / "Dec 2026"), never "2026-12"; no
    accounting jargon for citizens (trial findings 10 and 20)."""
    import re
    from datetime import date

    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    with app.app_context():
        (month,), _ = reports.public_totals(tenant)
    first = date(int(month[:4]), int(month[5:7]), 1)
    for lang in ("id", "en"):
        html = client.get(f"/t/{tenant.slug}/smartcard/", headers={"Accept-Language": lang}).get_data(as_text=True)
        head = html.split('id="totals"', 1)[1].split("</thead>", 1)[0]
        assert format_date(first, "MMM y", locale=lang) in head and month not in html, lang
        assert format_date(first, "MMM", locale=lang) + "</text>" in html  # the chart's axis
        assert not re.search(r"double-entry|berpasangan", html)


def test_a_holder_sees_balance_and_statement(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    email = create_user(tenant, role="citizen")
    _seed(app, tenant, _user_id(app, email))
    login(client, email, tenant)
    html = client.get(f"/t/{tenant.slug}/smartcard/card").get_data(as_text=True)
    assert "77.000" in html  # 100,000 - 20,000 - 3,000
    assert "Top-up" in html or "Isi ulang" in html
    login(client, create_user(tenant, role="citizen"), tenant)  # another citizen sees no card of hers
    html = client.get(f"/t/{tenant.slug}/smartcard/card").get_data(as_text=True)
    assert "77.000" not in html and CARD[:4] not in html


def test_takings_and_export_need_their_permissions(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    citizen = create_user(tenant, role="citizen")
    login(client, citizen, tenant)
    assert client.get(f"/t/{tenant.slug}/smartcard/takings").status_code == 403
    assert client.get(f"/t/{tenant.slug}/smartcard/export.csv").status_code == 403
    auditor = create_user(tenant, role="auditor")
    login(client, auditor, tenant)
    days = client.get(f"/t/{tenant.slug}/smartcard/merchants/pasar-terong").get_data(as_text=True)
    assert "19.800" in days
    with app.app_context():
        (day, _), = reports.takings_by_day(tenant, "pasar-terong")
    # the day as the reader's language writes it, as every other date (trial finding: it was ISO)
    assert format_date(day, "medium", locale="id") in days and day.isoformat() not in days
    csv = client.get(f"/t/{tenant.slug}/smartcard/export.csv").get_data(as_text=True)
    assert "pay-1" in csv and "gate-1-out" in csv
    bean = client.get(f"/t/{tenant.slug}/smartcard/export.beancount").get_data(as_text=True)
    assert "pay-1" in bean
    with app.app_context():
        assert ledger.check([tenant]) == []


def test_an_officer_blocks_a_card_on_its_page(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    _seed(app, tenant)
    login(client, create_user(tenant, role="admin"), tenant)
    page = client.get(f"/t/{tenant.slug}/smartcard/cards/{CARD}")
    assert page.status_code == 200 and "Daeng Ngai" in page.get_data(as_text=True)
    done = client.post(f"/t/{tenant.slug}/smartcard/cards/{CARD}/block", data={"reason": "hilang"})
    assert done.status_code == 302
    with app.app_context():
        assert services.find_card(tenant, CARD).status == "blocked"
    again = client.post(f"/t/{tenant.slug}/smartcard/cards/{CARD}/block", data={"reason": "lagi"})
    assert again.status_code == 400
    assert client.get(f"/t/{tenant.slug}/smartcard/cards/6032981099999999").status_code == 404


def test_the_qris_page_and_image(client, create_tenant):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    assert client.get(f"/t/{tenant.slug}/smartcard/merchants/pasar-terong/qris").status_code == 200
    image = client.get(f"/t/{tenant.slug}/smartcard/merchants/pasar-terong/qris.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert client.get(f"/t/{tenant.slug}/smartcard/merchants/nope/qris").status_code == 404
