"""An officer opens an application's action form in two tabs, acts in one, then submits the other
(issue 15 p15): the second answer is the application page as it is now with "this application has
changed since you opened it: ..." (409), and nothing is applied twice or silently ignored. Every
action form of the office: deciding a stage, recording a payment, issuing, suspending/revoking."""
from __future__ import annotations

import re

from core.kit import db, tenant_scope

from .. import services
from ..models import Application
from .test_api import invoiced
from .test_services import draft

EN = {"Accept-Language": "en"}
CHANGED = "This application has changed since you opened it"


def _seen(html: str) -> str:
    return re.search(r'name="seen" type="hidden" value="([0-9]+)"', html)[1]


def _two_tabs(client, url) -> tuple[str, str]:
    return _seen(client.get(url).get_data(as_text=True)), _seen(client.get(url).get_data(as_text=True))


def _submitted(app, tenant, actor, people) -> int:
    with app.app_context():
        citizen = actor(people["citizen"])
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        aid = application.id   # read before the commit expires it (outside the tenant's scope RLS hides it)
        db.session.commit()
        return aid


def test_a_stage_decided_in_one_tab_is_not_decided_again_from_the_other(app, client, tenant, people, actor, login,
                                                                       audit_entries):
    aid = _submitted(app, tenant, actor, people)
    login(client, people["intake"], tenant)
    url = f"/t/{tenant.slug}/permits/applications/{aid}"
    one, two = _two_tabs(client, url)
    assert one == two
    first = client.post(f"{url}/act", data={"step": "0", "decision": "approve", "seen": one})
    assert first.status_code == 302
    second = client.post(f"{url}/act", data={"step": "0", "decision": "approve", "seen": two}, headers=EN)
    html = second.get_data(as_text=True)
    assert second.status_code == 409 and CHANGED in html and "Stage approved" in html
    assert len(audit_entries(tenant, "permits.approve")) == 1


def test_an_approval_from_a_tab_opened_before_the_applicant_was_asked_and_answered_is_not_applied(
        app, client, tenant, people, actor, login, audit_entries):
    """The same stage awaits action again after the round trip: only the mark tells the tab is stale."""
    aid = _submitted(app, tenant, actor, people)
    login(client, people["intake"], tenant)
    url = f"/t/{tenant.slug}/permits/applications/{aid}"
    one, two = _two_tabs(client, url)
    asked = client.post(f"{url}/act", data={"step": "0", "decision": "ask", "note": "Lengkapi KTP", "seen": one})
    assert asked.status_code == 302
    with app.app_context():
        services.resubmit(tenant, actor(people["citizen"]), aid)
        db.session.commit()
    stale = client.post(f"{url}/act", data={"step": "0", "decision": "approve", "seen": two}, headers=EN)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and CHANGED in html and "Completed by the applicant" in html
    assert audit_entries(tenant, "permits.approve") == []
    assert 'name="decision"' in html   # the form again, as it is now, to act on
    fresh = client.post(f"{url}/act", data={"step": "0", "decision": "approve", "seen": _seen(html)})
    assert fresh.status_code == 302 and len(audit_entries(tenant, "permits.approve")) == 1


def test_a_payment_recorded_in_one_tab_is_not_recorded_again_from_the_other(app, client, tenant, people, login,
                                                                           audit_entries):
    code, fee, reference = invoiced(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        aid = db.session.execute(db.select(Application.id).where(Application.reference == reference)).scalar_one()
    login(client, people["intake"], tenant)
    url = f"/t/{tenant.slug}/permits/applications/{aid}"
    one, two = _two_tabs(client, url)
    assert client.post(f"{url}/pay", data={"amount": str(fee), "seen": one}).status_code == 302
    second = client.post(f"{url}/pay", data={"amount": str(fee), "seen": two}, headers=EN)
    html = second.get_data(as_text=True)
    assert second.status_code == 409 and CHANGED in html and "Fee paid" in html
    assert len(audit_entries(tenant, "permits.paid")) == 1 and audit_entries(tenant, "permits.second_payment") == []


def _issued_free(app, tenant, actor, people) -> int:
    with app.app_context():
        citizen = actor(people["citizen"])
        application = services.save_draft(tenant, citizen, "SKU", {"name": "Andi", "nik": "7371014101900001"},
                                          {"usaha": "Warung"})
        services.submit(tenant, citizen, application.id)
        services.approve_stage(tenant, actor(people["intake"]), application.id, 0)
        aid = application.id
        db.session.commit()
        return aid


def test_a_permit_issued_in_one_tab_is_not_issued_again_and_a_status_change_not_overtaken(
        app, client, tenant, people, actor, login, signer, audit_entries):
    aid = _issued_free(app, tenant, actor, people)
    login(client, people["admin"], tenant)
    url = f"/t/{tenant.slug}/permits/applications/{aid}"
    one, two = _two_tabs(client, url)
    assert client.post(f"{url}/issue", data={"seen": one}).status_code == 302
    second = client.post(f"{url}/issue", data={"seen": two}, headers=EN)
    assert second.status_code == 409 and CHANGED in second.get_data(as_text=True)
    assert len(audit_entries(tenant, "permits.issue")) == 1
    # suspended in one tab; the other tab's revocation is not applied over it
    one, two = _two_tabs(client, url)
    suspended = client.post(f"{url}/status", data={"action": "suspend", "reason": "Diperiksa", "confirm": "y",
                                                   "seen": one})
    assert suspended.status_code == 302
    revoked = client.post(f"{url}/status", data={"action": "revoke", "reason": "Dicabut", "confirm": "y",
                                                 "seen": two}, headers=EN)
    html = revoked.get_data(as_text=True)
    assert revoked.status_code == 409 and CHANGED in html and "Permit suspended" in html
    assert "(now: Issued, permit suspended)" in html   # the status line's own words, not "(now: Issued)"
    assert audit_entries(tenant, "permits.revoke") == []
    with app.app_context():
        assert services.get(tenant, aid).permit_status == "suspended"


def test_a_forged_mark_is_refused(app, client, tenant, people, actor, login, audit_entries):
    aid = _submitted(app, tenant, actor, people)
    login(client, people["intake"], tenant)
    sent = client.post(f"/t/{tenant.slug}/permits/applications/{aid}/act",
                       data={"step": "0", "decision": "approve", "seen": "١"})
    assert sent.status_code == 400 and audit_entries(tenant, "permits.approve") == []
