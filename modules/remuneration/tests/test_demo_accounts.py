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


def test_the_demo_closed_month_is_placed_by_the_organisation_and_its_province_oversees_it(app, create_tenant,
                                                                                          frozen_clock):
    """Trial of 2 Dec 2026: the e-office demo's holders started on the day the demo ran, so the demo's
    closed (last) month placed the officer by the personnel record and the open one by the
    organisation; and no demo province had a city running TPP to oversee. Makassar's own settings, the
    modules seeded as `pamong demo` seeds them (every enabled module, in order), under a province."""
    import tomllib
    from datetime import datetime, timezone
    from pathlib import Path

    from core.commands.server import demo_accounts
    from core.documents.certs import ensure_tenant_cert
    from core.modules import manager
    from core.tenancy.scope import tenant_scope
    from core.tenancy.service import enabled_modules

    from ..models import Employee, Result, Run
    from ..oversight import child_totals

    files = Path(__file__).resolve().parents[3] / "tenants"
    makassar, banten, tangerang = (tomllib.loads((files / f"{slug}.toml").read_text())
                                   for slug in ("makassar", "banten", "tangerang"))
    assert banten["kind"] == "province" and banten["modules"]["remuneration"]["enabled"]  # the demo's province ...
    assert tangerang["parent"] == "banten" and tangerang["modules"]["remuneration"]["enabled"]  # ... and its city
    settings = makassar["modules"]["remuneration"]["settings"]
    assert settings["position_classes"]["SEK-DLH"] == "ADMINISTRATOR"  # the officer's position, mapped

    frozen_clock.set(datetime(2026, 3, 18, 2, 0, tzinfo=timezone.utc))
    province = create_tenant(kind="province", modules={"remuneration": {}}, agencies=[])
    city = create_tenant(parent=province.slug, modules={"eoffice": {}, "remuneration": settings}, agencies=[
        {"code": a["code"], "name": a["name"], "positions": a.get("positions", [])} for a in makassar["agencies"]])
    with app.app_context():
        ensure_tenant_cert(app.config["INSTANCE_DIR"], city)
        demo_accounts([city])
        db.session.commit()
        for name in manager().modules:
            if name in enabled_modules(city):
                manager().call_module(name, "seed_demo", app=app, tenant=city)
        db.session.commit()
        with tenant_scope(city):
            placed = dict(db.session.execute(
                db.select(Run.month, Result.position_class).join(Run, Run.id == Result.run_id)
                .join(Employee, Employee.id == Result.employee_id)
                .where(Employee.email == f"officer@{city.slug}.test")).all())
            runs = {r.month: r.status for r in db.session.execute(db.select(Run)).scalars()}
        assert runs == {2: "closed", 3: "open"}
        assert placed == {2: "ADMINISTRATOR", 3: "ADMINISTRATOR"}  # the record says JF-AHLI
        from core.kit import Tenant

        totals = child_totals(db.session.get(Tenant, province.id), 2026, 2)
    assert [(t["tenant"], t["status"], t["employees"]) for t in totals] == [(city.slug, "closed", len(PEOPLE))]


def test_the_demo_open_month_has_real_figures_on_its_second_day(app, create_tenant, frozen_clock):
    """Re-trial of issue 16: on 2 December the demo's open month showed 0 % (its one ended day's
    activities awaited the supervisor). The seed gives it attendance and approved activities up to
    yesterday; today's log awaits the supervisor (the review page is not empty)."""
    from datetime import date, datetime, timezone

    from core.commands.server import demo_accounts
    from core.tenancy.scope import tenant_scope

    from ..activities import for_supervisor
    from ..models import Punch, Result, Run

    frozen_clock.set(datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc))  # Wednesday 2 December, 10:00 WITA
    tenant = create_tenant(modules={"remuneration": {"ceilings": [
        {"position_class": c, "year": y, "amount": 5_000_000} for c in CLASSES for y in range(2024, 2030)]}})
    with app.app_context():
        demo_accounts([tenant])
        db.session.commit()
        assert seed(tenant) == len(PEOPLE)
        db.session.commit()
        with tenant_scope(tenant):
            results = db.session.execute(db.select(Result).join(Run, Run.id == Result.run_id)
                                         .where(Run.year == 2026, Run.month == 12)).scalars().all()
            punched = db.session.execute(db.select(db.func.count()).select_from(Punch).where(
                Punch.at >= datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc))).scalar_one()
        assert len(results) == len(PEOPLE) and punched > 0             # 1 December's attendance
        assert sum(r.performance_bp for r in results) > 0              # not 0 %: 1 December's approved work counts
        assert all(0 < r.tpp <= r.ceiling for r in results)
        waiting = for_supervisor(tenant, f"officer@{tenant.slug}.test", limit=None)
        assert waiting and {a.day for a, _e in waiting} == {date(2026, 12, 2)}
