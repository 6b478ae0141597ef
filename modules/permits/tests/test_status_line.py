"""The status line of an issued application tells what became of its permit: a suspended permit
(OSS 70) no longer reads "Issued", nor a revoked or expired one; a deemed approval (fiktif positif,
OSS 57) says so. The same label on the application page, the applicant's list and the office's
queue (issue 15, item 1)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.kit import db, tenant_scope, utcnow

from .. import services
from .test_permit_status import change, issued


def _line(client, tenant, aid, lang="en") -> str:
    page = client.get(f"/t/{tenant.slug}/permits/applications/{aid}", headers={"Accept-Language": lang})
    assert page.status_code == 200
    found = re.search(r'<span class="status status-([a-z_]+)" id="status-line">([^<]+)</span>\s*(?:<small>\(OSS (\d+)\)'
                      r'</small>)?', page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)
    return f"{found[1]}|{found[2]}|{found[3] or ''}"


def _listed(client, tenant, lang="en") -> tuple[str, str]:
    mine = client.get(f"/t/{tenant.slug}/permits/", headers={"Accept-Language": lang}).get_data(as_text=True)
    queue = client.get(f"/t/{tenant.slug}/permits/queue?status=issued",
                       headers={"Accept-Language": lang}).get_data(as_text=True)
    return mine, queue


def _set(app, tenant, aid, **values):
    with app.app_context(), tenant_scope(tenant):
        row = services.get(tenant, aid)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def test_each_state_after_issue_has_its_own_label(app, client, tenant, people, login, signer):
    aid, number, code = issued(app, tenant, people)
    login(client, people["admin"], tenant)
    assert _line(client, tenant, aid) == "issued|Issued|50"
    assert change(client, tenant, aid, "suspend", "Pemeriksaan lapangan").status_code == 302
    assert _line(client, tenant, aid) == "suspended|Issued, permit suspended|70"
    assert "Issued, permit suspended" in _listed(client, tenant)[1]
    assert change(client, tenant, aid, "lift", "Sesuai").status_code == 302
    assert _line(client, tenant, aid) == "issued|Issued|50"
    assert change(client, tenant, aid, "revoke", "Tidak beroperasi").status_code == 302
    assert _line(client, tenant, aid) == "revoked|Issued, permit revoked|"   # OSS has no code for it
    indonesian = _line(client, tenant, aid, "id")
    assert indonesian.startswith("revoked|") and "Issued" not in indonesian and "dicabut" in indonesian
    login(client, people["citizen"], tenant)
    assert "Issued, permit revoked" in _listed(client, tenant)[0]


@pytest.mark.parametrize("values,expected", [
    ({"valid_until": utcnow() - timedelta(days=1)}, "expired|Issued, permit expired"),
    ({"fiktif_positif": True}, "issued_fiktif_positif|Issued (deemed approved, fiktif positif)"),
])
def test_an_expired_permit_and_a_deemed_approval_say_so(app, client, tenant, people, login, signer, values, expected):
    aid, number, code = issued(app, tenant, people)
    _set(app, tenant, aid, **values)
    login(client, people["citizen"], tenant)
    line = _line(client, tenant, aid)
    assert line.rsplit("|", 1)[0] == expected, line   # (the OSS code is the timeline's: tested elsewhere)
    assert expected.split("|")[1] in _listed(client, tenant)[0]
