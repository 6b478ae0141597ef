"""The complaints' data migrations fill every tenant under Row Level Security (DESIGN §4).

On PostgreSQL the upgrade runs as production's owner, which is neither superuser nor BYPASSRLS and
so is held by the FORCEd policies (``core.testing_owner``). The backfills once named every tenant
at once in ``pamong.tenant_ids``, which that owner sees no row through as soon as there are two
tenants: the counters, clocks and figures stayed empty. They now go tenant by tenant
(``core.kit.each_tenant``). On SQLite the same upgrade runs, with no roles."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

BEFORE = {"core": "5e55c0a7b1d2", "complaints": "4a7d2e9c5b18"}  # before the counters, clocks, figures
FILED = datetime(2026, 5, 4, 1, 0, tzinfo=timezone.utc)


def _per_tenant(url, sql) -> dict:
    engine = create_engine(url)  # the tests' own login: reads every tenant's rows
    try:
        with engine.connect() as conn:
            return {tid: n for tid, n in conn.execute(text(sql)).all()}
    finally:
        engine.dispose()


def test_the_counters_clocks_and_figures_are_filled_for_both_tenants(database_before, scratch_url):
    old = database_before(BEFORE)
    tenants = []
    with old.rows() as rows:
        for slug, last in (("lama", 41), ("lain", 7)):
            tid = rows.add("tenants", kind="city", parent_id=None, slug=slug, timezone="Asia/Makassar")
            rows.add("tenant_modules", tenant_id=tid, module="complaints", enabled=True, settings={})
            agency = rows.add("org_units", tenant_id=tid, kind="agency", code="PU", name="Dinas PU",
                              parent_id=None, active=True)
            rows.add("complaint_counters", tenant_id=tid, year=2026, last_number=last)
            for i, status in enumerate(("submitted", "resolved")):
                rows.add("complaints", tenant_id=tid, agency_id=agency, number=f"{slug.upper()}-2026-{i:06d}",
                         category_code="JALAN", status=status, outcome="fixed" if status == "resolved" else "",
                         created_at=FILED, updated_at=FILED, response_due_at=FILED + timedelta(days=3),
                         resolution_due_at=FILED + timedelta(days=60),
                         resolved_at=FILED + timedelta(days=2) if status == "resolved" else None,
                         resolved_within_target=True if status == "resolved" else None, district_id=None,
                         village_id=None, duplicate_of_id=None, filer_user_id=None, assignee_id=None)
            tenants.append(tid)
    postgres = scratch_url.startswith("postgresql")
    old.upgrade(plain_owner=postgres)
    if postgres:
        engine = create_engine(old.owner_app.config["PAMONG_DATABASE_OWNER_URI"])
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                         "WHERE rolname = current_user")).scalar_one() is False
        finally:
            engine.dispose()

    counters = _per_tenant(scratch_url, "SELECT tenant_id, last_number FROM number_counters "
                                        "WHERE scope = '[\"complaints\"]' AND period = '2026'")
    assert counters == {tenants[0]: 41, tenants[1]: 7}
    clocks = _per_tenant(scratch_url, "SELECT tenant_id, count(*) FROM sla_segments "
                                      "WHERE object_kind = 'complaint' GROUP BY tenant_id")
    assert clocks == {tenants[0]: 4, tenants[1]: 4}  # response and resolution, for each complaint
    filed = _per_tenant(scratch_url, "SELECT tenant_id, n FROM complaint_figures "
                                     "WHERE dimension = 'filed' AND key = '2026-05'")
    assert filed == {tenants[0]: 2, tenants[1]: 2}


def test_finished_complaints_get_their_outcome_in_every_tenant(app, make_tenant):
    """Revision 6b1ab22b3dd7's backfill, as the app's role on PostgreSQL (held by the policies as the
    production owner is: the tests' superuser is not): both tenants' finished complaints."""
    import importlib.util
    from pathlib import Path

    from core import migrate
    from core.kit import db, tenant_scope
    from modules.complaints import services

    path = next((Path(__file__).parents[1] / "migrations" / "versions").glob("*_6b1ab22b3dd7_*.py"))
    spec = importlib.util.spec_from_file_location("complaints_6b1ab22b3dd7", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    ids = []
    for _ in range(2):
        tenant = make_tenant()
        with app.app_context(), tenant_scope(tenant):
            complaint, _code = services.file_complaint(tenant, None, services.Filing(
                category="SAMPAH", description="Tumpukan sampah di pasar"), "portal")
            db.session.flush()
            ids.append(complaint.id)
            db.session.commit()
    pair = {"a": ids[0], "b": ids[1]}
    engine = migrate.owner_engine(app)
    try:
        with engine.begin() as conn:  # finished before the revision: no outcome yet
            conn.execute(text("UPDATE complaints SET status = 'resolved', outcome = '' WHERE id IN (:a, :b)"), pair)
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f'SET LOCAL ROLE "{app.config["PAMONG_DB_APP_ROLE"]}"'))
                conn.execute(text("SELECT set_config('pamong.tenant_ids', "
                                  "(SELECT string_agg(id::text, ',') FROM tenants), true)"))  # the old setting
                assert conn.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 0
            assert revision.outcomes_of_finished_complaints(conn) >= 2
            if conn.dialect.name == "postgresql":
                conn.execute(text("RESET ROLE"))
            got = conn.execute(text("SELECT outcome FROM complaints WHERE id IN (:a, :b)"), pair).scalars().all()
            assert got == ["fixed", "fixed"]
            conn.rollback()
    finally:
        engine.dispose()
