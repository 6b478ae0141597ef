"""The figures per agency are counted in SQL, grouped by unit (issue 11.1's rule for pages over a
tenant's rows): an agency's page costs the same statements with one letter as with four, and its
counts still leave out a revoked letter."""
from __future__ import annotations

from core.kit import db, tenant_scope
from core.testing import sql_statements

from ..delivery import send
from ..figures import per_agency
from .conftest import actor_of
from .helpers import signed
from .test_revoked import revoke

SETTINGS = ("SAVEPOINT", "RELEASE", "ROLLBACK", "SELECT SET_CONFIG", "SELECT CURRENT_USER", "SET LOCAL")


def _sent(tenant, people, subject):
    letter = signed(tenant, people, subject=subject)  # DLH to PU
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    db.session.commit()
    return letter


def _figures(app, tenant):
    with sql_statements(app, ignore=SETTINGS) as seen:
        rows = {row["code"]: row for row in per_agency(tenant)}
    letters = [s for s in seen if "eoffice_letters" in s.lower()]
    assert letters and all("group by" in s.lower() for s in letters), letters  # counted, not loaded
    return rows, len(seen)


def test_the_figures_cost_the_same_statements_for_one_letter_or_four(app, app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        first = _sent(tenant, people, "Undangan rapat koordinasi")
        one, few = _figures(app, tenant)
        for n in range(3):
            _sent(tenant, people, f"Laporan kebersihan pasar {n}")
        four, many = _figures(app, tenant)
        assert (one["DLH"]["out"], one["PU"]["in"]) == (1, 1)
        assert (four["DLH"]["out"], four["PU"]["in"]) == (4, 4)
        assert few == many <= 6  # not one per agency: the agencies' officers are read at once
        revoke(tenant, first)
        after, _ = _figures(app, tenant)
        assert (after["DLH"]["out"], after["PU"]["in"]) == (3, 3)
