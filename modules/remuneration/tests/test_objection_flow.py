"""An objection finished end to end (trial findings 2 and 3): the demo's accounts take both steps
(the supervisor is not the admin), a refusal of the core chain reads in the reader's language, the
employee sees the objection's real state and the decisions, the next reviewer sees the earlier
decision, and the personnel agency may return it to the supervisor with a reason (the core's
``approvals.return_to``)."""
from __future__ import annotations

from datetime import datetime, timezone

from core.i18n import LOCALE_COOKIE
from core.kit import approvals, db, tenant_scope

from ..models import Employee, Objection
from ..objections import file_objection, resolve_step
from ..services import import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS

STAFF = ("nip,name,agency,position_class,email,supervisor_email\n"
         f"{NIPS[0]},Andi Baso,DLH,JF-AHLI,andi@example.test,kabid@example.test\n").encode()


def objected(app, create_tenant, create_user, frozen_clock, supervisor_role="officer"):
    tenant = create_tenant(modules={MODULE: {**SETTINGS, "objection_days": 5}}, locales=["id", "en"])
    with app.app_context():
        import_employees(tenant, "test", STAFF)
        frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
    andi = create_user(tenant, role="officer", agency="DLH", email="andi@example.test")
    kabid = create_user(tenant, role=supervisor_role, agency="DLH" if supervisor_role == "officer" else None,
                        email="kabid@example.test")
    bkpsdm = create_user(tenant, role="admin")
    with app.app_context():
        with tenant_scope(tenant):
            employee = db.session.execute(db.select(Employee)).scalar_one()
            objection_id = file_objection(tenant, "pegawai", employee, 2026, 3, "Saya dinas luar tanggal 2 Maret.").id
        db.session.commit()
    return tenant, andi, kabid, bkpsdm, objection_id


def decide(client, tenant, objection_id, step, note, decision="approve"):
    return client.post(f"/t/{tenant.slug}/{MODULE}/objections/{objection_id}/decide",
                       data={"step": step, "note": note, "decision": decision}, follow_redirects=True).get_data(as_text=True)


def test_the_state_and_decisions_reach_the_employee_and_the_next_reviewer_who_may_return_it(
        app, client, create_tenant, create_user, login, frozen_clock):
    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    client.set_cookie(LOCALE_COOKIE, "en")
    login(client, kabid, tenant)
    decide(client, tenant, objection_id, 0, "Benar, ada SPT tanggal 2 Maret.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"/t/{tenant.slug}/{MODULE}/?month=2026-03").get_data(as_text=True)
    assert "Awaiting the decision of your supervisor and the personnel agency." not in own
    assert "Awaiting: Personnel agency (BKPSDM)" in own and "Benar, ada SPT tanggal 2 Maret." in own
    assert "Direct supervisor decided (" in own and "Atasan langsung" not in own  # the steps in English too
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    listed = client.get(f"/t/{tenant.slug}/{MODULE}/objections").get_data(as_text=True)
    assert "Benar, ada SPT tanggal 2 Maret." in listed and 'value="return"' in listed
    assert "Awaiting: Personnel agency (BKPSDM)" in listed and "Direct supervisor decided (" in listed
    page = decide(client, tenant, objection_id, 1, "Lampirkan SPT-nya.", decision="return")
    assert "Decision recorded." in page
    with app.app_context():
        chain = approvals.get_chain(tenant, MODULE, "objection", objection_id)
        assert chain.current == 0 and chain.status == approvals.PENDING
        assert [h["action"] for h in approvals.history(tenant, MODULE, "objection", objection_id)] == [
            "start", "approve", "return"]
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"/t/{tenant.slug}/{MODULE}/?month=2026-03").get_data(as_text=True)
    assert "Awaiting: Direct supervisor" in own and "Lampirkan SPT-nya." in own
    assert "Personnel agency (BKPSDM) returned it (" in own
    client.set_cookie(LOCALE_COOKIE, "id")                           # the same steps read in Indonesian
    own = client.get(f"/t/{tenant.slug}/{MODULE}/?month=2026-03").get_data(as_text=True)
    assert "Menunggu: Atasan langsung" in own and "Direct supervisor" not in own and "Personnel agency" not in own


def test_one_person_on_both_steps_is_refused_in_the_readers_language(app, client, create_tenant, create_user, login,
                                                                     frozen_clock):
    # the supervisor is an admin too (as the demo's admin was): the core refuses the second step
    tenant, _andi, kabid, _bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock,
                                                          supervisor_role="admin")
    client.set_cookie(LOCALE_COOKIE, "id")
    login(client, kabid, tenant)
    decide(client, tenant, objection_id, 0, "Benar.")
    page = decide(client, tenant, objection_id, 1, "Diterima.")
    assert "one person acts once on a chain" not in page
    assert "Anda sudah memutus tahap sebelumnya dari keberatan ini" in page
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Objection, objection_id).status == "open"


