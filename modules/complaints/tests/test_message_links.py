"""The links in the complaints module's messages open where the tenant is served (core/links.py)."""
import re

import pytest

from core.kit import db
from modules.complaints import services

from .conftest import outbox


def _filed_link(tenant):
    complaint, _key = services.file_complaint(tenant, None, services.Filing(
        category="SAMPAH", description="Sampah menumpuk di pasar", village="MRS-BTN", phone="0812-3456-7890"),
        "portal")
    db.session.commit()
    ((_channel, _to, body),) = outbox(tenant, f"complaints:{complaint.number}")
    links = re.findall(r"\S+://\S+", body)
    assert len(links) == 1, body
    return complaint.number, links[0]


@pytest.mark.parametrize("mode", ["path", "host"])
def test_the_filed_message_links_to_the_served_address(app_ctx, make_tenant, monkeypatch, mode):
    from core.kit import tenant_scope

    monkeypatch.setitem(app_ctx.config, "PAMONG_PUBLIC_URL", "http://127.0.0.1:5050")
    tenant = make_tenant(domains=[] if mode == "path" else ["pengaduan.example.test"])
    with tenant_scope(tenant):
        number, link = _filed_link(tenant)
    expected = (f"http://127.0.0.1:5050/t/{tenant.slug}" if mode == "path"
                else "http://pengaduan.example.test:5050") + f"/complaints/track/{number}"
    assert link == expected


def test_the_tenants_public_url_is_used_for_its_links(app_ctx, make_tenant):
    from core.kit import tenant_scope

    tenant = make_tenant(public_url="https://layanan.kota.go.id")
    with tenant_scope(tenant):
        number, link = _filed_link(tenant)
    assert link == f"https://layanan.kota.go.id/complaints/track/{number}"
