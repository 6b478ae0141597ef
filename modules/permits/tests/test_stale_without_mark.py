"""A second issue or suspension that passes the stale-tab mark (a client that never showed the page,
two officers at the same instant) is refused by the services in words that say what happened
(issue 15): "already issued" (not "only once approved and paid"), "already suspended" (not the
status form's "Action: Not a valid choice")."""
from __future__ import annotations

from .test_stale_tabs import EN, _issued_free

NOT_A_CHOICE = "Not a valid choice"


def test_a_permit_issued_or_suspended_twice_is_answered_already_done(
        app, client, tenant, people, actor, login, signer, audit_entries):
    aid = _issued_free(app, tenant, actor, people)
    login(client, people["admin"], tenant)
    url = f"/t/{tenant.slug}/permits/applications/{aid}"
    assert client.post(f"{url}/issue", data={}).status_code == 302
    again = client.post(f"{url}/issue", data={}, headers=EN, follow_redirects=True).get_data(as_text=True)
    assert "The permit is already issued." in again and "only once it is approved" not in again
    assert len(audit_entries(tenant, "permits.issue")) == 1
    suspend = {"action": "suspend", "reason": "Diperiksa", "confirm": "y"}
    assert client.post(f"{url}/status", data=suspend).status_code == 302
    twice = client.post(f"{url}/status", data=suspend, headers=EN)
    html = twice.get_data(as_text=True)
    assert twice.status_code == 400 and "The permit is already suspended." in html and NOT_A_CHOICE not in html
    indonesian = client.post(f"{url}/status", data=suspend).get_data(as_text=True)
    assert "Izin ini sudah dibekukan." in indonesian
    assert len(audit_entries(tenant, "permits.suspend")) == 1
    forged = client.post(f"{url}/status", data={**suspend, "action": "delete"}, headers=EN)
    assert forged.status_code == 400 and "Choose one of the actions offered." in forged.get_data(as_text=True)