def test_the_demo_accounts_finish_an_objection(app, create_tenant, frozen_clock):
    from core.commands.server import demo_accounts
    from core.kit import User

    from ..demo import PEOPLE, seed

    frozen_clock.set(datetime(2026, 3, 18, 2, 0, tzinfo=timezone.utc))
    classes = sorted({p[2] for p in PEOPLE})
    tenant = create_tenant(modules={MODULE: {"ceilings": [
        {"position_class": c, "year": y, "amount": 5_000_000} for c in classes for y in range(2024, 2030)]}})
    with app.app_context():
        demo_accounts([tenant])
        db.session.commit()
        assert seed(tenant) > 0
        db.session.commit()

        def account(name):
            return db.session.execute(db.select(User).where(User.email == f"{name}@{tenant.slug}.test")).scalar_one()

        for objector, supervisor in (("staf", "officer"), ("officer", "staf")):
            with tenant_scope(tenant):
                employee = db.session.execute(db.select(Employee).where(
                    Employee.email == f"{objector}@{tenant.slug}.test")).scalar_one()
                objection_id = file_objection(tenant, account(objector), employee, 2026, 3, "Potongan salah.").id
            resolve_step(tenant, account(supervisor), objection_id, 0, "Benar.")
            done = resolve_step(tenant, account("admin"), objection_id, 1, "Diterima.", 100_000)
            db.session.commit()
            with tenant_scope(tenant):
                assert done.status == "granted"


def test_the_pages_uphold_with_a_correction_or_reject_with_a_reason(app, client, create_tenant, create_user, login,
                                                                    frozen_clock, audit_entries):
    """Re-trial of issue 16: an objection could only be "approved" and nothing changed. The personnel
    agency's step upholds it with the correction it asks (an adjustment, shown on the employee's
    month) or rejects it; the supervisor may reject it too."""
    from ..models import Adjustment, Result

    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    base = f"/t/{tenant.slug}/{MODULE}"
    client.set_cookie(LOCALE_COOKIE, "en")
    login(client, kabid, tenant)
    listed = client.get(f"{base}/objections").get_data(as_text=True)
    assert 'value="reject"' in listed and 'name="amount"' not in listed      # the supervisor recommends or rejects
    decide(client, tenant, objection_id, 0, "Benar, ada SPT.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    listed = client.get(f"{base}/objections").get_data(as_text=True)
    assert 'name="amount"' in listed and "Uphold with this correction" in listed
    page = client.post(f"{base}/objections/{objection_id}/decide", follow_redirects=True,
                       data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": ""}).get_data(as_text=True)
    assert "write the amount in whole rupiah" in page                        # no amount: nothing decided
    page = client.post(f"{base}/objections/{objection_id}/decide", follow_redirects=True,
                       data={"step": 1, "note": "Diterima: SPT 2 Maret.", "decision": "approve", "amount": "75000"})
    assert "Decision recorded." in page.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Objection, objection_id).status == "granted"
        assert [a.amount for a in db.session.execute(db.select(Adjustment)).scalars()] == [75_000]
        lines = db.session.execute(db.select(Result.lines)).scalar_one()
    assert lines[-1]["amount"] == 75_000
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"{base}/?month=2026-03").get_data(as_text=True)
    assert "Upheld:" in own and "Diterima: SPT 2 Maret." in own
    # a second objection to the upheld month: the page shows why there is no form, and a direct POST is
    # refused with the same words, nothing filed nor audited
    assert "was upheld already" in own and 'name="reason"' not in own
    filed = len(audit_entries(tenant, "remuneration.objection.file"))
    page = client.post(f"{base}/objections", data={"month": "2026-03", "reason": "Juga tanggal 3 Maret."},
                       follow_redirects=True).get_data(as_text=True)
    # March is open: its correction is in March's TPP, due when March is paid, never said paid already
    assert "An objection to this month was upheld already; its correction will be paid with March 2026" in page
    assert "Your objection was sent" not in page
    assert len(audit_entries(tenant, "remuneration.objection.file")) == filed
    with app.app_context(), tenant_scope(tenant):
        assert [o.status for o in db.session.execute(db.select(Objection)).scalars()] == ["granted"]


def test_after_a_rejection_the_employee_objects_again_on_the_page(app, client, create_tenant, create_user, login,
                                                                  frozen_clock, audit_entries):
    """A rejected objection changed nothing: within the window the page offers the form again and the
    service takes it (``objections.second_refused``); while that one is open, a third is refused."""
    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    base = f"/t/{tenant.slug}/{MODULE}"
    client.set_cookie(LOCALE_COOKIE, "en")
    login(client, kabid, tenant)
    assert "Decision recorded." in decide(client, tenant, objection_id, 0, "Tanggal 3 Maret hadir penuh.", "reject")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"{base}/?month=2026-03").get_data(as_text=True)
    assert "Rejected:" in own and "Direct supervisor rejected it (" in own and 'name="reason"' in own
    page = client.post(f"{base}/objections", data={"month": "2026-03", "reason": "Ada surat keterangan hadir."},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your objection was sent to your supervisor." in page and 'name="reason"' not in page
    page = client.post(f"{base}/objections", data={"month": "2026-03", "reason": "Sekali lagi."},
                       follow_redirects=True).get_data(as_text=True)
    assert "An objection to this month is open already." in page
    with app.app_context(), tenant_scope(tenant):
        assert [o.status for o in db.session.execute(db.select(Objection).order_by(Objection.id)).scalars()] == [
            "rejected", "open"]
    assert [e["action"] for e in audit_entries(tenant) if e["action"].startswith("remuneration.objection.")] == [
        "remuneration.objection.file", "remuneration.objection.reject", "remuneration.objection.file"]
