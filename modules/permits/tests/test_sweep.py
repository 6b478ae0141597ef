"""Past the deadline: a fiktif-positif type is approved by law (and then issued with OSS 57); any
other overdue application is reported once to the admins."""
from __future__ import annotations


from core.kit import db, tenant_scope

from .. import issuance, oss, services, sweep
from ..models import APPROVED, SUBMITTED
from .test_services import APPLICANT, draft


def test_the_sweep_deems_approved_and_escalates_once(app_ctx, tenant, people, actor, frozen_clock, signer, outbox):
    citizen = actor(people["citizen"])
    free = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung"})
    services.submit(tenant, citizen, free.id)
    paid = draft(tenant, citizen)
    services.submit(tenant, citizen, paid.id)
    free_id, paid_id = free.id, paid.id
    db.session.commit()
    frozen_clock.advance(days=1)
    assert sweep.deem_approved(tenant) == [] and sweep.escalate(tenant) == []  # not overdue yet
    frozen_clock.advance(days=14)
    assert sweep.run_all()[tenant.slug] == 2  # other tests' tenants share the database
    with tenant_scope(tenant):
        free, paid = services.get(tenant, free_id), services.get(tenant, paid_id)
        assert free.status == APPROVED and free.fiktif_positif
        assert paid.status == SUBMITTED and not paid.fiktif_positif
        assert [e.action for e in services.timeline(tenant, paid)][-1] == "escalate"
        # OSS is told 45 (verified) now and 57 only with the permit: never 57 before issuance
        codes = [e.oss_code for e in services.timeline(tenant, free)]
        assert "57" not in codes and oss.code_of(free) == "45", codes
    assert sweep.run_all()[tenant.slug] == 0  # escalated once only
    heads = [m for m in outbox(tenant, "email") if m["subject"].startswith("Terlambat")]
    assert len(heads) == 1 and "melewati batas waktu layanan" in heads[0]["body"]
    issuance.issue_permit(tenant, actor(people["admin"]), free_id)
    with tenant_scope(tenant):
        assert [e.oss_code for e in services.timeline(tenant, services.get(tenant, free_id))][-1] == "57"


def test_the_holder_of_a_permit_ending_within_30_days_is_told_once(app_ctx, tenant, people, actor, outbox,
                                                                   audit_entries):
    from datetime import timedelta

    from core.kit import utcnow

    from .. import expiry
    from ..models import Application

    holder = actor(people["citizen"]).user
    with tenant_scope(tenant):
        for number, days, state in (("PBG/0001/2021", 10, "valid"), ("PBG/0002/2021", 40, "valid"),
                                    ("PBG/0003/2021", 5, "suspended"), ("PBG/0004/2021", -1, "valid")):
            db.session.add(Application(type_code="PBG", status="issued", applicant_id=holder.id, applicant_name="Andi",
                                       phone="081234567890", permit_number=number, permit_status=state,
                                       issued_at=utcnow() - timedelta(days=1800),
                                       valid_until=utcnow() + timedelta(days=days)))
        db.session.commit()
    assert len(expiry.remind_expiring(tenant)) == 1
    db.session.commit()
    assert expiry.remind_expiring(tenant) == []   # once
    told = [m["body"] for m in outbox(tenant, "sms")]
    assert len(told) == 1 and "PBG/0001/2021" in told[0] and "berlaku sampai" in told[0]
    assert len(audit_entries(tenant, "permits.expiry_reminder")) == 1


def test_an_overdue_application_is_told_to_each_head_by_their_own_channel_and_language(
        app, tenant, people, actor, frozen_clock, outbox):
    from core.auth.service import grant_role
    from core.kit import Tenant, User

    with app.app_context():
        english = db.session.execute(db.select(User).where(User.email == people["admin"])).scalar_one()
        english.locale = "en"
        phone_head = User(email="+6281299990001", name="Kepala")
        db.session.add(phone_head)
        db.session.flush()
        grant_role(db.session.get(Tenant, tenant.id), phone_head, "admin", "test")
        citizen = actor(people["citizen"])
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        reference = application.reference
        db.session.commit()
    frozen_clock.advance(days=15)
    with app.app_context():
        assert len(sweep.escalate(tenant)) == 1
        db.session.commit()
    mails = [m for m in outbox(tenant, "email") if m["recipient"] == people["admin"]]
    assert [m["subject"] for m in mails] == [f"Overdue: {reference}"]
    assert f"Application {reference} is past its service deadline." in mails[0]["body"]
    texts = [m for m in outbox(tenant, "sms") if m["recipient"] == "+6281299990001"]
    assert len(texts) == 1 and "melewati batas waktu layanan" in texts[0]["body"]


def test_overdue_work_goes_to_the_holder_of_the_head_position_else_the_admins(
        app, make_tenant, create_user, outbox, frozen_clock):
    import pytest

    from core.kit import ValidationError, assign_holder, find_position

    from ..settings import check_settings
    from .conftest import AGENCIES, SETTINGS, user_actor

    agencies = [{**AGENCIES[0], "positions": [{"code": "KADIS-DPM", "name": "Kepala DPMPTSP", "head": True}]},
                AGENCIES[1]]
    tenant = make_tenant({**SETTINGS, "head_position": "KADIS-DPM"}, agencies=agencies)
    people = {"citizen": create_user(tenant, "citizen"), "admin": create_user(tenant, "admin"),
              "head": create_user(tenant, "officer", agency="DPM")}
    with app.app_context():
        assert [u.email for u in sweep.office_heads(tenant)] == [people["admin"]]   # vacant: the admins
        assign_holder(tenant, find_position(tenant, "KADIS-DPM"), people["head"], user_actor(people["admin"], tenant))
        assert [u.email for u in sweep.office_heads(tenant)] == [people["head"]]
        with pytest.raises(ValidationError) as refused:
            check_settings(tenant, {**SETTINGS, "head_position": "NOPE"})
        assert refused.value.code == "unknown_position" and refused.value.where.endswith("head_position")
        citizen = user_actor(people["citizen"], tenant)
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        reference = application.reference
        db.session.commit()
    frozen_clock.advance(days=15)
    with app.app_context():
        assert len(sweep.escalate(tenant)) == 1
        db.session.commit()
    told = [m["recipient"] for m in outbox(tenant, "email") if m["subject"] == f"Terlambat: {reference}"]
    assert told == [people["head"]]
