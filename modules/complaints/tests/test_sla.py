"""Service levels with a controlled clock: escalation to the head of the agency, then to the
coordinator, auto-closing, and what officers see as overdue."""
from datetime import datetime, timedelta, timezone

from core.kit import db, tenant_scope
from modules.complaints import services, sla, workflow
from modules.complaints.models import Complaint

from .conftest import SETTINGS, audit_actions, outbox

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def file(tenant, when=T0, category="SAMPAH"):
    complaint, _ = services.file_complaint(tenant, None, services.Filing(
        category=category, description="Sampah tidak diangkut", notify_by="none"), "portal", now=when)
    db.session.commit()
    return complaint


def escalation_messages(tenant, number):
    """(channel, recipient) of the complaint's messages: the filer asked for none, so these are
    the escalations."""
    return [(c, to) for c, to, body in outbox(tenant, f"complaints:{number}") if number in body]


def test_escalation_goes_to_the_head_then_the_coordinator(scoped, tenant, people):
    complaint = file(tenant)
    assert sla.escalate_overdue(tenant, T0 + timedelta(hours=23)) == []  # response target: 24 hours
    assert sla.escalate_overdue(tenant, T0 + timedelta(hours=25)) == [(complaint.number, 1)]
    db.session.commit()
    assert escalation_messages(tenant, complaint.number) == [
        ("email", "kadis.dlh@example.test"), ("sms", "+6281234567800")]
    # not again at level 1, and the coordinator only after coordinator_after_hours (24)
    assert sla.escalate_overdue(tenant, T0 + timedelta(hours=30)) == []
    assert sla.escalate_overdue(tenant, T0 + timedelta(hours=49, minutes=1)) == [(complaint.number, 2)]
    db.session.commit()
    assert escalation_messages(tenant, complaint.number)[-1] == ("email", "koordinator@example.test")
    assert sla.escalate_overdue(tenant, T0 + timedelta(days=30)) == []  # the top of the ladder
    assert audit_actions(tenant, complaint.number) == ["complaints.file", "complaints.escalate", "complaints.escalate"]
    assert [e.kind for e in complaint.events] == ["filed", "escalated", "escalated"]


def test_a_verified_complaint_escalates_on_its_resolution_target(scoped, tenant, people, user_of):
    complaint = file(tenant)
    workflow.transition(tenant, user_of(people["dlh"]), complaint, "verified", now=T0 + timedelta(hours=2))
    db.session.commit()
    assert sla.escalate_overdue(tenant, T0 + timedelta(days=2)) == []  # responded in time
    assert sla.escalate_overdue(tenant, T0 + timedelta(days=3, hours=1)) == [(complaint.number, 1)]
    assert complaint.due(T0 + timedelta(days=3, hours=1)) == "resolution"


def test_without_configured_contacts_the_agency_officers_and_admins_are_told(scoped, make_tenant, create_user):
    settings = {**SETTINGS, "agency_contacts": {}, "coordinator_email": ""}
    tenant = make_tenant(settings=settings)
    officer = create_user(tenant, "officer", agency="DLH")
    admin = create_user(tenant, "admin")
    with tenant_scope(tenant):
        complaint = file(tenant)
        sla.escalate_overdue(tenant, T0 + timedelta(days=1, hours=1))
        sla.escalate_overdue(tenant, T0 + timedelta(days=2, hours=2))
        db.session.commit()
        assert escalation_messages(tenant, complaint.number) == [("email", officer), ("email", admin)]


def test_resolved_complaints_close_after_the_reopening_window(scoped, tenant, people, user_of):
    complaint = file(tenant)
    officer = user_of(people["dlh"])
    for status in ("verified", "assigned", "in_progress"):
        workflow.transition(tenant, officer, complaint, status, now=T0)
    workflow.transition(tenant, officer, complaint, "resolved", note="Beres", now=T0 + timedelta(days=1))
    assert sla.close_resolved(tenant, T0 + timedelta(days=7)) == []
    assert sla.close_resolved(tenant, T0 + timedelta(days=8, hours=1)) == [complaint.number]
    assert complaint.status == "closed" and complaint.events[-1].actor_role == "system"


def test_the_periodic_sweep_covers_every_tenant_with_the_module(app_ctx, make_tenant, create_tenant):
    first, second = make_tenant(), make_tenant()
    create_tenant()  # without the module: skipped
    with tenant_scope(first):
        a = file(first)
    with tenant_scope(second):
        b = file(second)
    counts = sla.run_all(T0 + timedelta(days=2))
    assert counts[first.slug] == 1 and counts[second.slug] == 1
    with tenant_scope(first):
        assert db.session.get(Complaint, a.id).escalation_level == 1
    with tenant_scope(second):
        assert db.session.get(Complaint, b.id).escalation_level == 1


def test_officers_see_what_is_overdue(app_ctx, client, tenant, people, login):
    with tenant_scope(tenant):
        old = file(tenant, when=datetime.now(timezone.utc) - timedelta(days=2)).number
        new = file(tenant, when=datetime.now(timezone.utc)).number
    login(client, people["dlh"], tenant)
    page = client.get(f"/t/{tenant.slug}/complaints/queue?overdue=1").get_data(as_text=True)
    assert old in page and new not in page and 'class="overdue"' in page
    track = client.get(f"/t/{tenant.slug}/complaints/track/{old}").get_data(as_text=True)
    assert 'class="overdue"' in track
