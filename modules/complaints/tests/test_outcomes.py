"""Honest outcomes: "resolved" is a fix; closing without one says why (not the agency's
responsibility, duplicate, could not be fixed, withdrawn). The citizen sees which, the public
figures count them apart (fixed within target over real fixes only), the CSV and the JSON API carry
the outcome, and Open311 maps every one to ``closed`` with the reason in ``status_notes``."""
import csv
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale

from core.kit import ValidationError, db, tenant_scope, utcnow
from modules.complaints import services, transparency, workflow
from modules.complaints.models import UNFIXED_OUTCOMES

from .conftest import audit_actions, outbox

LABELS = {"not_responsible": "Not the agency's responsibility", "duplicate": "Duplicate of another complaint",
          "unable": "Could not be fixed", "withdrawn": "Withdrawn by the filer"}


def file(tenant, now=None, **kw):
    complaint, key = services.file_complaint(tenant, None, services.Filing(
        category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890", **kw), "portal", now=now)
    return complaint, key


def work(tenant, complaint, now):
    for status in ("verified", "assigned", "in_progress"):
        workflow.transition(tenant, "system", complaint, status, now=now)


@pytest.mark.parametrize("outcome", UNFIXED_OUTCOMES)
def test_an_officer_closes_without_a_fix_and_everyone_sees_why(app, client, tenant, people, login, outcome):
    with app.app_context(), tenant_scope(tenant):
        complaint, _ = file(tenant)
        number = complaint.number
        db.session.commit()
    login(client, people["dlh"], tenant)
    base = f"/t/{tenant.slug}/complaints"
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)
    assert f'value="closed:{outcome}"' in page
    no_reason = client.post(f"{base}/manage/{number}/status", data={"status": f"closed:{outcome}", "note": ""})
    assert no_reason.status_code == 400 and 'id="note-err"' in no_reason.get_data(as_text=True)
    done = client.post(f"{base}/manage/{number}/status", data={"status": f"closed:{outcome}",
                                                                "note": "Alasan untuk warga"})
    assert done.status_code == 302
    client.post(f"/t/{tenant.slug}/logout")
    public = client.get(f"{base}/track/{number}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="outcome"' in public and f"outcome-{outcome}" in public and "Alasan untuk warga" in public
    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        assert (c.status, c.outcome, c.resolved_at, c.resolved_within_target) == ("closed", outcome, None, None)
        assert c.events[-1].outcome == outcome
        assert audit_actions(tenant, number)[-1] == "complaints.closed"
        (_c, _to, body), = outbox(tenant, f"complaints:{number}")[-1:]
    assert number in body and "Alasan untuk warga" in body
    (request,) = client.get(f"/t/{tenant.slug}/open311/v2/requests/{number}.json").get_json()
    assert request["status"] == "closed" and "Alasan untuk warga" in request["status_notes"]
    xml = client.get(f"/t/{tenant.slug}/open311/v2/requests/{number}.xml").get_data(as_text=True)
    assert "<status>closed</status>" in xml and "Alasan untuk warga" in xml


def test_the_outcome_label_is_in_status_notes(app, tenant):
    from modules.complaints.disclosure import outcome_note

    with app.app_context(), tenant_scope(tenant):
        complaint, _ = file(tenant)
        workflow.transition(tenant, "system", complaint, "closed", note="Jalan nasional: dilaporkan ke BBPJN",
                            outcome="not_responsible")
        with force_locale("en"):
            note = outcome_note(complaint)
        db.session.rollback()
    assert LABELS["not_responsible"] in note and "BBPJN" in note


def test_the_figures_count_real_fixes_only(app, client, tenant):
    now = utcnow()
    with app.app_context(), tenant_scope(tenant):
        on_time, _ = file(tenant, now=now - timedelta(days=10))  # SAMPAH: 3 days to resolve
        work(tenant, on_time, now - timedelta(days=10))
        workflow.transition(tenant, "system", on_time, "resolved", note="ok", now=now - timedelta(days=9))
        late, _ = file(tenant, now=now - timedelta(days=10))
        work(tenant, late, now - timedelta(days=10))
        workflow.transition(tenant, "system", late, "resolved", note="ok", now=now - timedelta(days=2))
        for outcome in ("unable", "not_responsible", "duplicate"):
            other, _ = file(tenant, now=now - timedelta(days=5))
            workflow.transition(tenant, "system", other, "closed", note="alasan", outcome=outcome, now=now)
        rejected, _ = file(tenant, now=now - timedelta(days=5))
        workflow.transition(tenant, "system", rejected, "rejected", note="bukan pengaduan", now=now)
        workflow.confirm(tenant, None, on_time, proven=True, now=now)
        db.session.commit()
        rep = transparency.report(tenant, now)
    assert rep.total == 6 and rep.resolved == 2 and rep.within_target == 0.5 and rep.confirmed == 1
    assert rep.median_hours == (24 + 8 * 24) / 2  # over the two fixes only
    counts = {o: n for o, _label, n in rep.by_outcome}
    assert counts == {"fixed": 2, "not_responsible": 1, "duplicate": 1, "unable": 1, "withdrawn": 0, "rejected": 1}
    html = client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    assert 'id="fixed">2<' in html and 'id="within-target">50%<' in html and 'id="confirmed">1<' in html
    assert 'class="outcome-unable"' in html
    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(transparency.export_csv(tenant))))
    assert sorted(r["outcome"] for r in rows) == ["duplicate", "fixed", "fixed", "not_responsible", "rejected", "unable"]


def test_the_api_closes_with_an_outcome_and_checks_it(client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:read", "complaints:write")
    headers = {"Authorization": f"Bearer {token}"}
    api = f"/t/{tenant.slug}/api/v1/complaints/"
    number = client.post(api, json={"category": "SAMPAH", "description": "Sampah di selokan"},
                         headers=headers).get_json()["number"]
    cases = [({"status": "closed", "note": "x"}, "invalid_transition"),
             ({"status": "closed", "outcome": "fixed", "note": "x"}, "invalid_transition"),
             ({"status": "closed", "outcome": "duplicate"}, "required"),
             ({"status": "verified", "outcome": "duplicate"}, "invalid_outcome")]
    for body, code in cases:
        response = client.post(api + f"{number}/status", json=body, headers=headers)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == code, body
    done = client.post(api + f"{number}/status", json={"status": "closed", "outcome": "unable",
                                                       "note": "Lahan milik swasta"}, headers=headers)
    data = done.get_json()
    assert done.status_code == 200 and data["status"] == "closed" and data["outcome"] == "unable"
    assert data["timeline"][-1]["outcome"] == "unable"


def test_the_filer_withdraws_an_open_complaint(app, client, tenant):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = file(tenant)
        number = complaint.number
        db.session.commit()
    base = f"/t/{tenant.slug}/complaints"
    wrong = client.post(f"{base}/track/{number}/withdraw", data={"withdraw-access_key": "00000000"})
    assert wrong.status_code == 400 and 'id="withdraw-access_key-err"' in wrong.get_data(as_text=True)
    done = client.post(f"{base}/track/{number}/withdraw", data={"withdraw-access_key": key,
                                                                  "withdraw-reason": "Sudah dibersihkan warga"})
    assert done.status_code == 302
    again = client.post(f"{base}/track/{number}/withdraw", data={"withdraw-access_key": key})
    assert again.status_code == 400
    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        assert (c.status, c.outcome) == ("closed", "withdrawn")
        assert audit_actions(tenant, number) == ["complaints.file", "complaints.withdraw"]
        with pytest.raises(ValidationError):
            workflow.reopen(tenant, None, c, "lagi", access_key=key)
