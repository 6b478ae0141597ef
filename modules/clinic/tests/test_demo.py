"""Demonstration data: the Makassar tenant file validates, and the seed shows a morning's queue in
progress at each clinic (served with encounters, one called, the rest waiting), once."""
import tomllib
from pathlib import Path

from core.kit import db, tenant_scope

from .. import demo
from ..models import Encounter, Visit

MAKASSAR = Path(__file__).resolve().parents[3] / "tenants" / "makassar.toml"


def makassar_settings():
    return tomllib.loads(MAKASSAR.read_text())["modules"]["clinic"]["settings"]


def test_the_seed_shows_a_morning_in_progress_once(app, client, create_tenant, create_user, frozen_clock):
    with app.app_context():
        settings = makassar_settings()
        tenant = create_tenant(modules={"clinic": settings})
        create_user(tenant, role="officer", agency="DLH", email="officer@makassar.test")
        assert demo.seed(tenant) == demo.PER_POLI * 5
        assert demo.seed(tenant) == 0
        with tenant_scope(tenant):
            statuses = [v.status for v in db.session.query(Visit).filter(Visit.clinic == "PKM-KASSI", Visit.poli == "UMUM")
                        .order_by(Visit.serial)]
            assert statuses[:6] == ["done", "done", "done", "called", "waiting", "waiting"]
            assert db.session.query(Encounter).count() == 3 * 4  # polis with a practitioner: Kassi-Kassi 3, Jumpandang 1
    board = client.get(f"/t/{tenant.slug}/clinic/board/PKM-KASSI").get_data(as_text=True)
    assert '<span class="number">A-004</span>' in board
    figures = client.get(f"/t/{tenant.slug}/clinic/figures").get_data(as_text=True)
    assert "Puskesmas Kassi-Kassi · Poli Umum" in figures
