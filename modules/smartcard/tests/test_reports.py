"""The statement reconciles with the card's balance; takings of merchants of no agency are counted;
the export links show only to whom may export."""
from core.kit import db

from .. import reports, services
from .helpers import CARD, MERCHANTS, NIK, SETTINGS, system


def _card(app, tenant, user_id=None):
    actor = system(tenant)
    holder = services.create_holder(tenant, actor, "Daeng Ngai", nik=NIK, user_id=user_id)
    services.issue_card(tenant, actor, CARD, holder)
    services.top_up(tenant, actor, "bri-1", CARD, 100_000)
    services.pay(tenant, actor, "pay-1", CARD, "pasar-terong", 20_000)
    services.hold(tenant, actor, "gate-1", CARD, "parkir-losari", 10_000)
    services.capture(tenant, actor, "gate-1-out", "gate-1", 5_000)
    services.hold(tenant, actor, "gate-2", CARD, "parkir-losari", 10_000)
    services.void(tenant, actor, "gate-2-void", "gate-2")
    services.refund(tenant, actor, "refund-1", "pay-1", 2_000)
    services.hold(tenant, actor, "bus-open", CARD, "bus-1", 8_000)  # still open
    db.session.commit()


def test_the_statement_adds_up_to_the_posted_balance(app, sc_tenant):
    with app.app_context():
        _card(app, sc_tenant)
        balance = services.balance(sc_tenant, CARD)
        lines = reports.statement(sc_tenant, f"card.{CARD}")
        assert balance.balance == 100_000 - 20_000 - 5_000 + 2_000 == 77_000
        assert sum(line.amount for line in lines) == balance.balance
        assert lines[0].balance == balance.balance and lines[-1].balance == lines[-1].amount == 100_000
        for newer, older in zip(lines, lines[1:]):
            assert newer.balance == older.balance + newer.amount
        assert [line.amount for line in lines if line.kind == "post"] == [-5_000]  # the capture: one debit
        assert [line.held for line in lines if line.held] == [-8_000]  # only the open hold is held
        assert balance.held == 8_000 and balance.available == 69_000
        released = [line for line in lines if line.kind == "void"]
        assert len(released) == 1 and released[0].amount == 0
        assert not [line for line in lines if line.kind == "pending" and not line.held]  # ended holds: not listed


def test_the_card_page_reconciles(app, client, sc_tenant, create_user, login):
    email = create_user(sc_tenant, role="citizen")
    from core.kit import User
    with app.app_context():
        _card(app, sc_tenant, db.session.execute(db.select(User.id).where(User.email == email)).scalar_one())
    login(client, email, sc_tenant)
    html = client.get(f"/t/{sc_tenant.slug}/smartcard/card").get_data(as_text=True)
    assert "69.000" in html and "77.000" in html  # available; posted (the top line's running balance)
    assert "10.000" not in html  # neither ended hold is listed as a charge


def test_export_links_show_only_to_whom_may_export(app, client, sc_tenant, create_user, login):
    for role, shown in (("officer", False), ("auditor", True), ("admin", True)):
        login(client, create_user(sc_tenant, role=role, agency="DLH" if role == "officer" else None), sc_tenant)
        html = client.get(f"/t/{sc_tenant.slug}/smartcard/takings").get_data(as_text=True)
        assert ("export.csv" in html) is shown and ("export.beancount" in html) is shown, role
        assert client.get(f"/t/{sc_tenant.slug}/smartcard/export.csv").status_code == (200 if shown else 403)


def test_takings_of_merchants_of_no_agency_are_in_the_agency_table(app, client, create_tenant, create_user, login):
    merchants = [dict(m, agency="DLH") if m["code"] == "parkir-losari" else m for m in MERCHANTS]
    tenant = create_tenant(modules={"smartcard": dict(SETTINGS, merchants=merchants)})
    with app.app_context():
        _card(app, tenant)
        rows = reports.agency_totals(tenant)
        total = sum(sum(a for _, a in reports.takings_by_day(tenant, m["code"])) for m in merchants)
        assert rows == [("DLH", 1, 5_000), ("", 2, 19_800 - 2_000)]
        assert sum(t for _, _, t in rows) == total
    login(client, create_user(tenant, role="admin"), tenant)
    html = client.get(f"/t/{tenant.slug}/smartcard/takings").get_data(as_text=True)
    assert "17.800" in html and ("No agency" in html or "Tanpa perangkat daerah" in html)
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)  # an officer: their agency alone
    html = client.get(f"/t/{tenant.slug}/smartcard/takings").get_data(as_text=True)
    assert "5.000" in html and "17.800" not in html
