"""The figures (issue 17, 7): visits per clinic and poli, median wait (arrived, else registered, to
the call) and service time (call to finish) in minutes, the no-show share; the page draws them."""
import re

import pytest

from core.kit import db, tenant_scope

from .. import figures, queue
from .fixtures import MONDAY, NIK_A, NIK_B, SETTINGS, booked
from .test_pages import url


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": SETTINGS})
        here, _ = booked(tenant, nik=NIK_A)  # 09:00 WITA
        away, _ = booked(tenant, nik=NIK_B)
        booked(tenant, poli="GIGI", nik=NIK_B)
        with tenant_scope(tenant):
            queue.check_in(tenant, None, here.id)
            frozen_clock.advance(minutes=5)
            queue.call_next(tenant, None, "PKM-A", "UMUM")  # waited 5 minutes since arriving
            queue.serve(tenant, None, here.id)
            frozen_clock.advance(minutes=8)
            queue.finish(tenant, None, here.id)  # served 8 minutes
            queue.call_next(tenant, None, "PKM-A", "UMUM")  # 13 minutes after booking: not here
            queue.absent(tenant, None, away.id)
            db.session.commit()
    return tenant


def test_medians_and_no_show_share_per_clinic_and_poli(app, tenant):
    with app.app_context():
        rows = {(r["clinic"], r["poli"]): r for r in figures.table(tenant, MONDAY, MONDAY)}
    umum = rows[("PKM-A", "UMUM")]
    assert (umum["visits"], umum["done"], umum["absent"], umum["no_show"]) == (2, 1, 1, 1)
    assert umum["no_show_share"] == 0.5
    assert (umum["median_wait"], umum["median_service"]) == (9.0, 8.0)  # waits 5 and 13, one service of 8
    gigi = rows[("PKM-A", "GIGI")]
    assert (gigi["visits"], gigi["no_show"], gigi["median_wait"], gigi["median_service"]) == (1, 0, None, None)


def test_the_figures_page_shows_them(client, tenant):
    page = client.get(url(tenant, "figures")).get_data(as_text=True)
    assert "<svg" in page and "Poli Gigi" in page
    card = re.search(r"<h2>[^<]*Poli Umum</h2>(.*?)</li>", page, re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<dd>(.*?)</dd>", card, re.S)]
    assert cells[0] == "2" and cells[1] in ("9", "9,0") and cells[2] in ("8", "8,0") and "50" in cells[3]
