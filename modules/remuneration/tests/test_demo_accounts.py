"""The demo's employees are linked to officers' accounts, never to the demo citizen (issue 19,
people 6: warga@<slug>.test saw "TPP saya" because the seed made her an employee)."""
from core.extensions import db
from core.i18n import LOCALE_COOKIE

from ..demo import PEOPLE, seed
from ..services import employee_of

CLASSES = sorted({p[2] for p in PEOPLE})


def test_the_demo_citizen_is_not_an_employee_and_every_linked_account_is_an_officer(app, create_tenant, frozen_clock):
    from datetime import date, datetime, timezone

    from core.auth.models import Membership, User

    from ..activities import for_supervisor

    frozen_clock.set(datetime(2026, 3, 18, 2, 0, tzinfo=timezone.utc))
    from core.commands.server import demo_accounts
    from core.tenancy.scope import tenant_scope

    tenant = create_tenant(modules={"remuneration": {"ceilings": [
        {"position_class": c, "year": y, "amount": 5_000_000} for c in CLASSES for y in range(2024, 2030)]}})
    with app.app_context():
        demo_accounts([tenant])
        db.session.commit()
        assert seed(tenant) > 0
        db.session.commit()
        assert employee_of(tenant, f"warga@{tenant.slug}.test") is None
        linked = [p[3].format(slug=tenant.slug) for p in PEOPLE if p[3]]
        assert linked
        with tenant_scope(tenant):
            for email in linked:
                roles = set(db.session.execute(db.select(Membership.role).join(User, User.id == Membership.user_id)
                                               .where(User.email == email)).scalars())
                assert employee_of(tenant, email) is not None
                assert "officer" in roles and "citizen" not in roles, (email, roles)
        # the open month's last two working days (16 and 17 March) await the supervisors: the demo's
        # officer (of the others) and staff account (of the officer), never the admin (the BKPSDM step)
        waiting = for_supervisor(tenant, f"officer@{tenant.slug}.test", limit=None)
        assert len(waiting) == 2 * (len(PEOPLE) - 1)
        assert len(for_supervisor(tenant, f"staf@{tenant.slug}.test", limit=None)) == 2
        assert for_supervisor(tenant, f"admin@{tenant.slug}.test", limit=None) == []
        assert {a.day for a, _e in waiting} == {date(2026, 3, 16), date(2026, 3, 17)}
        # the demo: a small agency's employees, a month of attendance, one closed and one open month
        from ..models import Punch, Run

        with tenant_scope(tenant):
            runs = {(r.year, r.month): r.status for r in db.session.execute(db.select(Run)).scalars()}
            punched = db.session.execute(db.select(db.func.count(db.distinct(db.func.date(Punch.at))))
                                         .where(Punch.employee_id == employee_of(tenant, linked[0]).id)).scalar_one()
        assert runs == {(2026, 2): "closed", (2026, 3): "open"}
        assert punched >= 20                     # every working day from 1 February to 17 March has punches


def test_the_demo_citizen_sees_no_my_tpp_in_the_menu(app, client, create_tenant, login):
    from core.commands.server import DEMO_PASSWORD, demo_accounts

    tenant = create_tenant(modules={"remuneration": {"ceilings": [
        {"position_class": c, "year": y, "amount": 5_000_000} for c in CLASSES for y in range(2024, 2030)]}},
        locales=["id", "en"])
    with app.app_context():
        demo_accounts([tenant])
        seed(tenant)
        db.session.commit()
    warga, staf = f"warga@{tenant.slug}.test", f"staf@{tenant.slug}.test"
    client.set_cookie(LOCALE_COOKIE, "en")  # English on the language switch (the tenant speaks Indonesian first)
    login(client, warga, tenant, password=DEMO_PASSWORD)
    html = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "My TPP" not in html
    client.get(f"/t/{tenant.slug}/logout")
    login(client, staf, tenant, password=DEMO_PASSWORD)
    assert "My TPP" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
